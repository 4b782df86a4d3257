"""The echo backend hands back exactly what it was given, and emits notifications that quote it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, MCPError, StdioServerParameters

from examples.echo_server import WHOAMI, build_server
from examples.fakedata import iban_is_valid

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]
TRICKY = 'Ünïcödé "quotes" \\ backslash\nnew line [[EMAIL_ADDRESS:k7q2m9x4tz3b8w]] jane@acme.example'


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Notes:
    """Collects log and progress notifications."""

    def __init__(self) -> None:
        self.logs: list[Any] = []
        self.progress: list[tuple[float, float | None, str | None]] = []

    async def on_log(self, params: Any) -> None:
        self.logs.append(params)

    async def on_progress(self, progress: float, total: float | None, message: str | None) -> None:
        self.progress.append((progress, total, message))


async def test_the_server_lists_its_tools():
    async with Client(build_server()) as client:
        names = [t.name for t in (await client.list_tools()).tools]
    assert names == ["echo", "echo_json", "whoami", "slow_echo", "echo_error", "echo_rpc_error"]


async def test_echo_returns_the_text_verbatim():
    async with Client(build_server()) as client:
        result = await client.call_tool("echo", {"text": TRICKY})
    assert [c.text for c in result.content] == [TRICKY]
    assert not result.is_error


async def test_echo_json_returns_the_payload_without_parsing_it():
    payload = json.dumps(
        {"contact": {"email": "jane@acme.example", "phone": "+44 20 7946 0321"}, "n": [1, 2.5]}
    )
    async with Client(build_server()) as client:
        result = await client.call_tool("echo_json", {"payload": payload})
    assert result.content[0].text == payload
    assert result.structured_content is None


async def test_whoami_returns_a_fixed_record_with_an_email_a_phone_and_a_valid_iban():
    async with Client(build_server()) as client:
        result = await client.call_tool("whoami", {})
    assert result.structured_content == WHOAMI
    assert json.loads(result.content[0].text) == WHOAMI
    assert "@" in WHOAMI["email"] and WHOAMI["phoneNumber"].startswith("+1 415")
    assert iban_is_valid(WHOAMI["iban"])


async def test_slow_echo_sends_log_and_progress_notifications_that_quote_the_text():
    notes = Notes()
    async with Client(build_server(), log_level="info", logging_callback=notes.on_log) as client:
        result = await client.call_tool(
            "slow_echo",
            {"text": "call Jane on +1 415 555 0134", "steps": 3},
            progress_callback=notes.on_progress,
        )
    assert result.content[0].text == "call Jane on +1 415 555 0134"
    assert [n.data for n in notes.logs] == [
        f"slow_echo step {i}/3: call Jane on +1 415 555 0134" for i in (1, 2, 3)
    ]
    assert {n.level for n in notes.logs} == {"info"}
    assert notes.progress == [(i, 3, "echoing call Jane on +1 415 555 0134") for i in (1, 2, 3)]


async def test_slow_echo_logs_nothing_on_a_modern_connection_that_did_not_opt_in():
    notes = Notes()
    async with Client(build_server(), logging_callback=notes.on_log) as client:
        await client.call_tool("slow_echo", {"text": "quiet", "steps": 2})
    assert notes.logs == []


async def test_slow_echo_logs_without_an_opt_in_on_a_handshake_era_connection():
    notes = Notes()
    async with Client(build_server(), mode="legacy", logging_callback=notes.on_log) as client:
        assert client.protocol_version < "2026"
        await client.call_tool("slow_echo", {"text": "legacy", "steps": 2})
    assert [n.data for n in notes.logs] == ["slow_echo step 1/2: legacy", "slow_echo step 2/2: legacy"]


async def test_slow_echo_refuses_a_step_count_that_is_not_a_small_integer():
    async with Client(build_server()) as client:
        with pytest.raises(MCPError, match="steps"):
            await client.call_tool("slow_echo", {"text": "x", "steps": "many"})


async def test_echo_error_is_a_tool_error_that_quotes_the_text():
    async with Client(build_server()) as client:
        result = await client.call_tool("echo_error", {"text": "jane@acme.example"})
    assert result.is_error
    assert result.content[0].text == "echo_error refused: jane@acme.example"


async def test_echo_rpc_error_is_a_json_rpc_error_that_quotes_the_text():
    async with Client(build_server()) as client:
        with pytest.raises(MCPError) as caught:
            await client.call_tool("echo_rpc_error", {"text": "jane@acme.example"})
    assert caught.value.error.message == "echo_rpc_error refused: jane@acme.example"


async def test_an_unknown_tool_is_a_tool_error():
    async with Client(build_server()) as client:
        result = await client.call_tool("nope", {})
    assert result.is_error


@pytest.mark.e2e
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_the_echo_server_runs_over_stdio_and_its_notifications_cross_the_wire(mode: str):
    notes = Notes()
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "examples.echo_server"],
        cwd=str(ROOT),
        env={"PYTHONPATH": str(ROOT)},
    )
    async with Client(
        params, mode=mode, log_level="info", logging_callback=notes.on_log, read_timeout_seconds=30
    ) as client:
        echoed = await client.call_tool("echo", {"text": TRICKY})
        slow = await client.call_tool(
            "slow_echo", {"text": "hi", "steps": 2}, progress_callback=notes.on_progress
        )
        who = await client.call_tool("whoami", {})
    assert echoed.content[0].text == TRICKY
    assert slow.content[0].text == "hi"
    assert who.structured_content == WHOAMI
    assert [n.data for n in notes.logs] == ["slow_echo step 1/2: hi", "slow_echo step 2/2: hi"]
    assert [p[0] for p in notes.progress] == [1, 2]
