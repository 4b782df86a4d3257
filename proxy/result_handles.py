"""Result handles: a stored result named by `veil://results/{id}`, passed by the model as a tool argument,
so rows move from one tool to another without passing through the model's context.

A handle is the whole string of an argument (or of an item or field under it): `veil://results/` and the
32 hex digits of a stored result's id. On the way to the backend the proxy puts the result's rows in its
place — the stored, tokenized rows, which the egress and detokenize filters then turn into real values
like any tokens the model wrote — only in an argument the tool's policy names in `accepts_results`. Any
other handle is refused: passing a handle where a tool does not expect rows would hand it a string it does
not understand, or rows where the policy did not say they may go.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import orjson

from proxy.budget import RESULT_URI
from proxy.errors import INVALID_PARAMS, ProxyError

HANDLE_RE = re.compile(re.escape(RESULT_URI) + r"([0-9a-f]{32})")


class HandleRefused(ProxyError):
    """A handle that cannot be used: unknown or expired, or in an argument that does not accept results."""

    code = INVALID_PARAMS


def result_id_of(value: Any) -> str | None:
    """The stored result's id a string names: a handle, or the bare id; None for anything else."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = HANDLE_RE.fullmatch(text)
    if match is not None:
        return match.group(1)
    return text if re.fullmatch(r"[0-9a-f]{32}", text) else None


def handle(result_id: str) -> str:
    return RESULT_URI + result_id


def find_handles(arguments: Any) -> Iterator[tuple[str, str]]:
    """(top-level argument, result id) for every string under `arguments` that is a whole handle."""
    if not isinstance(arguments, dict):
        return
    for name, value in arguments.items():
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                match = HANDLE_RE.fullmatch(item.strip())
                if match is not None:
                    yield str(name), match.group(1)
            elif isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)


def substitute(arguments: dict[str, Any], rows_of: dict[str, list[Any]]) -> dict[str, Any]:
    """A copy of `arguments` with each handle replaced by its result's rows."""

    def swap(item: Any) -> Any:
        if isinstance(item, str):
            match = HANDLE_RE.fullmatch(item.strip())
            return rows_of[match.group(1)] if match is not None else item
        if isinstance(item, dict):
            return {k: swap(v) for k, v in item.items()}
        if isinstance(item, list):
            return [swap(v) for v in item]
        return item

    return {k: swap(v) for k, v in arguments.items()}


def stored_rows(stored: str) -> list[Any]:
    """The rows of a stored result (the document `proxy.filters.budget` keeps)."""
    doc = orjson.loads(stored)
    rows = doc.get("rows") if isinstance(doc, dict) else None
    if not isinstance(rows, list):
        raise HandleRefused("mcp-veil: the stored result holds no rows")
    return rows
