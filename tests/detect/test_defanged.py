"""Punctuation wrapped so that nothing makes it live (`81[.]223[.]231[.]174`, `jane(@)acme(.)com`,
`145\\.246\\.127\\.253`, `208 dot 125 dot 122 dot 194`, ideographic full stops) is read as itself."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.detect.helpers import survives, tokenized
from tests.detect.strategies import embed
from tests.detect.view_classes import defanged_values

FAST = settings(max_examples=150, deadline=None, derandomize=True)


@FAST
@given(st.data())
def test_an_address_with_its_punctuation_defanged_is_one_value(detector, data):
    _kind, value = data.draw(defanged_values())
    text, start, end = embed(data.draw, "", value)
    assert survives(detector, text, start, end) == ""


@FAST
@given(
    words=st.lists(st.sampled_from(["see", "note", "array", "item", "list", "x"]), min_size=2, max_size=5),
    mark=st.sampled_from(["[.]", "(.)", "[@]", "\\."]),
)
def test_bracketed_punctuation_between_words_that_spell_no_address_stays_readable(detector, words, mark):
    text = mark.join(words) + " today"
    assert tokenized(detector, text)[0] == text
