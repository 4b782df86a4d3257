"""Under a `skip_keys` key only a value that can hold nothing detectable goes unscanned: short identifiers and
calendar dates (MCP's protocol versions); every value with a digit run that could be an ID is scanned."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from proxy.scan.shapes import is_enum_shaped

DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))


@given(DATES)
def test_an_iso_date_is_enum_shaped_so_a_protocol_version_needs_no_detector(day: dt.date) -> None:
    assert is_enum_shaped(day.isoformat())


@given(DATES, st.sampled_from(["0", "12", "-0134", " x", "5550134"]), st.booleans())
def test_a_date_with_anything_more_is_scanned(day: dt.date, extra: str, before: bool) -> None:
    value = extra + day.isoformat() if before else day.isoformat() + extra
    assert not is_enum_shaped(value)


@given(st.from_regex(r"\d{3}-\d{3}-\d{4}|\+?\d{10,15}|\d{4}-\d{2}-\d{4}", fullmatch=True))
def test_ids_and_phones_are_never_enum_shaped(value: str) -> None:
    assert not is_enum_shaped(value)


@given(DATES, st.sampled_from(["account", "accountId", "card", "customer", "phone", "ssn"]), st.booleans())
def test_a_date_beside_an_identifier_key_is_no_identifier(day: dt.date, key: str, with_time: bool) -> None:
    from proxy.scan.shapes import context_entity

    value = day.isoformat() + ("T10:00:00Z" if with_time else "")
    assert context_entity(key, value) is None
