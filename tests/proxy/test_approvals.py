"""The approval gate in memory: a real relay, vault and MCP server, driven by raw JSON-RPC messages (so a
replayed or altered answer can be sent) and by the SDK client in the 2026-07-28 era."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp.client._memory import InMemoryTransport
from mcp.server.mcpserver import MCPServer
from mcp.shared.memory import create_client_server_memory_streams
from mcp.shared.message import SessionMessage
from mcp.types import ToolAnnotations

from proxy.approvals import ID_PREFIX, INPUT_KEY
from proxy.config import Settings
from proxy.errors import APPROVAL_REFUSED
from proxy.policy import ToolHints, load_policy
from proxy.relay import Relay
from proxy.request_state import PREFIX as SEALED_PREFIX
from proxy.wiring import Assembly
from tests.polling import wait_until
from tests.proxy.conftest import PERSON
from vault.tokens import TOKEN_RE

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[2]
LIMIT = 30.0
ERA = "2026-07-28"

# `mode: form`: these tests answer the form prompt, and the SDK client declares URL mode whenever it has an
# elicitation callback (the modes themselves: test_approval_modes.py).
POLICY = """\
version: 1
name: approvals
tools:
  send_*:
    approval: required
approvals:
  timeout_seconds: 5
  destructive: required
  mode: form
