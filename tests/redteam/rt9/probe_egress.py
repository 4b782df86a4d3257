"""Egress: the client (the model) sends a token the session issued in every place a client message can
carry one; the backend must receive the real value, never the token. The backend logs every line it
receives to its stderr (`RECV ...`), which reaches the proxy's stderr after scanning (a real value there is
replaced by its label, a token passes as it is): a `[[` in a RECV line is a token the backend saw.

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_egress.py
"""

import base64
import json
import re
import urllib.parse

from driver import run
from values import email, text

E = email()
import driver

cases = [
    {
        "cls": "seed",
        "desc": "a tool result with an email: the session issues its token",
        "reply": text(f"owner {E}"),
        "plant": [E],
    },
    {
        "cls": "server-request",
        "desc": "sampling",
        "emit": [
            {
                "jsonrpc": "2.0",
                "id": "samp-1",
                "method": "sampling/createMessage",
                "params": {
                    "messages": [{"role": "user", "content": {"type": "text", "text": "hi"}}],
                    "maxTokens": 5,
                },
            }
        ],
        "reply": text("ok"),
    },
    {
        "cls": "server-request",
        "desc": "elicitation",
        "emit": [
            {
                "jsonrpc": "2.0",
                "id": "elic-1",
                "method": "elicitation/create",
                "params": {
                    "message": "mail?",
                    "requestedSchema": {"type": "object", "properties": {"email": {"type": "string"}}},
                },
            }
        ],
        "reply": text("ok"),
    },
    {
        "cls": "server-request",
        "desc": "roots",
        "emit": [{"jsonrpc": "2.0", "id": "roots-1", "method": "roots/list", "params": {}}],
        "reply": text("ok"),
    },
]


def variants(T):
    low = T.lower()
    inner = T[2:-2]
    return [
        ("argument value (control)", {"name": "show", "arguments": {"n": "x", "to": T}}),
        ("argument key", {"name": "show", "arguments": {"n": "x", T: 1}}),
        (
            "argument inside nested JSON string",
            {"name": "show", "arguments": {"n": "x", "q": json.dumps({"to": T})}},
        ),
        ("params _meta", {"name": "show", "arguments": {"n": "x"}, "_meta": {"who": T}}),
        (
            "token percent-encoded",
            {"name": "show", "arguments": {"n": "x", "u": "https://h/?to=" + urllib.parse.quote(T, safe="")}},
        ),
        (
            "token base64",
            {"name": "show", "arguments": {"n": "x", "b": base64.b64encode(T.encode()).decode()}},
        ),
        ("token lower-cased", {"name": "show", "arguments": {"n": "x", "to": low}}),
        ("token with single brackets", {"name": "show", "arguments": {"n": "x", "to": "[" + inner + "]"}}),
        ("token entity part only id", {"name": "show", "arguments": {"n": "x", "to": inner.split(":")[1]}}),
        (
            "token with zero-width space inside",
            {"name": "show", "arguments": {"n": "x", "to": T[:5] + "\u200b" + T[5:]}},
        ),
        (
            "token fullwidth brackets",
            {"name": "show", "arguments": {"n": "x", "to": "［［" + inner + "］］"}},
        ),
        ("token split in two arguments", {"name": "show", "arguments": {"n": "x", "a": T[:10], "b": T[10:]}}),
        (
            "token HTML-escaped",
            {"name": "show", "arguments": {"n": "x", "to": "&#91;&#91;" + inner + "&#93;&#93;"}},
        ),
        ("token reversed", {"name": "show", "arguments": {"n": "x", "to": T[::-1]}}),
    ]


