"""A JSON Schema's value positions (`default`, `const`, `enum`, `examples` of a property, in a tool's
inputSchema or an elicitation's requested schema) hold what the server's author wrote: a person name there
needs evidence beyond its shape to be tokenized, while every other detector, the property's key rule, the
session's known values and the same value anywhere else in the message still apply."""

from __future__ import annotations

import json
from typing import Any

from faker import Faker
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

_FAKE = Faker(["en_US", "en_GB", "de_DE", "fr_FR", "es_ES"])
_FAKE.seed_instance(15)
NAMES = [_FAKE.name() for _ in range(200)]
_US = Faker("en_US")
_US.seed_instance(16)
PLAIN_NAMES = [f"{_US.first_name()} {_US.last_name()}" for _ in range(200)]  # given name, surname
POSITIONS = ["default", "const", "enum", "examples"]
PROPS = ["name", "contact", "who", "owner_hint", "label"]
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _prop(position: str, value: str) -> dict[str, Any]:
    prop: dict[str, Any] = {"type": "string"}
    prop[position] = [value] if position in ("enum", "examples") else value
    return prop


def _message(where: str, prop_name: str, prop: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(params, the keyword arguments of `through`) for the schema in an elicitation or a tools/list."""
    schema = {"type": "object", "properties": {prop_name: prop}}
    if where == "elicitation":
        params = {"mode": "form", "message": "Please confirm", "requestedSchema": schema}
        return params, {"method": "elicitation/create", "kind": "request", "tool": None}
    tool = {"name": "lookup", "description": "Looks a record up.", "inputSchema": schema}
    return {"tools": [tool]}, {"method": "tools/list", "tool": None}


@SETTINGS
@given(
    name=st.sampled_from(NAMES),
    position=st.sampled_from(POSITIONS),
    prop_name=st.sampled_from(PROPS),
    where=st.sampled_from(["elicitation", "tools/list"]),
)
def test_a_placeholder_name_in_a_schema_value_position_comes_back_unchanged(
    through, name, position, prop_name, where
) -> None:
    params, kwargs = _message(where, prop_name, _prop(position, name))
    before = json.dumps(params, ensure_ascii=False)
    assert through(params, **kwargs) == before


@SETTINGS
@given(
    n=st.integers(0, 10**6),
    position=st.sampled_from(POSITIONS),
    where=st.sampled_from(["elicitation", "tools/list"]),
    shape=st.sampled_from(["{e}", "for example {e}", "{e} (work)"]),
)
def test_an_email_in_a_schema_value_position_is_tokenized(through, n, position, where, shape) -> None:
    email = f"m.quist{n}@acme-{n % 97}.example"
    params, kwargs = _message(where, "who", _prop(position, shape.format(e=email)))
    out = through(params, **kwargs)
    assert email not in out and "[[EMAIL_ADDRESS:" in out


@SETTINGS
@given(name=st.sampled_from(NAMES), where=st.sampled_from(["elicitation", "tools/list"]))
def test_a_name_the_session_has_seen_is_tokenized_in_a_schema_default(through, name, where) -> None:
    through({"content": [{"type": "text", "text": f"Account manager: {name}, since 2021."}]})
    params, kwargs = _message(where, "who", _prop("default", name))
    assert name not in through(params, **kwargs)


@SETTINGS
@given(name=st.sampled_from(PLAIN_NAMES))  # what reads as a name in the sentence (NER misses some)
def test_a_name_also_in_the_message_text_is_tokenized_in_the_schema_too(through, name) -> None:
    schema = {"type": "object", "properties": {"who": _prop("default", name)}}
    params = {"message": f"Should we email {name} the report?", "requestedSchema": schema}
    out = through(params, method="elicitation/create", kind="request", tool=None)
    assert name not in out


@SETTINGS
@given(name=st.sampled_from(NAMES), where=st.sampled_from(["elicitation", "tools/list"]))
def test_a_schema_default_under_a_person_key_rule_is_tokenized(through, name, where) -> None:
    params, kwargs = _message(where, "fullName", _prop("default", name))
    assert name not in through(params, **kwargs)


@SETTINGS
@given(name=st.sampled_from(PLAIN_NAMES), where=st.sampled_from(["elicitation", "tools/list"]))
def test_a_name_also_an_object_key_of_the_message_is_tokenized_in_the_schema_too(
    through, name, where
) -> None:
    """An object key is judged with every detector like any leaf: the same string in a schema position is
    no placeholder then, and neither copy reaches the client."""
    params, kwargs = _message(where, "who", _prop("default", name))
    params["_meta"] = {"hours_by_employee": {name: 38}}
    assert name not in through(params, **kwargs)
