"""Leak probes: person names glued into identifiers in shapes the identifier recognizer does not split
or does not judge (surname first, initial + surname outside a device or branch, glued given+surname
outside a device, long slugs, other separators, accents, middle initials, per-user resource names).

    cd /tmp/wt-rt8 && /work/main/.venv/bin/python tests/redteam/rt8/probe_identifiers.py
"""

from driver import judge, report, run_cases
from name_pool import pairs

SHAPES = {
    "surname-first file": [
        "Attached: {S}_{G}_Resume_2024.pdf",
        "uploads/{SU}_{GU}_passport_scan.jpg",
        "{s}-{g}-cv.pdf",
        "{S}, {G} - Offer Letter.docx",
    ],
    "surname-first slug": [
        "https://www.linkedin.com/in/{s}-{g}-4b2a19",
        "https://acme.example/team/{s}-{g}",
    ],
    "initial+surname outside device/branch": [
        "https://www.linkedin.com/in/{i}{s}",
        "Saved {I}_{S}_Resume.pdf to the share",
        "https://calendly.com/{i}{s}/30min",
        "{i}{s}_passport.pdf",
        "https://acme.example/team/{i}-{s}",
        "{I}{S}_CV.pdf",
        "https://github.com/{i}{s}",
    ],
    "glued given+surname outside device/branch": [
        "https://www.linkedin.com/in/{g}{s}",
        "https://{g}{s}.com/contact",
        "https://github.com/{g}{s}",
        "{g}{s}_resume.pdf",
        "https://zoom.us/my/{g}{s}",
    ],
    "per-user resource (login in a host/pod/namespace)": [
        "pod jupyter-{i}{s} restarted",
        "LT-{IU}{SU}-01 checked in",
        "namespace {i}{s}-dev created",
        "WS-{IU}{SU} last seen 09:14",
        "vm {i}{s}-sandbox stopped",
        "project {i}{s}-playground",
    ],
    "author branch without prefix": [
        "merged {i}{s}/login-bug into main",
        "origin/{i}{s}/fix-timeout",
        "users/{i}{s}/spike",
    ],
    "long slug (name past the 12th piece)": [
        "https://blog.example/2024/notes-from-the-q1-planning-offsite-in-the-new-office-with-{g}-{s}",
        "a-b-c-d-e-f-g-h-i-j-k-{g}-{s}-interview.mp4",
    ],
    "other separators": [
        "https://acme.example/people/{g}~{s}",
        "https://acme.example/people/{g}---{s}",
        "file: {g}+{s}+resume.pdf",
        "https://acme.example/u/{g}:{s}",
        "https://acme.example/people/{g}/{s}",
        "https://acme.example/people/{g}%20{s}",
    ],
    "middle initial / particle": [
        "https://www.linkedin.com/in/{g}-j-{s}-4b2a19",
        "{G}.L.{S}_Resume.pdf",
        "{g}-de-{s}/login-bug",
    ],
    "digit glued": [
        "https://github.com/{g}{s}1987",
        "https://acme.example/in/{g}2{s}",
    ],
}


def main() -> None:
    gen = pairs()
    cases = []
    for cls, templates in SHAPES.items():
        for t in templates:
            g, s = next(gen)
            text = t.format(
                g=g,
                s=s,
                G=g.capitalize(),
                S=s.capitalize(),
                GU=g.upper(),
                SU=s.upper(),
                i=g[0],
                I=g[0].upper(),
                IU=g[0].upper(),
            )
            cases.append({"cls": cls, "text": text, "plant": [s]})
    report(judge(cases, run_cases(cases)))


if __name__ == "__main__":
    main()
