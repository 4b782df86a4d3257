"""Account and company names (ACCOUNT_NAME) as a class, through the real to-client chain of a default install:
org keys in any spelling and value shape, org labels in text, names known once tokenized, and what must
not be touched (enum values under org keys, metrics, campaign and product names without a label)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.classes import org_cases, org_placements
from tests.classes.case import Case
from tests.classes.checks import assert_no_leak, class_settings
from tests.classes.harness import ChainHarness

_RANDOMS = st.randoms(use_true_random=False, note_method_calls=False)


@class_settings(120)
@given(case=_RANDOMS.map(org_cases.org_key_case))
def test_a_company_name_under_any_org_key_in_any_shape_and_placement_is_tokenized(
    chain: ChainHarness, case: Case
) -> None:
    """`account`/`ADVERTISER_DISPLAY_NAME`/`billing-entity-title`… × string / object's name / list × tool
    result, JSON text, tools/list description, prompt, log, resource; enum neighbours stay."""
    assert_no_leak(chain, case)


@class_settings(120)
@given(case=_RANDOMS.map(org_cases.label_case))
def test_a_company_name_after_an_org_label_is_tokenized(chain: ChainHarness, case: Case) -> None:
    """`Account: X`, `Client - X`, `Billing entity:\\tX`, up to a line end, sentence end or separator."""
    assert_no_leak(chain, case)


@class_settings(40)
@given(case=_RANDOMS.map(org_cases.known_in_campaign_case))
def test_an_account_name_once_tokenized_is_found_inside_later_campaign_names(
    chain: ChainHarness, case: Case
) -> None:
    assert_no_leak(chain, case)


@class_settings(80)
@given(case=_RANDOMS.map(org_cases.over_redaction_case))
def test_enums_metrics_and_unlabelled_campaign_names_under_org_keys_survive(
    chain: ChainHarness, case: Case
) -> None:
    assert_no_leak(chain, case)


@class_settings(80)
@given(case=_RANDOMS.map(org_placements.keyed_json_case))
def test_keyed_json_names_an_account_in_every_placement_and_method(chain: ChainHarness, case: Case) -> None:
    """Tool names, descriptions and schema patterns, cursors, prompt and resource listings, templates,
    `initialize` instructions, a server request's params or method (refused), log text, object keys."""
    assert_no_leak(chain, case)
