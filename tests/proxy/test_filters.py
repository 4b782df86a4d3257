"""Each filter on its own: when it lets a message continue, answers it, refuses it or pauses it, and that a
filter that raises fails its message closed."""

from __future__ import annotations

import json
import time
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp.shared.message import SessionMessage

from proxy.budget import PAGE_TOOL
from proxy.call import Call, CallTable
from proxy.chain import CONTINUE, Chain, Verdict
from proxy.errors import EgressDenied, ProxyError
from proxy.filters import Detokenize, Direction, Egress, Flow, ResponseBudget, Tokenize
from proxy.filters.approvals import Approvals
from proxy.filters.flood import Flood
from proxy.filters.limits import Limits
from proxy.filters.local_pages import LocalPages
from proxy.filters.scan_request import ScanRequest
from proxy.limits import CallRefused, TimeShare
from proxy.policy import ToolSpec
from proxy.session import ProxySession
from tests.proxy.conftest import PERSON
from vault.errors import TokenRefused
from vault.tokens import TOKEN_RE

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def session(engine: Any) -> ProxySession:
    return engine.open_session(backend="test-backend", actor="test")


def to_backend(session: ProxySession, params: Any, tool: str | None = "send") -> Flow:
    return Flow(Direction.TO_BACKEND, session, params, "request", "tools/call", tool)


def to_client(session: ProxySession, result: Any, tool: str | None = "whoami") -> Flow:
    return Flow(Direction.TO_CLIENT, session, result, "response", "tools/call", tool)


def token_for(session: ProxySession, value: str = PERSON["email"]) -> str:
    flow = to_client(session, {"content": [{"type": "text", "text": value}]})
    Tokenize()(flow)
    found = TOKEN_RE.search(flow.payload["content"][0]["text"])
    assert found is not None
    return found.group(0)


def request(method: str, params: dict[str, Any], request_id: Any = 1) -> Call:
    msg = types.JSONRPCRequest(jsonrpc="2.0", id=request_id, method=method, params=params)
    tool = params.get("name") if method == "tools/call" else None
    return Call(request_id, method, tool, message=msg, outgoing=msg)


class FakePump:
    """Records what call filters send and refuse; runs what they start at once, in the test's task group."""

    def __init__(self, tg: Any = None) -> None:
        self.sent: list[SessionMessage] = []
        self.refused: list[tuple[Call, Exception]] = []
        self.resumed: list[Call] = []
        self.ended: list[Call] = []
        self.tg = tg

    async def to_client(self, message: SessionMessage) -> None:
        self.sent.append(message)

    async def to_backend(self, message: SessionMessage) -> None:
        self.sent.append(message)

    async def refuse(self, call: Call, exc: Exception) -> None:
        self.refused.append((call, exc))

    async def resume(self, call: Call) -> None:
        self.resumed.append(call)

    def end(self, call: Call) -> None:
        self.ended.append(call)

    def start_soon(self, func: Any, *args: Any) -> None:
        self.tg.start_soon(func, *args)


# --------------------------------------------------------------------------- egress


def test_egress_lets_a_message_without_tokens_continue_untouched(session):
    flow = to_backend(session, {"name": "send", "arguments": {"webhook": "https://example.org"}})
    Egress()(flow)
    assert not flow.changed and flow.token_strings == {}


def test_egress_refuses_a_token_in_an_argument_the_policy_keeps_real_values_out_of(session):
    token = token_for(session)
    flow = to_backend(session, {"name": "send", "arguments": {"webhook": token}})
    with pytest.raises(EgressDenied, match="webhook"):
        Egress()(flow)


def test_egress_refuses_a_token_in_protocol_metadata(session):
    token = token_for(session)
    flow = to_backend(session, {"name": "send", "arguments": {}, "_meta": {"progressToken": token}})
    with pytest.raises(EgressDenied, match="_meta"):
        Egress()(flow)


