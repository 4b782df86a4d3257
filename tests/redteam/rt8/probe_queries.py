"""Leak probes: lower-case names in search queries written in shapes the query view does not read
(quoted or punctuated queries, reports with a capitalised header, a capital elsewhere on the line,
search keys the view does not list, surname first, middle initials).

    cd /tmp/wt-rt8 && /work/main/.venv/bin/python tests/redteam/rt8/probe_queries.py
"""

from driver import judge, report, run_cases
from name_pool import pairs

SHAPES = {
    "quoted / punctuated query (text block)": [
        '"{g} {s}" realtor',
        "who is {g} {s}?",
        "{g} {s}, realtor",
        "{g} {s} (dds)",
        "{g} {s} & associates",
        "{g} {s} | linkedin",
    ],
    "query row in a report with a capitalised header": [
        "Query,Clicks,Impressions\n{g} {s} realtor,12,340\nbest plumber near me,3,90",
        "| Query | Clicks |\n|---|---|\n| {g} {s} realtor | 12 |",
        "search_term\tclicks\tcost\n{g} {s} lawyer\t4\t1.20",
        "Top queries this week:\n1. {g} {s} dentist (12 clicks)\n2. emergency dentist (9 clicks)",
    ],
    "capital elsewhere on the query line": [
        "{g} {s} NYC",
        "{g} {s} LinkedIn",
        "{g} {s} MD",
    ],
    "search keys the view does not list": [
        "https://shop.example/?s={g}+{s}",
        "https://www.example.com/landing?utm_source=google&utm_term={g}+{s}+realtor",
        "https://search.yahoo.com/search?p={g}+{s}",
        "GET /api/find?name={g}+{s}&limit=10",
        "https://yandex.ru/search/?text={g}+{s}",
        "https://www.baidu.com/s?wd={g}%20{s}",
        "GET /search?kw={g}%20{s} 200",
    ],
    "query in structured records": [
        {"rows": [{"searchTerm": "{g} {s} realtor", "clicks": 12}]},
        {"search_term_view": {"search_term": "{g} {s} attorney near me"}},
        {"rows": [{"keys": ["{g} {s} realtor reviews and ratings in my area today"], "clicks": 3}]},
        {"rows": [{"keys": ["2024-05-01", "{g} {s}"], "clicks": 3}]},
    ],
    "surname first / middle initial / title": [
        "{s} {g} realtor",
        "{g} j {s} attorney",
        "dr. {g} {s} dentist",
        "{g} {s}'s listings",
    ],
    "long query (nine words or more)": [
        "how do i contact {g} {s} about the listing on main street",
    ],
}


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
    for cls, templates in SHAPES.items():
        for t in templates:
            g, s = next(gen)
            payload = fill(t, g=g, s=s)
            case = {"cls": cls, "plant": [s]}
            case["text" if isinstance(payload, str) else "structured"] = payload
            cases.append(case)
    report(judge(cases, run_cases(cases)))


if __name__ == "__main__":
    main()
