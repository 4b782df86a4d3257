"""What is not personal data reaches the client unchanged, beside what is."""

from __future__ import annotations

from hypothesis import given

from tests.classes.case import Case
from tests.classes.checks import assert_no_leak, class_settings
from tests.classes.harness import ChainHarness
from tests.classes.strategies import cases


@class_settings(60)
@given(case=cases("over-redaction"))
def test_decimals_micros_versions_queries_and_codes_survive_and_only_the_email_changes(
    fresh: ChainHarness, case: Case
) -> None:
    assert_no_leak(fresh, case)
