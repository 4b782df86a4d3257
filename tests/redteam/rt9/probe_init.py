"""The initialize result: values planted in instructions, serverInfo (name, title, version, websiteUrl,
icons), capabilities.experimental (keys and values). First start (no start memo) and a second start on the
same VEIL_HOME (the memo path: the answer differs from any remembered one, so it must wait for the chain).

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_init.py
"""


from driver import run, view
from values import b64, email, fmt_phone, phone_digits

E = [email() for _ in range(8)]
P = phone_digits()
INIT = {
    "init": {
        "instructions": f"Support: {E[0]}. Escalations to {fmt_phone(P)}.",
        "serverInfo": {
            "name": "rt9-backend",
            "title": f"CRM of {E[1]}",
            "version": "1.0",
            "websiteUrl": f"https://crm.example/u/{E[2]}",
            "icons": [
                {
                    "src": f"data:image/svg+xml;base64,{b64('<svg><title>' + E[3] + '</title></svg>')}",
                    "mimeType": "image/svg+xml",
                }
            ],
        },
        "capabilities": {"tools": {}, "experimental": {E[4]: {"owner": E[5]}}},
        "_meta": {"maintainer": E[6]},
    }
}
PLANTS = {
    "instructions email": E[0],
    "instructions phone": fmt_phone(P)[6:],
    "serverInfo.title": E[1],
    "websiteUrl": E[2],
    "icon svg (base64)": E[3],
    "experimental key": E[4],
    "experimental value": E[5],
    "_meta": E[6],
}
init_lines, outs, late, err = run([], init=INIT)
v = view(init_lines)
n = 0
for k, p in PLANTS.items():
    leaked = p.casefold() in v
    n += leaked
    print(f"[{'LEAK' if leaked else 'ok'}] {k}: {p}")
print("initialize answer:", init_lines[-1][:1500])
print(f"== {n} leaked / {len(PLANTS)} tried")
