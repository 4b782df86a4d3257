"""Address notations beside the usual through the real to-client chain of a default install (red team
round nine, classes 8, 13, 14; `address_form_cases.py`), 150 seeded cases each.

Figures at the time of writing, before → after:
- emails with an IDN ccTLD (`почта.рф`, `пошта.укр`, `փոստ.հայ`): 132 / 150 → 0 / 150. The view's
  confusable fold made the TLD two scripts (`рф` → `pф`); the text as written is now analyzed too
  (`views.written_view`).
- IPv6 in its UNC form (`2001-db8--1.ipv6-literal.net`): 142 / 150 → 0 / 150 (`proxy.detect.ip_forms`).
- an address literal for a domain (`jane.doe@[IPv6:2001:db8::1]`): 127 / 150 → 0 / 150, the local
  part with it (the `address literal` pattern of `VeilEmailRecognizer`).
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random

import pytest

from tests.classes.address_form_cases import idn_emails, literal_emails, unc_ipv6
from tests.classes.case import Case
from tests.classes.harness import ChainHarness

N = 150
BUILDERS: dict[str, tuple[Callable[[Random], Case], int]] = {
    "idn-emails": (idn_emails, 20261210),
    "unc-ipv6": (unc_ipv6, 20261211),
    "literal-emails": (literal_emails, 20261212),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_an_address_in_a_notation_beside_the_usual_is_tokenized_whole(fresh: ChainHarness, name: str) -> None:
    build, seed = BUILDERS[name]
    rng = Random(seed)
    outcomes = [ChainHarness(fresh.engine).run(build(rng)) for _ in range(N)]
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []
