"""The name forms of `test_titles_glued_and_layers` end to end: a tool result through the to-client stage
chain of a default install (`ChainHarness`), judged on what the client receives (every decoded view of it).

Each case: a titled name, a CamelCase-glued name, a name in a form body and one in short base64 — beside
CamelCase identifiers, a product with a title (`Dr. Martens 1460 Boots`) and a phrase led by a given name
that is a word (`Victoria Secret sale`), which must reach the client unchanged.
"""

from __future__ import annotations

import base64
import random
import re
from collections.abc import Iterator
from urllib.parse import quote_plus

import pytest

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.harness import ChainHarness, default_engine
from tests.classes.name_lists import FIRST, LAST, ascii_only
from tests.classes.planting import Planted

TITLES = ["Dr.", "Mr", "Mrs.", "Ms", "Prof.", "Herr", "Frau", "M.", "Mme", "Sr.", "Sra."]
SURVIVORS = [
    "PerformanceMax", "MaxConversions", "GoogleAds", "Dr. Martens 1460 Boots", "Victoria Secret sale",
    "Paris Saint-Germain vs Marseille", "Bill of materials",
]  # fmt: skip


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChainHarness]:
    engine = default_engine(tmp_path_factory.mktemp("veil-names"))
    yield ChainHarness(engine)
    engine.vault.close()


def _word(w: str) -> str:
    return r"(?<!\w)" + re.escape(w.casefold()) + r"(?!\w)"


def _case(rng: random.Random) -> tuple[Case, str]:
    people: list[tuple[str, str]] = []
    while len(people) < 4:
        first, last = ascii_only(rng.choice(FIRST)), ascii_only(rng.choice(LAST))
        short = len(f"{first} {last}") <= 11  # its base64 is under the general scan's 16 characters
        if first.isalpha() and last.isalpha() and (short or len(people) < 3):
            people.append((first, last))
    (_, l1), (f2, l2), (f3, l3), (f4, l4) = people
    glued = f2.capitalize() + l2.capitalize()
    texts = [
        f"{rng.choice(TITLES)} {l1} will review the draft",
        f"files shared by {glued}",
        f"source=crm&note=Please+call+{quote_plus(f3)}+{quote_plus(l3)}+tomorrow&ok=1",
        base64.b64encode(f"{f4} {l4}".encode()).decode(),
        *SURVIVORS,
    ]
    planted = [
        Planted("titled", l1, _word(l1)),
        Planted("glued", glued, _word(glued)),
        Planted("form-body", l3, _word(l3)),
        Planted("short-base64", l4, _word(l4)),
    ]
    msg = call(tool_result("\n".join(texts)))
    survivors = [Survivor(s, label="non-name") for s in SURVIVORS]
    return Case("names", [msg], planted, survivors, "forms"), f"{f4} {l4}"


def _plain_leaks(chain: ChainHarness, name: str) -> bool:
    last = name.split()[-1]
    case = Case("names", [call(tool_result(name))], [Planted("plain", last, _word(last))], [], "plain")
    return bool(chain.run(case).leaked)


def test_titled_glued_form_and_base64_names_never_reach_the_client_and_identifiers_do(chain):
    rng = random.Random("chain-forms")
    leaks: dict[str, list[str]] = {"titled": [], "glued": [], "form-body": [], "short-base64": []}
    altered: list[str] = []
    n = 30
    for _ in range(n):
        case, plain = _case(rng)
        out = chain.run(case)
        for p in out.leaked:
            if p.kind == "short-base64" and _plain_leaks(chain, plain):
                continue  # found as in plain text: a miss of the name alone is another class's
            leaks[p.kind].append(p.text)
        altered += [s.text for s in out.altered]
    assert altered == [], sorted(set(altered))
    assert not leaks["titled"] and not leaks["form-body"] and not leaks["short-base64"], leaks
    # Glued names after a given name that is also a word of a dictionary (`Curt`, `Sherry`) need a census
    # surname (`name_glued`), the price of leaving `MaxInvoice` and `MarkConfig` readable.
    assert len(leaks["glued"]) <= n * 0.35, leaks["glued"]
