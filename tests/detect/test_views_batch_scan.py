"""The batch pre-scan (one scan of a whole message's strings) skips a text only when no view of it could
hold anything, for the classes of `view_classes` and `decoder_classes` too: its triggers are a superset."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.detect.batch_scan import BATCH as _BATCH
from tests.detect import decoder_classes as dc
from tests.detect.strategies import WORDS, planted
from tests.detect.view_classes import (
    separated_by_run,
    spaced_out,
    spelled_emails,
    with_compatibility_forms,
    with_invisibles,
)


@st.composite
def message_texts(draw: st.DrawFn) -> list[str]:
    out = []
    for i in range(_BATCH + draw(st.integers(0, 20))):
        if draw(st.integers(0, 3)) == 0:
            _kind, context, value = draw(planted())
            how = draw(st.sampled_from(["invisible", "compat", "separators", "spelled", "spaced", "encoded"]))
            if how == "invisible":
                value = draw(with_invisibles(value))
            elif how == "compat":
                value = draw(with_compatibility_forms(value))
            elif how == "separators":
                context, value = "", draw(separated_by_run())[1]
            elif how == "spaced":
                _kind, context, value = draw(spaced_out())
            elif how == "spelled":
                context, value = "", draw(spelled_emails())
            else:
                layer = draw(st.sampled_from(sorted(dc.LAYERS)))
                context, value = "", dc.LAYERS[layer](context + value, random.Random(i))
            out.append(f"{draw(st.sampled_from(WORDS))} {context}{value}")
        else:
            out.append(f"{' '.join(draw(st.lists(st.sampled_from(WORDS), max_size=4)))} {i}")
    return list(dict.fromkeys(out))


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(message_texts())
def test_disguised_strings_of_every_class_scanned_in_one_piece_get_the_spans_each_gets_alone(detector, texts):
    together = detector.detect(texts)
    alone = {t: s for t in texts for t, s in detector.detect([t]).items()}
    assert together == alone
