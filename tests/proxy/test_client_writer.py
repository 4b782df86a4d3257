"""Messages toward the client are serialized once with orjson: the bytes must be exactly those of the SDK's
writer (`model_dump_json(by_alias=True, exclude_unset=True)`), and whatever orjson cannot write that way
(integers past 64 bits, lone surrogates, non-string keys, subclasses, dates) goes to the SDK's serializer."""

from __future__ import annotations

import datetime
import io
from typing import Any

import anyio
import mcp_types as types
import orjson
import pydantic_core
import pytest
from mcp.shared.message import SessionMessage

from proxy.transports.client_writer import LineWriter, dump_message
from proxy.transports.stdio import parse_line
from tests.proxy.test_backend_lines import LINES


class Label(str):
    pass


def _sdk(message: Any) -> bytes:
    return message.model_dump_json(by_alias=True, exclude_unset=True).encode("utf-8")


def _parsed_messages() -> list[Any]:
    items = [parse_line(line) for line in LINES]
    return [item.message for item in items if isinstance(item, SessionMessage)]


BUILT: list[Any] = [
    types.JSONRPCRequest(jsonrpc="2.0", id=1, method="ping"),  # params unset: left out
    types.JSONRPCRequest(jsonrpc="2.0", id=1, method="ping", params=None),  # set to None: written as null
    types.JSONRPCNotification(jsonrpc="2.0", method="notifications/initialized"),
    types.JSONRPCNotification(jsonrpc="2.0", method="n", params={"t": "é ü 中文 \u2028 \x00 \x7f 😀"}),
    types.JSONRPCResponse(jsonrpc="2.0", id="req-7", result={}),
    types.JSONRPCResponse(jsonrpc="2.0", id=2**63 - 1, result={"n": -(2**63), "u": 2**64 - 1}),
    types.JSONRPCResponse(jsonrpc="2.0", id=1, result={"big": 2**64, "neg": -(2**63) - 1}),
    types.JSONRPCResponse(jsonrpc="2.0", id=1, result={"f": [float("nan"), float("inf"), -0.0, 1e16, 1e-7]}),
    types.JSONRPCResponse(jsonrpc="2.0", id=1, result={"t": "\ud800 lone surrogate"}),
    types.JSONRPCResponse(jsonrpc="2.0", id=1, result={"keys": {1: "int key", None: "none key"}}),
    types.JSONRPCResponse(jsonrpc="2.0", id=1, result={"label": Label("a str subclass")}),
    types.JSONRPCResponse(jsonrpc="2.0", id=1, result={"when": datetime.datetime(2026, 1, 2, 3, 4, 5)}),
    types.JSONRPCResponse(jsonrpc="2.0", id=1, result={"nested": [[[{"a": [True, False, None]}]]]}),
    types.JSONRPCError(jsonrpc="2.0", id=3, error=types.ErrorData(code=-32000, message="blocked")),
    types.JSONRPCError(jsonrpc="2.0", id=None, error=types.ErrorData(code=-1, message="m", data={"k": 1})),
]


def _outcome(fn: Any, message: Any) -> bytes | str:
    try:
        return fn(message)
    except Exception as exc:  # the same failure either way (a lone surrogate the SDK cannot write)
        return type(exc).__name__


@pytest.mark.parametrize("message", _parsed_messages() + BUILT, ids=repr)
def test_a_message_is_written_byte_for_byte_as_the_sdk_writes_it(message):
    assert _outcome(dump_message, message) == _outcome(_sdk, message)


def _writable() -> list[Any]:
    out = []
    for message in _parsed_messages() + BUILT:
        try:
            _sdk(message)
        except ValueError:  # a lone surrogate: the SDK cannot write it (and neither do we, test above)
            continue
        out.append(message)
    return out


@pytest.mark.parametrize("message", _writable(), ids=repr)
def test_what_is_written_parses_back_to_the_same_message(message):
    again = types.jsonrpc_message_adapter.validate_json(dump_message(message), by_name=False)
    assert again.model_dump(by_alias=True, exclude_unset=True) == pydantic_core.from_json(_sdk(message))


