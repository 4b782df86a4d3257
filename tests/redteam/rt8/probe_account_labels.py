"""Leak probes: a client's account name under a label written as data rather than a JSON key: the CSV a
GAQL report prints (`customer.descriptive_name` header), a Markdown or TSV table's `Account name` /
`Client` column, a `{"columns": [...], "rows": [[...]]}` table, logfmt `account_name="…"`. As a JSON key
(`descriptiveName`) or after `Account:` the same names are tokenized (ACCOUNT_NAME); docs/detection.md
says header columns (CSV, TSV, Markdown, columns/rows) name their values as a key does. (A sheet's
`values` matrix header is documented as not handled and is not counted here.)

    cd /tmp/wt-rt8 && /work/main/.venv/bin/python tests/redteam/rt8/probe_account_labels.py
"""

from driver import judge, report, run_cases

CASES = [
    (
        "customer.descriptive_name,customer.id,metrics.clicks\nBramblewood Orthodontics,7157461339,120",
        "Bramblewood Orthodontics",
    ),
    (
        "customer.descriptive_name\tmetrics.clicks\nHollowmere Family Dentistry\t88",
        "Hollowmere Family Dentistry",
    ),
    ("| Account name | Clicks |\n|---|---|\n| Quillfeather Roofing LLC | 88 |", "Quillfeather Roofing LLC"),
    ("| Client | Spend |\n|---|---|\n| Ashgrove Veterinary Clinic | 120.50 |", "Ashgrove Veterinary Clinic"),
    ("Account Name,Impressions\nSilverbirch Landscaping,4410", "Silverbirch Landscaping"),
    (
        {"columns": ["client", "spend"], "rows": [["Copperleaf Chiropractic", 120.5]]},
        "Copperleaf Chiropractic",
    ),
    (
        {"columns": ["account_name", "clicks"], "rows": [["Fernhollow Pediatrics", 12]]},
        "Fernhollow Pediatrics",
    ),
    ('account_name="Wrenfield Plumbing & Heating" clicks=12', "Wrenfield Plumbing"),
    ("client=Mossbank Physical Therapy spend=88.10", "Mossbank Physical Therapy"),
    ("<account_name>Larchmont Eye Associates</account_name>", "Larchmont Eye Associates"),
]


def main() -> None:
    cases = []
    for src, value in CASES:
        case = {"cls": "account name under a label written as data", "plant": [value]}
        case["text" if isinstance(src, str) else "structured"] = src
        cases.append(case)
    report(judge(cases, run_cases(cases)))


if __name__ == "__main__":
    main()
