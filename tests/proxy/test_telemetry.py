"""Telemetry: a span per MCP call, through the real relay in memory, read back from the SDK's in-memory
exporter. The spans carry names, outcomes and counts, never a value or a token; W3C trace context is taken
from the client's `_meta` and passed on to the backend in its place."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import MCPError
from mcp.server.mcpserver import Context
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from proxy.chain import CONTINUE
from proxy.errors import TOKEN_REFUSED, CallTimedOut, to_jsonrpc_error
from proxy.filters import Direction, Flow, chains
from proxy.policy import ToolSpec
from proxy.telemetry import enabled, setup
from tests.polling import wait_until
from tests.proxy.conftest import PERSON, make_backend
from vault.tokens import TOKEN_RE

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[2]
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def exported(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    """Telemetry on, its spans kept in memory."""
    monkeypatch.setenv("VEIL_OTEL", "1")
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    previous = setup.use_provider(provider)
    yield exporter
    setup.use_provider(previous)


def traced_backend(received: list[dict[str, Any]]):
    """The conftest backend, plus a tool that records the trace context its request carried."""
    server = make_backend(received)

    @server.tool()
    def traced(text: str, ctx: Context) -> str:
        meta = dict(ctx.request_context.meta or {})
        received.append({k: meta.get(k) for k in ("traceparent", "tracestate")})
        return text

    return server


def calls(exporter: InMemorySpanExporter, name: str) -> list[ReadableSpan]:
    return [s for s in exporter.get_finished_spans() if s.name == name]


def text_of(result) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


async def test_each_call_is_one_span_naming_its_method_tool_backend_and_outcome(proxied, exported):
    async with proxied(make_backend([])) as (client, _):
        await client.call_tool("whoami", {})
        failed = await client.call_tool("lookup", {"customer_id": "999"})
    assert failed.is_error
    names = [s.name for s in exported.get_finished_spans()]
    assert names.count("initialize") == 1 and names.count("tools/call whoami") == 1
    (ok,) = calls(exported, "tools/call whoami")
    assert ok.attributes["mcp.method.name"] == "tools/call"
    assert ok.attributes["gen_ai.tool.name"] == "whoami"
    assert ok.attributes["veil.backend"] == "test-backend"
    assert ok.attributes["veil.outcome"] == "ok"
    assert ok.end_time > ok.start_time
    (error,) = calls(exported, "tools/call lookup")
    assert error.attributes["veil.outcome"] == "error"
    assert error.status.status_code.name == "ERROR"


async def test_a_span_counts_the_values_tokenized_per_entity_type(proxied, exported):
    async with proxied(make_backend([])) as (client, _):
        data = json.loads(text_of(await client.call_tool("whoami", {})))
        await client.call_tool("lookup", {"customer_id": data["customerId"]})
    (whoami,) = calls(exported, "tools/call whoami")
    assert whoami.attributes["veil.tokenized.EMAIL_ADDRESS"] >= 1
    assert whoami.attributes["veil.tokenized.PHONE_NUMBER"] >= 1
    assert whoami.attributes["veil.tokenized"] >= 4
    (lookup,) = calls(exported, "tools/call lookup")
    assert lookup.attributes["veil.detokenized"] == 1


async def test_no_span_holds_a_value_or_a_token(proxied, exported):
    planted = "jane.miller@acme-plumbing.example"
    async with proxied(make_backend([])) as (client, _):
        data = json.loads(text_of(await client.call_tool("whoami", {})))
        await client.call_tool("lookup", {"customer_id": data["customerId"]})
        await client.call_tool("echo", {"text": f"write to {planted} or {data['email']}"})
        with pytest.raises(MCPError):
            await client.call_tool("echo", {"text": "[[EMAIL_ADDRESS:aaaaaaaaaaaaaaaa]]"})
        await client.call_tool(planted, {})  # a tool name holding a value: no such tool
    spans = exported.get_finished_spans()
    assert len(spans) >= 6
    seen = json.dumps([[s.name, dict(s.attributes), [dict(e.attributes) for e in s.events]] for s in spans])
    for value in (*(str(v) for v in PERSON.values()), planted, "aaaaaaaaaaaaaaaa"):
        assert value not in seen
    assert not TOKEN_RE.search(seen)
    assert "(redacted)" in seen  # the tool name was screened, not dropped


async def test_a_refused_call_is_a_span_with_outcome_refused_and_its_error_code(proxied, exported):
    received: list[dict] = []
    async with proxied(make_backend(received)) as (client, _):
        with pytest.raises(MCPError):
            await client.call_tool("echo", {"text": "[[EMAIL_ADDRESS:aaaaaaaaaaaaaaaa]]"})
    (refused,) = calls(exported, "tools/call echo")
    assert refused.attributes["veil.outcome"] == "refused"
    assert refused.attributes["rpc.jsonrpc.error_code"] == TOKEN_REFUSED
    assert received == []


async def test_a_call_a_rate_limit_refuses_is_a_span_with_outcome_refused_and_the_refusals_type(
    proxied, exported
):
    async with proxied(make_backend([])) as (client, session):
        session.policy.tool_specs["whoami"] = ToolSpec(rate_per_minute=1)
        await client.call_tool("whoami", {})
        with pytest.raises(MCPError):
            await client.call_tool("whoami", {})
    ok, refused = sorted(calls(exported, "tools/call whoami"), key=lambda s: s.start_time or 0)
    assert ok.attributes["veil.outcome"] == "ok"
    assert refused.attributes["veil.outcome"] == "refused"
    assert refused.attributes["error.type"] == "CallRefused"


async def test_a_call_that_times_out_is_a_span_with_outcome_timeout_and_the_error_type(proxied, exported):
    async with proxied(make_backend([])) as (client, session):
        session.policy.tool_specs["slow"] = ToolSpec(timeout_seconds=0.2)
        with pytest.raises(MCPError):
            await client.call_tool("slow", {"seconds": 30})
    (span,) = calls(exported, "tools/call slow")
    assert span.attributes["veil.outcome"] == "timeout"
    assert span.attributes["error.type"] == "CallTimedOut"
    assert span.attributes["rpc.jsonrpc.error_code"] == to_jsonrpc_error(CallTimedOut("x"))["code"]


async def test_a_clients_traceparent_makes_the_span_its_child_and_the_backend_gets_the_proxys(
    proxied, exported
):
    received: list[dict] = []
    meta = {"traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01", "tracestate": "vendor=abc"}
    async with proxied(traced_backend(received)) as (client, _):
        await client.call_tool("traced", {"text": "hi"}, meta=meta)
    (span,) = calls(exported, "tools/call traced")
    assert f"{span.context.trace_id:032x}" == TRACE_ID
    assert span.parent is not None and f"{span.parent.span_id:016x}" == PARENT_ID
    assert received == [
        {"traceparent": f"00-{TRACE_ID}-{span.context.span_id:016x}-01", "tracestate": "vendor=abc"}
    ]


async def test_a_call_without_a_traceparent_starts_a_trace_the_backend_joins(proxied, exported):
    received: list[dict] = []
    async with proxied(traced_backend(received)) as (client, _):
        await client.call_tool("traced", {"text": "hi"})
    (span,) = calls(exported, "tools/call traced")
    assert span.parent is None
    version, trace_id, parent_id, _flags = received[0]["traceparent"].split("-")
    assert (version, trace_id) == ("00", f"{span.context.trace_id:032x}")
    assert parent_id == f"{span.context.span_id:016x}"


@pytest.mark.parametrize(
    "traceparent",
    [
        "not a traceparent",
        f"00-{TRACE_ID[:-1]}-{PARENT_ID}-01",  # a field one digit short
        f"00-{'0' * 32}-{PARENT_ID}-01",  # the all-zero trace id
        f"00-{TRACE_ID.upper()}-{PARENT_ID}-01",  # upper-case hex
        42,
    ],
)
async def test_a_malformed_traceparent_is_ignored_and_the_span_is_a_new_root(proxied, exported, traceparent):
    received: list[dict] = []
    async with proxied(traced_backend(received)) as (client, _):
        result = await client.call_tool("traced", {"text": "hi"}, meta={"traceparent": traceparent})
    assert not result.is_error
    (span,) = calls(exported, "tools/call traced")
    assert span.parent is None and f"{span.context.trace_id:032x}" != TRACE_ID
    assert received[0]["traceparent"].split("-")[2] == f"{span.context.span_id:016x}"


async def test_a_call_cancelled_by_the_client_ends_its_span(proxied, exported):
    import anyio

    received: list[dict] = []
    async with proxied(make_backend(received)) as (client, _):
        with anyio.move_on_after(30) as scope:
            async with anyio.create_task_group() as tg:
                tg.start_soon(client.call_tool, "slow", {"seconds": 30})
                await wait_until(lambda: {"tool": "slow", "started": True} in received)
                tg.cancel_scope.cancel()
        assert not scope.cancelled_caught
        await wait_until(lambda: calls(exported, "tools/call slow"))
    (span,) = calls(exported, "tools/call slow")
    assert span.attributes["veil.outcome"] == "cancelled"


class _FailsAtTheEnd:
    """A call filter whose `on_done` raises."""

    def __init__(self) -> None:
        self.ended: list[str] = []

    async def on_request(self, call):
        return CONTINUE

    def on_done(self, call) -> None:
        self.ended.append(call.ended.name)
        raise RuntimeError("boom")


async def test_a_call_filter_that_fails_at_a_calls_end_neither_stops_the_relay_nor_the_other_hooks(
    proxied, exported
):
    failing = _FailsAtTheEnd()
    async with proxied(make_backend([])) as (client, _):
        proxied.relay.chain.call_filters.insert(0, failing)
        await client.call_tool("whoami", {})
        assert text_of(await client.call_tool("echo", {"text": "still here"})) == "still here"
    assert len(failing.ended) >= 2 and set(failing.ended) == {"ok"}  # each call (the client lists tools too)
    assert len(calls(exported, "tools/call echo")) == 1  # the span filter after it still ended its span


def test_telemetry_is_off_unless_an_otlp_endpoint_or_veil_otel_turns_it_on():
    assert not enabled({})
    assert enabled({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"})
    assert enabled({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"})
    assert enabled({"VEIL_OTEL": "1"})
    assert not enabled({"VEIL_OTEL": "0", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"})
    assert not enabled({"OTEL_SDK_DISABLED": "true", "VEIL_OTEL": "1"})


_IMPORTS = """
import json, sys
import proxy.cli, proxy.cli.run, proxy.wiring, proxy.relay, proxy.transports.http.sessions
from proxy.telemetry import call_filters
first, last = call_filters(None)
print(json.dumps({"filters": len(first) + len(last),
                  "sdk": sorted(m for m in sys.modules if m.startswith(("opentelemetry.sdk",
                         "opentelemetry.exporter", "opentelemetry.proto")))}))
