"""The batch pre-scan skips a text only when no view of it could hold anything."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.detect.batch_scan import BATCH as _BATCH
from proxy.detect.known import KnownValues
from tests.detect.strategies import LAYERS, WORDS, encode, planted, with_confusables, with_invisibles


@st.composite
def message_texts(draw: st.DrawFn) -> list[str]:
    out = []
    for i in range(_BATCH + draw(st.integers(0, 20))):
        if draw(st.integers(0, 4)) == 0:
            _kind, context, value = draw(planted())
            how = draw(st.sampled_from(["plain", "invisible", "confusable", "encoded", "known"]))
            if how == "invisible":
                value = draw(with_invisibles(value))
            elif how == "confusable":
                value = draw(with_confusables(value))
            elif how == "encoded":
                value = encode(draw(st.sampled_from(LAYERS)), context + value, random.Random(i))
            elif how == "known":
                value = draw(st.sampled_from(["ACME PLUMBING  llc", "Gonzalez, Maria", "maria GONZALEZ"]))
            out.append(f"{draw(st.sampled_from(WORDS))} {context}{value}")
        else:
            out.append(f"{' '.join(draw(st.lists(st.sampled_from(WORDS), max_size=4)))} {i}")
    return list(dict.fromkeys(out))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(message_texts())
def test_many_disguised_strings_scanned_in_one_piece_get_the_spans_each_gets_alone(detector, texts):
    known = KnownValues()
    known.add("Acme Plumbing LLC", "ACCOUNT_NAME")
    known.add("Maria Gonzalez", "PERSON")
    together = detector.detect(texts, known)
    alone = {t: s for t in texts for t, s in detector.detect([t], known).items()}
    assert together == alone