# --------------------------------------------------------------------------- detokenize


def test_detokenize_lets_a_message_without_tokens_continue(session):
    flow = to_backend(session, {"name": "send", "arguments": {"text": "hello"}})
    Detokenize()(flow)
    assert not flow.changed and flow.payload["arguments"]["text"] == "hello"


def test_detokenize_gives_the_backend_the_real_value_even_inside_a_longer_string(session):
    token = token_for(session)
    flow = to_backend(session, {"name": "send", "arguments": {"text": f"write to {token} today"}})
    Detokenize()(flow)
    assert flow.changed and flow.payload["arguments"]["text"] == f"write to {PERSON['email']} today"


def test_detokenize_refuses_a_token_this_session_never_issued(session, engine):
    other = engine.open_session(backend="test-backend", actor="test")
    foreign = token_for(other)
    flow = to_backend(session, {"name": "send", "arguments": {"text": foreign}})
    with pytest.raises(TokenRefused):
        Detokenize()(flow)


# --------------------------------------------------------------------------- tokenize and budget


def test_tokenize_replaces_a_detected_value_with_its_session_token(session):
    flow = to_client(session, {"content": [{"type": "text", "text": f"mail {PERSON['email']}"}]})
    Tokenize()(flow)
    text = flow.payload["content"][0]["text"]
    assert flow.changed and PERSON["email"] not in text and TOKEN_RE.search(text)


def test_tokenize_lets_a_result_without_personal_data_continue_unchanged(session):
    flow = to_client(session, {"content": [{"type": "text", "text": "all quiet"}]})
    Tokenize()(flow)
    assert not flow.changed


def test_tokenize_refuses_a_backend_request_whose_method_name_holds_personal_data(session):
    flow = Flow(Direction.TO_CLIENT, session, {}, "request", f"notify/{PERSON['email']}")
    with pytest.raises(ProxyError):  # blocked, never forwarded
        Tokenize()(flow)


def rows_result(n: int) -> dict[str, Any]:
    rows = [{"row": i, "clicks": i * 3} for i in range(n)]
    return {
        "content": [{"type": "text", "text": json.dumps({"rows": rows})}],
        "structuredContent": {"rows": rows},
    }


def test_budget_lets_a_result_within_its_budget_continue(session):
    flow = to_client(session, rows_result(3), tool="report")
    ResponseBudget()(flow)
    assert not flow.changed and len(flow.payload["structuredContent"]["rows"]) == 3


def test_budget_cuts_a_result_over_its_budget_to_a_page_a_summary_and_a_note(session):
    flow = to_client(session, rows_result(400), tool="report")
    ResponseBudget()(flow)
    meta = flow.payload["_meta"]["io.mcp-veil/budget"]
    assert flow.changed and meta["total"] == 400 and meta["shown"] < 400
    assert len(flow.payload["structuredContent"]["rows"]) == meta["shown"]
    assert flow.follow_ups == ["notifications/tools/list_changed"]  # the paging tool is offered now


# --------------------------------------------------------------------------- the chain


def explode(flow: Flow) -> None:
    raise RuntimeError("a filter bug")


async def test_a_scan_filter_that_raises_fails_its_message_closed_and_is_audited(session):
    blocked: list[str] = []
    chain = Chain(
        session, {Direction.TO_CLIENT: [explode], Direction.TO_BACKEND: []}, lambda: blocked.append("x")
    )
    msg = types.JSONRPCResponse(jsonrpc="2.0", id=1, result={"content": []})
    out = await chain.scan(msg, Direction.TO_CLIENT, "response", "tools/call", "whoami")
    assert isinstance(out, RuntimeError) and blocked == ["x"]


async def test_a_call_filter_that_raises_refuses_the_call(session):
    class Broken:
        async def on_request(self, call: Call) -> Verdict:
            raise RuntimeError("a filter bug")

    chain = Chain(session)
    chain.call_filters = [Broken()]
    verdict = await chain.request(request("tools/call", {"name": "echo"}))
    assert isinstance(verdict.refuse, RuntimeError)


