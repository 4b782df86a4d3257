"""A tool's `outputSchema` rewritten so a field that may carry a token accepts one, and nothing else
changes (`proxy.scan.output_schema`), checked with the validator the Python SDK client uses (jsonschema),
formats included."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator, Draft202012Validator, FormatChecker

from proxy.scan.output_schema import TOKEN_PATTERN, accept_tokens, rewrite_tools

EMAIL_TOKEN = "[[EMAIL_ADDRESS:k7q2mzx4tz3bswab]]"
ID_TOKEN = "[[GOOGLE_ADS_CUSTOMER_ID:abcdefgh23456723]]"


def valid(schema: dict[str, Any], instance: Any, draft: type = Draft202012Validator) -> bool:
    return draft(schema, format_checker=FormatChecker()).is_valid(instance)


@pytest.mark.parametrize(
    ("field", "original", "token"),
    [
        ({"type": "integer", "minimum": 1}, 7157461338, ID_TOKEN),
        (
            {"type": "string", "pattern": r"^\+[0-9 ]+$"},
            "+1 415 555 0134",
            "[[PHONE_NUMBER:abcdefgh23456723]]",
        ),
        ({"type": "string", "format": "email"}, "jane@acme.example", EMAIL_TOKEN),
        ({"type": "string", "maxLength": 12}, "Jane Miller", "[[PERSON:abcdefgh23456723]]"),
        ({"enum": ["jane@acme.example", "desk@acme.example"]}, "jane@acme.example", EMAIL_TOKEN),
        ({"const": "jane@acme.example"}, "jane@acme.example", EMAIL_TOKEN),
        ({"type": ["number", "null"]}, 4155550134, "[[PHONE_NUMBER:abcdefgh23456723]]"),
    ],
)
def test_a_typed_field_that_refused_a_token_accepts_one_and_still_accepts_its_value(field, original, token):
    schema = {"type": "object", "properties": {"f": field}, "required": ["f"]}
    assert not valid(schema, {"f": token})  # the bug: the client refuses the protected result
    rewritten = accept_tokens(schema)
    assert valid(rewritten, {"f": token})
    assert valid(rewritten, {"f": original})


def test_a_token_inside_a_longer_string_is_accepted_where_a_pattern_would_refuse_it():
    schema = {"type": "object", "properties": {"note": {"type": "string", "pattern": "^[a-z ]+$"}}}
    assert valid(accept_tokens(schema), {"note": f"write to {EMAIL_TOKEN} today"})


def test_a_value_that_failed_the_original_schema_still_fails_the_rewritten_one():
    schema = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "email": {"type": "string", "format": "email"},
            "state": {"enum": ["on", "off"]},
            "name": {"type": "string", "maxLength": 4},
        },
        "additionalProperties": False,
    }
    rewritten = accept_tokens(schema)
    for bad in ({"id": "12"}, {"email": "not an email"}, {"state": "maybe"}, {"name": "toolong"}, {"x": 1}):
        assert not valid(schema, bad) and not valid(rewritten, bad), bad
    assert not valid(rewritten, {"id": "[[EMAIL_ADDRESS:short]]"})  # token-shaped is not a token


def test_fields_that_accept_any_string_or_cannot_hold_a_token_are_left_as_they_were():
    schema = {
        "type": "object",
        "title": "Record",
        "properties": {
            "free": {"type": "string", "description": "any text"},
            "flag": {"type": "boolean"},
            "nothing": {"type": "null"},
            "nested": {"type": "object", "properties": {"text": {"type": "string"}}},
        },
        "required": ["free"],
    }
    assert accept_tokens(schema) == schema


def test_the_original_schema_object_is_never_modified():
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "additionalProperties": False}
    before = copy.deepcopy(schema)
    accept_tokens(schema)
    assert schema == before


def test_fields_under_defs_refs_arrays_tuples_and_maps_accept_tokens():
    schema = {
        "type": "object",
        "$defs": {"Email": {"type": "string", "format": "email"}},
        "properties": {
            "owner": {"$ref": "#/$defs/Email"},
            "rows": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}}}},
            "pair": {
                "type": "array",
                "prefixItems": [{"type": "integer"}, {"type": "string", "maxLength": 3}],
            },
            "byName": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
    }
    instance = {
        "owner": EMAIL_TOKEN,
        "rows": [{"id": ID_TOKEN}, {"id": 3}],
        "pair": [ID_TOKEN, "[[PERSON:abcdefgh23456723]]"],
        "byName": {"a": ID_TOKEN},
    }
    assert not valid(schema, instance)
    assert valid(accept_tokens(schema), instance)


def test_draft_7_tuple_items_and_definitions_accept_tokens():
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": {"Id": {"type": "integer"}},
        "type": "object",
        "properties": {
            "ids": {"type": "array", "items": [{"$ref": "#/definitions/Id"}, {"type": "integer"}]}
        },
    }
    instance = {"ids": [ID_TOKEN, ID_TOKEN]}
    assert not valid(schema, instance, Draft7Validator)
    assert valid(accept_tokens(schema), instance, Draft7Validator)


def test_a_key_turned_into_a_token_is_accepted_by_a_closed_object():
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False}
    assert not valid(schema, {EMAIL_TOKEN: "x"})
    assert valid(accept_tokens(schema), {EMAIL_TOKEN: "x", "a": "y"})
    names = {"type": "object", "propertyNames": {"format": "email"}}
    assert valid(accept_tokens(names), {EMAIL_TOKEN: 1})


def test_a_one_of_told_apart_by_a_field_becomes_an_any_of_so_a_token_there_validates():
    schema = {
        "oneOf": [
            {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]},
            {
                "type": "object",
                "properties": {"id": {"type": "string", "format": "email"}},
                "required": ["id"],
            },
        ]
    }
    assert valid(schema, {"id": 5}) and not valid(schema, {"id": ID_TOKEN})
    rewritten = accept_tokens(schema)
    assert "oneOf" not in rewritten and valid(rewritten, {"id": ID_TOKEN}) and valid(rewritten, {"id": 5})


def test_a_negation_and_a_condition_are_not_narrowed():
    schema = {
        "type": "object",
        "properties": {"kind": {"not": {"const": "x"}}},
        "if": {"properties": {"kind": {"const": "a"}}},
        "then": {"properties": {"n": {"type": "integer"}}},
    }
    rewritten = accept_tokens(schema)
    assert rewritten["if"] == schema["if"] and rewritten["properties"]["kind"]["anyOf"][0] == {
        "not": {"const": "x"}
    }
    assert valid(rewritten, {"kind": "a", "n": ID_TOKEN})


def test_rewrite_tools_changes_only_output_schemas_and_says_whether_it_did():
    result = {
        "tools": [
            {"name": "a", "inputSchema": {"type": "object", "properties": {"n": {"type": "integer"}}}},
            {"name": "b", "inputSchema": {"type": "object"}, "outputSchema": {"type": "object"}},
            {
                "name": "c",
                "inputSchema": {"type": "object"},
                "outputSchema": {"properties": {"n": {"type": "integer"}}},
            },
        ],
        "nextCursor": "2",
    }
    before = copy.deepcopy(result)
    assert rewrite_tools(result)
    assert result["tools"][:2] == before["tools"][:2] and result["nextCursor"] == "2"
    assert result["tools"][2]["outputSchema"]["properties"]["n"]["anyOf"][1]["pattern"] == TOKEN_PATTERN
    assert not rewrite_tools({"tools": [{"name": "x", "outputSchema": {"type": "object"}}]})
    assert not rewrite_tools({"tools": "garbage"}) and not rewrite_tools(None)


def test_a_listed_tool_comes_out_of_the_real_chain_accepting_its_tokenized_result(through):
    schema = {
        "type": "object",
        "properties": {"customerId": {"type": "integer"}, "email": {"type": "string", "format": "email"}},
        "required": ["customerId", "email"],
    }
    listed = json.loads(
        through(
            {"tools": [{"name": "t", "inputSchema": {"type": "object"}, "outputSchema": schema}]},
            method="tools/list",
            tool=None,
        )
    )
    called = json.loads(
        through(
            {
                "content": [],
                "structuredContent": {"customerId": 7157461338, "email": "jane@acme-plumbing.example"},
            },
            method="tools/call",
            tool="t",
        )
    )
    structured = called["structuredContent"]
    assert "7157461338" not in json.dumps(structured) and "jane@" not in json.dumps(structured)
    assert not valid(schema, structured)
    assert valid(listed["tools"][0]["outputSchema"], structured)


# --------------------------------------------------------------------------- nothing else changes
LEAVES = st.sampled_from(
    [
        {"type": "integer", "minimum": 0},
        {"type": "string", "pattern": "^[a-z]+$"},
        {"type": "string", "format": "email"},
        {"type": "string", "maxLength": 3},
        {"enum": ["a", "b", 1]},
        {"const": "x"},
        {"type": "boolean"},
        {"type": "string"},
        {"type": ["integer", "null"]},
    ]
)
SCHEMAS = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.builds(
            lambda p, closed: {"type": "object", "properties": p, "additionalProperties": not closed},
            st.dictionaries(st.sampled_from("abc"), inner, max_size=3),
            st.booleans(),
        ),
        st.builds(lambda i: {"type": "array", "items": i}, inner),
        st.builds(lambda bs: {"anyOf": bs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda bs: {"allOf": bs}, st.lists(inner, min_size=1, max_size=2)),
    ),
    max_leaves=6,
)
PLAIN = st.recursive(
    st.one_of(
        st.integers(-2, 5),
        st.sampled_from(["a", "b", "x", "abcd", "Q", "j@a.example"]),
        st.booleans(),
        st.none(),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from("abcd"), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=SCHEMAS, instance=PLAIN)
def test_a_value_without_tokens_validates_against_the_rewritten_schema_exactly_when_it_did_before(
    schema, instance
):
    assert valid(accept_tokens(schema), instance) == valid(schema, instance)
