"""An initial glued to a census surname that is also a word (`tfairweather`, `jbaker`, `ccrown`), where the
syntax holds a person's account (`word_surname_logins`), through the real to-client chain of a default
install; and service and system accounts in the same places, which stay readable
(`proxy/detect/directory_names.py`: `initial_and_census_word`; `proxy/detect/login_names.py`:
`service_affixed`).

Figures at the time of writing, 150 seeded cases each, a session per case:
- word surnames, cases leaking before → after: 67/150 → 3/150 (the census's rarer surnames 66/72 → 2/72,
  its 5,000 most frequent 1/78 → 1/78). Left: a login that is itself a word (`agone`, `alares`) or a given
  name (`gwang`), which no judgement of the login alone can tell.
- service look-alikes (`postgres`, `svc_backup`, `gitlab-runner`, `backup01`, `ingestuser`, `hbase`): a
  PERSON token 6/150 → 0/150. Five cases are changed by the email recognizer, which reads `login@host.tld`
  after `smb://` as an address (`smb://svc_deploy@fs01.corp.local`), before and after.
Mutation-checked: without `initial_and_census_word` the first test fails (67/150), without
`service_affixed` the second (6/150 with a PERSON token: `ingestuser`, `scanagent`, `db-user`, …).
"""

from __future__ import annotations

import json

from tests.classes.harness import ChainHarness, untouched
from tests.classes.word_surname_logins import service_login_lookalikes, word_surname_logins

N = 150
LEFT = 3  # the measured remainder (module doc); a regression past it fails
SEEDS = {"word-surname-logins": 20261271, "service-logins": 20261272}


def test_an_untouched_case_shows_every_login_and_keeps_every_account() -> None:
    """The yardstick: with nothing tokenized the judge reads every planted login and alters nothing."""
    built = [*untouched(word_surname_logins, SEEDS["word-surname-logins"], N)]
    built += untouched(service_login_lookalikes, SEEDS["service-logins"], N)
    assert [o.summary() for o in built if o.altered or len(o.leaked) != len(o.case.planted)] == []


def test_an_initial_and_a_surname_that_is_also_a_word_is_tokenized_where_an_account_is_written(
    fresh: ChainHarness,
) -> None:
    """`postgres://tfairweather:…@db`, `User Id=ccrown;`, `owner=mshoulder`, `CORP\\\\jbaker`, `/home/rhill/`,
    a passwd line: the place says "an account", the initial says the word is the surname."""
    outcomes = fresh.run_each(word_surname_logins, SEEDS["word-surname-logins"], N)
    leaking = [o.summary() for o in outcomes if o.leaked or o.blocked]
    assert len(leaking) <= LEFT, leaking
    assert [o.summary() for o in outcomes if o.altered] == []


def test_service_and_system_accounts_in_the_same_places_stay_readable(fresh: ChainHarness) -> None:
    """`postgres`, `svc_backup`, `deploy-bot`, `gitlab-runner`, `backup01`, `ingestuser`, `hbase` under the
    same keys, domains and folders: no PERSON token."""
    outcomes = fresh.run_each(service_login_lookalikes, SEEDS["service-logins"], N)
    assert [o.summary() for o in outcomes if "[[PERSON" in json.dumps(o.received)] == []
    # Left, not a login's judgement: `smb://svc_deploy@fs01.corp.local` read as an email address.
    as_email = [o for o in outcomes if "[[EMAIL_ADDRESS" in json.dumps(o.received)]
    assert [o.summary() for o in outcomes if o.altered and o not in as_email] == []
