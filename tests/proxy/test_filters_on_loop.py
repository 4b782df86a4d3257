"""Each filter's explicit on-loop half, and the hooks a call filter has besides `on_request`.

On the event loop a scan filter that may block does what needs no I/O and hands back the rest (a `Finish`);
nothing it did on the loop is done again in the worker, and nothing changes in the message until the rest
has run. A call filter frees what it holds for a call in `on_done`, whatever ended the call."""

from __future__ import annotations

import json
import threading
from typing import Any

import mcp_types as types
import pytest

from proxy.call import Call, CallTable, Outcome
from proxy.chain import CONTINUE, Chain
from proxy.filters import Detokenize, Direction, Flow, ResponseBudget, Tokenize
from proxy.filters.accounting import Accounting
from proxy.filters.limits import Limits
from proxy.filters.tool_pins import PinTools, RefuseChangedTools
from proxy.limits import CallRefused
from proxy.policy import ToolSpec
from proxy.scan.to_client import ToClientWalker
from proxy.session import ProxySession
from proxy.worker import Finish, NeedsWorker
from tests.proxy.conftest import PERSON
from vault.tokens import TOKEN_RE

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def session(engine: Any) -> ProxySession:
    return engine.open_session(backend="test-backend", actor="test")


def on_loop(flow: Flow) -> Flow:
    flow.on_loop = True
    return flow


def in_worker(finish: Finish, flow: Flow) -> None:
    """What the chain does with a filter's rest: run it with the loop's guard off."""
    flow.on_loop = False
    finish()


def to_client(session: ProxySession, text: str, tool: str = "whoami", *, on: bool = True) -> Flow:
    payload = {"content": [{"type": "text", "text": text}]}
    flow = Flow(Direction.TO_CLIENT, session, payload, "response", "tools/call", tool)
    flow.on_loop = on
    return flow


def to_backend(session: ProxySession, arguments: dict[str, Any], tool: str = "send") -> Flow:
    payload = {"name": tool, "arguments": arguments}
    return on_loop(Flow(Direction.TO_BACKEND, session, payload, "request", "tools/call", tool))


def request(tool: str, request_id: Any = 1) -> Call:
    msg = types.JSONRPCRequest(
        jsonrpc="2.0", id=request_id, method="tools/call", params={"name": tool, "arguments": {}}
    )
    return Call(request_id, "tools/call", tool, message=msg, outgoing=msg)


# --------------------------------------------------------------------------- tokenize


@pytest.mark.parametrize("presidio_knows_the_text", [False, True])
def test_tokenize_hands_a_new_value_to_a_worker_without_walking_the_message_again(
    engine, session, monkeypatch, presidio_knows_the_text
):
    text = f"mail {PERSON['email']} (case {presidio_knows_the_text} {id(session)})"
    if presidio_knows_the_text:  # another session had it analyzed: only the vault is new to this value
        Tokenize()(to_client(engine.open_session(backend="test-backend", actor="test"), text, on=False))
    walks: list[int] = []
    collect = ToClientWalker.collect
    monkeypatch.setattr(ToClientWalker, "collect", lambda self, p: walks.append(1) or collect(self, p))
    flow = to_client(session, text)
    finish = Tokenize().on_loop(flow)
    assert finish is not None and not flow.changed  # nothing written before the worker's part
    assert PERSON["email"] in flow.payload["content"][0]["text"]
    in_worker(finish, flow)
    out = flow.payload["content"][0]["text"]
    assert flow.changed and PERSON["email"] not in out and TOKEN_RE.search(out)
    assert walks == [1]


def test_tokenize_replaces_a_value_this_process_stored_before_on_the_loop_with_the_same_token(session):
    first = to_client(session, f"mail {PERSON['email']}")
    first.on_loop = False
    Tokenize()(first)
    again = to_client(session, f"mail {PERSON['email']}")
    assert Tokenize().on_loop(again) is None
    assert again.payload == first.payload and again.counts == first.counts


