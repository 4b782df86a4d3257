"""Numbers that are no one's but look like identifiers (`number_lookalikes`), through the real to-client
chain of a default install (red team round six, issue 15, over-redaction), beside real identifiers in the
same places.

Figures at the time of writing, 150 seeded cases each, look-alikes changed before → after the mechanisms
(`proxy/detect/number_lookalikes.py`); the real values beside them all tokenized before and after:
- epoch seconds or milliseconds under a time key (`created_ts`, `expires_at`, `updatedAt`, `last_seen`):
  66/150 → 0/150; the customer IDs beside them, their digits in the same range, 150/150 found.
- four-part versions beside a version word (`fw_version=`, `"version": "1.2.3.4"`): 43/150 → 0/150; the
  IP addresses after their word in the same line 150/150 found.
- SNMP OIDs (`.1.3.6.1.2.1.1.3.0`, `1.3.6.1.4.1.2021.10.1.3.1`): 121/150 → 0/150; the agent's IP and the
  contact phone 300/300 found.
- opening hours after a phone word (`Phone: open 09:00-17:30, Mon-Fri`): 60/150 → 0/150; the phone
  numbers 150/150 found.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from random import Random

import pytest

from tests.classes.case import Case, call, tool_result
from tests.classes.harness import ChainHarness, Outcome, untouched
from tests.classes.number_lookalikes import (
    dotted_versions,
    epoch_times,
    identifiers_in_lookalike_places,
    opening_hours,
    snmp_oids,
)
from tests.classes.planting import Planted

N = 150
BUILDERS: dict[str, tuple[Callable[[Random], Case], int]] = {
    "epoch-times": (epoch_times, 20261215),
    "dotted-versions": (dotted_versions, 20261216),
    "snmp-oids": (snmp_oids, 20261217),
    "opening-hours": (opening_hours, 20261218),
    "identifiers-in-their-places": (identifiers_in_lookalike_places, 20261219),
}


def _run(fresh: ChainHarness, name: str) -> list[Outcome]:
    return fresh.run_each(*BUILDERS[name], N)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_an_untouched_case_keeps_every_look_alike_and_shows_every_real_value(name: str) -> None:
    """The yardstick: with nothing tokenized the judge reads every planted value and alters nothing."""
    for outcome in untouched(*BUILDERS[name], N):
        assert outcome.altered == [] and len(outcome.leaked) == len(outcome.case.planted), outcome.summary()


def test_epoch_times_under_time_keys_stay_and_customer_ids_of_the_same_digits_beside_them_go(
    fresh: ChainHarness,
) -> None:
    """`{"expires_at": 1767225600}`, `created_ts=1767225600123`, `"last_seen": "1767225600"`, a report's
    `updatedAt` column stay; `{"customer_id": 1767225600}` beside them is a customer ID."""
    outcomes = _run(fresh, "epoch-times")
    assert [o.summary() for o in outcomes if o.altered] == []
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []


def test_versions_beside_a_version_word_stay_and_ip_addresses_after_their_word_go(
    fresh: ChainHarness,
) -> None:
    """`version 10.0.19045.3803`, `build: 4.2.1.7`, `firmware v1.2.3.4`, `"version": "1.2.3.4"`,
    `fw_version=…` stay; `from 203.0.113.5`, `client_ip=…` in the same line go."""
    outcomes = _run(fresh, "dotted-versions")
    assert [o.summary() for o in outcomes if o.altered] == []
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []


def test_snmp_object_identifiers_stay_and_the_agents_address_and_contact_phone_go(
    fresh: ChainHarness,
) -> None:
    """`.1.3.6.1.2.1.1.3.0`, `1.3.6.1.4.1.2021.10.1.3.1`, `oid=…`, `{"oid": …}` stay: no IPv4 address has
    five parts and an OID's one-digit arcs are no phone spaced out with dots."""
    outcomes = _run(fresh, "snmp-oids")
    assert [o.summary() for o in outcomes if o.altered] == []
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []


def test_opening_hours_after_a_phone_word_stay_and_the_phone_number_goes(fresh: ChainHarness) -> None:
    """`Phone: open 09:00-17:30, Mon-Fri`, `Phone hours: 0900-1730 weekdays` stay; the number goes."""
    outcomes = _run(fresh, "opening-hours")
    assert [o.summary() for o in outcomes if o.altered] == []
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []


def test_real_identifiers_written_in_the_look_alikes_places_and_shapes_are_still_tokenized(
    fresh: ChainHarness,
) -> None:
    """A customer ID of epoch digits under its key beside a time key, an IP after `ip` beside a version,
    a phone or SSN spaced out with dots after its word (`SSN: 1.3.6.1.2.1.1.5.0`), a phone beside its
    opening hours: all go, and the versions and hours beside them stay."""
    outcomes = _run(fresh, "identifiers-in-their-places")
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []
    assert [o.summary() for o in outcomes if o.altered] == []


@pytest.mark.parametrize("evidence", ["beside", "known", "key"])
@pytest.mark.parametrize("shape", ["flat", "rows", "nested"])
@pytest.mark.parametrize("place", ["time", "metric"])
def test_digits_that_are_an_identifier_are_tokenized_under_a_time_or_metric_key_too(
    fresh: ChainHarness, place: str, shape: str, evidence: str
) -> None:
    """A time key keeps an epoch, a metric key its number, as written only while nothing else says those
    digits are an identifier: the same digits as a customer ID beside it in the message (as a value or an
    object key), or tokenized by an earlier call of the session (a backend laundering a detokenized ID
    under `clicks`), are tokenized there too (fail closed), as a string or as a JSON number; and an object
    key of the same digits is judged as any key."""
    rng = Random(7)
    for _ in range(30):
        cid = str(rng.randrange(1_000_000_000, 2_500_000_000))
        keys = {"time": ["created_at", "expires_at", "updatedTs", "last_seen"]}
        keys["metric"] = ["clicks", "cost_micros", "costMicros", "impressions", "conversions_value", "spend"]
        time_key = rng.choice(keys[place])
        moment: int | str = rng.choice([cid, int(cid)])
        record: dict[str, object] = {time_key: moment, "n": rng.randrange(99)}
        earlier = []
        if evidence == "beside":
            record["customer_id"] = cid
        elif evidence == "key":  # the same digits standing alone as an object key
            record["clicks_by_customer"] = {cid: rng.randrange(99)}
        else:
            earlier = [call(tool_result(structured={"customer_id": cid}))]
        structured = {"flat": record, "rows": {"rows": [record]}, "nested": {"a": {"b": record}}}[shape]
        case = Case(
            "numbers-lookalikes",
            [*earlier, call(tool_result(structured=structured))],
            [Planted("id", cid, re.escape(cid))],
            label=f"same-digits:{place}:{shape}:{evidence}:{time_key}:{type(moment).__name__}",
        )
        outcome = ChainHarness(fresh.engine).run(case)
        assert not outcome.leaked and not outcome.blocked, outcome.summary()
