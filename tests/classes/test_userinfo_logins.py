"""A person's login in a URL's userinfo or a connection string's user key (`userinfo_logins`), through the
real to-client chain of a default install: `VeilUserinfoNameRecognizer` tokenizes it
(`proxy/detect/name_userinfo_recognizer.py`).

Figures at the time of writing, 150 seeded cases (seed 20261209), cases leaking before → after: 86/150 →
11/150. What is left: a given name then an initial (`dorisg`, `ottob`) and an initial then a surname that
holds a word of the language (`cmaillot`, `hespanol`), which no account place's judgement takes by shape.
Mutation-checked: without the recognizer in `NAME_RECOGNIZERS` the class is back at 86/150.
Look-alikes (fixed service users: `git@`, `postgres://postgres@`, `User Id=sa`): no PERSON token. The email
recognizer's reading of `git@github.com` and `x-access-token@github.com` as addresses predates this class.
"""

from __future__ import annotations

import pytest

from tests.classes.harness import ChainHarness
from tests.classes.userinfo_logins import LOOKALIKES, lookalike_case, userinfo_logins

N = 150
SEED = 20261209
LEFT = 11  # the measured remainder (module doc); a regression past it fails


def test_a_persons_login_in_a_url_userinfo_or_connection_string_is_tokenized(fresh: ChainHarness) -> None:
    outcomes = fresh.run_seeded(userinfo_logins, SEED, N)
    leaking = [o.summary() for o in outcomes if o.leaked or o.blocked]
    assert len(leaking) <= LEFT, leaking


@pytest.mark.parametrize("text", LOOKALIKES)
def test_a_fixed_service_user_in_the_same_places_is_no_person(fresh: ChainHarness, text: str) -> None:
    """A session per example: a value one example taught would be found again in the next."""
    outcome = ChainHarness(fresh.engine).run(lookalike_case(text))
    assert "[[PERSON" not in str(outcome.received), text
