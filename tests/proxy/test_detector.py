import pytest

from proxy.detect.detector import Detector
from proxy.detect.known import KnownValues
from proxy.detect.spans import Span, merge_spans, replace_spans
from proxy.policy import load_policy, shipped_policy_files


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector(load_policy())


def found(detector: Detector, text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.entity) for s in detector.detect([text]).get(text, [])]


@pytest.mark.parametrize(
    ("text", "value", "entity"),
    [
        ("mail jane.miller@acme.example now", "jane.miller@acme.example", "EMAIL_ADDRESS"),
        ("call back on +1 415 555 0134 today", "+1 415 555 0134", "PHONE_NUMBER"),
        ("office (212) 555-0147", "(212) 555-0147", "PHONE_NUMBER"),
        ("london +44 20 7946 0958", "+44 20 7946 0958", "PHONE_NUMBER"),
        ("card 4111 1111 1111 1111 on file", "4111 1111 1111 1111", "CREDIT_CARD"),
        ("iban DE89370400440532013000", "DE89370400440532013000", "IBAN_CODE"),
        ("from 10.1.2.3 at noon", "10.1.2.3", "IP_ADDRESS"),
        ("customers/1234567890/campaigns/55", "1234567890", "GOOGLE_ADS_CUSTOMER_ID"),
        ("client account 1234567890", "1234567890", "GOOGLE_ADS_CUSTOMER_ID"),
    ],
)
def test_structured_personal_data_is_found(detector, text, value, entity):
    assert (value, entity) in found(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "costMicros 12345678901",
        "impressions 1234567890",
        "2026-11-25",
        "best emergency plumber near me",
        "0.123456789012",
        "card 4111 1111 1111 1112",  # fails Luhn
    ],
)
def test_numbers_dates_and_plain_text_are_left_alone(detector, text):
    assert found(detector, text) == []


def test_allow_listed_values_are_not_detected(tmp_path):
    p = tmp_path / "allow.yaml"
    p.write_text("version: 1\nname: a\nallow_list: [support@veil.example]\n")
    policy = load_policy([*shipped_policy_files(), p])
    d = Detector(policy)
    text = "write to support@veil.example or jane@acme.example"
    values = [text[s.start : s.end] for s in d.detect([text])[text]]
    assert values == ["jane@acme.example"]


def test_known_values_are_found_inside_longer_text(detector):
    known = KnownValues()
    known.add("Acme Plumbing LLC", "ACCOUNT_NAME")
    text = "Acme Plumbing LLC – Brand – Search"
    assert detector.detect([text], known)[text] == [Span(0, 17, "ACCOUNT_NAME", 2.0)]


def test_overlapping_spans_become_one_with_the_stronger_entity():
    """The weaker span's characters outside the stronger one are never left bare (see
    tests/detect/test_span_merge.py for the property)."""
    spans = [
        Span(0, 12, "PHONE_NUMBER", 0.5),
        Span(4, 12, "GOOGLE_ADS_CUSTOMER_ID", 0.9),
        Span(20, 25, "X", 0.1),
    ]
    assert merge_spans(spans) == [Span(0, 12, "GOOGLE_ADS_CUSTOMER_ID", 0.9), Span(20, 25, "X", 0.1)]


def test_spans_are_replaced_left_to_right():
    assert replace_spans("a bb ccc", [Span(2, 4, "B", 1), Span(5, 8, "C", 1)], ["[B]", "[C]"]) == "a [B] [C]"


def test_url_encoded_values_are_found_in_their_encoded_form(detector):
    text = "https://crm.example/search?email=jane.miller%40acme.example&phone=%2B1%20415%20555%200134"
    values = {v for v, _ in found(detector, text)}
    assert "jane.miller%40acme.example" in values
    assert "%2B1%20415%20555%200134" in values


