"""Values under encoding layers: decoded, detected, and the encoded run replaced."""

from __future__ import annotations

import base64
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.detect import decoders
from proxy.errors import LimitExceeded
from tests.detect.helpers import survives
from tests.detect.strategies import LAYERS, embed, encode, encoded, planted

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(st.data())
def test_a_value_under_one_to_three_encoding_layers_is_tokenized(detector, data):
    _kind, layers, context, value = data.draw(encoded())
    text, start, end = embed(data.draw, context, value)
    assert survives(detector, text, start, end, slack=0) == "", layers


@FAST
@given(st.data())
def test_a_value_in_a_form_body_is_tokenized_and_its_neighbours_kept(detector, data):
    _kind, context, value = data.draw(planted(["email", "phone", "card", "iban"]))
    field = context + value
    layer = data.draw(st.sampled_from(["percent", "percent-all", "html", "json-u"]))
    encoded_value = encode(layer, field, random.Random(data.draw(st.integers(0, 99))))
    pairs = [f"{k}={v}" for k, v in data.draw(st.lists(st.sampled_from([("status", "ok"), ("count", "5")])))]
    head = "&".join([*pairs, "q="])
    text = head + encoded_value + "&page=2"
    assert survives(detector, text, len(head), len(head) + len(encoded_value)) == ""


@FAST
@given(st.binary(max_size=300), st.text(max_size=300))
def test_decoding_garbage_never_raises_and_grows_no_more_than_nfkc_does(raw, garbage):
    """Decoding only shrinks; NFKC expands a character to at most 18 (U+FDFA), once: no bomb."""
    for text in (garbage, base64.b64encode(raw).decode(), garbage + "%" + raw.hex() + "&#x;=ZZ\\u12"):
        for view in decoders.decoded_views(decoders.View(text)):
            assert len(view.text) <= 18 * len(text)
        for start, end in decoders.base64_runs(text):
            inner = decoders.decode_base64(text[start:end])
            assert inner is None or len(inner) <= end - start


def test_nested_base64_deeper_than_the_bound_is_refused_without_recursing_forever(detector):
    """Twelve layers: the detector opens its bound's worth and refuses what still decodes below them (fail
    closed, never forwarded unread), in bounded time."""
    text = "jane.miller@acme.example"
    for _ in range(12):
        text = base64.b64encode(text.encode()).decode()
    with pytest.raises(LimitExceeded, match="nests encodings deeper"):
        detector.detect([text])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_every_layer_alone_is_decoded(detector, data):
    """One test per layer would be a list; this draws each layer over each class."""
    layer = data.draw(st.sampled_from(LAYERS))
    _kind, context, value = data.draw(planted())
    run = encode(layer, context + value, random.Random(0))
    text, start, end = embed(data.draw, "", run)
    out = survives(detector, text, start, end)
    assert value not in out and out.count("[[") >= (1 if out else 0), layer


@pytest.mark.parametrize("card", ["4000 0000 0000 0002", "4111 1111 1111 1111", "5555 5555 5555 4444"])
def test_a_card_whose_percent_escapes_a_digit_list_surrounds_is_tokenized(detector, card):
    """`4000 0000%200000%200002`: the digit groups read as a byte-code list swallowed the `%20` escapes and
    the combined decoding stopped there (found by hypothesis, under HTML entities as well)."""
    groups = card.split(" ")
    percent = " ".join(groups[:2]) + "%20" + "%20".join(groups[2:])
    entities = "".join(f"&#{ord(c)};" if c.isdigit() and i % 2 else c for i, c in enumerate(percent))
    for text in (percent + " note", entities.replace("%", "&#37;", 1) + " note"):
        assert survives(detector, text, 0, len(text) - len(" note")) == "", text
