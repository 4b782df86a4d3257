"""A tool's `outputSchema`, rewritten so every field that may carry a token accepts one.

Clients validate a result's `structuredContent` against the tool's `outputSchema` (the Python SDK refuses a
result that does not validate; the TypeScript SDK too). The proxy replaces personal values with tokens,
which are strings: a customer id typed `integer`, an email with `format: email`, a code with a `pattern`,
a `maxLength` or an `enum` would make the client reject the very result the proxy protected. So the schema
the client sees is widened exactly there: each schema of a value position that a token-bearing string would
fail becomes `{"anyOf": [<the original, its own children rewritten>, TOKEN_SCHEMA]}`, where TOKEN_SCHEMA
accepts a string that holds a token (a token may replace part of a string: `"call [[PHONE_NUMBER:…]]"`).

Nothing else changes: a value without a token validates against the rewritten schema exactly when it did
against the original (the token alternative matches only strings holding a token), with two deliberate,
documented widenings where a token could otherwise still break validation:
- object keys are scanned too, so an object closed with `additionalProperties: false` (or
  `unevaluatedProperties: false`) also admits keys shaped like a token (`patternProperties`);
- a `oneOf` whose branches had fields rewritten becomes an `anyOf` (a token in a field can make a value
  match two branches that the original value told apart).

The walk follows JSON Schema's keywords (drafts 4 to 2020-12): value positions (`properties`, `items`,
`$defs`, …) are wrapped; in-place subschemas (`allOf`/`anyOf`/`oneOf` branches, `then`/`else`,
`dependentSchemas`) have their own value positions rewritten, as the value position holding them is
wrapped whole; `not` and `if` are left alone (rewriting inside a negation or a condition would narrow it).
A local `$ref` into `$defs` keeps resolving: definitions are wrapped where they stand.
"""

from __future__ import annotations

from typing import Any

from vault.tokens import ENTITY_RE, ID_LENGTH

# The token format of `vault.tokens` as an ECMA-262 pattern (JSON Schema's `pattern` dialect), unanchored:
# a string that holds a token anywhere.
TOKEN_PATTERN = r"\[\[" + ENTITY_RE + r":[a-z2-7]{" + str(ID_LENGTH) + r"}\]\]"
TOKEN_SCHEMA: dict[str, Any] = {"type": "string", "pattern": TOKEN_PATTERN}

# Keywords that never reject a string: annotations, and assertions about other instance types only.
_STRING_NEUTRAL = frozenset(
    {
        "$schema", "$id", "$anchor", "$dynamicAnchor", "$comment", "$defs", "definitions", "$vocabulary",
        "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly",
        "contentMediaType", "contentEncoding", "contentSchema",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "properties", "patternProperties", "additionalProperties", "unevaluatedProperties", "required",
        "minProperties", "maxProperties", "propertyNames", "dependentRequired", "dependentSchemas",
        "dependencies", "items", "prefixItems", "additionalItems", "unevaluatedItems", "contains",
        "minContains", "maxContains", "minItems", "maxItems", "uniqueItems",
    }
)  # fmt: skip
# Instance types a token can stand for: the walker tokenizes strings and numbers, never booleans, nulls or
# whole objects and arrays.
_TOKENIZABLE = frozenset({"string", "integer", "number"})
# Keywords whose value is a map of name -> the schema of a value position.
_VALUE_MAPS = ("properties", "patternProperties", "$defs", "definitions")
# Keywords whose value is the schema of a value position.
_VALUE_ONE = (
    "additionalProperties",
    "unevaluatedProperties",
    "additionalItems",
    "unevaluatedItems",
    "contains",
)
# Keywords whose value is a list of schemas of value positions.
_VALUE_LISTS = ("prefixItems",)
# Keywords whose subschemas apply in place, to the same instance.
_IN_PLACE_LISTS = ("allOf", "anyOf", "oneOf")
_IN_PLACE_ONE = ("then", "else")
_IN_PLACE_MAPS = ("dependentSchemas",)


def accept_tokens(schema: Any) -> Any:
    """The schema, rewritten so every value a token may stand for accepts one; a new object (the original
    is not touched). Not a schema object (a boolean schema, garbage): returned as it is."""
    if type(schema) is not dict:
        return schema
    return _value(schema)


