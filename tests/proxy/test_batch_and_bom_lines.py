"""A backend's line may carry a JSON-RPC batch (MCP 2025-03-26) or start with a UTF-8 byte order mark: each
message in it reaches the relay on its own, and an invalid element costs only its own request, answered at
once — never a silent drop that leaves the client to its call timeout."""

from __future__ import annotations

import json
from typing import Any

import anyio
from hypothesis import given
from hypothesis import strategies as st
from mcp.shared.message import SessionMessage

from proxy.errors import LineUnparsable
from proxy.transports.stdio import BackendMessages

BOM = b"\xef\xbb\xbf"
_text = st.text(max_size=30)


def read_all(wire: bytes) -> list[Any]:
    class Pipe:
        def __init__(self) -> None:
            self.chunks = [wire]

        async def receive(self, max_bytes: int = 65536) -> bytes:
            if not self.chunks:
                raise anyio.EndOfStream
            return self.chunks.pop(0)

    async def main() -> list[Any]:
        return [item async for item in BackendMessages(Pipe(), None)]  # type: ignore[arg-type]

    return anyio.run(main)


@st.composite
def messages(draw: Any) -> dict[str, Any]:
    rid = draw(st.integers(0, 10**6))
    kind = draw(st.sampled_from(["result", "error", "notification", "request"]))
    if kind == "result":
        return {"jsonrpc": "2.0", "id": rid, "result": {"content": [{"type": "text", "text": draw(_text)}]}}
    if kind == "error":
        return {"jsonrpc": "2.0", "id": rid, "error": {"code": -32000, "message": draw(_text)}}
    if kind == "notification":
        return {"jsonrpc": "2.0", "method": "notifications/message", "params": {"level": "info", "data": "x"}}
    return {"jsonrpc": "2.0", "id": f"s{rid}", "method": "roots/list"}


GROUPS = st.tuples(st.lists(messages(), min_size=1, max_size=4), st.booleans(), st.booleans())


@given(lines=st.lists(GROUPS, max_size=4))
def test_every_message_of_batch_and_bom_lines_arrives_in_order(lines: list[Any]) -> None:
    wire = b""
    expected: list[dict[str, Any]] = []
    for group, as_batch, bom in lines:
        expected.extend(group)
        if as_batch:
            wire += (BOM if bom else b"") + json.dumps(group).encode() + b"\n"
        else:
            wire += b"".join((BOM if bom else b"") + json.dumps(m).encode() + b"\n" for m in group)
    items = read_all(wire)
    assert all(isinstance(i, SessionMessage) for i in items)
    got = [i.message.model_dump(by_alias=True, exclude_none=True) for i in items]
    assert got == expected


def test_an_invalid_element_of_a_batch_fails_only_the_request_it_answers() -> None:
    good = {"jsonrpc": "2.0", "id": 1, "result": {}}
    bad = {"jsonrpc": "2.0", "id": 2, "result": "not an object"}
    items = read_all(json.dumps([good, bad]).encode() + b"\n")
    assert isinstance(items[0], SessionMessage)
    assert isinstance(items[1], LineUnparsable) and items[1].request_id == 2
