"""A backend line that is not valid JSON-RPC but reads as the answer to a request fails that request at
once; a line that cannot be attributed (garbage, a request of the backend's own) never is, and a backend
printing garbage is logged once per interval, not once per line."""

from __future__ import annotations

import json
import logging
from typing import Any

import anyio
import mcp_types as types
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mcp.shared.message import SessionMessage

from proxy.errors import LineUnparsable
from proxy.relay import Relay
from proxy.transports.stdio import BackendMessages

_id = st.one_of(st.integers(-(2**53), 2**53), st.text(st.characters(codec="ascii"), max_size=20))
_text = st.text(max_size=60)


def _read(line: bytes) -> Any:
    class Pipe:
        def __init__(self) -> None:
            self.chunks = [line + b"\n"]

        async def receive(self, max_bytes: int = 65536) -> bytes:
            if not self.chunks:
                raise anyio.EndOfStream
            return self.chunks.pop(0)

    async def main() -> list[Any]:
        return [item async for item in BackendMessages(Pipe(), None)]  # type: ignore[arg-type]

    items = anyio.run(main)
    assert len(items) == 1
    return items[0]


@st.composite
def broken_answers(draw: Any) -> tuple[bytes, Any]:
    """An answer in either SDK's key order, then broken: cut short, an invalid escape, a bad token, bad
    UTF-8, a wrong JSON-RPC version, a result that is not an object."""
    rid = draw(_id)
    body = draw(st.sampled_from(["result", "error"]))
    inner: Any = (
        {"content": [{"type": "text", "text": draw(_text)}]}
        if body == "result"
        else {"code": -32000, "message": draw(_text)}
    )
    head_first = draw(st.booleans())
    if head_first:  # Python SDK: envelope first
        line = json.dumps({"jsonrpc": "2.0", "id": rid, body: inner}).encode()
    else:  # TypeScript SDK: envelope last (a line cut short has lost it: not attributable, see below)
        line = json.dumps({body: inner, "jsonrpc": "2.0", "id": rid}).encode()
    how = draw(st.sampled_from(["cut", "escape", "token", "utf8", "version", "shape"]))
    if how == "cut" and head_first:
        start = line.index(b'"' + body.encode() + b'"') + len(body) + 3
        line = line[: draw(st.integers(start, len(line) - 2))]
    elif how == "cut":
        line = line.replace(b'"' + body.encode() + b'":', b'"' + body.encode() + b'":{,"x":', 1)
    elif how == "escape":
        line = line.replace(b'"' + body.encode() + b'":', b'"' + body.encode() + b'":"\\q","x":', 1)
    elif how == "token":
        line = line.replace(b'"' + body.encode() + b'":', b'"' + body.encode() + b'":undefined,"x":', 1)
    elif how == "utf8":
        line = line.replace(b'"' + body.encode() + b'":', b'"' + body.encode() + b'":{"\xff":1},"x":', 1)
    elif how == "version":
        line = line.replace(b'"2.0"', b'"1.0"')
    else:
        line = json.dumps({"jsonrpc": "2.0", "id": rid, body: [draw(_text)]}).encode()
    return line, rid


@settings(max_examples=300, deadline=None)
@given(broken_answers())
def test_a_broken_answer_in_either_key_order_names_the_request_it_answers(case):
    line, rid = case
    item = _read(line)
    if isinstance(item, SessionMessage):  # the SDK's own parser accepted it after all: nothing to do
        return
    assert isinstance(item, LineUnparsable) and item.request_id == rid, line


@st.composite
def unattributable(draw: Any) -> bytes:
    """Lines that answer nothing: log text, requests and notifications of the backend's own (broken), an
    answer whose id cannot be read."""
    rid = draw(_id)
    kind = draw(st.sampled_from(["text", "request", "request_ts", "notification", "no_id", "ts_cut"]))
    if kind == "text":
        return draw(st.text(st.characters(codec="utf-8", exclude_characters="\n"), max_size=80)).encode()
    if kind == "request":
        return json.dumps({"jsonrpc": "2.0", "id": rid, "method": "sampling/createMessage"}).encode()[:-1]
    if kind == "request_ts":
        return (
            b'{"method":"roots/list","params":{"x":\\q},"jsonrpc":"2.0","id":'
            + json.dumps(rid).encode()
            + b"}"
        )
    if kind == "ts_cut":  # an answer in the TypeScript order, cut before its id
        return (b'{"result":{"content":[{"type":"text","text":"' + draw(_text).replace("\n", " ").encode())[
            : draw(st.integers(2, 60))
        ]
    if kind == "notification":
        return b'{"jsonrpc":"2.0","method":"notifications/message","params":{"id":' + json.dumps(rid).encode()
    return b'{"jsonrpc":"2.0","result":{"id":' + json.dumps(rid).encode() + b"}"


