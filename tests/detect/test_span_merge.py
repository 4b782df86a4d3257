"""Overlapping detections: the merge never leaves a detected character bare (union of overlapping spans)."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.detect.known import KnownValues
from proxy.detect.spans import Span, merge_spans, replace_spans
from tests.classes.planting import luhn_complete
from tests.detect.helpers import tokenized

_ENTITIES = st.sampled_from(["EMAIL_ADDRESS", "PHONE_NUMBER", "ACCOUNT_NAME", "GOOGLE_ADS_CUSTOMER_ID"])


@st.composite
def span_sets(draw: st.DrawFn) -> list[Span]:
    """Random spans over a 60-character text, many of them overlapping (nested, crossing, chained)."""
    spans = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, 58))
        end = draw(st.integers(start + 1, min(start + 25, 60)))
        score = draw(st.sampled_from([0.4, 0.6, 0.85, 1.0, 1.5]))
        spans.append(Span(start, end, draw(_ENTITIES), score))
    return spans


def _covered(spans: list[Span]) -> set[int]:
    return {i for s in spans for i in range(s.start, s.end)}


@given(span_sets())
def test_every_detected_character_is_covered_and_the_output_is_sorted_and_disjoint(spans: list[Span]) -> None:
    merged = merge_spans(spans)
    assert _covered(spans) <= _covered(merged)
    assert _covered(merged) <= _covered(spans)  # and nothing undetected is swallowed
    for a, b in pairwise(merged):
        assert a.end <= b.start
    for m in merged:  # each output span carries the entity of one input span inside it
        assert any(s.entity == m.entity and m.start <= s.start and s.end <= m.end for s in spans)


@given(span_sets())
def test_replacing_the_merged_spans_leaves_no_detected_character_readable(spans: list[Span]) -> None:
    text = "".join(chr(ord("a") + i % 26) if i % 3 else str(i % 10) for i in range(60))
    merged = merge_spans(spans)
    out = replace_spans(text, merged, ["\0"] * len(merged))
    kept = [i for i in range(60) if i not in _covered(spans)]
    assert out.replace("\0", "") == "".join(text[i] for i in kept)


def test_a_known_value_glued_to_an_email_is_replaced_whole() -> None:
    """`AcmeCorp` (known, 0-8) glued to `jane@x.example`: the email part is not left bare."""
    spans = [Span(0, 8, "ACCOUNT_NAME", 1.5), Span(4, 22, "EMAIL_ADDRESS", 1.0)]
    assert merge_spans(spans) == [Span(0, 22, "ACCOUNT_NAME", 1.5)]


# ------------------------------------------------------------------ the real detector, overlapping hits
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def glued(draw: st.DrawFn) -> tuple[str, str, str]:
    """(text, known value, detected value): a known value glued to, or overlapping, a value a recognizer
    finds: an account name run into an email's local part (`AcmeCorpjane@x.example`), a known customer ID
    whose last digits start a phone number, a known phone whose tail begins a longer digit run."""
    shape = draw(st.sampled_from(["name+email", "email+name", "id~phone", "phone~card"]))
    word = draw(st.text(_LOWER, min_size=4, max_size=8))
    if shape in ("name+email", "email+name"):
        known = draw(st.sampled_from(["Acme", "Brightside", "Northwind", "Globex"])) + word.title()
        email = f"{draw(st.text(_LOWER, min_size=3, max_size=8))}@{word}.example"
        if shape == "name+email":
            return f"contact {known}{email} today", known, email
        local, _, domain = email.partition("@")
        return f"contact {local}{known}@{domain} today", known, f"{local}{known}@{domain}"
    digits = "".join(str(draw(st.integers(0, 9))) for _ in range(7))
    if shape == "id~phone":  # a known customer ID 987-654-3210 sharing its tail with a phone (321) 0…
        known = f"98{digits[0]}-{digits[1:4]}-{digits[4:7]}0"
        phone = f"+1 415 555 {digits[4:7]}0"
        return f"ids {known} 415 555 tel {phone}", known, phone
    card = luhn_complete("4" + "".join(str(draw(st.integers(0, 9))) for _ in range(14)))
    known = f"+1 212 {card[:3]} {card[3:7]}"
    return f"pay +1 212 {card} now", known, card


@_FAST
@given(glued())
def test_a_known_value_overlapping_a_detected_one_leaves_neither_readable(detector, drawn) -> None:
    text, known_value, detected = drawn
    known = KnownValues()
    known.add(known_value, "ACCOUNT_NAME")
    out, _ = tokenized(detector, text, known)
    assert known_value.casefold() not in out.casefold()
    assert detected not in out