def rewrite_tools(result: Any) -> bool:
    """Rewrite the `outputSchema` of each tool of a `tools/list` result in place; whether any changed."""
    if type(result) is not dict or type(tools := result.get("tools")) is not list:
        return False
    changed = False
    for tool in tools:
        if type(tool) is dict and type(schema := tool.get("outputSchema")) is dict:
            rewritten = accept_tokens(schema)
            if rewritten != schema:
                tool["outputSchema"] = rewritten
                changed = True
    return changed


def _value(node: Any) -> Any:
    """The schema of a value position: its children rewritten, and wrapped if a token would fail it."""
    if type(node) is not dict:
        return node
    rewritten = _children(node)
    if _may_hold_token(node) and not _accepts_any_string(node):
        return {"anyOf": [rewritten, TOKEN_SCHEMA]}
    return rewritten


def _children(node: dict[str, Any]) -> dict[str, Any]:
    """A copy of `node` with the value positions below it rewritten (the node's own assertions kept)."""
    out = dict(node)
    for key in _VALUE_MAPS:
        if type(sub := node.get(key)) is dict:
            out[key] = {name: _value(s) for name, s in sub.items()}
    for key in _VALUE_ONE:
        if key in node:
            out[key] = _value(node[key])
    for key in _VALUE_LISTS:
        if type(sub := node.get(key)) is list:
            out[key] = [_value(s) for s in sub]
    items = node.get("items")
    if type(items) is list:  # drafts 4-7: a tuple of positions
        out["items"] = [_value(s) for s in items]
    elif items is not None:
        out["items"] = _value(items)
    if "propertyNames" in node:  # keys are scanned and may be tokenized too
        out["propertyNames"] = _value(node["propertyNames"])
    for key in _IN_PLACE_LISTS:
        if type(sub := node.get(key)) is list:
            out[key] = [_children(s) if type(s) is dict else s for s in sub]
    for key in _IN_PLACE_ONE:
        if type(sub := node.get(key)) is dict:
            out[key] = _children(sub)
    for key in _IN_PLACE_MAPS:
        if type(sub := node.get(key)) is dict:
            out[key] = {name: _children(s) if type(s) is dict else s for name, s in sub.items()}
    if type(deps := node.get("dependencies")) is dict:  # draft 7: a schema or a list of names
        out["dependencies"] = {k: _children(v) if type(v) is dict else v for k, v in deps.items()}
    _open_to_token_keys(node, out)
    _one_of_to_any_of(node, out)
    return out


def _open_to_token_keys(node: dict[str, Any], out: dict[str, Any]) -> None:
    """An object closed to other keys admits keys shaped like a token (a key is scanned like a value)."""
    if node.get("additionalProperties") is False or node.get("unevaluatedProperties") is False:
        patterns = dict(out.get("patternProperties") or {})
        patterns.setdefault(TOKEN_PATTERN, True)
        out["patternProperties"] = patterns


def _one_of_to_any_of(node: dict[str, Any], out: dict[str, Any]) -> None:
    """A `oneOf` whose branches changed becomes an `anyOf`: a token may make two branches match."""
    if "oneOf" not in out or out["oneOf"] == node["oneOf"]:
        return
    branches = out.pop("oneOf")
    if "anyOf" not in out:
        out["anyOf"] = branches
    else:
        out["allOf"] = [*out.get("allOf", []), {"anyOf": branches}]


def _may_hold_token(node: dict[str, Any]) -> bool:
    """Whether the instance at this position may be a string or a number (what a token stands for)."""
    declared = node.get("type")
    if declared is None:
        return True
    if type(declared) is str:
        return declared in _TOKENIZABLE
    if type(declared) is list:
        return any(t in _TOKENIZABLE for t in declared)
    return True  # a malformed `type`: assume the worst


def _accepts_any_string(node: dict[str, Any]) -> bool:
    """Whether the schema already accepts every string (so a token too): it allows the type `string` and
    asserts nothing about strings (no `pattern`, `format`, lengths, `enum`, `const`, combinator, `$ref`,
    nor any keyword it does not know)."""
    declared = node.get("type")
    if (
        declared is not None
        and declared != "string"
        and not (type(declared) is list and "string" in declared)
    ):
        return False
    return all(key == "type" or key in _STRING_NEUTRAL for key in node)
