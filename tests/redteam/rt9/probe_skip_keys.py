"""Keys the shipped policy skips (`skip_keys: [jsonrpc, protocolVersion, mimeType, progressToken,
currencyCode, timeZone, status, type]`) and protocol paths (`content[].type`, a resource's `mimeType`):
values placed there, in shapes that are not enum-like.

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_skip_keys.py
"""

from collections import defaultdict

from driver import judge, report, run, save
from values import cid, email, phone_digits, ssn

MK = {
    "resource mimeType param": lambda e: (
        {
            "method": "resources/read",
            "reply": {
                "result": {
                    "contents": [
                        {"uri": "rt9://x", "mimeType": f"text/plain; charset=utf-8; owner={e}", "text": "x"}
                    ]
                }
            },
        },
        e,
    ),
    "embedded resource mimeType": lambda e: (
        {
            "reply": {
                "result": {
                    "content": [
                        {
                            "type": "resource",
                            "resource": {
                                "uri": "rt9://x",
                                "mimeType": f"message/rfc822; from={e}",
                                "text": "x",
                            },
                        }
                    ]
                }
            }
        },
        e,
    ),
    "image mimeType": lambda e: (
        {
            "reply": {
                "result": {
                    "content": [
                        {"type": "image", "mimeType": f"image/png; author={e}", "data": "iVBORw0KGgo="}
                    ]
                }
            }
        },
        e,
    ),
    "content type value": lambda e: (
        {"reply": {"result": {"content": [{"type": f"x-{e}", "text": "x"}]}}},
        e,
    ),
    "status with email": lambda e: (
        {"reply": {"result": {"content": [], "structuredContent": {"status": f"BOUNCED {e}"}}}},
        e,
    ),
    "status enum-like with phone": lambda d: (
        {"reply": {"result": {"content": [], "structuredContent": {"status": f"CALLBACK_{phone_digits()}"}}}},
        None,
    ),
    "type enum-like with customer id": lambda d: (
        {"reply": {"result": {"content": [], "structuredContent": {"type": f"CID_{cid()}"}}}},
        None,
    ),
    "CONTROL note key, enum-like with phone": lambda d: (
        {"reply": {"result": {"content": [], "structuredContent": {"note": f"CALLBACK_{phone_digits()}"}}}},
        None,
    ),
    "CONTROL note key, enum-like with customer id": lambda d: (
        {"reply": {"result": {"content": [], "structuredContent": {"note": f"CID_{cid()}"}}}},
        None,
    ),
    "status enum-like with card": lambda d: (
        {
            "reply": {
                "result": {
                    "content": [],
                    "structuredContent": {"status": f"HOLD_{__import__('values').card()}"},
                }
            }
        },
        None,
    ),
    "status enum-like with ssn": lambda d: (
        {
            "reply": {
                "result": {
                    "content": [],
                    "structuredContent": {"status": f"SSN_{ssn()[:3]}-{ssn()[3:5]}-{ssn()[5:]}"},
                }
            }
        },
        None,
    ),
    "currencyCode with email": lambda e: (
        {"reply": {"result": {"content": [], "structuredContent": {"currencyCode": e}}}},
        e,
    ),
    "timeZone with email": lambda e: (
        {"reply": {"result": {"content": [], "structuredContent": {"timeZone": f"America/{e}"}}}},
        e,
    ),
    "protocolVersion with email": lambda e: (
        {"reply": {"result": {"content": [], "structuredContent": {"protocolVersion": e}}}},
        e,
    ),
}


def main():
    cases = []
    for name, mk in MK.items():
        for _ in range(3):
            e = email()
            c, plant = mk(e)
            if plant is None:
                import json
                import re

                plant = re.search(r"\d[\d-]{6,}\d", json.dumps(c)).group(0)
            c.update(cls=name, desc=name, plant=[plant])
            cases.append(c)
    _, outs, late, err = run(cases)
    save("skip_keys", cases, outs, err)
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
