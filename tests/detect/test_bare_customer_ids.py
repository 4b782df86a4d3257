"""Ten digits standing alone are a Google Ads customer ID's shape: tokenized with no context word, in any
sentence — while the same digits after an order/invoice label or a metric label, glued into an identifier,
or inside a decimal stay readable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from proxy.detect.known import KnownValues

IDS = st.integers(10**9, 10**10 - 1).map(str)
SENTENCES = st.sampled_from(
    ["Record updated, details: {v} - see ticket.", "{v}", "acct {v}", "moved to {v} yesterday", "({v})"]
)
KEPT = st.sampled_from(
    [
        "order #{v}",
        "invoice {v}",
        "ORD-2024-{v}",
        "costMicros {v}",
        "spend (micros): {v}",
        "impressions: {v}",
        "SKU abc{v}xyz",
        "ctr 0.{v}",
    ]
)


def entities(detector, text: str) -> list[str]:
    return [s.entity for s in detector.detect([text], KnownValues()).get(text, [])]


@given(IDS, SENTENCES)
def test_ten_digits_standing_alone_are_tokenized(detector, value, frame) -> None:
    assert "GOOGLE_ADS_CUSTOMER_ID" in entities(detector, frame.format(v=value))


@given(IDS, KEPT)
def test_ten_digits_under_a_reference_or_metric_label_or_glued_stay(detector, value, frame) -> None:
    assert entities(detector, frame.format(v=value)) == []
