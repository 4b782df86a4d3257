"""A text answered before in a session is answered from memory only while the session's known values stand
as they were (`judged_texts`): a value learnt later is found in every text seen before, as a fresh scan
finds it, in a message of one text or of many (the batch pre-scan's path)."""

from __future__ import annotations

import random

from proxy.detect.judged_texts import JudgedTexts
from proxy.detect.known import KnownValues

_WORDS = ("report", "pipes", "Berlin", "clicks", "invoice", "blue", "Performance Max", "brand", "2024")
_VALUES = (
    ("Thistlewood Plumbing", "ACCOUNT_NAME"),
    ("5931053", "CUSTOMER_ID"),
    ("maria.gonzalez@example.com", "EMAIL_ADDRESS"),
    ("Osborne-Zoppetto", "PERSON"),
    ("8827361540", "GOOGLE_ADS_CUSTOMER_ID"),
)


def _text(rng: random.Random, value: str | None) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(1, 6))]
    if value is not None:
        words.insert(rng.randint(0, len(words)), value)
    return " ".join(words)


def _fresh_answer(detector, texts: list[str], known: KnownValues) -> dict:
    saved, detector._judged = detector._judged, JudgedTexts()
    try:
        return detector.detect(texts, known)
    finally:
        detector._judged = saved


def test_a_value_learnt_after_a_text_was_answered_is_found_in_it_on_the_next_sight(detector) -> None:
    rng = random.Random(3)
    for case in range(150):
        value, entity = rng.choice(_VALUES)
        size = rng.choice((1, 5, 80))  # 80: the batch pre-scan's path
        texts = list(dict.fromkeys([_text(rng, value), *(_text(rng, None) for _ in range(size - 1))]))
        known = KnownValues()
        known.add(f"unrelated value {case}", "ACCOUNT_NAME")
        first = detector.detect(texts, known)
        assert detector.detect(texts, known) == first  # answered from memory
        known.add(value, entity)
        again = detector.detect(texts, known)
        assert again == _fresh_answer(detector, texts, known)
        at = texts[0].index(value)
        assert any(s.start <= at and at + len(value) <= s.end for s in again.get(texts[0], []))


def test_a_value_already_known_learnt_again_keeps_the_answers(detector) -> None:
    known = KnownValues()
    known.add("Thistlewood Plumbing", "ACCOUNT_NAME")
    generation = known.generation
    known.add("Thistlewood Plumbing", "ACCOUNT_NAME")
    assert known.generation == generation
