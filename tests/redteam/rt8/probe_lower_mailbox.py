"""Leak probes: a lower-case full name beside its address or after a label on the same line (git's
`author: name <email>`, mail headers typed in lower case, package metadata). The label or line-alone
readings need the name to end the line; with an address after it, only the given name (or nothing) is
tokenized and the surname reaches the client.

    cd /tmp/wt-rt8 && /work/main/.venv/bin/python tests/redteam/rt8/probe_lower_mailbox.py
"""

from driver import judge, report, run_cases
from name_pool import pairs

SHAPES = [
    "author: {g} {s} <{i}{s}@users.noreply.github.com>",
    "From: {g} {s} <{i}{s}@example.com>",
    'To: "{g} {s}" <{g}.{s}@example.org>',
    "owner: {g} {s} ({i}{s}@example.com)",
    "maintainer: {g} {s} <{i}{s}@example.org>",
    "reply-to: {g} {s} <{i}.{s}@example.net>",
    "committed by {g} {s} <{i}{s}@example.com> 2 days ago",
    {"author": "{g} {s} <{i}{s}@example.com> (https://example.dev)"},
    {"contributors": ["{g} {s} <{i}{s}@example.com>"]},
    "cc: {g} {s} <{i}{s}@example.com>, ops@example.com",
]


def fill(obj, **kw):
    if isinstance(obj, str):
        return obj.format(**kw)
    if isinstance(obj, list):
        return [fill(x, **kw) for x in obj]
    return {k: fill(v, **kw) for k, v in obj.items()}


def main() -> None:
    gen = pairs()
    for _ in range(20):  # a different stretch of the pool from the other probes' first pairs
        next(gen)
    cases = []
    for t in SHAPES:
        g, s = next(gen)
        payload = fill(t, g=g, s=s, i=g[0])
        case = {
            "cls": "lower-case name before its address",
            "plant": [f"{g} {s}", f"{s} <", f'{s}" <', f"{s} ("],
        }
        case["text" if isinstance(payload, str) else "structured"] = payload
        cases.append(case)
    report(judge(cases, run_cases(cases)))


if __name__ == "__main__":
    main()
