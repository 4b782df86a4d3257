"""Several backends behind one relay (proxy/mux/), in memory: namespacing, routing, merged handshakes and
lists, id and progress-token rewriting, a backend that dies, and tokens bound to their backend."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp import Client
from mcp.client._memory import InMemoryTransport
from mcp.server.mcpserver import Context, MCPServer
from mcp.shared.exceptions import MCPError
from mcp.shared.memory import create_client_server_memory_streams
from mcp.shared.message import SessionMessage

from proxy.backend_config import BackendsConfig, BackendSpec, ShareRule
from proxy.mux import Mux, multiplexed
from proxy.relay import Relay
from proxy.session import ProxySession
from proxy.wiring import Assembly, mux_label
from tests.polling import wait_until
from tests.proxy.conftest import PERSON, make_backend
from vault import audit
from vault.errors import TokenRefused
from vault.tokens import TOKEN_RE

pytestmark = pytest.mark.anyio
LIMIT = 20.0


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def text_of(result: Any) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


def make_crm(received: list[dict[str, Any]]) -> MCPServer:
    """A second backend whose tool names clash with the first's."""
    server = MCPServer("crm", instructions="CRM contacts.")

    @server.tool()
    def echo(text: str) -> str:
        received.append({"tool": "echo", "text": text})
        return text

    @server.tool()
    def whoami() -> str:
        return json.dumps({"email": PERSON["email"], "owner": "crm"})

    @server.tool()
    async def work(ctx: Context) -> str:
        await ctx.report_progress(1, 2, "crm working")
        return "crm done"

    return server


Opener = AbstractAsyncContextManager[Any]


@pytest.fixture
def muxed(engine: Assembly) -> Callable[..., AbstractAsyncContextManager[tuple[Client, ProxySession]]]:
    """`async with muxed({"ads": server_or_opener, ...}, shares=[...]) as (client, session)`."""

    @asynccontextmanager
    async def connect(
        backends: dict[str, MCPServer | Opener],
        shares: tuple[ShareRule, ...] = (),
        own: dict[str, Any] | None = None,
        **client_kw: Any,
    ) -> AsyncIterator[tuple[Client, ProxySession]]:
        specs = tuple(BackendSpec(name, command=("unused",)) for name in backends)
        config = BackendsConfig("veil.toml", specs, shares=shares)
        session = engine.open_session(backend=mux_label(config), actor="test")
        mux = Mux(config.names())
        session.bind_backends(mux, config, own)
        openers = {
            name: InMemoryTransport(b) if isinstance(b, MCPServer) else b for name, b in backends.items()
        }
        connect.mux = mux  # type: ignore[attr-defined]
        async with (
            multiplexed(mux, openers) as backend,
            create_client_server_memory_streams() as (client_end, front_end),
        ):

            @asynccontextmanager
            async def transport() -> AsyncIterator[Any]:
                yield client_end

            async with anyio.create_task_group() as tg:
                tg.start_soon(Relay(session).run, front_end, backend)
                mode = client_kw.pop("mode", "legacy")
                async with Client(transport(), mode=mode, **client_kw) as client:
                    yield client, session
                tg.cancel_scope.cancel()

    return connect


def audit_rows(engine: Assembly, event: str) -> list[Any]:
    return list(audit.query(engine.vault.engine, audit.AuditQuery(event=event)))


# --------------------------------------------------------------------------- namespacing and routing


async def test_tools_of_every_backend_are_listed_under_their_backends_namespace(muxed):
    with anyio.fail_after(LIMIT):
        async with muxed({"ads": make_backend([]), "crm": make_crm([])}) as (client, _):
            names = {t.name for t in (await client.list_tools()).tools}
    assert {"ads__echo", "crm__echo", "ads__whoami", "crm__whoami", "crm__work"} <= names
    assert not any("__" not in n for n in names)


async def test_a_call_reaches_only_the_backend_its_namespace_names(muxed):
    ads: list[dict[str, Any]] = []
    crm: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with muxed({"ads": make_backend(ads), "crm": make_crm(crm)}) as (client, _):
            await client.call_tool("crm__echo", {"text": "to crm"})
            await client.call_tool("ads__echo", {"text": "to ads"})
    assert crm == [{"tool": "echo", "text": "to crm"}]
    assert ads == [{"tool": "echo", "text": "to ads"}]


