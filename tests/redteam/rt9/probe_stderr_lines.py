"""The backend's stderr and stdout lines the proxy does not relay as messages.

(a) JSON log lines on stderr (pino/structlog style) whose values are personal only by their key
    (account names, street addresses, short customer ids): the same JSON as a tool's text is tokenized
    by the shipped field rules in the same session (control per case).
(b) stderr lines cut at 4,096 characters: a value with blanks inside (a spaced card, IBAN, phone)
    straddling the cut keeps its first groups.
(c) stdout lines that are not JSON-RPC: garbage carrying a value, an answer-looking broken line.

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_stderr_lines.py
"""

import json
import sys

from driver import judge, report, run, save
from values import card, email, iban_de, phone_digits, ssn, text

ACCOUNTS = [
    "Bluewater Dental Group",
    "Harbor Point Roofing",
    "Maple Ridge Veterinary",
    "Summit Crest Law Offices",
    "Copper Kettle Bakery",
    "Northgate Auto Glass",
    "Silver Pine Orthodontics",
    "Lakeside Pool Supply",
    "Redwood Family Chiropractic",
]
ADDRS = [
    "1428 Elm Street, Springfield, IL 62704",
    "77 Larkspur Lane, Boulder, CO 80302",
    "3100 Wexford Court, Raleigh, NC 27607",
    "9 Quarry Hill Road, Montpelier, VT 05602",
    "4512 Juniper Avenue, Tucson, AZ 85719",
    "260 Beacon Terrace, Salem, OR 97301",
]


