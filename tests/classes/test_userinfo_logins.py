"""A person's login in a URL's userinfo or a connection string's user key, and the password beside it
(`userinfo_logins`), through the real to-client chain of a default install: `VeilUserinfoNameRecognizer`
tokenizes the login (`proxy/detect/name_userinfo_recognizer.py`), `UserinfoSecretRecognizer` the password
as a SECRET (`proxy/detect/userinfo_secrets.py`).

Figures at the time of writing, 150 seeded cases (seed 20261209), cases leaking before → after: 105/150
(82 logins, 42 passwords) → 8/150 (8 logins, 0 passwords). What is left: an initial then a surname that
holds a word of the language (`halmagro`, `croht`) and a given name then an initial (`dorisg`), which no
account place's judgement takes by shape.
Mutation-checked (each recognizer taken out of the policy): without the login one 82/150 leak, without the
password one 48/150.
Look-alikes (fixed service users: `git@`, `postgres://postgres@`, `User Id=sa`): no PERSON token. The email
recognizer's reading of `git@github.com` and `x-access-token@github.com` as addresses predates this class.
"""

from __future__ import annotations

import pytest

from tests.classes.harness import ChainHarness
from tests.classes.userinfo_logins import LOOKALIKES, lookalike_case, userinfo_logins

N = 150
SEED = 20261209
LEFT = 8  # the measured remainder (module doc); a regression past it fails


def test_a_persons_login_and_its_password_in_a_url_or_connection_string_are_tokenized(
    fresh: ChainHarness,
) -> None:
    outcomes = fresh.run_seeded(userinfo_logins, SEED, N)
    leaking = [o.summary() for o in outcomes if o.leaked or o.blocked]
    assert len(leaking) <= LEFT, leaking


@pytest.mark.parametrize("text", LOOKALIKES)
def test_a_fixed_service_user_a_default_or_a_placeholder_password_stays(
    fresh: ChainHarness, text: str
) -> None:
    """A session per example: a value one example taught would be found again in the next."""
    outcome = ChainHarness(fresh.engine).run(lookalike_case(text))
    assert "[[PERSON" not in str(outcome.received), text
    assert "[[SECRET" not in str(outcome.received), text
