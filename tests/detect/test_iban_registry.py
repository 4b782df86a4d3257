"""A valid IBAN of any country of the SWIFT IBAN Registry is tokenized by the detector, in running text and
as a JSON string, compact, in fours or lower case (red team round nine, class 3). Hypothesis draws the
country from the registry's own table (`tests/classes/iban_registry.py`), the BBAN in the registry's
structure and the check digits by mod 97; the chain-level counterpart is tests/classes/test_iban_registry.py.

Country codes whose letters look like digits (`IS`, `SI`, `SO`, `BI`) were read as digits by the view
(`digit_letters`: `IS07 2041…` became `1507 2041…`), which no recognizer takes for an IBAN.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.classes.iban_registry import REGISTRY, iban_of, written
from tests.detect.helpers import survives

CLASS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_WORDS = ("Wire to", "IBAN:", "pay into", "see", "ref", "Bankverbindung", "value")


@CLASS
@given(
    country=st.sampled_from(sorted(REGISTRY)),
    style=st.sampled_from(["compact", "fours", "lower"]),
    word=st.sampled_from(_WORDS),
    as_json=st.booleans(),
    data=st.data(),
)
def test_a_valid_iban_of_any_registry_country_is_tokenized_in_text_and_json(
    detector, country, style, word, as_json, data
):
    value = written(iban_of(country, lambda alphabet: data.draw(st.sampled_from(alphabet))), style)
    if as_json:
        text = json.dumps({"note": word, "account": value})
        start = text.index(value)
    else:
        text = f"{word} {value} by Friday"
        start = len(word) + 1
    assert survives(detector, text, start, start + len(value)) == ""
