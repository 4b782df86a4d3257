"""Records carried where no JSON parser reads them (`carried_records`), through the real to-client chain of a
default install: a value only its key names is tokenized inside an encoded layer of a text and in a record
another language printed, as in a JSON document (`proxy/scan/keyed_text.py`, `proxy/scan/carried_pairs.py`).

Figures at the time of writing, 150 seeded cases each, cases leaking before → after:
- encoded layers (percent once or twice, JWT payload, `data:` URL, base64, base64url, gzip+base64, HTML
  attribute, JSON escapes in plain text): 82/150 → 0/150;
- other notations (Python dict and object `repr`, JavaScript object literal, Ruby hash, PHP array):
  145/150 → 0/150.
Mutation-checked: without the decoded layers (`carried_pairs.layers`) the first is back at 82/150.
"""

from __future__ import annotations

import pytest

from tests.classes.carried_records import records_encoded, records_notations
from tests.classes.harness import ChainHarness, untouched

N = 150
BUILDERS = {
    "records-encoded": (records_encoded, 20261207),
    "records-notations": (records_notations, 20261208),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_an_untouched_case_shows_every_planted_value_to_the_judge(name: str) -> None:
    """The yardstick: with nothing tokenized the judge reads every planted value (through its layers)."""
    for outcome in untouched(*BUILDERS[name], N):
        assert len(outcome.leaked) == len(outcome.case.planted), outcome.summary()


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_values_only_their_key_names_are_tokenized_in_encoded_layers_and_other_notations(
    fresh: ChainHarness, name: str
) -> None:
    build, seed = BUILDERS[name]
    outcomes = fresh.run_seeded(build, seed, N)
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []
