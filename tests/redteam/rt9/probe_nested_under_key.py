"""A value whose key names it, one level down inside a typed wrapper: DynamoDB attribute values
(`{"ssn": {"S": "…"}}`), Firestore (`{"ssn": {"stringValue": "…"}}`), `{"ssn": {"value": "…"}}`, a list of
one. Keys that only the label reading knows (SSN, tax id, customer id of 7-8 digits) — as a tool's
JSON text and as structuredContent. Control: the same value directly under the key.

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_nested_under_key.py
"""

import json
from collections import defaultdict

from driver import judge, report, run, save
from values import ssn

WRAP = {
    "direct (control)": lambda v: v,
    "dynamodb-S": lambda v: {"S": v},
    "dynamodb-N": lambda v: {"N": v},
    "firestore-stringValue": lambda v: {"stringValue": v},
    "firestore-integerValue": lambda v: {"integerValue": v},
    "value-object": lambda v: {"value": v},
    "raw-object": lambda v: {"raw": v, "masked": False},
    "list-of-one": lambda v: [v],
    "int-in-S-wrapper-number": lambda v: {"n": int(v)},
}
KEYS = {"ssn": ssn, "customer_id": lambda: str(ssn())[:7]}


def main():
    cases = []
    for wname, w in WRAP.items():
        for key, fac in KEYS.items():
            for where in ("text", "structured"):
                v = fac()
                obj = {"Item": {key: w(v), "pk": "c#1"}}
                res = {
                    "content": [
                        {"type": "text", "text": json.dumps(obj) if where == "text" else "see structured"}
                    ]
                }
                if where == "structured":
                    res["structuredContent"] = obj
                cases.append(
                    {
                        "cls": f"{wname}",
                        "desc": f"{where}: {json.dumps(obj)}",
                        "reply": {"result": res},
                        "plant": [v],
                    }
                )
    _, outs, late, err = run(cases)
    save("nested_under_key", cases, outs, err)
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
