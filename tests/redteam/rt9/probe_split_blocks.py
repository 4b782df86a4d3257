"""A value cut across a result's content blocks (documented: text blocks of one result are read
together, `proxy/filters/split_values.py`). Variants: two text blocks (control), three and four text
blocks, text blocks with an image block between them, a text block and an embedded resource's text,
a resource_link name, and across two resources/read contents.

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_split_blocks.py
"""

from collections import defaultdict

from driver import run, save
from values import email, fmt_phone, phone_digits


def T(s):
    return {"type": "text", "text": s}
IMG = {
    "type": "image",
    "mimeType": "image/png",
    "data": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABc3UBGAAAAABJRU5ErkJggg==",
}


def cut(s, n):
    k = len(s) // n
    return [s[i * k : (i + 1) * k] if i < n - 1 else s[i * k :] for i in range(n)]


MK = {
    "two text blocks (control)": lambda e: [T("mail " + cut(e, 2)[0]), T(cut(e, 2)[1] + " today")],
    "three text blocks": lambda e: [T("mail " + cut(e, 3)[0]), T(cut(e, 3)[1]), T(cut(e, 3)[2] + " today")],
    "five text blocks": lambda e: (
        [T("mail " + cut(e, 5)[0])] + [T(x) for x in cut(e, 5)[1:4]] + [T(cut(e, 5)[4] + " today")]
    ),
    "text, image, text": lambda e: [T("mail " + cut(e, 2)[0]), IMG, T(cut(e, 2)[1] + " today")],
    "text then embedded resource text": lambda e: [
        T("mail " + cut(e, 2)[0]),
        {
            "type": "resource",
            "resource": {"uri": "rt9://r", "mimeType": "text/plain", "text": cut(e, 2)[1] + " today"},
        },
    ],
    "text then resource_link name": lambda e: [
        T("mail " + cut(e, 2)[0]),
        {"type": "resource_link", "uri": "rt9://r", "name": cut(e, 2)[1]},
    ],
    "text blocks with audience annotations": lambda e: [
        dict(T("mail " + cut(e, 2)[0]), annotations={"audience": ["assistant"]}),
        dict(T(cut(e, 2)[1]), annotations={"audience": ["user"]}),
    ],
}


def main():
    cases = []
    for name, mk in MK.items():
        for _ in range(3):
            e = email()
            cases.append(
                {
                    "cls": name,
                    "desc": name,
                    "reply": {"result": {"content": mk(e)}},
                    "plant": [e, e.split("@")[1]],
                }
            )
    # phone split across two text blocks (control) and three
    for _ in range(3):
        p = fmt_phone(phone_digits())
        cases.append(
            {
                "cls": "phone across three text blocks",
                "desc": p,
                "reply": {"result": {"content": [T("call " + p[:5]), T(p[5:10]), T(p[10:] + " now")]}},
                "plant": [p[-4:] if False else p],
            }
        )
    # across two resources/read contents
    for _ in range(3):
        e = email()
        cases.append(
            {
                "cls": "resources/read two contents",
                "desc": "two contents",
                "method": "resources/read",
                "reply": {
                    "result": {
                        "contents": [
                            {"uri": "rt9://a", "text": "mail " + cut(e, 2)[0]},
                            {"uri": "rt9://a", "text": cut(e, 2)[1] + " today"},
                        ]
                    }
                },
                "plant": [e, e.split("@")[1]],
            }
        )
    _, outs, _late, err = run(cases)
    save("split_blocks", cases, outs, err)
    # judge on the concatenation of texts as a client shows them
    import json

    rows = []
    for c, o in zip(cases, outs, strict=False):
        joined = ""
        for ln in o:
            try:
                m = json.loads(ln)
            except ValueError:
                continue
            res = m.get("result") or {}
            for it in res.get("content", []) + res.get("contents", []):
                joined += (
                    it.get("text", "") + it.get("name", "") + (it.get("resource", {}) or {}).get("text", "")
                )
        full = c["plant"][0]
        leaked = full.casefold() in joined.casefold()
        rows.append(("LEAK" if leaked else "ok", c, o, [full] if leaked else []))
        if leaked:
            pass
    tally = defaultdict(lambda: [0, 0])
    for v, c, o, b in rows:
        tally[c["cls"]][1] += 1
        tally[c["cls"]][0] += v == "LEAK"
        print(f"[{v}] {c['cls']}")
        if v == "LEAK":
            print("    <- " + o[-1][:400])
    print("\nper class:")
    for k, (a, b) in tally.items():
        print(f"  {k}: {a}/{b}")


if __name__ == "__main__":
    main()
