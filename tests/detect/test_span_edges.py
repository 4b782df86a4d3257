"""No detected span starts or ends with a blank: a span that took the blank before it (a view that joined
`… / 0044 20 …` across a list's separator) glued its token to what stood before (`/[[PHONE…]]`)."""

from __future__ import annotations

from random import Random

import pytest
from hypothesis import HealthCheck, given, settings

from tests.classes.numerals import _LIST_SEPARATORS, _listed_phone
from tests.detect.test_batch_scan import message_texts


def _edges_blank(detector, texts: list[str]) -> list[str]:
    return [
        repr(text[s.start : s.end])
        for text, spans in detector.detect(texts).items()
        for s in spans
        if text[s.start].isspace() or text[s.end - 1].isspace()
    ]


@pytest.mark.parametrize("seed", range(4))
def test_phone_numbers_listed_with_any_separator_are_found_without_the_blanks_around_them(detector, seed):
    rng = Random(seed)
    texts = []
    for _ in range(150):
        sep = rng.choice(_LIST_SEPARATORS)
        numbers = [_listed_phone(rng).text for _ in range(rng.choice([2, 3]))]
        texts.append(f"{rng.choice(['Call', 'Tel:', 'Numbers -'])} {sep.join(numbers)}")
    assert _edges_blank(detector, texts) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(message_texts())
def test_values_disguised_in_any_way_are_found_without_blanks_at_their_edges(detector, texts):
    assert _edges_blank(detector, texts) == []