def main():
    cases = []
    # (a) key-only values: stderr JSON log line, plus the same object as a tool text (control in-session)
    for i, acct in enumerate(ACCOUNTS[:3]):
        obj = {"level": "info", "msg": "synced", "descriptiveName": acct}
        cases.append(
            {
                "cls": "stderr-json-log-key-rule",
                "desc": "stderr " + json.dumps(obj),
                "stderr": [json.dumps(obj)],
                "reply": text("ok"),
                "plant": [acct],
            }
        )
        obj2 = {"level": "info", "msg": "synced", "descriptiveName": ACCOUNTS[3 + i]}
        cases.append(
            {
                "cls": "control-same-json-as-tool-text",
                "desc": json.dumps(obj2),
                "reply": text(json.dumps(obj2)),
                "plant": [ACCOUNTS[3 + i]],
            }
        )
    for i, addr in enumerate(ADDRS[:3]):
        obj = {"event": "geocode", "address": addr}
        cases.append(
            {
                "cls": "stderr-json-log-key-rule",
                "desc": "stderr " + json.dumps(obj),
                "stderr": [json.dumps(obj)],
                "reply": text("ok"),
                "plant": [addr.split(",")[0]],
            }
        )
        obj2 = {"event": "geocode", "address": ADDRS[3 + i]}
        cases.append(
            {
                "cls": "control-same-json-as-tool-text",
                "desc": json.dumps(obj2),
                "reply": text(json.dumps(obj2)),
                "plant": [ADDRS[3 + i].split(",")[0]],
            }
        )
    for k in range(3):
        cidv = str(4821937 + 1111 * k)
        obj = {"level": "debug", "customerId": int(cidv), "msg": "fetch"}
        cases.append(
            {
                "cls": "stderr-json-log-key-rule",
                "desc": "stderr " + json.dumps(obj),
                "stderr": [json.dumps(obj)],
                "reply": text("ok"),
                "plant": [cidv],
            }
        )
    for k in range(3):
        v = ssn()
        obj = {"level": "info", "msg": "kyc", "ssn": v}
        cases.append(
            {
                "cls": "stderr-json-log-ssn-key",
                "desc": "stderr " + json.dumps(obj),
                "stderr": [json.dumps(obj)],
                "reply": text("ok"),
                "plant": [v],
            }
        )
        v2 = ssn()
        obj2 = {"level": "info", "msg": "kyc", "ssn": v2}
        cases.append(
            {
                "cls": "control-same-json-as-tool-text",
                "desc": json.dumps(obj2),
                "reply": text(json.dumps(obj2)),
                "plant": [v2],
            }
        )
    for k in range(3):
        d = "1" + phone_digits()
        obj = {"level": "info", "msg": "sms", "phone": d}
        cases.append(
            {
                "cls": "stderr-json-log-phone-key-11-digits",
                "desc": "stderr " + json.dumps(obj),
                "stderr": [json.dumps(obj)],
                "reply": text("ok"),
                "plant": [d],
            }
        )
    # stderr control: a plain email must be replaced
    e = email()
    cases.append(
        {
            "cls": "control-stderr-email",
            "desc": "stderr plain email",
            "stderr": [f"sent to {e}"],
            "reply": text("ok"),
            "plant": [e],
        }
    )
    # (b) the 4,096 cut through a spaced value
    for k in range(3):
        c = card()
        spaced = f"{c[:4]} {c[4:8]} {c[8:12]} {c[12:]}"
        pre = "x" * (4096 - 16)  # the cut falls inside the last group
        cases.append(
            {
                "cls": "stderr-cut-spaced-card",
                "desc": f"'x'*{len(pre)} + ' ' + '{spaced}'",
                "stderr": [pre[:-1] + " " + spaced],
                "reply": text("ok"),
                "plant": [f"{c[:4]} {c[4:8]} {c[8:12]}"],
            }
        )
    for k in range(3):
        ib = iban_de()
        sp = " ".join(ib[j : j + 4] for j in range(0, len(ib), 4))
        pre = "y" * (4096 - 22)
        cases.append(
            {
                "cls": "stderr-cut-spaced-iban",
                "desc": f"'y'*{len(pre)} + ' ' + '{sp}'",
                "stderr": [pre[:-1] + " " + sp],
                "reply": text("ok"),
                "plant": [sp[:19]],
            }
        )
    for k in range(3):
        ib = iban_de()
        sp = " ".join(ib[j : j + 4] for j in range(0, len(ib), 4))
        cases.append(
            {
                "cls": "control-stderr-iban-uncut",
                "desc": sp,
                "stderr": [f"acct {sp}"],
                "reply": text("ok"),
                "plant": [sp[:14]],
            }
        )
    # (c) stdout lines that are not JSON-RPC messages
    for k in range(3):
        e = email()
        cases.append(
            {
                "cls": "stdout-garbage-line",
                "desc": f"garbage line with {e}",
                "emit": [f"DEBUG user={e} connected"],
                "reply": text("ok"),
                "plant": [e],
            }
        )
    for k in range(3):
        e = email()
        cases.append(
            {
                "cls": "stdout-broken-answer",
                "desc": "answer-looking line, broken",
                "reply_raw": '{"jsonrpc":"2.0","id":$ID,"result":{"content":[{"type":"text","text":"'
                + e
                + '"}]}',
                "plant": [e],
            }
        )
    for k in range(3):
        e = email()
        cases.append(
            {
                "cls": "stdout-nan-in-answer",
                "desc": "NaN in answer",
                "reply_raw": '{"jsonrpc":"2.0","id":$ID,"result":{"content":[{"type":"text","text":"'
                + e
                + '"}],"score":NaN}}',
                "plant": [e],
            }
        )
    for k in range(3):
        e = email()
        cases.append(
            {
                "cls": "stdout-lone-surrogate",
                "desc": "lone surrogate beside a value",
                "reply_raw": '{"jsonrpc":"2.0","id":$ID,"result":{"content":[{"type":"text","text":"'
                + e
                + '\\ud800"}]}}',
                "plant": [e],
            }
        )
    for k in range(3):
        e = email()
        cases.append(
            {
                "cls": "stdout-duplicate-keys",
                "desc": "duplicate text keys",
                "reply_raw": '{"jsonrpc":"2.0","id":$ID,"result":{"content":[{"type":"text","text":"'
                + e
                + '","text":"fine"}]}}',
                "plant": [e],
            }
        )
    for k in range(3):
        e = email()
        cases.append(
            {
                "cls": "stdout-two-objects-one-line",
                "desc": "answer followed by a second object on the same line",
                "reply_raw": '{"jsonrpc":"2.0","id":$ID,"result":{"content":[{"type":"text","text":"ok"}]}}{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"'
                + e
                + '"}}',
                "plant": [e],
            }
        )
    for k in range(3 if "--cr" in sys.argv else 0):
        e = email()
        cases.append(
            {
                "cls": "stdout-cr-separated",
                "desc": "notification and answer separated by CR only",
                "reply_raw": '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"'
                + e
                + '"}}\r{"jsonrpc":"2.0","id":$ID,"result":{"content":[{"type":"text","text":"ok"}]}}',
                "plant": [e],
            }
        )
    _, outs, late, err = run(cases)
    save("stderr_lines", cases, outs, err)
    rows = judge(cases, outs, err, late)
    report(rows)
    from collections import defaultdict

    tally = defaultdict(lambda: [0, 0])
    for v, c, _o, b in rows:
        tally[c["cls"]][1] += 1
        tally[c["cls"]][0] += v.startswith("LEAK")
    print("\nper class:")
    for k, (a, b) in tally.items():
        print(f"  {k}: {a}/{b}")
    print("\n--- proxy stderr lines mentioning backend output ---")
    for ln in err.splitlines():
        if "backend" in ln or "[EMAIL" in ln or "xxxx" in ln or "yyyy" in ln:
            print(ln[-400:])


if __name__ == "__main__":
    main()
