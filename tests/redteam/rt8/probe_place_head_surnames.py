"""Leak probes: a person whose surname is one of name_phrases.PLACE_HEADS that census lists as a surname
(`Plaza`, `Arena`, `Tower`, `Bridge`, `Street`, `Mall`, `Bay`, `Pier`, `River`, `Springs`), in a sentence
that says "a person" (`Please call …`, `written by …`, `Email from …`). `person_name_likelihood` returns
0.05 for any run with a place head after its first word (`Charlotte Airport`), and the phrase rule
drops the NER span, whatever the context.

    cd /tmp/wt-rt8 && /work/main/.venv/bin/python tests/redteam/rt8/probe_place_head_surnames.py
"""

from driver import judge, report, run_cases

CASES = [
    ("Please call Sofia Plaza about the invoice.", "Sofia Plaza"),
    ("Contact Lucia Arena today.", "Lucia Arena"),
    ("The report was written by Katherine Tower.", "Katherine Tower"),
    ("Ask Nathan Bridge about the deploy.", "Nathan Bridge"),
    ("Meeting with Olivia Street at noon.", "Olivia Street"),
    ("Email from Daniel Mall arrived.", "Daniel Mall"),
    ("Interview Chloe Bay on Monday.", "Chloe Bay"),
    ("Dr. Helen Pier will see you at 3pm.", "Helen Pier"),
    ("Mr. Samuel River called twice.", "Samuel River"),
    ("Her manager, Laura Springs, approved the leave.", "Laura Springs"),
]


def main() -> None:
    cases = [
        {"cls": "surname that is a place head, beside person context", "text": t, "plant": [v]}
        for t, v in CASES
    ]
    report(judge(cases, run_cases(cases)))


if __name__ == "__main__":
    main()
