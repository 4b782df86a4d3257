"""Values under the loose escapes and other block shapes (`tests.detect.decoder_classes`), alone and
stacked with any layer: decoded, detected, and the encoded run replaced."""

from __future__ import annotations

import base64
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.detect import decoder_classes as dc
from tests.detect import strategies as base
from tests.detect.helpers import survives

FAST = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
ALL = sorted(dc.LAYERS) + base.LAYERS


def _apply(layer: str, context: str, value: str, rnd: random.Random) -> tuple[str, str]:
    if layer in dc.BLOCK:
        return "", dc.BLOCK[layer](context + value, rnd)
    if layer in base.BLOCK_LAYERS:
        return "", base.encode(layer, context + value, rnd)
    if layer in dc.LOCAL:
        return dc.LOCAL[layer](context, rnd), dc.LOCAL[layer](value, rnd)
    return base.encode(layer, context, rnd), base.encode(layer, value, rnd)


@st.composite
def encoded(draw: st.DrawFn) -> tuple[list[str], str, str]:
    """(layers, context, value): one layer of the new classes, maybe under or over one more of any."""
    _kind, context, value = draw(base.planted())
    layers = [draw(st.sampled_from(sorted(dc.LAYERS)))]
    if draw(st.booleans()):
        other = draw(st.sampled_from(ALL))
        layers = [*layers, other] if draw(st.booleans()) else [other, *layers]
    rnd = random.Random(draw(st.integers(0, 2**16)))
    for layer in layers:
        context, value = _apply(layer, context, value, rnd)
    return layers, context, value


@FAST
@given(st.data())
def test_a_value_under_a_loose_escape_or_another_block_shape_alone_or_stacked_is_tokenized(detector, data):
    layers, context, value = data.draw(encoded())
    text, start, end = base.embed(data.draw, context, value)
    assert survives(detector, text, start, end) == "", layers


@st.composite
def short_emails(draw: st.DrawFn) -> str:
    """Addresses of 9 to 11 bytes, whose base64 is 12 to 15 characters without its padding."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    local = draw(st.text(letters, min_size=2, max_size=3))
    domain = draw(st.text(letters, min_size=3, max_size=4))
    address = f"{local}@{domain}.{draw(st.sampled_from(['io', 'de', 'com']))}"
    return address if len(address) <= 11 else address[1:]


@FAST
@given(st.data())
def test_a_short_address_in_short_base64_is_tokenized(detector, data):
    address = data.draw(short_emails())
    run = base64.b64encode(address.encode()).decode()
    if data.draw(st.booleans()):
        run = run.rstrip("=")
    text, start, end = base.embed(data.draw, "", run)
    assert survives(detector, text, start, end) == ""
