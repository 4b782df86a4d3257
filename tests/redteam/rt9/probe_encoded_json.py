"""JSON inside an encoded layer: values that only a field rule or a key names (a 7-digit customerId,
an 11-digit phone under a phone key, an account name under descriptiveName, an address under address)
inside base64 JSON, a JWT payload, a data: URL, a base64 blob of JSON. Control in the same session: the
same JSON as plain text (JSON inside a string is parsed and walked with the field rules).

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_encoded_json.py
"""

import base64
import json
from collections import defaultdict

from driver import judge, report, run, save
from values import b64, b64u, phone_digits, text

ACCTS = [
    "Bluewater Dental Group",
    "Harbor Point Roofing",
    "Maple Ridge Veterinary",
    "Summit Crest Law Offices",
    "Copper Kettle Bakery",
    "Northgate Auto Glass",
    "Silver Pine Orthodontics",
    "Lakeside Pool Supply",
    "Redwood Family Chiropractic",
    "Granite Peak Storage",
    "Seaside Yoga Loft",
    "Oakline Tile Works",
    "Brightpath Tutoring",
    "Ironwood Fitness",
    "Clearwater Optometry",
]
_i = iter(range(100))


def payloads():
    k = next(_i)
    if "--more" in __import__("sys").argv:
        return [
            ({"accountName": ACCTS[(k + 5) % len(ACCTS)]}, ACCTS[(k + 5) % len(ACCTS)]),
            ({"address": f"{100 + k} Larkspur Lane, Boulder, CO 80302"}, f"{100 + k} Larkspur Lane"),
            ({"customerId": 5930000 + 41 * k}, str(5930000 + 41 * k)),
        ]
    return [
        ({"customerId": 4821000 + 37 * k, "level": "x"}, str(4821000 + 37 * k)),
        ({"phone": "1" + phone_digits()}, None),
        ({"descriptiveName": ACCTS[k % len(ACCTS)]}, ACCTS[k % len(ACCTS)]),
    ]


def jwt(obj):
    return b64u(json.dumps({"alg": "HS256"})) + "." + b64u(json.dumps(obj)) + ".c2ln"


NEARLY = {
    "plain JSON text (control)": lambda o: json.dumps(o),
    "markdown json code fence": lambda o: "Result:\n```json\n" + json.dumps(o, indent=2) + "\n```",
    "NDJSON (two lines)": lambda o: json.dumps({"level": "info"}) + "\n" + json.dumps(o),
    "log prefix then JSON": lambda o: "2024-05-01T10:00:00Z INFO sync " + json.dumps(o),
    "JSON with trailing comma": lambda o: json.dumps(o)[:-1] + ",}",
    "JSON with a // comment": lambda o: "{\n  // fetched\n" + json.dumps(o)[1:],
    "Python dict repr": lambda o: repr(o),
    "Python repr, list of records": lambda o: repr([{"id": 1, **o}, {"id": 2, "status": "ENABLED"}]),
    "JS object literal (unquoted keys)": lambda o: (
        "{ " + ", ".join(f"{k}: {json.dumps(v)}" for k, v in o.items()) + " }"
    ),
    "JS object literal, single quotes": lambda o: (
        "{ " + ", ".join(f"{k}: {v!r}" for k, v in o.items()) + " }"
    ),
}
CARRIERS = {
    "plain JSON text (control)": lambda o: json.dumps(o),
    "base64 JSON in text": lambda o: "state=" + b64(json.dumps(o)),
    "JWT payload": lambda o: "Bearer " + jwt(o),
    "data: URL of JSON": lambda o: "data:application/json;base64," + b64(json.dumps(o)),
    "percent-encoded JSON in a URL": lambda o: (
        "https://app.example/cb?state=" + __import__("urllib.parse").parse.quote(json.dumps(o), safe="")
    ),
    "HTML-escaped JSON in an attribute": lambda o: (
        '<div data-props="' + json.dumps(o).replace('"', "&quot;") + '"></div>'
    ),
    "gzip+base64 JSON in text": lambda o: (
        "blob " + base64.b64encode(__import__("gzip").compress(json.dumps(o).encode())).decode()
    ),
}


def main():
    import sys

    cases = []
    table = NEARLY if "--nearly" in sys.argv else CARRIERS
    for cname, carrier in table.items():
        for obj, plant in payloads():
            if plant is None:
                plant = obj["phone"]
            t = carrier(obj)
            enc = (
                t.split("=", 1)[-1]
                if "base64 JSON" in cname
                else t.split(" ", 1)[-1]
                if ("JWT" in cname or "gzip" in cname)
                else t.split(",", 1)[-1]
                if "data:" in cname
                else t.split("state=", 1)[-1]
                if "percent" in cname
                else plant
            )
            cases.append(
                {
                    "cls": cname,
                    "desc": f"{json.dumps(obj)} as {cname}",
                    "reply": text(t),
                    "plant": [plant, enc],
                }
            )
        # the same as a resource blob (application/json)
    for obj, plant in payloads() if table is CARRIERS else []:
        if plant is None:
            plant = obj["phone"]
        data = b64(json.dumps(obj))
        cases.append(
            {
                "cls": "resource blob application/json",
                "desc": json.dumps(obj),
                "reply": {
                    "result": {
                        "content": [
                            {
                                "type": "resource",
                                "resource": {"uri": "rt9://j", "mimeType": "application/json", "blob": data},
                            }
                        ]
                    }
                },
                "plant": [plant, data],
            }
        )
    _, outs, late, err = run(cases)
    save("encoded_json" + ("_nearly" if table is NEARLY else ""), cases, outs, err)
    rows = judge(cases, outs, err, late)
    report(rows)
    tally = defaultdict(lambda: [0, 0])
    for v, c, _o, b in rows:
        tally[c["cls"]][1] += 1
        tally[c["cls"]][0] += v.startswith("LEAK")
    print("\nper class:")
    for k, (a, b) in tally.items():
        print(f"  {k}: {a}/{b}")


if __name__ == "__main__":
    main()