async def test_the_chain_stops_at_the_first_verdict_and_resumes_after_a_paused_filter(session):
    seen: list[str] = []

    class Step:
        def __init__(self, name: str, verdict: Verdict = CONTINUE) -> None:
            self.name, self.verdict = name, verdict

        async def on_request(self, call: Call) -> Verdict:
            seen.append(self.name)
            return self.verdict

    chain = Chain(session)
    chain.call_filters = [Step("a"), Step("b", Verdict(pause=True)), Step("c")]
    call = request("tools/call", {"name": "echo"})
    assert (await chain.request(call)).pause and seen == ["a", "b"]
    assert await chain.request(call, call.position + 1) is CONTINUE and seen == ["a", "b", "c"]


# --------------------------------------------------------------------------- call filters


async def test_local_pages_let_any_other_request_continue(session):
    assert await LocalPages(session).on_request(request("tools/call", {"name": "echo"})) is CONTINUE


async def test_local_pages_answer_a_page_request_themselves_with_an_error_for_bad_arguments(session):
    verdict = await LocalPages(session).on_request(
        request("tools/call", {"name": PAGE_TOOL, "arguments": {"result_id": 7}})
    )
    assert verdict.answer is not None and isinstance(verdict.answer.message, types.JSONRPCError)


async def test_local_pages_answer_a_stored_page_with_its_rows(session):
    flow = to_client(session, rows_result(400), tool="report")
    ResponseBudget()(flow)
    result_id = flow.payload["_meta"]["io.mcp-veil/budget"]["resultId"]
    verdict = await LocalPages(session).on_request(
        request("tools/call", {"name": PAGE_TOOL, "arguments": {"result_id": result_id, "page": 2}})
    )
    assert verdict.answer is not None
    assert verdict.answer.message.result["structuredContent"]["page"] == 2


async def test_the_request_scan_keeps_the_real_values_for_the_backend(session):
    token = token_for(session)
    call = request("tools/call", {"name": "echo", "arguments": {"text": token}})
    assert await ScanRequest(Chain(session)).on_request(call) is CONTINUE
    assert call.outgoing.params["arguments"]["text"] == PERSON["email"]
    assert call.message.params["arguments"]["text"] == token


async def test_the_request_scan_answers_a_refused_request_with_its_error(session):
    call = request("tools/call", {"name": "echo", "arguments": {"webhook": token_for(session)}})
    verdict = await ScanRequest(Chain(session)).on_request(call)
    assert verdict.answer is not None and isinstance(verdict.answer.message, types.JSONRPCError)


async def test_limits_set_the_deadline_and_take_a_slot_that_closing_the_call_frees(session):
    session.policy.tool_specs["slow"] = ToolSpec(max_concurrent=1)
    limits = Limits(session)
    calls = CallTable([limits])
    first = request("tools/call", {"name": "slow"}, 1)
    assert await limits.on_request(first) is CONTINUE
    assert first.deadline > time.monotonic()
    calls.open(first)
    second = request("tools/call", {"name": "slow"}, 2)
    assert isinstance((await limits.on_request(second)).refuse, CallRefused)
    calls.close(1)
    assert await limits.on_request(request("tools/call", {"name": "slow"}, 3)) is CONTINUE


async def test_limits_answer_an_overdue_call_with_a_timeout_and_cancel_it_at_the_backend(session):
    session.policy.tool_specs["slow"] = ToolSpec(timeout_seconds=0.05)
    limits, calls, pump = Limits(session), CallTable(), FakePump()
    call = calls.open(request("tools/call", {"name": "slow"}))
    await limits.on_request(call)
    with anyio.move_on_after(0.5):
        await limits.watch(calls, pump)
    assert [type(exc).__name__ for _, exc in pump.refused] == ["CallTimedOut"]
    assert [m.message.method for m in pump.sent] == ["notifications/cancelled"]
    assert len(calls) == 0