def test_tokenize_leaves_a_quiet_result_on_the_loop_unchanged(session):
    flow = to_client(session, "all quiet")
    assert Tokenize().on_loop(flow) is None and not flow.changed


# --------------------------------------------------------------------------- detokenize


def token_for(session: ProxySession) -> str:
    flow = to_client(session, PERSON["email"])
    flow.on_loop = False
    Tokenize()(flow)
    found = TOKEN_RE.search(flow.payload["content"][0]["text"])
    assert found is not None
    return found.group(0)


def test_detokenize_finishes_a_message_without_tokens_on_the_loop(session):
    flow = to_backend(session, {"text": "hello"})
    assert Detokenize().on_loop(flow) is None and not flow.changed


def test_detokenize_resolves_tokens_only_in_the_worker(session):
    token = token_for(session)
    flow = to_backend(session, {"text": f"to {token}"})
    finish = Detokenize().on_loop(flow)
    assert finish is not None and flow.payload["arguments"]["text"] == f"to {token}"
    in_worker(finish, flow)
    assert flow.changed and flow.payload["arguments"]["text"] == f"to {PERSON['email']}"


# --------------------------------------------------------------------------- tool pins


def tools_list(session: ProxySession) -> Flow:
    tools = [{"name": "echo", "description": "Echo", "inputSchema": {"type": "object"}}]
    return on_loop(Flow(Direction.TO_CLIENT, session, {"tools": tools}, "response", "tools/list"))


def test_pin_tools_asks_the_vault_in_a_worker_only_for_definitions_not_seen_pinned(session):
    first = tools_list(session)
    finish = PinTools().on_loop(first)
    assert finish is not None
    in_worker(finish, first)
    again = tools_list(session)
    assert PinTools().on_loop(again) is None and [t["name"] for t in again.payload["tools"]] == ["echo"]


def test_refuse_changed_tools_lets_a_call_of_a_tool_never_hidden_pass_on_the_loop(session):
    assert RefuseChangedTools().on_loop(to_backend(session, {}, tool="echo")) is None


# --------------------------------------------------------------------------- budget


def rows_result(session: ProxySession, n: int) -> Flow:
    rows = [{"row": i, "clicks": i * 3} for i in range(n)]
    payload = {
        "content": [{"type": "text", "text": json.dumps({"rows": rows})}],
        "structuredContent": {"rows": rows},
    }
    return on_loop(Flow(Direction.TO_CLIENT, session, payload, "response", "tools/call", "report"))


def test_budget_decides_on_the_loop_and_cuts_and_stores_in_the_worker(session):
    small = rows_result(session, 3)
    assert ResponseBudget().on_loop(small) is None and not small.changed
    large = rows_result(session, 400)
    finish = ResponseBudget().on_loop(large)
    assert finish is not None and not large.changed and len(large.payload["structuredContent"]["rows"]) == 400
    in_worker(finish, large)
    meta = large.payload["_meta"]["io.mcp-veil/budget"]
    assert large.changed and meta["total"] == 400 and meta["shown"] < 400


# --------------------------------------------------------------------------- the chain


class Recorder:
    """A filter that records the thread each of its halves ran on (True: the loop's)."""

    def __init__(self, log: list[tuple[str, bool]], name: str, blocks: bool = False) -> None:
        self.log, self.name, self.blocks = log, name, blocks

    def __call__(self, flow: Flow) -> None:
        self.log.append((self.name, threading.get_ident() == LOOP[0]))

    def on_loop(self, flow: Flow) -> Finish | None:
        self(flow)
        return (lambda: self(flow)) if self.blocks else None


LOOP = [0]


async def test_the_chain_awaits_a_filters_rest_in_a_worker_and_runs_the_following_filters_there(session):
    LOOP[0] = threading.get_ident()
    log: list[tuple[str, bool]] = []
    filters: list[Any] = [Recorder(log, "a"), Recorder(log, "b", blocks=True), Recorder(log, "c")]
    flow = Flow(Direction.TO_CLIENT, session, {"x": "y"}, "response", "tools/call", "t")
    await Chain.run(filters, flow, small=True)
    assert log == [("a", True), ("b", True), ("b", False), ("c", False)]


