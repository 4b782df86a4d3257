"""Sign-offs, header-less Markdown rows and surnames after a full name, through the real to-client chain of
a default install (red team round 10, classes 11 and 13; `name_signoffs`, and `known_parts` for the
session's surnames).

Figures at the time of writing, 150 seeded cases in one session: leaked 20/150 before → 3/150 after (a
surname alone whose full name the session knows but which `known_parts` will not take alone: short or a
word; a double-barrelled accented surname in a row); look-alikes altered 0/150.
"""

from __future__ import annotations

from random import Random

from tests.classes.harness import ChainHarness
from tests.classes.signoff_cell_names import signoff_and_cell_lookalikes, signoff_and_cell_names

N = 150


def test_names_after_a_sign_off_dash_or_alone_in_a_markdown_cell_are_tokenized(fresh: ChainHarness) -> None:
    """`— G. Tolliver`, `-- Jonathan Mastroianni`, `| Gallagher, Danielle | Controller | Finance |`, and
    `Mastroianni said …` after a message that named him in full."""
    outcomes = fresh.run_seeded(signoff_and_cell_names, 20261331, N)
    assert len(outcomes) == N
    signed = [o for o in outcomes if o.case.label in ("signoff-initial", "signoff-full", "markdown-row")]
    assert len(signed) >= N // 2
    assert sum(bool(o.leaked) for o in signed) <= 0.02 * len(signed)
    assert sum(bool(o.leaked) for o in outcomes) <= 0.03 * N


def test_outline_items_and_rows_of_places_products_and_campaigns_stay(chain: ChainHarness) -> None:
    """`— A. Introduction`, `~ The Team`, `| Austin, Texas | 12 |`, `| Charlotte Airport | open |`: a fresh
    session per example."""
    rng = Random(20261332)
    outcomes = [ChainHarness(chain.engine).run(signoff_and_cell_lookalikes(rng)) for _ in range(N)]
    assert [o.summary() for o in outcomes if o.altered] == []
