"""The numbers class through a real `veil run` in front of a hostile backend: a personal number the session
knows, sent back in a protocol-typed field (an error's code, a progress count, a cancelled request id, a
resource's size) or in any JSON the protocol allows there (a log message's data, a result's `_meta`),
never reaches the client; every line the client reads is a valid MCP message; the proxy stays up.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from random import Random
from typing import Any

import mcp.types as types
import pytest
from pydantic import TypeAdapter

from tests.classes.planting import digits_needle
from tests.classes.wire import _call, _exchange

pytestmark = pytest.mark.e2e


def _sensitive(rng: Random) -> tuple[str, str]:
    """(context key that teaches it, digits)."""
    if rng.random() < 0.5:
        return (
            "tel",
            f"{rng.choice(['415', '212', '646'])}{rng.randrange(200, 999)}{rng.randrange(10**4):04d}",
        )
    return "customer_id", f"{rng.randrange(1, 10)}{rng.randrange(10**9):09d}"


def _written(rng: Random, digits: str) -> Any:
    return rng.choice([int(digits), float(digits), -int(digits)])


def test_known_numbers_in_protocol_fields_and_any_json_reach_the_client_as_valid_messages_only() -> None:
    rng = Random(15)
    script: dict[str, Any] = {"initialize": None, "calls": {}, "queues": {}}
    lines: list[dict[str, Any]] = [
        {
            "jsonrpc": "2.0",
            "id": "init",
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "1"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
    ]
    planted: list[str] = []
    for i in range(12):
        key, digits = _sensitive(rng)
        planted.append(digits)
        n = _written(rng, digits)
        script["calls"][f"teach{i}"] = {"result": {"content": [], "structuredContent": {key: digits}}}
        lines.append(_call(f"t{i}", f"teach{i}"))
        where = i % 4
        if where == 0:  # an error's code
            script["calls"][f"use{i}"] = {"error": {"code": int(n), "message": "backend failed"}}
        elif where == 1:  # a progress notification's numbers, then a result whose _meta holds it
            note = {"progressToken": f"p{i}", "progress": n, "total": n, "message": f"at {digits}"}
            script["calls"][f"use{i}"] = {
                "before": [{"jsonrpc": "2.0", "method": "notifications/progress", "params": note}],
                "result": {"content": [{"type": "text", "text": "ok"}], "_meta": {"ref": n}},
            }
        elif where == 2:  # a cancelled notification's request id, a log message's data
            log = {"level": "info", "logger": "b", "data": {"row": [n], "ref": {"value": n}}}
            script["calls"][f"use{i}"] = {
                "before": [
                    {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": int(n)}},
                    {"jsonrpc": "2.0", "method": "notifications/message", "params": log},
                ],
                "result": {"content": [{"type": "text", "text": "ok"}]},
            }
        else:  # a backend request whose id is the number
            req = {"jsonrpc": "2.0", "id": int(n), "method": "roots/list", "params": {}}
            script["calls"][f"use{i}"] = {
                "before": [req],
                "result": {"content": [{"type": "text", "text": "ok"}]},
            }
        lines.append(_call(f"u{i}", f"use{i}"))
    lines.append(_call("last", "last"))
    with tempfile.TemporaryDirectory(prefix="veil-numbers-") as tmp:
        received = _exchange(Path(tmp), script, lines, timeout=300)

    text = json.dumps(received)
    for digits in planted:
        assert not _found(digits, text), "a known number reached the client"
    messages = TypeAdapter(types.JSONRPCMessage)
    for msg in received:
        messages.validate_python(msg)
        if "error" in msg:
            types.ErrorData.model_validate(msg["error"])
    answered = {m.get("id") for m in received if "result" in m or "error" in m}
    assert {"last", *(f"u{i}" for i in range(12))} <= answered, "the proxy answered every call and stayed up"
    errors = [m for m in received if m.get("id") in {f"u{i}" for i in range(0, 12, 4)}]
    assert errors and all(type(m["error"]["code"]) is int for m in errors)
    assert "[[" in text  # the teaching results were tokenized


def _found(digits: str, text: str) -> bool:
    import re

    return re.search(digits_needle(digits), text) is not None