@pytest.mark.parametrize("name", ["nope__echo", "echo", "ads__", "__echo"])
async def test_a_call_to_an_unknown_namespace_gets_a_clear_error_naming_the_backends(muxed, name):
    with anyio.fail_after(LIMIT):
        async with muxed({"ads": make_backend([]), "crm": make_crm([])}) as (client, _):
            with pytest.raises(MCPError) as caught:
                await client.call_tool(name, {"text": "x"})
            alive = await client.call_tool("crm__echo", {"text": "still here"})
    assert caught.value.error.code == -32602
    assert "BACKEND__NAME" in caught.value.error.message and "ads, crm" in caught.value.error.message
    assert text_of(alive) == "still here"


async def test_prompts_are_namespaced_and_resources_are_routed_by_the_uri_their_backend_listed(muxed):
    ads: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with muxed({"ads": make_backend(ads), "crm": make_crm([])}) as (client, _):
            prompts = {p.name for p in (await client.list_prompts()).prompts}
            prompt = await client.get_prompt("ads__review", {"customer_id": "42"})
            templates = (await client.list_resource_templates()).resource_templates
            read = await client.read_resource("crm://contacts/7")
    assert "ads__review" in prompts
    assert ads[0] == {"prompt": "42"} and prompt.messages
    assert [t.uri_template for t in templates] == ["crm://contacts/{contact_id}"]
    assert ads[1] == {"resource": "7"}
    assert PERSON["email"] not in json.dumps(read.model_dump())


async def test_the_handshake_merges_capabilities_and_gives_one_instructions_section_per_backend(muxed):
    with anyio.fail_after(LIMIT):
        async with muxed({"ads": make_backend([]), "crm": make_crm([])}) as (client, _):
            caps = client.server_capabilities
            instructions = client.instructions or ""
            info = client.server_info
    assert caps.tools is not None and caps.prompts is not None and caps.resources is not None
    assert "## crm\nCRM contacts." in instructions and "BACKEND__NAME" in instructions
    assert info is not None and info.name == "mcp-veil" and info.title == "ads + crm"


async def test_the_2026_era_discovers_the_merged_server_and_routes_calls(muxed):
    crm: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with muxed({"ads": make_backend([]), "crm": make_crm(crm)}, mode="2026-07-28") as (client, _):
            names = {t.name for t in (await client.list_tools()).tools}
            await client.call_tool("crm__echo", {"text": "modern"})
            era = client.protocol_version
    assert era == "2026-07-28"
    assert {"ads__echo", "crm__echo"} <= names
    assert crm == [{"tool": "echo", "text": "modern"}]


# --------------------------------------------------------------------------- tokens bound to backends


async def test_a_token_returns_as_its_value_to_the_backend_that_produced_it(muxed):
    ads: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with muxed({"ads": make_backend(ads), "crm": make_crm([])}) as (client, _):
            data = json.loads(text_of(await client.call_tool("ads__whoami", {})))
            found = await client.call_tool("ads__lookup", {"customer_id": data["customerId"]})
    assert TOKEN_RE.fullmatch(data["customerId"])
    assert not found.is_error
    assert ads == [{"tool": "lookup", "customer_id": PERSON["customerId"]}]


async def test_a_token_from_one_backend_passed_to_another_is_refused_audited_and_never_forwarded(
    muxed, engine
):
    crm: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with muxed({"ads": make_backend([]), "crm": make_crm(crm)}) as (client, session):
            email = json.loads(text_of(await client.call_tool("ads__whoami", {})))["email"]
            with pytest.raises(MCPError) as caught:
                await client.call_tool("crm__echo", {"text": f"mail {email}"})
            own = json.loads(text_of(await client.call_tool("crm__whoami", {})))["email"]
            echoed = await client.call_tool("crm__echo", {"text": own})
    assert caught.value.error.code == -32004
    assert email in caught.value.error.message and "another backend" in caught.value.error.message
    assert PERSON["email"] not in caught.value.error.message
    assert crm == [{"tool": "echo", "text": PERSON["email"]}]  # only its own token reached it
    assert own != email  # the same value from crm is crm's own token
    assert TOKEN_RE.fullmatch(text_of(echoed))
    refused = [r for r in audit_rows(engine, "detokenize-refused") if r["session_id"] == session.session_id]
    assert [(r["token"], r["backend"]) for r in refused] == [(email, "crm")]
    assert "other-backend" in json.dumps(refused[0], default=str)
    created = {r["token"]: r["backend"] for r in audit_rows(engine, "token-created")}
    assert created[email] == "ads" and created[own] == "crm"


