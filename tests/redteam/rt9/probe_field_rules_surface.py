"""Field rules outside a tool's result: a record whose values only the shipped field rules name
(an account name under `descriptiveName`, a 7-digit `customerId`, an 11-digit `phone`) in every other
message kind a backend sends: log `data`, `error.data`, a resource's JSON text, a prompt's message, a
sampling request's message, an unknown notification's params, a result's `_meta`. Control in the same
session: the same record as a tool's structuredContent and as a tool's JSON text.

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_field_rules_surface.py
"""

import json
from collections import defaultdict

from driver import judge, report, run, save
from values import phone_digits, text

ACCTS = iter(
    [
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
        "Sunrise Pediatric Dentistry",
        "Evergreen Landscaping Co",
        "Pinecrest Animal Clinic",
        "Riverbend Auto Repair",
        "Hilltop Bakery Cafe",
        "Meadowlark Florist",
        "Bayview Dental Arts",
        "Stonegate Realty Group",
        "Cedar Grove Pharmacy",
        "Willow Creek Spa",
        "Foxglove Interiors",
        "Kestrel Plumbing",
        "Juniper Legal Group",
    ]
)
_c = iter(range(6011000, 6999999, 61))


def records():
    return (
        [({"record": {"id": 7, "descriptiveName": a}}, a) for a in [next(ACCTS)]]
        + [({"record": {"id": 7, "customerId": c}}, str(c)) for c in [next(_c)]]
        + [({"record": {"id": 7, "phone": p}}, p) for p in ["1" + phone_digits()]]
    )


def N(method, params):
    return {"jsonrpc": "2.0", "method": method, "params": params}


OK = text("done")
PLACES = {
    "tool structuredContent (control)": lambda r: {
        "reply": {"result": {"content": [{"type": "text", "text": "see structured"}], "structuredContent": r}}
    },
    "tool JSON text (control)": lambda r: {"reply": text(json.dumps(r))},
    "log notification data object": lambda r: {
        "emit": [N("notifications/message", {"level": "info", "data": r})],
        "reply": OK,
    },
    "log notification data JSON string": lambda r: {
        "emit": [N("notifications/message", {"level": "info", "data": json.dumps(r)})],
        "reply": OK,
    },
    "error.data": lambda r: {"reply": {"error": {"code": -32000, "message": "failed", "data": r}}},
    "resources/read JSON text": lambda r: {
        "method": "resources/read",
        "reply": {
            "result": {
                "contents": [{"uri": "rt9://r", "mimeType": "application/json", "text": json.dumps(r)}]
            }
        },
    },
    "prompts/get message JSON text": lambda r: {
        "method": "prompts/get",
        "reply": {
            "result": {"messages": [{"role": "user", "content": {"type": "text", "text": json.dumps(r)}}]}
        },
    },
    "sampling request message JSON text": lambda r: {
        "emit": [
            {
                "jsonrpc": "2.0",
                "id": "smp",
                "method": "sampling/createMessage",
                "params": {
                    "messages": [{"role": "user", "content": {"type": "text", "text": json.dumps(r)}}],
                    "maxTokens": 5,
                },
            }
        ],
        "reply": OK,
    },
    "unknown notification params": lambda r: {"emit": [N("x-vendor/sync", r)], "reply": OK},
    "result _meta": lambda r: {
        "reply": {"result": {"content": [{"type": "text", "text": "ok"}], "_meta": r}}
    },
    "embedded resource JSON text": lambda r: {
        "reply": {
            "result": {
                "content": [
                    {
                        "type": "resource",
                        "resource": {"uri": "rt9://r", "mimeType": "application/json", "text": json.dumps(r)},
                    }
                ]
            }
        }
    },
}


def main():
    cases = []
    for pname, mk in PLACES.items():
        for r, plant in records():
            c = mk(r)
            c.update(cls=pname, desc=f"{pname}: {json.dumps(r)}", plant=[plant])
            cases.append(c)
    _, outs, late, err = run(cases)
    save("field_rules_surface", cases, outs, err)
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