def after_first(lines):
    toks = re.findall(r"\[\[EMAIL_ADDRESS:[a-z2-7]+\]\]", "\n".join(lines))
    assert toks, lines
    T = toks[0]
    driver.ANSWER["text"] = T
    msgs = []
    for k, (desc, params) in enumerate(variants(T)):
        msgs.append(
            {"jsonrpc": "2.0", "id": 5000 + k, "method": "tools/call", "params": params, "_desc": desc}
        )
    # other client messages: resources/read uri, prompts/get argument, completion value, cursor,
    # a client notification, and answers to server requests are covered by id-less notifications here
    msgs.append(
        {
            "jsonrpc": "2.0",
            "id": 5100,
            "method": "resources/read",
            "params": {"uri": "mailto:" + T},
            "_desc": "resources/read uri",
        }
    )
    msgs.append(
        {
            "jsonrpc": "2.0",
            "id": 5101,
            "method": "prompts/get",
            "params": {"name": "p", "arguments": {"to": T}},
            "_desc": "prompts/get argument",
        }
    )
    msgs.append(
        {
            "jsonrpc": "2.0",
            "id": 5102,
            "method": "completion/complete",
            "params": {"ref": {"type": "ref/prompt", "name": "p"}, "argument": {"name": "to", "value": T}},
            "_desc": "completion value",
        }
    )
    msgs.append(
        {"jsonrpc": "2.0", "id": 5103, "method": "resources/list", "params": {"cursor": T}, "_desc": "cursor"}
    )
    msgs.append(
        {
            "jsonrpc": "2.0",
            "method": "notifications/cancelled",
            "params": {"requestId": 1, "reason": "cancel " + T},
            "_desc": "client notification reason",
        }
    )
    msgs.append(
        {
            "jsonrpc": "2.0",
            "method": "notifications/roots/list_changed",
            "params": {"note": T},
            "_desc": "client notification param",
        }
    )
    msgs.append(
        {
            "jsonrpc": "2.0",
            "id": 5104,
            "method": "x-vendor/custom",
            "params": {"to": T},
            "_desc": "unknown client method",
        }
    )
    msgs.append(
        {"jsonrpc": "2.0", "id": 5105, "method": "ping", "params": {"_meta": {"t": T}}, "_desc": "ping _meta"}
    )
    for m in msgs:
        m["desc"] = m.pop("_desc")
    return [{k: v for k, v in m.items() if k != "desc"} | {"_d": m["desc"]} for m in msgs]


extra = []
_, outs, late, err = run(cases, after_first=after_first, extra=extra)
recv = [ln for ln in err.splitlines() if "RECV" in ln]
print(f"backend received {len(recv)} lines")
leaks = 0
for m, ans in extra:
    d = m.get("_d")
    mark = json.dumps(m.get("params", {}))[:0]
    # find the RECV line for this message by id / method
    key = f'"id": {m["id"]}' if "id" in m else m["method"]
    hits = [
        ln
        for ln in recv
        if (f'"id":{m.get("id")}' in ln.replace(" ", "")) or ("id" not in m and m["method"] in ln)
    ]
    saw_token = [h for h in hits if "[[" in h or "［［" in h or "&#91;&#91;" in h]
    verdict = (
        "TOKEN-TO-BACKEND"
        if saw_token
        else ("refused" if ans and '"error"' in ans[-1] else ("not-sent" if not hits else "ok"))
    )
    leaks += bool(saw_token)
    print(f"[{verdict}] {d}")
    for h in (saw_token or hits)[:1]:
        print("    backend got: " + h[h.find("RECV") :][:400])
    if ans:
        print("    client got:  " + ans[-1][:300])
for rid in ("samp-1", "elic-1", "roots-1"):
    hits = [ln for ln in recv if f'"id":"{rid}"' in ln.replace(" ", "") and '"result"' in ln]
    tok = [h for h in hits if "[[" in h]
    leaks += bool(tok)
    print(f"[{'TOKEN-TO-BACKEND' if tok else ('ok' if hits else 'not-sent')}] client's answer to {rid}")
    for h in (tok or hits)[:1]:
        print("    backend got: " + h[h.find("RECV") :][:400])
print(f"== {leaks} token(s) reached the backend / {len(extra) + 3} tried")