"""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def engine(veil_home: Path, tmp_path: Path) -> Any:
    policy = tmp_path / "approvals.yaml"
    policy.write_text(POLICY)
    eng = Assembly.load(Settings.resolve(policies=(str(ROOT / "policies" / "default.yaml"), str(policy))))
    yield eng
    eng.vault.close()


def crm(received: list[dict[str, Any]]) -> MCPServer:
    server = MCPServer("crm")

    @server.tool(annotations=ToolAnnotations(read_only_hint=True))
    def whoami() -> str:
        return json.dumps(PERSON)

    @server.tool(annotations=ToolAnnotations(destructive_hint=True))
    def archive(customer_id: str) -> str:
        received.append({"tool": "archive", "customer_id": customer_id})
        return f"archived {customer_id}"

    @server.tool()
    def send_note(to: str, text: str) -> str:
        received.append({"tool": "send_note", "to": to, "text": text})
        return "sent"

    @server.tool(annotations=ToolAnnotations(read_only_hint=True))
    def set_view(name: str) -> str:  # looks like a write, declares read-only: no approval
        received.append({"tool": "set_view", "name": name})
        return "ok"

    return server


class Wire:
    """The client end of a relay, raw: send JSON-RPC messages, read what the proxy sends back."""

    def __init__(self, read: Any, write: Any) -> None:
        self.read, self.write = read, write

    async def send(self, msg: types.JSONRPCMessage) -> None:
        await self.write.send(SessionMessage(msg))

    async def request(self, rid: Any, method: str, params: dict[str, Any]) -> None:
        await self.send(types.JSONRPCRequest(jsonrpc="2.0", id=rid, method=method, params=params))

    async def answer(self, rid: Any, result: dict[str, Any]) -> None:
        await self.send(types.JSONRPCResponse(jsonrpc="2.0", id=rid, result=result))

    async def next(self) -> types.JSONRPCMessage:
        while True:
            item = await self.read.receive()
            if not isinstance(item.message, types.JSONRPCNotification):
                return item.message


@asynccontextmanager
async def wired(
    engine: Assembly,
    server: MCPServer,
    *,
    elicitation: bool = True,
    handshake: bool = True,
    list_tools: bool = True,
) -> AsyncIterator[Wire]:
    """A relay in front of `server`; with `handshake`, initialized (with or without the elicitation
    capability) and its tools listed; without, ready for 2026-07-28 self-contained requests."""
    session = engine.open_session(backend="crm", actor="test")
    async with (
        InMemoryTransport(server) as backend,
        create_client_server_memory_streams() as (client_end, front_end),
        anyio.create_task_group() as tg,
    ):
        tg.start_soon(Relay(session).run, front_end, backend)
        wire = Wire(*client_end)
        if not handshake:
            yield wire
            tg.cancel_scope.cancel()
            return
        caps: dict[str, Any] = {"elicitation": {"form": {}}} if elicitation else {}
        await wire.request(
            0,
            "initialize",
            {
                "protocolVersion": "2025-11-25",
                "capabilities": caps,
                "clientInfo": {"name": "t", "version": "1"},
            },
        )
        assert isinstance(await wire.next(), types.JSONRPCResponse)
        await wire.send(types.JSONRPCNotification(jsonrpc="2.0", method="notifications/initialized"))
        if list_tools:
            await wire.request(1, "tools/list", {})  # the proxy learns the declared hints
            assert isinstance(await wire.next(), types.JSONRPCResponse)
        yield wire
        tg.cancel_scope.cancel()


async def test_a_replayed_elicitation_answer_is_consumed_never_forwarded_and_runs_nothing_twice(engine):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with wired(engine, crm(received)) as wire:
            await wire.request(2, "tools/call", {"name": "archive", "arguments": {"customer_id": "c-1"}})
            prompt = await wire.next()
            assert isinstance(prompt, types.JSONRPCRequest) and prompt.method == "elicitation/create"
            assert isinstance(prompt.id, str) and prompt.id.startswith(ID_PREFIX)
            accept = {"action": "accept", "content": {"approve": True}}
            await wire.answer(prompt.id, accept)
            done = await wire.next()
            await wire.answer(prompt.id, accept)  # the same answer again: nobody waits for it
            await wire.request(3, "tools/call", {"name": "whoami", "arguments": {}})
            after = await wire.next()
    assert isinstance(done, types.JSONRPCResponse) and done.id == 2
    assert isinstance(after, types.JSONRPCResponse) and after.id == 3
    assert received == [{"tool": "archive", "customer_id": "c-1"}]


async def test_other_messages_keep_flowing_while_a_call_waits_for_approval(engine):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with wired(engine, crm(received)) as wire:
            await wire.request(2, "tools/call", {"name": "send_note", "arguments": {"to": "x", "text": "hi"}})
            prompt = await wire.next()
            await wire.request(3, "tools/call", {"name": "whoami", "arguments": {}})
            read = await wire.next()  # answered while the write still waits
            await wire.answer(prompt.id, {"action": "decline"})
            refused = await wire.next()
    assert isinstance(prompt, types.JSONRPCRequest) and prompt.method == "elicitation/create"
    assert isinstance(read, types.JSONRPCResponse) and read.id == 3
    assert PERSON["email"] not in json.dumps(read.result)
    assert isinstance(refused, types.JSONRPCError) and refused.id == 2
    assert refused.error.code == APPROVAL_REFUSED
    assert received == []


async def test_a_tool_declared_read_only_is_not_gated_even_if_its_name_looks_like_a_write(engine):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with wired(engine, crm(received), elicitation=False) as wire:
            await wire.request(2, "tools/call", {"name": "set_view", "arguments": {"name": "compact"}})
            answer = await wire.next()
            await wire.request(3, "tools/call", {"name": "archive", "arguments": {"customer_id": "c-1"}})
            refused = await wire.next()
    assert isinstance(answer, types.JSONRPCResponse)
    assert isinstance(refused, types.JSONRPCError) and refused.error.code == APPROVAL_REFUSED
    assert received == [{"tool": "set_view", "name": "compact"}]


def meta(elicitation: bool = True) -> dict[str, Any]:
    caps: dict[str, Any] = {"elicitation": {"form": {}}} if elicitation else {}
    return {
        "io.modelcontextprotocol/protocolVersion": ERA,
        "io.modelcontextprotocol/clientCapabilities": caps,
        "io.modelcontextprotocol/clientInfo": {"name": "t", "version": "1"},
    }


async def test_the_2026_era_answers_input_required_and_forwards_only_the_verified_retry_once(engine):
    received: list[dict[str, Any]] = []
    call = {"name": "send_note", "arguments": {"to": PERSON["email"], "text": "hello"}, "_meta": meta()}
    with anyio.fail_after(LIMIT):
        async with wired(engine, crm(received), handshake=False) as wire:
            await wire.request(2, "tools/call", call)
            first = await wire.next()
            assert isinstance(first, types.JSONRPCResponse)
            state = first.result["requestState"]
            yes = {INPUT_KEY: {"action": "accept", "content": {"approve": True}}}
            altered = {**call, "arguments": {"to": "other@example.org", "text": "hello"}}
            await wire.request(3, "tools/call", {**altered, "requestState": state, "inputResponses": yes})
            refused_altered = await wire.next()
            await wire.request(4, "tools/call", call)  # ask again, then retry faithfully
            second = await wire.next()
            state2 = second.result["requestState"]
            await wire.request(5, "tools/call", {**call, "requestState": state2, "inputResponses": yes})
            done = await wire.next()
            await wire.request(6, "tools/call", {**call, "requestState": state2, "inputResponses": yes})
            replayed = await wire.next()
    assert first.result["resultType"] == "input_required" and state.startswith(SEALED_PREFIX)
    prompt = first.result["inputRequests"][INPUT_KEY]
    assert prompt["method"] == "elicitation/create" and "send_note" in prompt["params"]["message"]
    assert PERSON["email"] not in json.dumps(first.result)  # the model's raw value is tokenized too
    assert TOKEN_RE.search(prompt["params"]["message"])
    assert isinstance(refused_altered, types.JSONRPCError) and refused_altered.error.code == APPROVAL_REFUSED
    assert "differs from the one that was shown" in refused_altered.error.message
    assert isinstance(done, types.JSONRPCResponse) and done.id == 5
    assert isinstance(replayed, types.JSONRPCError) and "already used" in replayed.error.message
    assert received == [{"tool": "send_note", "to": PERSON["email"], "text": "hello"}]


async def test_the_sdk_client_in_the_2026_era_approves_through_its_elicitation_callback(engine, proxied):
    received: list[dict[str, Any]] = []
    prompts: list[str] = []

    async def human(context: Any, params: Any) -> types.ElicitResult:
        prompts.append(params.message)
        return types.ElicitResult(action="accept", content={"approve": True})

    with anyio.fail_after(LIMIT):
        async with proxied(crm(received), mode=ERA, elicitation_callback=human) as (client, _):
            email = json.loads((await client.call_tool("whoami", {})).content[0].text)["email"]
            result = await client.call_tool("send_note", {"to": email, "text": "hello"})
            era = client.protocol_version
    assert era == ERA and not result.is_error
    assert received == [{"tool": "send_note", "to": PERSON["email"], "text": "hello"}]
    assert len(prompts) == 1 and email in prompts[0] and PERSON["email"] not in prompts[0]


def test_approval_rules_any_required_wins_and_hints_decide_only_without_a_rule(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    a.write_text("version: 1\nname: a\ntools:\n  '*_campaign':\n    approval: never\n")
    b = tmp_path / "b.yaml"
    b.write_text(
        "version: 1\nname: b\ntools:\n  update_*:\n    approval: required\n"
        "    dry_run: {tool: preview_update}\napprovals: {destructive: required}\n"
    )
    policy = load_policy([a, b])
    gated = policy.approval_for("update_campaign")
    assert gated is not None and gated.dry_run is not None and gated.dry_run.tool == "preview_update"
    assert policy.approval_for("pause_campaign", ToolHints(destructive=True, declared=True)) is None
    assert policy.approval_for("archive", ToolHints(destructive=True, declared=True)) is not None
    assert policy.approval_for("archive", ToolHints(read_only=True, declared=True)) is None
    assert policy.approval_for("delete_thing") is None  # unannotated writes: `never` unless configured


def test_an_approval_rule_can_name_the_backend_it_applies_to(tmp_path: Path) -> None:
    p = tmp_path / "p.yaml"
    p.write_text(
        "version: 1\nname: p\napprovals:\n  rules:\n"
        "    - {backend: 'google-ads*', tool: 'mutate_*', approval: required,\n"
        "       dry_run: {argument: validate_only}}\n"
        "    - {tool: 'mutate_*', approval: never}\n"
    )
    policy = load_policy([p])
    ads = policy.approval_for("mutate_campaigns", backend="google-ads-mcp")
    assert ads is not None and ads.dry_run is not None and ads.dry_run.argument == "validate_only"
    assert policy.approval_for("mutate_campaigns", backend="crm") is None
    assert policy.explicit_approval("mutate_campaigns", "crm") == "never"


def test_a_dry_run_must_name_exactly_one_of_tool_or_argument(tmp_path: Path) -> None:
    from proxy.errors import PolicyError

    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nname: bad\ntools:\n  x:\n    dry_run: {tool: a, argument: b}\n")
    with pytest.raises(PolicyError, match=r"line 5: option 'tools.x.dry_run'.*exactly one"):
        load_policy([bad])


async def test_a_2026_client_that_declares_no_elicitation_is_refused(engine):
    received: list[dict[str, Any]] = []
    call = {"name": "send_note", "arguments": {"to": "x", "text": "hi"}, "_meta": meta(elicitation=False)}
    with anyio.fail_after(LIMIT):
        async with wired(engine, crm(received), handshake=False) as wire:
            await wire.request(2, "tools/call", call)
            refused = await wire.next()
    assert isinstance(refused, types.JSONRPCError) and refused.error.code == APPROVAL_REFUSED
    assert "cannot show approval prompts" in refused.error.message
    assert received == []


async def test_a_destructive_tool_is_gated_even_if_the_client_never_listed_the_tools(engine):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with wired(engine, crm(received), elicitation=False, list_tools=False) as wire:
            await wire.request(2, "tools/call", {"name": "archive", "arguments": {"customer_id": "c-1"}})
            refused = await wire.next()
            await wire.request(3, "tools/call", {"name": "set_view", "arguments": {"name": "compact"}})
            allowed = await wire.next()
    assert isinstance(refused, types.JSONRPCError) and refused.error.code == APPROVAL_REFUSED
    assert isinstance(allowed, types.JSONRPCResponse) and allowed.id == 3
    assert received == [{"tool": "set_view", "name": "compact"}]


def approval_events(engine: Assembly) -> list[tuple[str, str | None]]:
    from vault import audit

    q = audit.AuditQuery(events=tuple(n for n in audit.EVENT_TYPES if n.startswith("approval-")))
    return [(r["event"], r["reason"]) for r in audit.query(engine.vault.engine, q)][::-1]


async def test_a_call_the_client_withdraws_while_it_waits_is_audited_and_its_late_answer_runs_nothing(engine):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with wired(engine, crm(received)) as wire:
            await wire.request(2, "tools/call", {"name": "archive", "arguments": {"customer_id": "c-1"}})
            prompt = await wire.next()
            cancel = {"requestId": 2, "reason": "user changed their mind"}
            await wire.send(
                types.JSONRPCNotification(jsonrpc="2.0", method="notifications/cancelled", params=cancel)
            )
            await wait_until(lambda: ("approval-denied", "withdrawn") in approval_events(engine))
            await wire.answer(prompt.id, {"action": "accept", "content": {"approve": True}})
            await wire.request(3, "tools/call", {"name": "whoami", "arguments": {}})
            after = await wire.next()
    assert isinstance(after, types.JSONRPCResponse) and after.id == 3  # no answer for the withdrawn call
    assert received == []
    assert approval_events(engine) == [
        ("approval-requested", "elicitation"),
        ("approval-denied", "withdrawn"),
    ]


async def test_listing_tools_points_out_writes_no_approval_rule_covers(engine, caplog):
    caplog.set_level("WARNING", logger="proxy.approvals")
    with anyio.fail_after(LIMIT):
        async with wired(engine, crm([])):
            pass
    flagged = {(r.tool, r.approval) for r in caplog.records if r.getMessage().startswith("tool may write")}
    # send_note has a rule, set_view declares read-only, whoami reads: only archive is pointed out.
    assert flagged == {("archive", "required by default")}