async def test_approvals_let_a_call_no_rule_gates_continue(session):
    approvals = Approvals(Chain(session), FakePump())
    assert await approvals.on_request(request("tools/call", {"name": "echo", "arguments": {}})) is CONTINUE


async def test_approvals_pause_a_gated_call_and_refuse_it_when_the_client_cannot_be_asked(session):
    session.policy.tool_specs["send_note"] = ToolSpec(approval="required")
    async with anyio.create_task_group() as tg:
        pump = FakePump(tg)
        approvals = Approvals(Chain(session), pump)
        call = request("tools/call", {"name": "send_note", "arguments": {"to": "x"}})
        assert (await approvals.on_request(call)).pause
    assert [type(exc).__name__ for _, exc in pump.refused] == ["ApprovalRefused"]
    assert pump.resumed == []


async def test_approvals_pause_a_gated_call_while_the_human_is_asked_until_the_client_withdraws_it(session):
    session.policy.tool_specs["send_note"] = ToolSpec(approval="required")
    async with anyio.create_task_group() as tg:
        pump = FakePump(tg)
        approvals = Approvals(Chain(session), pump)
        approvals.gate.client_can_elicit = True
        call = request("tools/call", {"name": "send_note", "arguments": {"to": "x"}})
        assert (await approvals.on_request(call)).pause
        with anyio.fail_after(10):
            while not pump.sent:
                await anyio.sleep(0.01)
        assert pump.sent[0].message.method == "elicitation/create"
        assert await approvals.withdraw(call.id)
    assert pump.resumed == [] and pump.refused == []
    assert not await approvals.withdraw(call.id)  # withdrawn once


async def test_the_flood_filter_drops_notifications_beyond_the_rate(session):
    session.policy.notifications_per_second = 1.0
    blocked: list[int] = []
    flood = Flood(session, lambda: blocked.append(1))
    admitted = [await flood.admit("notifications/message") for _ in range(10)]
    assert admitted[:5] == [True] * 5 and admitted[5:] == [False] * 5 and len(blocked) == 5


async def test_the_flood_filter_drops_notifications_once_scanning_them_took_its_share_of_the_time(session):
    """However slowly they arrive (a backend held back by the pipe), notifications whose scans took more
    than their share of the wall clock are dropped until the share refills; the count alone never trips."""
    session.policy.notifications_per_second = 1_000.0
    blocked: list[int] = []
    flood = Flood(session, lambda: blocked.append(1))
    now = [0.0]
    flood._time = TimeShare(0.5, 1.0, clock=lambda: now[0])
    admitted = []
    for _ in range(12):
        now[0] += 0.01  # arrives 10 ms after the last one: 100 a second, well under the count
        ok = await flood.admit("notifications/message")
        admitted.append(ok)
        if ok:
            flood.spent(0.25)  # each took 250 ms to scan
    # The one-second burst (plus its refill) lasts five scans of 250 ms; the last one overdrew it.
    assert admitted[:5] == [True] * 5
    assert admitted[5:] == [False] * 7 and len(blocked) == 7
    now[0] += 2.0  # two seconds later half of them have refilled: one more second to spend
    assert await flood.admit("notifications/message")


def test_a_time_share_refills_at_its_share_of_the_clock_up_to_its_burst():
    now = [0.0]
    share = TimeShare(0.25, 2.0, clock=lambda: now[0])
    share.spend(3.0)
    assert not share.allows()
    now[0] += 4.0  # -1 + 4 × 0.25 = 0: nothing left yet
    assert not share.allows()
    now[0] += 100.0
    assert share.allows()
    share.spend(1.9)
    assert share.allows()  # capped at the burst: 2.0 - 1.9
    share.spend(0.2)
    assert not share.allows()
