"""What is not personal data reaches the client unchanged, beside what is."""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.classes.case import Case
from tests.classes.checks import assert_no_leak, class_settings
from tests.classes.harness import ChainHarness
from tests.classes.strategies import cases


@pytest.fixture(scope="module")
def fresh(chain: ChainHarness) -> ChainHarness:
    """A session of its own: a value the other classes' session learnt (one learns the phone `1000000000`)
    is tokenized wherever it appears again, by design, and would read as over-redaction here."""
    return ChainHarness(chain.engine)


@class_settings(60)
@given(case=cases("over-redaction"))
def test_decimals_micros_versions_queries_and_codes_survive_and_only_the_email_changes(
    fresh: ChainHarness, case: Case
) -> None:
    assert_no_leak(fresh, case)
