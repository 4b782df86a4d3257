"""Byte codes, named/UTF-7 characters, look-alike at-signs and unclosed blocks are found in a big message too:
the batch pre-scan has a trigger for each of their views (`proxy.detect.batch_scan.VIEW_TRIGGERS`)."""

from __future__ import annotations

import json
from random import Random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.detect.batch_scan import BATCH
from tests.classes import byte_codes

_BUILDERS = (
    byte_codes.byte_codes,
    byte_codes.named_characters,
    byte_codes.email_stand_ins,
    byte_codes.open_blocks,
)


def _written(rng: Random) -> str:
    """The text one of the class builders wrote (its tool result's text, a JSON record's body unpacked)."""
    case = rng.choice(_BUILDERS)(rng)
    text = case.messages[0].payload["content"][0]["text"]
    if text.startswith("{"):
        return str(json.loads(text)["body"])
    return str(text)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.randoms(use_true_random=False))
def test_byte_codes_and_look_alikes_in_a_message_of_many_strings_get_the_spans_each_gets_alone(detector, rng):
    written = list(dict.fromkeys(_written(rng) for _ in range(4)))
    texts = [f"row {i} status ok" for i in range(BATCH)] + written
    together = detector.detect(texts)
    alone = {t: s for t in texts for t, s in detector.detect([t]).items()}
    assert together == alone
    assert all(t in together for t in written)
