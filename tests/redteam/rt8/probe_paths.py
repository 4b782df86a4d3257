"""Leak probes: a full name (capitalised, with its space) as a folder of a bare path outside a home root:
shared drives, HR folders, bucket prefixes, JSON `path`/`folder` fields. The path has no prose around it,
so NER does not run, and the home-folder reading (`/home/…`, `C:\\Users\\…`) does not apply.

    cd /tmp/wt-rt8 && /work/main/.venv/bin/python tests/redteam/rt8/probe_paths.py
"""

from driver import judge, report, run_cases
from name_pool import pairs

SHAPES = [
    "/Shared/HR/{G} {S}/Payslips/2024-05.pdf",
    "/Shared/HR/{G} {S}/",
    "/HR/{G} {S}/Payslips/May.PDF",
    "Shared/HR/{G} {S}/Reviews/2024.docx",
    "/Shared/HR/{G} {S}/payslips/2024-05.pdf",
    {"folder": "Employees/{G} {S}"},
    {"path": "/Clients/{G} {S}/Tax Returns/2023.pdf"},
    {"files": [{"path": "Onboarding/{G} {S}/I-9.pdf"}]},
    "Z:\\Personnel\\{G} {S}\\Medical\\note.pdf",
    "/Volumes/HR/{G} {S}/Contract.pdf",
]


def fill(obj, **kw):
    if isinstance(obj, str):
        return obj.format(**kw)
    if isinstance(obj, list):
        return [fill(x, **kw) for x in obj]
    return {k: fill(v, **kw) for k, v in obj.items()}


def main() -> None:
    gen = pairs()
    for _ in range(30):
        next(gen)
    cases = []
    for t in SHAPES:
        g, s = next(gen)
        payload = fill(t, G=g.capitalize(), S=s.capitalize())
        case = {"cls": "full name as a folder of a bare path", "plant": [s]}
        case["text" if isinstance(payload, str) else "structured"] = payload
        cases.append(case)
    report(judge(cases, run_cases(cases)))


if __name__ == "__main__":
    main()
