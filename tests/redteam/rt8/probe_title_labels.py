"""Leak probes: a full name (clear given name, census surname of no dictionary: `Priya Raman`) inside a
title-case label with no lower-case word (a calendar event's summary, a mail subject, a heading, a
ticket or file title). Such a text is not prose, so NER never reads it, and no name recognizer takes the
name out of the run.

    cd /tmp/wt-rt8 && /work/main/.venv/bin/python tests/redteam/rt8/probe_title_labels.py
"""

from driver import judge, report, run_cases
from name_pool import pairs

TEXTS = [
    "{G} {S} Performance Review",
    "Re: {G} {S} Offer Letter",
    "# {G} {S} Medical Leave Request",
    "Exit Interview: {G} {S}",
    "Ticket #4411 - {G} {S} Laptop Request",
    "1:1 {G} {S} / Team Lead",
    "Background Check - {G} {S}",
    "{G} {S} Salary Review 2024",
    "[HR] {G} {S} Termination",
    "Interview With {G} {S}",
]
FIELDS = [
    {"items": [{"summary": "{G} {S} Performance Review", "start": "2024-05-01T10:00"}]},
    {"subject": "Re: {G} {S} Offer Letter"},
    {"title": "Exit Interview: {G} {S}"},
    {"issue": {"title": "{G} {S} Access Request", "state": "open"}},
    {"events": [{"name": "Onboarding - {G} {S}"}]},
]


def fill(obj, **kw):
    if isinstance(obj, str):
        return obj.format(**kw)
    if isinstance(obj, list):
        return [fill(x, **kw) for x in obj]
    if isinstance(obj, dict):
        return {k: fill(v, **kw) for k, v in obj.items()}
    return obj


def main() -> None:
    gen = pairs()
    cases = []
    for t in TEXTS + FIELDS:
        g, s = next(gen)
        payload = fill(t, G=g.capitalize(), S=s.capitalize())
        case = {"cls": "title-case label", "plant": [s]}
        case["text" if isinstance(payload, str) else "structured"] = payload
        cases.append(case)
    report(judge(cases, run_cases(cases)))


if __name__ == "__main__":
    main()
