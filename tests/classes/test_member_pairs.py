"""A label and its value written as two member pairs of one object (`member_pairs`), and a number under a
customer- or account-number key however many digits it has, through the real to-client chain of a
default install (`proxy/scan/member_roles.py`, `proxy/scan/labels.py`, `ToClientWalker._other`).

Figures at the time of writing, 150 seeded cases each, cases leaking (or altered) before → after:
- member pairs (role words in any spelling: `k`/`v`, `Name`/`Value`, `propertyID`/`newValue`,
  `attr_name`/`attrValue`, `header`/`cell`, `id`/`content`; a string, a JSON number, a one-member wrapper;
  nested, in attribute lists, long lists, logs, resources, JSON text, a Python `repr` in a text):
  111/150 → 3/150 (lower-case names whose surname is also a word, `teresa hering`, `céline palomino`: a
  label alone does not take such a value for a name, by design: `labels.label_entity`);
- numbers under a customer- or account-number key, 6 to 12 digits, a string or a JSON number: 25/150 →
  0/150 (every leak a six-digit JSON number);
- look-alikes in the same spellings (metrics, flags, products, versions, OpenTelemetry attributes, counts
  under account words), one session per case: altered 1/150 → 0/150 (`phone_calls` read as a phone).
Mutation-checked: with only the old exact role names (`member_roles.member_role`) the first is back at
102/150, without the text records' reader (`keyed_text._Beside`) at 20/150; without the number branch of
`ToClientWalker._other` the second is back at 25/150.
"""

from __future__ import annotations

from random import Random

from tests.classes.harness import ChainHarness, judge
from tests.classes.member_pairs import key_numbers, member_lookalikes, member_pairs

N = 150


def test_an_untouched_case_shows_every_planted_value_to_the_judge() -> None:
    """The yardstick: with nothing tokenized the judge reads every planted value."""
    for build, seed in ((member_pairs, 20261212), (key_numbers, 20261213)):
        rng = Random(seed)
        for case in (build(rng) for _ in range(N)):
            assert len(judge(case, [m.payload for m in case.messages]).leaked) == 1, case.describe()


def test_a_value_named_by_a_label_in_another_member_of_its_object_is_tokenized(fresh: ChainHarness) -> None:
    """`{"k": "ssn", "v": "078051120"}`, `{"@type": "PropertyValue", "propertyID": "ssn", "value": …}`,
    `[{"Name": "phone_number", "Value": …}]`, `{"property": "kundennummer", "newValue": 482913}`,
    `{"key": "ssn", "value": {"stringValue": …}}`: the label names the value whatever the members are
    called, as long as their names' head words are a label's and a value's."""
    outcomes = fresh.run_seeded(member_pairs, 20261212, N)
    leaky = [o.summary() for o in outcomes if o.leaked or o.blocked]
    # Left by design: a lower-case name with a surname that is a word (`teresa hering`) under a label.
    assert len(leaky) <= 3, leaky
    assert all("[person]" in s for s in leaky), leaky


def test_a_number_under_a_customer_number_key_is_tokenized_as_its_string_would_be(
    fresh: ChainHarness,
) -> None:
    """`{"account_number": 123456}`, `{"customerNumber": 482913}`, `{"kundennummer": 5120394}`: a JSON
    number of six digits or more is what the key names, as the same digits in a string are."""
    outcomes = fresh.run_seeded(key_numbers, 20261213, N)
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []


def test_metrics_flags_products_and_service_attributes_in_member_pairs_stay(fresh: ChainHarness) -> None:
    """`{"name": "clicks", "value": 123456789}`, `{"key": "dark_mode", "value": "on"}`, `{"name": "Phone",
    "value": "Pixel 8"}`, `{"key": "service.name", "value": {"stringValue": "checkout"}}`, `{"account_count":
    123456}`: one session per case (a value one case tokenized would be the next case's known value)."""
    rng = Random(20261214)
    outcomes = [ChainHarness(fresh.engine).run(member_lookalikes(rng)) for _ in range(N)]
    assert [o.summary() for o in outcomes if o.altered or o.blocked] == []
