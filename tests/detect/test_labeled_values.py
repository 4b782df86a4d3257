"""A bare number after a label that names it, in text (`proxy.detect.labeled_value_recognizer`): the label
in any spelling a key could have (words, a phrase written out, snake/camel/upper case), `:` or `=`, the
number in any grouping; and the labels that name quantities (`count`, `spend (micros)`, `version`) or no
entity leave their numbers alone."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.detect.helpers import survives, tokenized

FAST = settings(max_examples=80, deadline=None)
# label words -> how many digits its values have
LABELS = {
    ("ssn",): 9,
    ("social", "security", "number"): 9,
    ("tax", "identification", "number"): 9,
    ("phone",): 9,
    ("mobile", "phone"): 10,
    ("fax",): 10,
    ("customer", "id"): 10,
    ("client", "customer"): 10,
    ("card", "number"): 16,
}
QUANTITIES = (("count",), ("spend", "micros"), ("total", "cost"), ("order", "id"), ("ticket",))


def _spell(words: tuple[str, ...], style: str) -> str:
    if style == "title":
        return " ".join(w.capitalize() for w in words)
    if style == "upper":
        return " ".join(words).upper()
    if style == "snake":
        return "_".join(words)
    return words[0] + "".join(w.capitalize() for w in words[1:])


def _grouped(draw: st.DrawFn, digits: str) -> str:
    sep = draw(st.sampled_from(["", " ", "-", "."]))
    if not sep:
        return digits
    least = 2 if sep == "." else 1  # one dot reads as a decimal point (and is guarded as one)
    cuts = sorted(draw(st.sets(st.integers(2, len(digits) - 2), min_size=least, max_size=3)))
    parts = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
    return sep.join(p for p in parts if p)


STYLES = st.sampled_from(["title", "upper", "snake", "camel"])
LINES = st.sampled_from(
    ["{l}: {v}", "{l}={v}", "Record 7\n{l}:  {v}\nStatus: open", "see {l}: {v} (verified)"]
)


@FAST
@given(label=st.sampled_from(sorted(LABELS)), style=STYLES, line=LINES, data=st.data())
def test_a_number_after_a_label_that_names_it_is_tokenized(detector, label, style, line, data) -> None:
    n = LABELS[label]
    digits = str(data.draw(st.integers(2 * 10 ** (n - 1), 9 * 10 ** (n - 1))))
    value = _grouped(data.draw, digits)
    text = line.format(l=_spell(label, style), v=value)
    start = text.index(value)
    assert survives(detector, text, start, start + len(value)) == "", text


@FAST
@given(label=st.sampled_from(QUANTITIES), style=STYLES, n=st.integers(5, 9), data=st.data())
def test_a_number_after_a_label_that_names_a_quantity_stays(detector, label, style, n, data) -> None:
    value = str(data.draw(st.integers(10 ** (n - 1), 10**n - 1)))
    text = f"{_spell(label, style)}: {value}"
    out, _ = tokenized(detector, text)
    assert out == text
