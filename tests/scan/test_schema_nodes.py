"""A field rule's key names a JSON Schema property in an elicitation's requested schema or a tool's input
schema (`"email": {"type": "string", "format": "email", …}`): the schema describes a value and holds none,
so the rule is not carried into it — while the same key over a value, a list or a record is tokenized."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

RULE_KEYS = ["email", "emailAddress", "phone", "phoneNumber", "fullName", "contactEmail", "mobile"]
TYPES = ["string", "integer", "number", "boolean", "array", "object", "null"]
WORDS = st.sampled_from(["Your email address", "Phone number", "Full legal name", "Contact details"])


@st.composite
def schema_property(draw: Any) -> dict[str, Any]:
    prop: dict[str, Any] = {"type": draw(st.sampled_from(TYPES))}
    if draw(st.booleans()):
        prop["description"] = draw(WORDS)
    if draw(st.booleans()):
        prop["title"] = draw(WORDS)
    if draw(st.booleans()):
        prop["format"] = draw(st.sampled_from(["email", "uri", "date"]))
    return prop


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(RULE_KEYS), prop=schema_property())
def test_a_schema_property_named_like_a_field_rule_comes_back_unchanged(through, key, prop) -> None:
    params = {
        "mode": "form",
        "message": "Please provide inputs",
        "requestedSchema": {"type": "object", "properties": {key: prop}},
    }
    out = through(params, method="elicitation/create", kind="request", tool=None)
    assert "[[" not in out, out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(["email", "emails", "contactEmail"]), n=st.integers(1, 3))
def test_the_same_key_over_values_is_tokenized(through, key, n) -> None:
    values = [f"person{i}.quist@acme-{i}.example" for i in range(n)]
    out = through({"structuredContent": {key: [{"value": v, "kind": "work"} for v in values]}, "content": []})
    assert not any(v in out for v in values)
