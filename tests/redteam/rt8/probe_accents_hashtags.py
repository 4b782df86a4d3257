"""Leak probes: (1) names with accented Latin letters glued into identifiers (`maría-gonzález`,
`José_Hernández_CV.pdf`): the identifier regex is ASCII-only (`[A-Za-z0-9]`), so an accented letter cuts
the name apart and nothing is judged; the surnames are census surnames once the accent is read off.
(2) names in hashtags (`#PriyaRaman4Mayor`, `#teamsofiadelgado`): no separator, no device or branch place.

    cd /tmp/wt-rt8 && /work/main/.venv/bin/python tests/redteam/rt8/probe_accents_hashtags.py
"""

from driver import judge, report, run_cases

ACCENTED = [
    ("https://www.linkedin.com/in/maría-gonzález-4b2a19", "gonzález"),
    ("José_Hernández_CV.pdf", "hernández"),
    ("https://acme.example/team/łukasz-kowalczyk", "kowalczyk"),
    ("Zoë_Fernández_Resume.pdf", "fernández"),
    ("https://acme.example/people/renée-dominguez", "dominguez"),
    ("ANDRÉS-VÁSQUEZ-LAPTOP", "vásquez"),
    ("björn_sandoval_passport.pdf", "sandoval"),
    ("feature/agnieszka-wójcik/login-bug", "wójcik"),
    ("https://blog.example/author/sofía-ramírez", "ramírez"),
    ("Lucía-Jiménezs-MacBook-Pro.local", "jiménez"),
    ("?author=inés-gutiérrez", "gutiérrez"),
    ("Raúl_Domínguez_Offer_Letter.pdf", "domínguez"),
]
HASHTAGS = [
    ("Vote #PriyaRaman4Mayor today", "raman"),
    ("#teamdmitripetrov all the way", "petrov"),
    ("Congrats #ElenaKowalski on the promotion", "kowalski"),
    ("#FreeNadiaVillanueva trending in Austin", "villanueva"),
]


def main() -> None:
    cases = [{"cls": "accented name in an identifier", "text": t, "plant": [s]} for t, s in ACCENTED]
    cases += [{"cls": "name in a hashtag", "text": t, "plant": [s]} for t, s in HASHTAGS]
    report(judge(cases, run_cases(cases)))


if __name__ == "__main__":
    main()