"""


@pytest.mark.parametrize("switch", ["off", "on"])
def test_with_telemetry_off_no_opentelemetry_sdk_or_exporter_is_imported(switch):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "VEIL_OTEL"))}
    env["PYTHONPATH"] = str(ROOT)
    if switch == "on":
        env["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9"
    out = subprocess.run(
        [sys.executable, "-c", _IMPORTS], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    found = json.loads(out.stdout.strip().splitlines()[-1])
    if switch == "off":
        assert found == {"filters": 0, "sdk": []}
    else:  # the same probe sees them once it is on
        assert found["filters"] == 2 and "opentelemetry.sdk.trace" in found["sdk"]


_hex = st.text(alphabet="0123456789abcdef", min_size=1, max_size=1)
_digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def _field(n: int):
    """n lower-case hex digits, often digits only (the runs a phone or card recognizer would look at)."""
    return st.one_of(
        st.lists(_hex, min_size=n, max_size=n).map("".join),
        st.lists(_digits, min_size=n, max_size=n).map("".join),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trace_id=_field(32), parent_id=_field(16), tracestate=st.sampled_from(["", "vendor=abc", "a=1,b=2"]))
def test_trace_context_reaches_the_backend_unchanged_through_the_request_scan(
    engine, trace_id, parent_id, tracestate
):
    """Toward the backend only tokens are looked for (and a token in `_meta` is refused): a client's trace
    context, whatever its digits, passes as it was."""
    session = engine.open_session(backend="test-backend", actor="test")
    meta = {"traceparent": f"00-{trace_id}-{parent_id}-01", "tracestate": tracestate}
    payload = {"name": "echo", "arguments": {"text": "hi"}, "_meta": dict(meta)}
    flow = Flow(Direction.TO_BACKEND, session, payload, "request", "tools/call", "echo")
    for stage in chains()[Direction.TO_BACKEND]:
        stage(flow)
    assert flow.payload["_meta"] == meta


def test_a_backends_traceparent_whose_digits_spell_a_card_number_is_tokenized_toward_the_client(engine):
    """Toward the client `_meta` is scanned like any member: a trace id can carry 32 digits, so it is judged
    like any other string (privacy first; a client reads the changed value as malformed and ignores it)."""
    session = engine.open_session(backend="test-backend", actor="test")
    planted = f"00-4111111111111111abcdefabcdefabcd-{PARENT_ID}-01"
    payload = {"content": [{"type": "text", "text": "hi"}], "_meta": {"traceparent": planted}}
    flow = Flow(Direction.TO_CLIENT, session, payload, "response", "tools/call", "echo")
    for stage in chains()[Direction.TO_CLIENT]:
        stage(flow)
    assert "4111111111111111" not in flow.payload["_meta"]["traceparent"]
    assert TOKEN_RE.search(flow.payload["_meta"]["traceparent"])


def test_telemetry_turned_on_without_the_sdk_installed_warns_and_adds_no_filters():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "VEIL_OTEL"))}
    env.update(PYTHONPATH=str(ROOT), VEIL_OTEL="1")
    probe = (
        "import sys; sys.modules['opentelemetry.sdk'] = None\n"  # as if the otel extra were not installed
        "from proxy.telemetry import call_filters\n"
        "print(call_filters(None))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "([], [])"
    assert "OpenTelemetry is not installed" in out.stderr