@settings(max_examples=200, deadline=None)
@given(unattributable())
def test_a_line_that_answers_nothing_is_never_attributed(line):
    item = _read(line)
    assert not isinstance(item, LineUnparsable)


# --------------------------------------------------------------------------- the relay


@pytest.fixture
def anyio_backend():
    return "asyncio"


def _relay_run(session: Any, backend_items: list[Any], in_flight: list[Any]) -> list[dict[str, Any]]:
    """Client requests `in_flight` go through a relay, then the backend sends `backend_items`; what the
    client got."""
    to_client: list[dict[str, Any]] = []

    async def main() -> None:
        c_in, c_read = anyio.create_memory_object_stream[Any](64)
        c_write, c_out = anyio.create_memory_object_stream[Any](64)
        b_in, b_read = anyio.create_memory_object_stream[Any](1024)
        b_write, b_out = anyio.create_memory_object_stream[Any](64)
        relay = Relay(session)

        async def drain(stream: Any, into: list[Any] | None) -> None:
            async for item in stream:
                if into is not None:
                    into.append(item.message.model_dump(by_alias=True, exclude_none=True))

        async with anyio.create_task_group() as tg:
            tg.start_soon(relay.run, (c_read, c_write), (b_read, b_write))
            tg.start_soon(drain, c_out, to_client)
            tg.start_soon(drain, b_out, None)
            for rid in in_flight:
                req = types.JSONRPCRequest(jsonrpc="2.0", id=rid, method="resources/list", params={})
                await c_in.send(SessionMessage(req))
            with anyio.fail_after(5):
                while len(relay.calls) < len(in_flight):
                    await anyio.sleep(0.005)
            for item in backend_items:
                await b_in.send(item)
            ping = types.JSONRPCNotification(jsonrpc="2.0", method="notifications/message", params={"x": 1})
            await b_in.send(SessionMessage(ping))  # the relay handles backend items in order
            with anyio.fail_after(5):
                while not any(m.get("method") == "notifications/message" for m in to_client):
                    await anyio.sleep(0.005)
            tg.cancel_scope.cancel()

    anyio.run(main)
    return to_client


@pytest.fixture
def engine(veil_home: Any) -> Any:
    from proxy.config import Settings
    from proxy.wiring import Assembly

    return Assembly.load(Settings.resolve())


@pytest.fixture
def session(engine: Any) -> Any:
    return engine.open_session(backend="hostile", actor="test")


def test_the_relay_answers_an_attributed_line_at_once_and_audits_it_as_blocked(engine, session):
    from vault.audit import AuditQuery, query

    got = _relay_run(session, [LineUnparsable(7), LineUnparsable(99)], [7, 8])
    errors = {m["id"]: m["error"] for m in got if "error" in m}
    assert set(errors) == {7}  # 99 is no request in flight; 8 still waits for its answer
    assert "not valid JSON-RPC" in errors[7]["message"]
    rows = list(
        query(engine.vault.engine, AuditQuery(session_id=session.session_id, event="message-blocked"))
    )
    assert [r["reason"] for r in rows] == ["LineUnparsable"]


def test_a_backend_printing_garbage_is_logged_once_per_interval_with_a_count(session, caplog):
    garbage = [ValueError("not JSON") for _ in range(500)]
    with caplog.at_level(logging.WARNING, logger="proxy.relay"):
        _relay_run(session, garbage, [])
    reports = [r for r in caplog.records if "not JSON-RPC" in r.getMessage()]
    # The first line at once, the other 499 when the relay ends (all within one interval).
    assert [r.lines for r in reports] == [1, 499]  # type: ignore[attr-defined]
