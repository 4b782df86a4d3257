"""The protocol's typed numbers, read from the MCP SDK's own models: `proxy.scan.protocol` knows them all.

Every model a message toward the client can carry (server requests and notifications, results of the
client's requests, in every protocol version the SDK maps, and ErrorData) is walked field by field; each
field whose type admits a number (int, float, `str | int` ids and tokens) must be a key the guard knows,
and no path to it may pass through a key the guard treats as data.
"""

from __future__ import annotations

import types as pytypes
import typing
from typing import Any

import mcp.types as types
from mcp_types import methods
from pydantic import BaseModel

from proxy.scan.protocol import DATA_KEYS, PROTOCOL_NUMBER_KEYS

# Envelope fields, screened with the method name (`proxy.filters.tokenize`), not inside the payload.
_ENVELOPE = {"id"}


def _numeric(ann: Any) -> bool:
    if ann is int or ann is float:
        return True
    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        return _numeric(typing.get_args(ann)[0])
    if origin in (typing.Union, pytypes.UnionType):
        return any(_numeric(a) for a in typing.get_args(ann))
    return False


def _models(ann: Any) -> list[type[BaseModel]]:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return [ann]
    return [m for a in typing.get_args(ann) for m in _models(a)]


def _typed_numbers() -> dict[str, set[str]]:
    """alias -> the paths (method.field...) where the schema types a number under it."""
    found: dict[str, set[str]] = {}

    def walk(model: type[BaseModel], path: tuple[str, ...], seen: frozenset[type]) -> None:
        if model in seen:
            return
        for name, f in model.model_fields.items():
            alias = f.alias or name
            here = (*path, alias)
            if _numeric(f.annotation):
                found.setdefault(alias, set()).add(".".join(here))
            for sub in _models(f.annotation):
                walk(sub, here, seen | {model})

    roots = [*methods.SERVER_REQUESTS.items(), *methods.SERVER_NOTIFICATIONS.items()]
    roots += list(methods.SERVER_RESULTS.items())
    for (method, _version), model in roots:
        for m in _models(model):
            walk(m, (method,), frozenset())
    walk(types.ErrorData, ("error",), frozenset())
    return found


def test_every_number_the_schema_types_toward_the_client_is_a_guarded_key() -> None:
    found = _typed_numbers()
    assert {"code", "progress", "total", "size", "maxTokens"} <= found.keys()  # the walk reads the SDK
    missing = {k: sorted(v)[:2] for k, v in found.items() if k not in PROTOCOL_NUMBER_KEYS | _ENVELOPE}
    assert not missing


def test_no_typed_number_sits_under_a_key_the_guard_treats_as_data() -> None:
    for alias, paths in _typed_numbers().items():
        for path in paths:
            parts = path.split(".")[1:-1]  # between the method and the field
            assert not DATA_KEYS & set(parts), (alias, path)
