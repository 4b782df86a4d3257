"""Readers' size limits (red team round 11, class 6: 6/6 leaked just past a limit, 0/6 within it).

`table_limits`: a street address under an `address` column in the last row of an SQL `INSERT`, a CSV or a
Markdown table of 5,001 to 20,000 rows (the cap was 5,000), after an SQL literal of 4,097 to 40,000
characters (the cap was 4,096), and an SSN in a `{"name": "SSN", "value": …}` record of 13 to 200 keys
(the cap was 12): just past and far past each former limit.
"""

from __future__ import annotations

from random import Random

from tests.classes.case import Case, call, tool_result
from tests.classes.planting import Planted, _words_needle, ssn

_STEMS = ("Huckleberry", "Sandpiper", "Foxglove", "Kestrel", "Marigold", "Thistledown", "Bramblewood")
LAYOUTS = ("sql-rows", "csv", "markdown", "sql-literal", "record")


def _address(rng: Random) -> Planted:
    n, stem = rng.randrange(11, 9899), rng.choice(_STEMS)
    return Planted("address", f"{n} {stem} Rd", _words_needle(str(n), stem))


def table_limits(rng: Random) -> Case:
    kind = rng.choice(LAYOUTS)
    far = rng.random() < 0.5
    if kind == "record":
        p = ssn(rng)
        rec = {"name": "SSN", "value": p.text}
        rec.update({f"meta{i}": "x" for i in range(rng.choice([11, 12]) if not far else 198)})
        return Case("table-limits", [call(tool_result(structured={"attributes": [rec]}))], [p], label=kind)
    p = _address(rng)
    n = rng.randrange(20_000, 25_000) if far else rng.randrange(5_001, 5_010)
    filler = [f"{rng.randrange(11, 9899)} Elm St" for _ in range(50)]
    if kind == "sql-rows":
        rows = ",\n".join(f"({i}, '{filler[i % 50]}')" for i in range(n - 1))
        text = f"INSERT INTO customers (id, address) VALUES\n{rows},\n({n}, '{p.text}');"
    elif kind == "csv":
        rows = "\n".join(f"{i},gold,{filler[i % 50]}" for i in range(n - 1))
        text = f"id,tier,address\n{rows}\n{n},gold,{p.text}"
    elif kind == "markdown":
        rows = "\n".join(f"| {i} | {filler[i % 50]} |" for i in range(n - 1))
        text = f"| ID | Address |\n|---|---|\n{rows}\n| {n} | {p.text} |"
    else:
        size = rng.randrange(40_000, 50_000) if far else rng.randrange(4_100, 4_200)
        note = ("lorem ipsum " * (size // 12 + 1))[:size]
        text = f"INSERT INTO customers (id, notes, address) VALUES (7, '{note}', '{p.text}');"
    return Case(
        "table-limits", [call(tool_result(text))], [p], label=f"{kind} {'far' if far else 'just'} past"
    )
