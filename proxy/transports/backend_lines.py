"""A backend's stdout line → the messages it carries.

One line is one JSON-RPC message, except where a backend does what the protocol's older revisions allowed
or its runtime adds: a batch (a JSON array of messages, MCP 2025-03-26) is split into its messages, each
validated alone; a UTF-8 byte order mark before the line is dropped. A line that cannot be parsed is an
Exception item; one whose envelope names the request it answers is `LineUnparsable` for that request, so
the client is answered at once instead of waiting for its call timeout.
"""

from __future__ import annotations

import re
from typing import Any

import mcp_types as types
import orjson
import pydantic_core

from proxy.errors import LineUnparsable
from proxy.transports.wire import Item, SessionMessage
from proxy.transports.wire import sdk_parse_line as _sdk_parse_line

_BOM = b"\xef\xbb\xbf"


def messages_of_line(line: bytes) -> list[Item]:
    """The messages of one stdout line (at least one item: a message or an Exception)."""
    if line.startswith(_BOM):
        line = line[len(_BOM) :]
    if line.lstrip()[:1] == b"[":
        batch = _batch(line)
        if batch is not None:
            return batch
    item = parse_line(line)
    if isinstance(item, Exception):
        answered = _answer_id(line)
        if answered is not None:
            return [LineUnparsable(answered)]
    return [item]


def _batch(line: bytes) -> list[Item] | None:
    """Each message of a batch line, validated alone (one bad element costs only its own request); None
    when the line is no JSON array of objects."""
    try:
        doc = pydantic_core.from_json(line)
    except ValueError:
        return None
    if not isinstance(doc, list) or not doc or not all(isinstance(e, dict) for e in doc):
        return None
    items: list[Item] = []
    for element in doc:
        try:
            message = types.jsonrpc_message_adapter.validate_python(element, by_name=False)
            items.append(SessionMessage(message))
        except ValueError as exc:
            answered = _answer_of(element)
            items.append(LineUnparsable(answered) if answered is not None else exc)
    return items


def parse_line(line: bytes | str) -> SessionMessage | Exception:
    """A backend's stdout line, parsed to Python objects first; pydantic then checks only the envelope.

    The SDK's own parser (pydantic validating from JSON) cost about 2.5x a plain orjson parse+serialize on
    a 5 MB result, most of the proxy's time on a large response. Here the line is read by pydantic-core's
    JSON parser (the one `validate_json` uses, as fast as orjson with its string cache, and exact where
    orjson is not: integers past 64 bits, NaN) and the payload (`params`/`result`, typed `dict[str, Any]`)
    is handed over as built. What it refuses (a lone surrogate escape, bad JSON, bytes that are not UTF-8)
    and what is not a valid envelope goes to the SDK's parser, with bytes that are not UTF-8 read as U+FFFD
    (then scanned like any text), so those lines are accepted or refused exactly as the SDK would.
    """
    try:
        doc = pydantic_core.from_json(line)
        return SessionMessage(types.jsonrpc_message_adapter.validate_python(doc, by_name=False))
    except ValueError:
        text = line if isinstance(line, str) else line.decode("utf-8", errors="replace")
        return _sdk_parse_line(text)


# The id of a line too long to parse, read off its ends: `{"jsonrpc":"2.0","id":…` first (the Python SDK's
# order) or `…,"id":…}` last (the TypeScript SDK's). A quote inside a JSON string is escaped, so `"id"`
# here is a key; anchored at the line's very start or end, it is the envelope's own.
ENDS = 256
_ID_VALUE = rb'(-?\d{1,19}|"(?:[^"\\]|\\.){0,128}")'
_HEAD_ID = re.compile(rb'^\s*\{\s*"jsonrpc"\s*:\s*"2\.0"\s*,\s*"id"\s*:\s*' + _ID_VALUE)
_TAIL_ID = re.compile(rb'"id"\s*:\s*' + _ID_VALUE + rb"\s*\}\s*$")


def envelope_id(head: bytes, tail: bytes) -> Any:
    match = _HEAD_ID.match(head) or _TAIL_ID.search(tail)
    if match is None:
        return None
    try:
        return orjson.loads(match.group(1))
    except orjson.JSONDecodeError:
        return None


# An unparsable line is attributed only when it reads as an answer (result or error), never as a request
# of the backend's own: its envelope's id in the SDKs' key orders, before `"result"`/`"error"` (Python SDK)
# or at the very end of a line that starts with one (TypeScript SDK).
_ANSWER_HEAD = re.compile(
    rb'^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*'
    + _ID_VALUE
    + rb'\s*,\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"(?:result|error)"'
)
_ANSWER_FIRST = re.compile(rb'^\s*\{\s*"(?:result|error)"\s*:')


def _answer_id(line: bytes) -> Any:
    """The id of the request an unparsable backend line answers, or None where it cannot be told."""
    try:
        doc = orjson.loads(line)
    except orjson.JSONDecodeError:
        doc = None
        head, tail = line[:ENDS], line[-ENDS:]
        match = _ANSWER_HEAD.match(head)
        if match is None and _ANSWER_FIRST.match(head):
            match = _TAIL_ID.search(tail)
        if match is None:
            return None
        try:
            found = orjson.loads(match.group(1))
        except orjson.JSONDecodeError:
            return None
        return found if isinstance(found, int | str) and not isinstance(found, bool) else None
    return _answer_of(doc)


def _answer_of(doc: Any) -> Any:
    """The id of the request a parsed (but invalid) message answers, or None."""
    if not isinstance(doc, dict) or "method" in doc or not ("result" in doc or "error" in doc):
        return None
    found = doc.get("id")
    return found if isinstance(found, int | str) and not isinstance(found, bool) else None
