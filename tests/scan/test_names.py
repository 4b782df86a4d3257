"""Class: bare person names in short fields, decided per column of records or per record, tokenized whole;
search queries and product names in the same shapes stay readable."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.person_names.generators import non_names, person_names

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NAME_KEYS = ["owner", "name", "displayName", "createdBy", "accountManager", "assignee"]


def _payload(rows):
    return {"content": [], "structuredContent": {"items": rows}}


def test_a_column_of_names_in_a_list_of_records_is_tokenized_whole_for_short_and_long_lists(through):
    @SETTINGS
    @given(st.integers(0, 10**6), st.sampled_from(NAME_KEYS), st.sampled_from([3, 8, 40]))
    def check(seed, key, n):
        names = person_names(n, seed)
        rows = [{"id": i, key: name, "clicks": i} for i, name in enumerate(names)]
        out = json.loads(through(_payload(rows)))["structuredContent"]["items"]
        assert [r[key] for r in out if not r[key].startswith("[[PERSON:")] == []
        assert [row["clicks"] for row in out] == list(range(n))

    check()


def test_a_name_object_under_a_name_key_has_its_parts_tokenized(through):
    @SETTINGS
    @given(st.integers(0, 10**6), st.sampled_from(["name", "owner", "contact_name"]))
    def check(seed, key):
        first, last = (
            person_names(1, seed)[0].split(" ", 1) if " " in person_names(1, seed)[0] else ("A", "B")
        )
        out = json.loads(through({"content": [], "structuredContent": {key: {"first": first, "last": last}}}))
        parts = out["structuredContent"][key]
        assert parts["first"].startswith("[[PERSON:") and parts["last"].startswith("[[PERSON:")

    check()


def test_queries_products_and_campaigns_in_record_columns_stay_readable(through):
    @SETTINGS
    @given(st.integers(0, 10**6), st.sampled_from(["query", "product", "campaign"]), st.sampled_from([5, 40]))
    def check(seed, kind, n):
        values = [v for v, _ in non_names(n, seed, kinds=[kind])]
        rows = [{kind: v, "name": v, "impressions": i} for i, v in enumerate(values)]
        out = json.loads(through(_payload(rows)))["structuredContent"]["items"]
        kept = sum(row[kind] == v for row, v in zip(out, values, strict=True))
        assert kept >= 0.9 * len(values)

    check()


def test_a_schema_property_named_name_is_no_record_and_its_default_passes_an_elicitation(through):
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string", "default": "John Doe"}, "age": {"type": "integer"}},
    }
    params = {"message": "Please confirm your details", "requestedSchema": schema}
    out = json.loads(through(params, method="elicitation/create", kind="request", tool=None))
    assert out["requestedSchema"] == schema
