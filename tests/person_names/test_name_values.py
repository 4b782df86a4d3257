"""Short strings: which read as a person's name, which keys hold them, which columns are name columns.

Rates over seeded generated samples (deterministic), names from Faker's locale lists (never the detector's
own lexicon), non-names in the shapes our backends return.
"""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.detect.names import is_name_column, is_name_key, looks_like_name, person_name_likelihood
from tests.person_names.generators import NON_NAME_KINDS, non_names, person_names

NAMES = person_names(2000, seed=11)


def test_generated_person_names_read_as_names_in_all_their_written_forms():
    missed = [n for n in NAMES if not looks_like_name(n)]
    assert len(missed) / len(NAMES) <= 0.05, missed[:20]


@pytest.mark.parametrize("kind", sorted(NON_NAME_KINDS))
def test_queries_products_campaigns_enums_and_companies_do_not_read_as_names(kind):
    sample = [v for _, v in non_names(600, seed=12, kinds=[kind])]
    taken = [v for v in sample if looks_like_name(v)]
    assert len(taken) / len(sample) <= 0.01, taken


def test_upper_casing_a_name_keeps_it_a_name():
    kept = [n for n in NAMES if looks_like_name(n) and looks_like_name(n.upper())]
    readable = [n for n in NAMES if looks_like_name(n)]
    assert len(kept) / len(readable) >= 0.97


def test_lowercase_query_words_do_not_become_names_by_capitalisation():
    queries = [v for _, v in non_names(600, seed=13, kinds=["query"])]
    titled = [q.title() for q in queries if not any(c.isdigit() for c in q)]
    taken = [q for q in titled if looks_like_name(q)]
    assert len(taken) / len(titled) <= 0.03, taken


@given(st.text(max_size=80))
@settings(max_examples=300, derandomize=True)
def test_the_likelihood_of_any_string_is_a_probability(text):
    assert 0.0 <= person_name_likelihood(text) <= 1.0


# ------------------------------------------------------------------------------------------------ keys

ROLE_WORDS = ["owner", "assignee", "contact", "manager", "rep", "author", "reviewer", "recipient", "sender"]
NAME_QUALIFIERS = ["first", "last", "given", "family", "full", "display", "contact", "owner", "middle"]
OTHER_WORDS = ["campaign", "product", "file", "site", "account", "page", "ad", "keyword", "company", "client"]
SUFFIX_FIELDS = ["id", "email", "phone", "url", "count", "type", "status", "date", "ids"]


def _spell(parts: list[str], style: int) -> str:
    if style == 0:
        return parts[0] + "".join(p.capitalize() for p in parts[1:])
    if style == 1:
        return "_".join(parts)
    if style == 2:
        return "-".join(parts)
    if style == 3:
        return "_".join(parts).upper()
    return "".join(p.capitalize() for p in parts)


styles = st.integers(0, 4)
prefixes = st.lists(
    st.sampled_from(["sales", "account", "primary", "last", "created", "billing"]), max_size=2
)


@given(prefixes, st.sampled_from(ROLE_WORDS), styles)
@settings(derandomize=True)
def test_keys_ending_in_a_person_role_are_name_keys_in_any_spelling(prefix, role, style):
    assert is_name_key(_spell([*prefix, role], style))


@given(st.sampled_from(NAME_QUALIFIERS), styles)
@settings(derandomize=True)
def test_a_name_after_a_person_word_is_a_name_key(qualifier, style):
    assert is_name_key(_spell([qualifier, "name"], style))


@given(st.sampled_from(["created", "updated", "modified", "approved", "sent", "assigned"]), styles)
@settings(derandomize=True)
def test_someone_who_did_something_is_a_name_key(verb, style):
    assert is_name_key(_spell([verb, "by"], style))


@given(st.sampled_from(OTHER_WORDS), styles)
@settings(derandomize=True)
def test_the_name_of_a_thing_is_not_a_name_key(thing, style):
    assert not is_name_key(_spell([thing, "name"], style))


@given(st.sampled_from(ROLE_WORDS), st.sampled_from(SUFFIX_FIELDS), styles)
@settings(derandomize=True)
def test_a_field_of_a_person_that_is_not_their_name_is_not_a_name_key(role, field, style):
    assert not is_name_key(_spell([role, field], style))


# --------------------------------------------------------------------------------------------- columns


@pytest.mark.parametrize("key", ["owner", "name", "displayName", "value", "label"])
def test_columns_of_person_names_are_name_columns_under_any_key(key):
    rng = random.Random(key)
    columns = [rng.sample(NAMES, rng.randint(3, 30)) for _ in range(150)]
    found = sum(is_name_column(key, c) for c in columns)
    assert found / len(columns) >= 0.97


@pytest.mark.parametrize("key", ["name", "value", "title"])
@pytest.mark.parametrize("kind", sorted(NON_NAME_KINDS))
def test_columns_of_queries_products_campaigns_and_companies_are_not_name_columns(kind, key):
    rng = random.Random(f"{kind}{key}")
    values = [v for _, v in non_names(1500, seed=14, kinds=[kind])]
    columns = [rng.sample(values, rng.randint(2, 30)) for _ in range(150)]
    wrong = sum(is_name_column(key, c) for c in columns)
    assert wrong / len(columns) <= 0.01


def test_a_column_with_no_text_is_not_a_name_column():
    assert not is_name_column("owner", ["", "  "])


def test_keys_generated_from_role_words_and_qualifiers_are_name_keys():
    from tests.classes.people import role_key

    rng = random.Random(14)
    keys = {role_key(rng) for _ in range(400)}
    missed = sorted(k for k in keys if not is_name_key(k))
    assert not missed, missed


def test_keys_that_end_in_another_word_or_only_contain_a_role_are_no_name_keys():
    rng = random.Random(15)
    roles = ["owner", "manager", "assignee", "user", "reviewer", "rep", "contact", "author"]
    tails = ["Email", "_id", "Id", "Count", "Url", "_phone", "Type", "Role"]
    keys = [f"{rng.choice(roles)}{rng.choice(tails)}" for _ in range(200)]
    keys += ["campaignName", "productName", "prep", "browser", "keyword", "representation"]
    taken = sorted({k for k in keys if is_name_key(k)})
    assert not taken, taken
