"""Names split by markup onto two lines through the real to-client chain of a default install (red team
round 10, class 10: `Douglas<br>Nakashima`, `<div>Given</div><div>Surname</div>` leaked 10/10;
`name_break_view`).

Figures at the time of writing, 150 seeded cases in one session: split names leaked 146/150 before →
10/150 after; with a fresh session per case, no split name leaks where its one-line twin is found (the 10
leak written on one line too: a given name no list knows, a surname read as a word). Ordinary HTML with a
break between two words altered 0/150.
"""

from __future__ import annotations

from random import Random

from tests.classes.harness import ChainHarness
from tests.classes.split_markup_names import split_markup_lookalikes, split_markup_pair

N = 150


def test_a_name_split_by_a_line_break_or_block_tag_is_found_wherever_the_same_name_on_one_line_is(
    chain: ChainHarness,
) -> None:
    """`<p>Douglas<br>Nakashima<br>Account Manager</p>` leaks only if `<p>Douglas Nakashima<br>Account
    Manager</p>` does (fresh sessions, so neither learns from the other)."""
    rng = Random(20261321)
    worse = []
    for _ in range(N):
        split, twin = split_markup_pair(rng)
        if ChainHarness(chain.engine).run(split).leaked and not ChainHarness(chain.engine).run(twin).leaked:
            worse.append(split.describe())
    assert worse == []


def test_ordinary_html_with_a_break_between_two_words_stays(chain: ChainHarness) -> None:
    """`<p>Red<br>Blue</p>`, `<div>Austin</div><div>Texas</div>`, `<li>Monday</li><li>Tuesday</li>`."""
    rng = Random(20261322)
    outcomes = [ChainHarness(chain.engine).run(split_markup_lookalikes(rng)) for _ in range(N)]
    assert [o.summary() for o in outcomes if o.altered] == []