def test_the_cheap_trigger_decides_exactly_as_the_structured_trigger_regex():
    """`_triggered` splits the trigger regex for speed; it must send exactly the same strings to Presidio:
    random strings over the characters the pattern cares about, Unicode digits, and realistic values."""
    import random

    from proxy.detect.triggers import STRUCTURED_TRIGGER as _STRUCTURED_TRIGGER
    from proxy.detect.triggers import triggered as _triggered

    rng = random.Random(6)
    alphabet = "aF0917:.@ -()/+\n\t٣x:"
    cases = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16))) for _ in range(100_000)]
    cases += [
        "fe80::1:",
        "dead:beef:",
        "2001:db8::ff00:42:8329",
        "https://www.example.com:8443/a",
        "10.0.0.1",
        "٣٣٣٣٣٣٣",
        "+1 (555) 123-4567",
        "jane@acme.example",
        "acme plumbing phone number",
        "customers/1234567890",
        ":abc:",
        "g:ab:",
    ]
    mismatches = [c for c in cases if _triggered(c) != (_STRUCTURED_TRIGGER.search(c) is not None)]
    assert mismatches == []
    assert sum(_triggered(c) for c in cases) > 1000  # both outcomes are well represented


def test_many_strings_scanned_in_one_piece_get_exactly_the_spans_each_gets_alone(detector):
    """A message's unique strings are pre-scanned joined by NUL to find the few worth a closer look; what
    comes out must equal scanning every string on its own: known values, every trigger, escapes, invisible
    and percent-encoded characters, non-ASCII text, and strings or known values holding NUL."""
    import random

    from proxy.detect.batch_scan import BATCH as _BATCH

    rng = random.Random(11)
    parts = [
        *("plumber near me", "jane@acme.example", "+1 415 555 0134", "2025 94118", "10.1.2.3", "fe80::1:"),
        *("https://a.example:8443/p/1", "jane%40acme.example", "\\tjane@acme.example"),
        *("ja\u200bne@acme.example", "café ٣٣٣٣٣٣٣", "4111 1111 1111 1111", "Acme Plumbing LLC", "a\x00b"),
        *("", " ", "1234567", ":", "customers/1234567890", "x" * 50),
    ]
    for round_ in range(30):
        known = KnownValues()
        for value in rng.sample(["Acme Plumbing LLC", "plumber near", "nul\x00value", "9411"], k=2):
            known.add(value, "ACCOUNT_NAME")
        texts = list(
            dict.fromkeys(
                " ".join(rng.choice(parts) for _ in range(rng.randint(1, 3))) + f" {i % 7}"
                for i in range(_BATCH + rng.randint(0, 100))
            )
        )
        if round_ % 3 == 0:  # no NUL anywhere: the one-piece scan is taken
            texts = [t.replace("\x00", "") for t in texts]
            known = KnownValues()
            known.add("Acme Plumbing LLC", "ACCOUNT_NAME")
        together = detector.detect(texts, known)
        alone = {t: s for t in texts for t, s in detector.detect([t], known).items()}
        assert together == alone
        assert together  # something was found: the comparison is not between two empty results


def test_the_one_piece_scan_picks_the_strings_each_step_would_look_at(detector):
    from proxy.detect.batch_scan import BATCH as _BATCH

    known = KnownValues()
    known.add("Acme Plumbing LLC", "ACCOUNT_NAME")
    plain = [f"plumber near me {i}" for i in range(_BATCH)]
    odd = ["a jane@acme.example", "ring 2025 94118", "visit Acme Plumbing LLC", "q=jane%40x", "a\\tb"]
    texts = [*plain, *odd]
    hits = detector._candidates(texts, known)
    assert hits == set(range(len(plain), len(texts)))
    assert detector._candidates([*plain, "a\x00b"], known) is None  # NUL in a text: no one-piece scan


def test_a_text_remembered_as_quiet_still_shows_the_known_values_of_any_session(detector):
    text = "ask the plumber near the station"
    assert detector.detect([text]) == {}
    assert text in detector._quiet  # the text-only steps are skipped from now on
    known = KnownValues()
    known.add("plumber near", "ACCOUNT_NAME")
    [span] = detector.detect([text], known)[text]
    assert (text[span.start : span.end], span.entity) == ("plumber near", "ACCOUNT_NAME")
    assert "mail jane@acme.example" not in detector._quiet
    detector.detect(["mail jane@acme.example"])
    assert "mail jane@acme.example" not in detector._quiet  # a trigger: never remembered as quiet