async def test_a_share_rule_lets_a_token_reach_the_backend_it_names_for_its_entity_types_only(muxed):
    crm: list[dict[str, Any]] = []
    share = (ShareRule("ads", ("crm",), ("EMAIL_ADDRESS",)),)
    with anyio.fail_after(LIMIT):
        async with muxed({"ads": make_backend([]), "crm": make_crm(crm)}, shares=share) as (client, _):
            data = json.loads(text_of(await client.call_tool("ads__whoami", {})))
            await client.call_tool("crm__echo", {"text": data["email"]})
            with pytest.raises(MCPError) as caught:
                await client.call_tool("crm__echo", {"text": data["phone"]})
    assert crm == [{"tool": "echo", "text": PERSON["email"]}]
    assert caught.value.error.code == -32004


async def test_a_value_one_backend_revealed_is_still_hidden_in_anothers_output_as_that_backends_token(
    muxed, engine
):
    """Known-value propagation crosses backends for detection (privacy first), but the token minted is
    the backend's whose message held the value: nothing learned from ads becomes detokenizable toward crm."""
    crm: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with muxed({"ads": make_backend([]), "crm": make_crm(crm)}) as (client, _):
            data = json.loads(text_of(await client.call_tool("ads__whoami", {})))
            name_token = data["fullName"]  # a field-rule value, known from now on
            echoed = text_of(await client.call_tool("crm__echo", {"text": "Jane Miller called"}))
            with pytest.raises(MCPError):
                await client.call_tool("crm__echo", {"text": name_token})
    assert "Jane Miller" not in echoed
    crm_token = TOKEN_RE.search(echoed)
    assert crm_token is not None and crm_token.group(0) != name_token
    assert crm == [{"tool": "echo", "text": "Jane Miller called"}]


async def test_single_backend_tokens_are_unchanged_by_the_binding(engine):
    """Without a multiplexer, tokens derive as before (no scope): resumed sessions keep working."""
    session = engine.open_session(backend="plain", actor="test")
    from proxy.filters.flow import Direction, Flow

    flow = Flow(Direction.TO_CLIENT, session, {}, "response", "tools/call", "t", backend="plain")
    token = session.tokenize([("EMAIL_ADDRESS", PERSON["email"])], flow)[0]
    assert token == session.vault.token_for("EMAIL_ADDRESS", PERSON["email"])
    assert session.detokenize([token], flow) == {token: PERSON["email"]}


# --------------------------------------------------------------------------- ids, progress, cursors, death


