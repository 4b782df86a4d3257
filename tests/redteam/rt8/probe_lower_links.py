"""Leak probes: a lower-case full name as the text of a mention or a link (Slack's `<@U…|name>`,
`<url|name>`, `<!subteam^…|name>`, Markdown's `[name](url)`, HTML `<a>`): chat exports write display names
as users typed them. The same names capitalised are tokenized; lower case, the markup is neither prose nor
a line that is a name alone, and the query view does not apply.

    cd /tmp/wt-rt8 && /work/main/.venv/bin/python tests/redteam/rt8/probe_lower_links.py
"""

from driver import judge, report, run_cases
from name_pool import pairs

SHAPES = [
    "<@U024BE7LH|{g} {s}> joined #general",
    "cc <@U024BE7LX|{g} {s}> for review",
    "see <https://acme.example/u/43|{g} {s}>",
    "<!subteam^S123|{g} {s}> please review",
    "[{g} {s}](https://acme.example/u/44) approved",
    "approved by [{g} {s}](mailto:x@example.com)",
    '<a href="/u/45">{g} {s}</a> commented',
    {"text": "<@U024BE7LZ|{g} {s}> pinned a message", "type": "message"},
    {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*Owner:* <@U1|{g} {s}>"}}]},
    "thread started by <@U024BE7LQ|{g} {s}> in #ops",
]


def fill(obj, **kw):
    if isinstance(obj, str):
        return obj.format(**kw)
    if isinstance(obj, list):
        return [fill(x, **kw) for x in obj]
    return {k: fill(v, **kw) for k, v in obj.items()}


def main() -> None:
    gen = pairs()
    for _ in range(40):
        next(gen)
    cases = []
    for t in SHAPES:
        g, s = next(gen)
        payload = fill(t, g=g, s=s)
        case = {"cls": "lower-case name as a mention's or link's text", "plant": [s]}
        case["text" if isinstance(payload, str) else "structured"] = payload
        cases.append(case)
    report(judge(cases, run_cases(cases)))


if __name__ == "__main__":
    main()