async def test_the_chain_does_not_retry_a_filter_that_raises_on_the_loop(session):
    """The bounce is gone: NeedsWorker is a guard, and a filter that trips it fails its message closed."""
    runs: list[bool] = []

    def blocking(flow: Flow) -> None:
        runs.append(flow.on_loop)
        if flow.on_loop:
            raise NeedsWorker("no on_loop half")

    chain = Chain(session, {Direction.TO_CLIENT: [blocking], Direction.TO_BACKEND: []})
    msg = types.JSONRPCResponse(jsonrpc="2.0", id=1, result={"content": []})
    out = await chain.scan(msg, Direction.TO_CLIENT, "response", "tools/call", "whoami")
    assert isinstance(out, NeedsWorker) and runs == [True]


# --------------------------------------------------------------------------- on_done


async def test_limits_free_their_slot_on_done_whatever_ended_the_call(session):
    session.policy.tool_specs["slow"] = ToolSpec(max_concurrent=1)
    limits = Limits(session)
    calls = CallTable([limits])
    for request_id in (1, 2):  # answered, then cancelled: both leave by `close`
        call = request("slow", request_id)
        assert await limits.on_request(call) is CONTINUE
        calls.open(call)
        assert isinstance((await limits.on_request(request("slow", 99))).refuse, CallRefused)
        calls.close(request_id)
        assert not call.holds_slot


async def test_limits_end_a_calls_timeout_when_the_backend_answers(session):
    limits = Limits(session)
    call = request("echo")
    await limits.on_request(call)
    assert call.deadline != float("inf")
    limits.on_response(call, None)
    assert call.deadline == float("inf")


async def test_accounting_records_an_answered_call_once_it_is_done_and_an_unanswered_one_never(
    session, monkeypatch
):
    recorded: list[tuple[str, str | None, str]] = []
    monkeypatch.setattr(
        session, "call_completed", lambda m, t, outcome, s, **kw: recorded.append((m, t, outcome))
    )
    accounting = Accounting(session)
    calls = CallTable([accounting])
    answered, cancelled = request("echo", 1), request("echo", 2)
    for call in (answered, cancelled):
        assert await accounting.on_request(call) is CONTINUE
        calls.open(call)
    answered.outcome = "ok"
    calls.close(1)
    calls.close(2)
    assert recorded == [("tools/call", "echo", "ok")]


def test_closing_a_call_runs_every_filters_on_done_even_after_one_raises():
    seen: list[str] = []

    class Broken:
        def on_done(self, call: Call) -> None:
            seen.append("broken")
            raise RuntimeError("a hook bug")

    class Tidy:
        def on_done(self, call: Call) -> None:
            seen.append("tidy")

    calls = CallTable([Broken(), object(), Tidy()])
    calls.open(Call(1, "tools/call"))
    with pytest.raises(RuntimeError):
        calls.close(1)
    assert seen == ["broken", "tidy"] and len(calls) == 0
    assert calls.close(1) is None and seen == ["broken", "tidy"]  # once only


def test_a_call_answered_before_it_was_forwarded_ends_once_and_leaves_an_in_flight_namesake_alone():
    ended: list[Outcome | None] = []

    class Hook:
        def on_done(self, call: Call) -> None:
            ended.append(call.ended)

    calls = CallTable([Hook()])
    calls.open(Call(1, "tools/call"))  # a call in flight under the same id (a client reusing ids)
    refused = Call(1, "tools/call", ended=Outcome("refused", -32600, "PolicyError"))
    calls.end(refused)
    calls.end(refused)
    assert ended == [Outcome("refused", -32600, "PolicyError")]  # once
    assert 1 in calls and calls.close(1, Outcome("cancelled")) is not None
    assert ended[-1] == Outcome("cancelled")