class RawBackend:
    """A scripted JSON-RPC backend over memory streams: answers lists in pages, sends its own requests with
    id 0 and progress with the token it was given, and can die on request."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.seen: list[types.JSONRPCMessage] = []
        self.answers: list[Any] = []

    @asynccontextmanager
    async def open(self) -> AsyncIterator[Any]:
        async with create_client_server_memory_streams() as (mine, theirs), anyio.create_task_group() as tg:
            tg.start_soon(self._serve, *theirs)
            yield mine
            tg.cancel_scope.cancel()

    async def _serve(self, read: Any, write: Any) -> None:
        async def reply(rid: Any, result: dict[str, Any]) -> None:
            await write.send(SessionMessage(types.JSONRPCResponse(jsonrpc="2.0", id=rid, result=result)))

        async for item in read:
            msg = item.message
            self.seen.append(msg)
            if isinstance(msg, types.JSONRPCResponse):
                self.answers.append((msg.id, msg.result))
                continue
            if not isinstance(msg, types.JSONRPCRequest):
                continue
            params = msg.params or {}
            if msg.method == "initialize":
                await reply(
                    msg.id,
                    {
                        "protocolVersion": params["protocolVersion"],
                        "capabilities": {"tools": {"listChanged": self.name == "b"}},
                        "serverInfo": {"name": self.name, "version": "1"},
                    },
                )
            elif msg.method == "tools/list":
                page = params.get("cursor") or "1"
                result: dict[str, Any] = {"tools": [{"name": f"t{page}", "inputSchema": {"type": "object"}}]}
                if page == "1":
                    result["nextCursor"] = "2"
                await reply(msg.id, result)
            elif msg.method == "tools/call":
                tool = params["name"]
                if tool == "die":
                    await write.aclose()
                    return
                if tool == "hang":
                    continue
                token = (params.get("_meta") or {}).get("progressToken")
                if token is not None:
                    note = {"progressToken": token, "progress": 1, "message": f"{self.name} at 1"}
                    await write.send(
                        SessionMessage(
                            types.JSONRPCNotification(
                                jsonrpc="2.0", method="notifications/progress", params=note
                            )
                        )
                    )
                if tool == "ask":  # a request of its own, always id 0
                    ask = {"messages": [], "maxTokens": 5, "_meta": {"progressToken": 0}}
                    await write.send(
                        SessionMessage(
                            types.JSONRPCRequest(
                                jsonrpc="2.0", id=0, method="sampling/createMessage", params=ask
                            )
                        )
                    )
                text = f"{self.name}:{tool}:{msg.id}"
                await reply(msg.id, {"content": [{"type": "text", "text": text}]})


async def test_list_pages_are_merged_with_one_cursor_holding_each_backends_own(muxed):
    a, b = RawBackend("a"), RawBackend("b")
    with anyio.fail_after(LIMIT):
        async with muxed({"a": a.open(), "b": b.open()}) as (client, _):
            first = await client.list_tools()
            second = await client.list_tools(cursor=first.next_cursor)
            caps = client.server_capabilities
    assert sorted(t.name for t in first.tools) == ["a__t1", "b__t1"]
    assert sorted(t.name for t in second.tools) == ["a__t2", "b__t2"] and second.next_cursor is None
    assert json.loads(first.next_cursor or "") == {"a": "2", "b": "2"}
    assert caps.tools is not None and caps.tools.list_changed is True  # the union
    cursors = [(m.params or {}).get("cursor") for m in a.seen if getattr(m, "method", "") == "tools/list"]
    assert cursors == [None, "2"]


async def test_a_forged_cursor_gets_a_clear_error(muxed):
    a, b = RawBackend("a"), RawBackend("b")
    with anyio.fail_after(LIMIT):
        async with muxed({"a": a.open(), "b": b.open()}) as (client, _):
            with pytest.raises(MCPError) as caught:
                await client.list_tools(cursor='{"zzz":"1"}')
    assert "invalid cursor" in caught.value.error.message


async def test_request_ids_and_progress_tokens_that_collide_between_backends_are_kept_apart(muxed):
    a, b = RawBackend("a"), RawBackend("b")
    asked: list[Any] = []
    progress: list[tuple[str, Any]] = []

    async def sampling(context: Any, params: Any) -> types.CreateMessageResult:
        asked.append(params)
        return types.CreateMessageResult(
            role="assistant", content=types.TextContent(type="text", text="ok"), model="m"
        )

    async def on_progress(name: str) -> Any:
        async def record(p: float, total: float | None, message: str | None) -> None:
            progress.append((name, message))

        return record

    with anyio.fail_after(LIMIT):
        async with muxed({"a": a.open(), "b": b.open()}, sampling_callback=sampling) as (client, _):
            async with anyio.create_task_group() as tg:
                for backend in ("a", "b"):

                    async def call(backend: str = backend) -> None:
                        result = await client.call_tool(
                            f"{backend}__ask", {}, progress_callback=await on_progress(backend)
                        )
                        assert text_of(result).startswith(f"{backend}:ask:")

                    tg.start_soon(call)
            with anyio.fail_after(5):
                while len(a.answers) + len(b.answers) < 2:
                    await anyio.sleep(0.01)
    # Both backends asked with id 0; each got its own answer back under id 0.
    assert len(asked) == 2
    assert [rid for rid, _ in a.answers] == [0] and [rid for rid, _ in b.answers] == [0]
    assert sorted(progress) == [("a", "a at 1"), ("b", "b at 1")]
    # The backends saw the proxy's own ids and progress tokens, never the same one twice.
    seen_ids = [m.id for be in (a, b) for m in be.seen if isinstance(m, types.JSONRPCRequest)]
    assert len(seen_ids) == len(set(seen_ids))


def _asked(backend: RawBackend, tool: str) -> bool:
    """Whether the backend has received a call of this tool."""
    return any(
        isinstance(m, types.JSONRPCRequest) and (m.params or {}).get("name") == tool for m in backend.seen
    )


async def test_a_backend_that_dies_fails_its_pending_call_and_the_other_keeps_working(muxed):
    a, b = RawBackend("a"), RawBackend("b")
    with anyio.fail_after(LIMIT):
        async with muxed({"a": a.open(), "b": b.open()}) as (client, _):
            async with anyio.create_task_group() as tg:
                errors: list[MCPError] = []

                async def hang() -> None:
                    try:
                        await client.call_tool("a__hang", {})
                    except MCPError as exc:
                        errors.append(exc)

                tg.start_soon(hang)
                await wait_until(lambda: _asked(a, "hang"))
                with pytest.raises(MCPError) as died:
                    await client.call_tool("a__die", {})
            after = await client.call_tool("b__work", {})
            with pytest.raises(MCPError) as gone:
                await client.call_tool("a__work", {})
            tools = await client.list_tools()
    assert died.value.error.code == -32003 and "'a' exited" in died.value.error.message
    assert [e.error.code for e in errors] == [-32003]
    assert text_of(after).startswith("b:work:")
    assert gone.value.error.code == -32003
    assert [t.name for t in tools.tools] == ["b__t1"]


async def test_a_cancelled_call_is_cancelled_on_its_own_backend_under_the_id_that_backend_saw(muxed):
    a, b = RawBackend("a"), RawBackend("b")
    with anyio.fail_after(LIMIT):
        async with muxed({"a": a.open(), "b": b.open()}) as (client, _):
            async with anyio.create_task_group() as tg:
                tg.start_soon(client.call_tool, "a__hang", {})
                await wait_until(lambda: _asked(a, "hang"))
                tg.cancel_scope.cancel()
            await client.call_tool("b__work", {})
            await wait_until(
                lambda: any(getattr(m, "method", "") == "notifications/cancelled" for m in a.seen)
            )
    hang = next(
        m for m in a.seen if isinstance(m, types.JSONRPCRequest) and (m.params or {}).get("name") == "hang"
    )
    cancels = [m for m in a.seen if getattr(m, "method", "") == "notifications/cancelled"]
    assert [c.params["requestId"] for c in cancels] == [hang.id]
    assert not [m for m in b.seen if getattr(m, "method", "") == "notifications/cancelled"]


def test_template_uris_match_their_own_pattern_only():
    from proxy.mux.routing import _template_pattern

    assert _template_pattern("crm://contacts/{id}").fullmatch("crm://contacts/7")
    assert not _template_pattern("crm://contacts/{id}").fullmatch("crm://contacts/7/x")
    assert _template_pattern("file:///{+path}").fullmatch("file:///a/b.txt")


def test_backend_bound_tokens_survive_a_resumed_session_and_are_revoked_by_value(engine):
    from vault.audit import AuditContext

    def ctx(backend: str) -> AuditContext:
        return AuditContext(actor="t", backend=backend, direction=None, method=None, tool=None)

    email = PERSON["email"]
    first = engine.vault.open_session(name="bound", ctx=ctx("mux"))
    ads = first.tokenize([("EMAIL_ADDRESS", email)], ctx("ads"), scope="ads")[0]
    crm = first.tokenize([("EMAIL_ADDRESS", email)], ctx("crm"), scope="crm")[0]
    plain = first.token_for("EMAIL_ADDRESS", email)
    assert len({ads, crm, plain}) == 3
    resumed = engine.vault.open_session(name="bound", ctx=ctx("mux"))
    assert resumed.tokenize([("EMAIL_ADDRESS", email)], ctx("ads"), scope="ads") == [ads]
    assert resumed.known_values() == {("EMAIL_ADDRESS", email): ads} or resumed.known_values() == {
        ("EMAIL_ADDRESS", email): crm
    }
    only_own = resumed.detokenize([ads], ctx("ads"), may_receive=lambda entity, producer: producer == "ads")
    assert only_own == {ads: email}
    assert engine.vault.revoke_tokens(actor="admin", values=[email]) == 2
    with pytest.raises(TokenRefused) as caught:
        resumed.detokenize([crm], ctx("crm"))
    assert caught.value.reason.value == "revoked"


async def test_logging_and_progress_of_a_backend_reach_the_client_tokenized_as_that_backends_values(
    muxed, engine
):
    logs: list[Any] = []
    progress: list[str | None] = []

    async def on_log(params: Any) -> None:
        logs.append(params)

    async def on_progress(p: float, total: float | None, message: str | None) -> None:
        progress.append(message)

    with anyio.fail_after(LIMIT):
        async with muxed({"ads": make_backend([]), "crm": make_crm([])}, logging_callback=on_log) as (
            client,
            session,
        ):
            await client.call_tool("ads__noisy", {"text": "x"}, progress_callback=on_progress)
            await client.call_tool("crm__work", {}, progress_callback=on_progress)
    assert logs and all(PERSON["email"] not in str(entry.data) for entry in logs)
    assert progress[0] is not None and "[[EMAIL_ADDRESS:" in progress[0] and progress[-1] == "crm working"
    token = TOKEN_RE.search(progress[0])
    assert token is not None
    created = {
        r["token"]: r["backend"]
        for r in audit_rows(engine, "token-created")
        if r["session_id"] == session.session_id
    }
    assert created[token.group(0)] == "ads"


async def test_a_clients_answer_to_a_backends_sampling_request_may_not_carry_another_backends_token(muxed):
    ads: list[dict[str, Any]] = []
    crm: list[dict[str, Any]] = []
    reply: dict[str, str] = {}

    async def sampling(context: Any, params: Any) -> types.CreateMessageResult:
        text = reply["text"]
        return types.CreateMessageResult(
            role="assistant", content=types.TextContent(type="text", text=text), model="m"
        )

    with anyio.fail_after(LIMIT):
        async with muxed(
            {"ads": make_backend(ads), "crm": make_backend(crm)}, sampling_callback=sampling
        ) as (
            client,
            _,
        ):
            ads_email = json.loads(text_of(await client.call_tool("ads__whoami", {})))["email"]
            crm_email = json.loads(text_of(await client.call_tool("crm__whoami", {})))["email"]
            reply["text"] = f"write to {crm_email}"
            own = await client.call_tool("crm__summarize", {"customer_id": "1"})
            reply["text"] = f"write to {ads_email}"
            try:
                foreign = await client.call_tool("crm__summarize", {"customer_id": "1"})
                foreign_failed = foreign.is_error
            except MCPError:
                foreign_failed = True
    assert not own.is_error
    assert crm == [
        {"tool": "summarize", "reply": f"write to {PERSON['email']}"}
    ]  # only its own token resolved
    assert foreign_failed
    assert not any(r.get("tool") == "summarize" for r in ads)


async def test_a_backend_with_its_own_policy_has_its_messages_scanned_under_it_and_the_others_not(
    muxed, tmp_path
):
    from proxy.detect.detector import Detector
    from proxy.policy import load_policy
    from tests.conftest import ROOT

    extra = tmp_path / "crm.yaml"
    extra.write_text("version: 1\nname: crm\nfields:\n  - entity: PERSON\n    keys: [owner]\n")
    policy = load_policy([ROOT / "policies" / "default.yaml", extra])
    crm: list[dict[str, Any]] = []
    # A value no default detector or name decision takes (a bare person name under `owner` now is one).
    doc = json.dumps({"owner": "team blue"})
    with anyio.fail_after(LIMIT):
        async with muxed(
            {"ads": make_backend([]), "crm": make_crm(crm)}, own={"crm": (policy, Detector(policy))}
        ) as (client, _):
            plain = json.loads(text_of(await client.call_tool("ads__echo", {"text": doc})))
            ruled = json.loads(text_of(await client.call_tool("crm__echo", {"text": doc})))
            back = await client.call_tool("crm__echo", {"text": ruled["owner"]})
    assert plain == {"owner": "team blue"}
    assert TOKEN_RE.fullmatch(ruled["owner"]) and ruled["owner"].startswith("[[PERSON:")
    assert crm[-1] == {"tool": "echo", "text": "team blue"}
    assert text_of(back) == ruled["owner"]  # a known value now: the same crm token


# --------------------------------------------------------------------------- limits and audit per backend


async def test_two_backends_tools_of_one_name_have_their_own_rate_limit_and_audit_rows(muxed, engine):
    from proxy.policy import ToolSpec

    engine.policy.tool_specs["echo"] = ToolSpec(rate_per_minute=1)
    ads_got: list[dict[str, Any]] = []
    crm_got: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with muxed({"ads": make_backend(ads_got), "crm": make_crm(crm_got)}) as (client, session):
            await client.call_tool("ads__echo", {"text": "a"})
            await client.call_tool("crm__echo", {"text": "b"})  # another backend's echo: its own budget
            with pytest.raises(MCPError, match="per minute"):
                await client.call_tool("ads__echo", {"text": "c"})
            session.flush_calls()
    assert [r["text"] for r in ads_got if r.get("tool") == "echo"] == ["a"]
    assert [r["text"] for r in crm_got] == ["b"]
    rows = audit_rows(engine, "call-completed")
    completed = {(r["backend"], r["tool"]) for r in rows if r["tool"] == "echo"}
    assert completed == {("ads", "echo"), ("crm", "echo")}
