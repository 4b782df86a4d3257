"""The look-alike rules of `proxy.detect.number_lookalikes` on their own: which keys name a time, which
values are epochs, which dotted runs are OIDs, which ranges are opening hours (the classes in
`tests/classes/test_number_lookalikes.py` judge them through the whole chain)."""

from __future__ import annotations

from random import Random

import pytest

from proxy.detect.number_lookalikes import (
    epoch_after_time_key,
    in_object_identifier,
    is_epoch,
    is_opening_hours,
    is_time_key,
)


@pytest.mark.parametrize(
    "key", ["created_ts", "expires_at", "updatedAt", "last_seen", "login_time", "createdTs", "event_ts_ms"]
)
def test_a_key_whose_last_word_names_a_moment_is_a_time_key(key: str) -> None:
    assert is_time_key(key)


@pytest.mark.parametrize(
    "key", ["customer_id", "cid", "at", "phone", "contacts", "chat", "status", "account"]
)
def test_a_key_that_names_no_moment_is_not_a_time_key(key: str) -> None:
    assert not is_time_key(key)


def test_epochs_of_2001_to_2050_in_seconds_or_milliseconds_are_epochs_and_other_digit_runs_are_not() -> None:
    rng = Random(15)
    for _ in range(200):
        seconds = rng.randrange(1_000_000_000, 2_524_608_000)
        assert is_epoch(seconds) and is_epoch(str(seconds)) and is_epoch(str(seconds * 1000 + 7))
    for value in (
        999_999_999,
        4_155_550_134,
        9_876_543_210,
        "0123456789",
        "(415) 555-0134",
        17672256001,
        1.5e9,
    ):
        assert not is_epoch(value)


@pytest.mark.parametrize(
    ("before", "value", "expected"),
    [
        ("level=info created_ts=", "1767225600", True),
        ('"expires_at": ', "1767225600123", True),
        ('\\"updatedAt\\": \\"', "1767225600", True),
        ("customer_id=", "1767225600", False),
        ("reach me at: ", "2125550134", False),
        ("created_ts=", "4155550134", False),
    ],
)
def test_an_epoch_reads_as_a_time_only_right_after_a_time_key(
    before: str, value: str, expected: bool
) -> None:
    assert epoch_after_time_key(before, value) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("walk 1.3.6.1.4.1.2021.10.1.3.1 ok", True),
        ("oid=.1.3.6.1.2.1.1.3.0", True),
        ("get 1.3.6.1.2.1.1.5.0", True),
        ("oid 2.5.4.3.1", True),
        ("ip 10.0.19.45", False),
        ("2.1.2.5.5.5.0.1.3.4", False),
        ("SSN 1.3.6.1.2.1.1.5.0", False),
        ("06.12.34.56.78", False),
    ],
)
def test_a_dotted_run_is_an_oid_by_its_arcs_and_marks_unless_a_word_names_an_identifier(
    text: str, expected: bool
) -> None:
    start = next(i for i, c in enumerate(text) if c.isdigit())
    assert in_object_identifier(text, start, start + 1) is expected


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("Phone: open 09:00-17:30, Mon-Fri", "09:00-17:30", True),
        ("Phone: 9.00 \u2013 17.30", "9.00 \u2013 17.30", True),
        ("Phone hours: 0900-1730", "0900-1730", True),
        ("Phone: Mon-Fri 0800-1800", "0800-1800", True),
        ("Phone: 0800-1234 Mon-Fri", "0800-1234", False),
        ("Tel 0900-1730", "0900-1730", False),
        ("Phone: (415) 555-0134", "(415) 555-0134", False),
    ],
)
def test_a_range_of_clock_times_is_opening_hours_and_a_phone_is_not(
    text: str, span: str, expected: bool
) -> None:
    start = text.index(span)
    assert is_opening_hours(text, start, start + len(span)) is expected
