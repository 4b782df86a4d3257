"""A text scanned again is answered from what its first scan found by the text alone (`scan_memo`,
`batch_scan`'s silent texts): the answer must be the one a detector that remembers nothing gives, with the
session's known values of now — including values that became known after the text was first seen."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings

from proxy.detect.detector import Detector
from proxy.detect.known import KnownValues
from proxy.detect.scan_memo import ScanMemo
from proxy.detect.spans import Span
from proxy.detect.view_map import View
from tests.detect.test_batch_scan import message_texts


@contextmanager
def remembering(detector: Detector, *, memo: bool) -> Iterator[None]:
    """The detector with a fresh memory (`memo`), or with none at all (every text scanned in full)."""
    saved = detector._memo, detector._silent, detector._quiet
    detector._memo = ScanMemo() if memo else ScanMemo(max_entries=0)
    detector._silent = {}
    detector._quiet = {}
    try:
        yield
    finally:
        detector._memo, detector._silent, detector._quiet = saved


def _known(*values: tuple[str, str]) -> KnownValues:
    known = KnownValues()
    for value, entity in values:
        known.add(value, entity)
    return known


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(message_texts())
def test_texts_seen_again_get_what_a_detector_without_memory_finds_with_the_known_values_of_now(
    detector, texts
):
    later = _known(("Acme Plumbing LLC", "ACCOUNT_NAME"), ("Maria Gonzalez", "PERSON"))
    with remembering(detector, memo=False):
        expected_first = detector.detect(texts, KnownValues())
        expected_later = detector.detect(texts, later)
    with remembering(detector, memo=True):
        first = detector.detect(texts, KnownValues())
        again = detector.detect(texts, KnownValues())
        found_later = detector.detect(texts, later)  # the values the session learnt since: still matched
        one_by_one = {t: s for t in texts for t, s in detector.detect([t], later).items()}
    assert first == again == expected_first
    assert found_later == expected_later == one_by_one


def test_a_known_value_learnt_after_its_text_was_remembered_is_found_in_that_text(detector):
    text = "invoice for ACME PLUMBING  llc, see the attached order 20240511-7"
    with remembering(detector, memo=True):
        before = detector.detect([text])
        assert text in detector._memo._entries
        found = detector.detect([text], _known(("Acme Plumbing LLC", "ACCOUNT_NAME")))
    assert "ACCOUNT_NAME" not in {s.entity for s in before.get(text, [])}
    names = [text[s.start : s.end] for s in found[text] if s.entity == "ACCOUNT_NAME"]
    assert names == ["ACME PLUMBING  llc"]


def test_the_memo_forgets_the_least_recently_used_texts_beyond_its_size_bound():
    memo = ScanMemo(max_entries=100, max_bytes=50)  # a text and its one plain view: twice its length
    for word in ("first text", "second text", "third text"):
        memo.keep(word, [(View(word), [Span(0, 5, "X", 1.0)])])
    assert memo.spans("first text", None) is None  # 62 in all: the oldest went
    assert memo.spans("third text", None) == [Span(0, 5, "X", 1.0)]
    memo.spans("second text", None)  # used: now the most recent
    memo.keep("fourth text", [(View("fourth text"), [])])
    assert memo.spans("second text", None) is not None and memo.spans("third text", None) is None


def test_a_rewritten_view_counts_its_map_back_to_the_text_against_the_bound():
    memo = ScanMemo(max_entries=100, max_bytes=500)
    text = "4111 1111 1111 1111"
    plain = [(View(text), [])]
    rewritten = [(View(text.replace(" ", ""), list(range(16)), list(range(1, 17))), [])]
    memo.keep(text, plain)
    assert memo.spans(text, None) == []
    heavy = ScanMemo(max_entries=100, max_bytes=500)
    heavy.keep(text, rewritten)  # 16 mapped characters weigh more than the whole bound
    assert heavy.spans(text, None) is None
