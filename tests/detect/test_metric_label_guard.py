"""The guard's metric label (`costMicros 348701932440278`, `impressions=…`): a bare digit run after it is a
metric. The label must start a word or a camel-case part: inside a longer word (`account`, `discount`,
`viewscount`…) it says nothing, and the ID after it stays an ID."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.detect.recognizers import guard

LABELS = ["micros", "cost", "spend", "amount", "budget", "impressions", "clicks", "revenue", "price", "total",
          "bytes", "size", "count", "conversions", "views"]  # fmt: skip
# The guard's labels of a moment or a duration (`timestamp`, `epoch`): a head that starts with one is one.
TIME_LABELS = ["time", "epoch", "seconds", "millis"]
SEPARATORS = [" ", ": ", "=", " (", '": ', " = "]
DIGITS = st.text("0123456789", min_size=8, max_size=15).filter(lambda d: d[0] != "0")


@settings(max_examples=200, deadline=None)
@given(
    label=st.sampled_from(LABELS),
    sep=st.sampled_from(SEPARATORS),
    digits=DIGITS,
    # a head that is itself a label (`pricemicros`, `viewmicros`) starts the word with one: that one counts
    head=st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6).filter(
        lambda h: not any(h.startswith(label.rstrip("s")) for label in LABELS + TIME_LABELS)
    ),
    camel=st.booleans(),
)
def test_a_metric_label_starts_a_word_or_a_camel_part(
    label: str, sep: str, digits: str, head: str, camel: bool
) -> None:
    inside = f"{head}{label}{sep}"  # `account `, `xcost: `: the label inside a longer word
    text = inside + digits
    assert guard(text, len(inside), len(text), "PHONE_NUMBER") is not None
    part = (head + label[0].upper() + label[1:]) if camel else label  # `costMicros`, `micros`
    text = f"{part}{sep}{digits}"
    assert guard(text, len(text) - len(digits), len(text), "PHONE_NUMBER") is None
