"""Numbers the protocol types: they stay numbers, so one that holds personal data blocks its message.

A JSON number the walker tokenizes becomes a token string. That is right for data (a tool's result, `_meta`,
an error's `data`, a log message's `data`), where any JSON is allowed, and wrong where the MCP schema types a
number: an error's `code` tokenized into a string fails the client SDK's validation of the whole message (a
crash, not a redaction). So at those positions a number is scanned whatever its key (`total` and `size` are
metric words, exempt elsewhere) and, if it holds personal data, the message is refused (fail closed: an
error instead of a result, a dropped notification, an error to a backend's request), never retyped.

The positions: an object key in `PROTOCOL_NUMBER_KEYS` (every field of the MCP schema's to-client types
whose type admits a number, `tests/scan/test_protocol_numbers.py` checks the list against the SDK's models)
anywhere in the message's own structure, that is outside the subtrees that carry data (`DATA_KEYS`). Inside
`_meta` only its own top-level protocol keys count (`progressToken`). A JSON-RPC request id that is a
number is screened with the method name (`proxy.filters.tokenize`); `id` is no key here, as a record's `id`
in data sitting at a result's top level is data.
"""

from __future__ import annotations

from typing import Any

from proxy.errors import InvalidMessage
from proxy.scan.shapes import number_text

# Field names whose value the MCP schema types as a number (int, float, or str | int for request ids and
# progress tokens) in messages toward the client: ErrorData, progress and cancelled notifications, the
# completion result, sampling requests (`maxTokens`, `temperature`, model preferences), elicitation
# schemas (`minimum`, `maximum`, `default`, lengths and item counts), resources and resource links
# (`size`), annotations (`priority`), tasks (`ttl`, `ttlMs`, `pollInterval`), `_meta` keys.
PROTOCOL_NUMBER_KEYS = frozenset(
    {
        "code", "progress", "total", "progressToken", "requestId", "size", "priority",
        "costPriority", "speedPriority", "intelligencePriority", "maxTokens", "temperature", "ttl", "ttlMs",
        "pollInterval", "minimum", "maximum", "default", "minLength", "maxLength", "minItems", "maxItems",
        "io.modelcontextprotocol/subscriptionId",
    }
)  # fmt: skip

# Subtrees whose keys are data, not protocol (any JSON, or a JSON Schema the tool wrote).
DATA_KEYS = frozenset(
    {"structuredContent", "data", "inputSchema", "outputSchema", "arguments", "capabilities", "experimental"}
)
_META = "_meta"
_MAX_DEPTH = 8  # protocol numbers sit at most this deep (inputRequests.params.messages[].content…)


def protocol_numbers(payload: Any) -> list[tuple[Any, Any, str]]:
    """(container, key, text to scan) of every number at a protocol position that may be an identifier
    (`shapes.number_text`: seven integral digits or more)."""
    found: list[tuple[Any, Any, str]] = []
    _walk(payload, found, 0)
    return found


def _walk(node: Any, found: list[tuple[Any, Any, str]], depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    if type(node) is dict:
        for k, v in node.items():
            t = type(v)
            if t is dict or t is list:
                if k == _META and t is dict:
                    _meta(v, found)
                elif k not in DATA_KEYS:
                    _walk(v, found, depth + 1)
            elif (t is int or t is float) and k in PROTOCOL_NUMBER_KEYS:
                text = number_text(v)
                if text is not None:
                    found.append((node, k, text))
    elif type(node) is list:
        for v in node:
            if type(v) is dict or type(v) is list:
                _walk(v, found, depth + 1)


def _meta(meta: dict[str, Any], found: list[tuple[Any, Any, str]]) -> None:
    for k, v in meta.items():
        if (type(v) is int or type(v) is float) and k in PROTOCOL_NUMBER_KEYS:
            text = number_text(v)
            if text is not None:
                found.append((meta, k, text))


def refuse_retyped(
    protocol: list[tuple[Any, Any, str]],
    spans: dict[str, Any],
    field_locations: list[tuple[tuple[Any, Any, int], Any]],
) -> None:
    """Raise InvalidMessage if tokenizing would turn a protocol number into a string: its digits hold
    something detected (or known), or a field rule names it."""
    if not protocol:
        return
    where = {(id(c), k) for c, k, _ in protocol}
    if any(text in spans for _, _, text in protocol) or any(
        (id(c), k) in where for (c, k, _), _ in field_locations
    ):
        raise InvalidMessage(
            "mcp-veil blocked this message: personal data in a number the protocol types "
            "(an error code, a progress count, a size, an id)"
        )