def test_a_plain_report_takes_the_orjson_path(monkeypatch):
    """A Search-Console-shaped result never needs the SDK's serializer."""
    rows = [{"keys": ["query é", "https://example.com/p"], "ctr": 0.0069605568445475635, "clicks": 3}] * 3
    message = types.JSONRPCResponse(jsonrpc="2.0", id=1, result={"structuredContent": {"rows": rows}})
    expected = _sdk(message)

    def refuse(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("took the SDK's serializer")

    monkeypatch.setattr(types.JSONRPCResponse, "model_dump_json", refuse)
    assert dump_message(message) == expected


def test_a_message_orjson_refuses_is_written_by_the_sdk(monkeypatch):
    calls = []
    sdk_dump = types.JSONRPCResponse.model_dump_json

    def spy(self: Any, **kwargs: Any) -> str:
        calls.append(kwargs)
        return sdk_dump(self, **kwargs)

    monkeypatch.setattr(types.JSONRPCResponse, "model_dump_json", spy)
    message = types.JSONRPCResponse(jsonrpc="2.0", id=1, result={"n": 123456789012345678901234567890})
    assert dump_message(message) == b'{"jsonrpc":"2.0","id":1,"result":{"n":123456789012345678901234567890}}'
    assert calls == [{"by_alias": True, "exclude_unset": True}]


def test_the_writer_puts_one_line_per_message_on_the_wire_in_order():
    messages = _parsed_messages()
    out = io.BytesIO()

    async def main() -> None:
        async with LineWriter(out) as write:
            for message in messages:
                await write.send(SessionMessage(message))

    anyio.run(main)
    lines = out.getvalue().split(b"\n")
    assert lines[-1] == b"" and len(lines) == len(messages) + 1
    assert lines[:-1] == [_sdk(m) for m in messages]
    for line in lines[:-1]:
        assert orjson.loads(line)["jsonrpc"] == "2.0"


def _note(i: int, size: int = 0) -> SessionMessage:
    params = {"i": i, "pad": "x" * size}
    return SessionMessage(types.JSONRPCNotification(jsonrpc="2.0", method="n", params=params))


def test_concurrent_sends_reach_the_wire_in_the_order_they_were_made_while_a_large_one_waits():
    """A line too large to write at once goes through a worker thread; the small sends made after it must
    wait their turn instead of overtaking it."""
    import os

    read_fd, write_fd = os.pipe()
    out = os.fdopen(write_fd, "wb", buffering=0)
    received = bytearray()

    def drain() -> None:
        while chunk := os.read(read_fd, 1 << 16):
            received.extend(chunk)

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            tg.start_soon(anyio.to_thread.run_sync, drain)
            write = LineWriter(out)
            async with anyio.create_task_group() as senders:
                senders.start_soon(write.send, _note(0, size=1 << 20))  # larger than the pipe: a thread
                await anyio.sleep(0)
                for i in range(1, 20):
                    senders.start_soon(write.send, _note(i))
                    await anyio.sleep(0)
            await write.aclose()
            out.close()

    anyio.run(main)
    order = [orjson.loads(line)["params"]["i"] for line in bytes(received).split(b"\n")[:-1]]
    assert order == list(range(20))


def test_a_wire_the_client_closed_ends_sends_with_a_broken_stream_error():
    import os

    read_fd, write_fd = os.pipe()
    os.close(read_fd)
    out = os.fdopen(write_fd, "wb", buffering=0)

    async def main() -> None:
        write = LineWriter(out)
        with pytest.raises(anyio.BrokenResourceError):
            await write.send(_note(1))
        with pytest.raises(anyio.ClosedResourceError):
            await write.send(_note(2))

    try:
        anyio.run(main)
    finally:
        out.close()


def test_a_send_after_close_is_refused():
    async def main() -> None:
        write = LineWriter(io.BytesIO())
        await write.aclose()
        with pytest.raises(anyio.ClosedResourceError):
            await write.send(_note(1))

    anyio.run(main)


FRONT = """
import sys, anyio, mcp_types as types
from mcp.shared.message import SessionMessage
from proxy.transports.stdio import client_front

async def main():
    async with client_front(1 << 20) as (read, write):
        print("stray output from a library", flush=True)
        big = {"rows": [{"keys": ["caf\\u00e9", "x" * 100]}] * 2000}
        await write.send(SessionMessage(types.JSONRPCResponse(jsonrpc="2.0", id=1, result=big)))
        await write.send(SessionMessage(types.JSONRPCNotification(jsonrpc="2.0", method="n")))
        await write.aclose()

anyio.run(main)
"""


def test_the_stdio_front_writes_only_json_rpc_lines_and_stray_output_goes_to_stderr(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    done = subprocess.run(
        [sys.executable, "-c", FRONT], input=b"", capture_output=True, timeout=60, env=env, check=True
    )
    lines = done.stdout.split(b"\n")
    assert lines[-1] == b"" and len(lines) == 3
    first, second = (orjson.loads(line) for line in lines[:2])
    assert first["id"] == 1 and first["result"]["rows"][0]["keys"][0] == "caf\u00e9"
    assert len(first["result"]["rows"]) == 2000
    assert second == {"jsonrpc": "2.0", "method": "n"}
    assert b"stray output from a library" in done.stderr


def test_a_large_text_block_is_written_exactly_and_without_orjsons_reservation():
    import tracemalloc

    text = 'a "quoted" \\ back\x01slash \x1f é 中 😀 \u2028 line\n' * 20_000
    blocks = [{"type": "text", "text": text}, {"type": "text", "text": "x"}]
    message = types.JSONRPCResponse(jsonrpc="2.0", id=1, result={"content": blocks})
    expected = _sdk(message)
    tracemalloc.start()
    data = dump_message(message)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert data == expected
    assert peak < 4 * len(data)  # orjson alone reserved ~14 bytes per character of the text
    assert message.result["content"][0]["text"] is text  # the message itself is not touched


def test_a_large_text_with_a_lone_surrogate_is_written_by_the_sdk_path():
    message = types.JSONRPCResponse(
        jsonrpc="2.0", id=1, result={"content": [{"type": "text", "text": "\ud800" + "x" * 100_000}]}
    )
    assert _outcome(dump_message, message) == _outcome(_sdk, message)
