from driver import judge, report, run

cases = [
    {
        "cls": "smoke",
        "desc": "email in text",
        "reply": {
            "result": {"content": [{"type": "text", "text": "mail amelia.rossi41@globex-mail.com now"}]}
        },
        "plant": ["amelia.rossi41@globex-mail.com"],
    },
]
i, outs, late, err = run(cases)
print(i)
report(judge(cases, outs, err, late))
print(err[-1500:])
