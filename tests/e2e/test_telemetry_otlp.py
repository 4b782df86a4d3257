"""Telemetry end to end: a real `veil run` exports its spans over OTLP/HTTP to a local receiver.

The receiver is a few lines of `http.server` that accepts `POST /v1/traces` and decodes the protobuf body
with opentelemetry-proto, as a collector would. The backend records the trace context its requests carry.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, MCPError, StdioServerParameters
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from proxy.errors import BACKEND_UNAVAILABLE
from tests.polling import wait_until
from vault.tokens import TOKEN_RE

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
ROOT = Path(__file__).resolve().parents[2]
BACKEND = str(Path(__file__).with_name("traced_backend.py"))
EMAIL = "jane.miller@acme-plumbing.example"
CUSTOMER_ID = "7157461338"
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"


class Receiver:
    """What a local OTLP/HTTP receiver was sent: the raw bodies and the decoded export requests."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.paths: list[str] = []
        self.requests: list[ExportTraceServiceRequest] = []

    def spans(self) -> list[tuple[dict[str, Any], Any]]:
        """(resource attributes, span) for every span received."""
        out = []
        for request in self.requests:
            for rs in request.resource_spans:
                resource = {a.key: _value(a.value) for a in rs.resource.attributes}
                out.extend((resource, span) for ss in rs.scope_spans for span in ss.spans)
        return out


def _value(v: Any) -> Any:
    return getattr(v, v.WhichOneof("value")) if v.WhichOneof("value") else None


def attributes(span: Any) -> dict[str, Any]:
    return {a.key: _value(a.value) for a in span.attributes}


@pytest.fixture
def receiver() -> Iterator[tuple[str, Receiver]]:
    got = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            got.paths.append(self.path)
            if self.path != "/v1/traces":
                self.send_response(404)
                self.end_headers()
                return
            request = ExportTraceServiceRequest()
            request.ParseFromString(body)
            got.bodies.append(body)
            got.requests.append(request)
            reply = ExportTraceServiceResponse().SerializeToString()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", got
    finally:
        server.shutdown()
        server.server_close()


async def test_veil_run_exports_a_span_per_call_to_an_otlp_http_receiver_and_passes_trace_context_on(
    veil_env, receiver, tmp_path
):
    url, got = receiver
    record = tmp_path / "backend.jsonl"
    env = {
        **veil_env,
        "OTEL_EXPORTER_OTLP_ENDPOINT": url,
        "OTEL_SERVICE_NAME": "veil-e2e",
        "OTEL_BSP_SCHEDULE_DELAY": "600000",  # no batch is due while it runs: only the flush at exit sends
    }
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "proxy", "run", "--", sys.executable, BACKEND, str(record)],
        env=env,
        cwd=str(ROOT),
    )
    meta = {"traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01", "tracestate": "vendor=abc"}
    with anyio.fail_after(60):
        async with Client(params, mode="legacy") as client:
            text = "".join(c.text for c in (await client.call_tool("whoami", {})).content)
            token = json.loads(text)["email"]
            await client.call_tool("echo", {"text": f"write to {token} or {EMAIL}"}, meta=meta)
        names = lambda: [s.name for _, s in got.spans()]  # noqa: E731
        await wait_until(lambda: {"tools/call whoami", "tools/call echo"} <= set(names()), timeout=30)

    assert TOKEN_RE.fullmatch(token)
    assert set(got.paths) == {"/v1/traces"}
    spans = {s.name: (resource, s) for resource, s in got.spans()}
    resource, whoami = spans["tools/call whoami"]
    assert resource["service.name"] == "veil-e2e"
    assert attributes(whoami)["veil.outcome"] == "ok"
    assert attributes(whoami)["gen_ai.tool.name"] == "whoami"
    assert attributes(whoami)["veil.tokenized.EMAIL_ADDRESS"] == 1
    _, echo = spans["tools/call echo"]
    assert attributes(echo)["veil.detokenized"] == 1
    # The client's trace context is the echo span's parent; the backend got the proxy's span instead.
    assert echo.trace_id.hex() == TRACE_ID and echo.parent_span_id.hex() == PARENT_ID
    seen = [json.loads(line) for line in record.read_text().splitlines()]
    echoed = next(s for s in seen if s["method"] == "tools/call" and s["tracestate"])
    assert echoed["traceparent"].split("-")[1:3] == [TRACE_ID, echo.span_id.hex()]
    assert echoed["tracestate"] == "vendor=abc"
    # Nothing sent to the receiver holds a value or a token: neither the raw bodies nor what they decode to.
    raw = b"".join(got.bodies)
    decoded = json.dumps([[s.name, attributes(s)] for _, s in got.spans()])
    for value in (EMAIL, CUSTOMER_ID):
        assert value.encode() not in raw and value not in decoded
    assert token.encode() not in raw and not TOKEN_RE.search(decoded)


async def test_a_call_the_backend_dies_during_is_exported_as_an_error_with_the_backend_unavailable_code(
    veil_env, receiver
):
    url, got = receiver
    env = {**veil_env, "OTEL_EXPORTER_OTLP_ENDPOINT": url}
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "proxy", "run", "--", sys.executable, "-m", "examples.hostile_backends", "crash"],
        env=env,
        cwd=str(ROOT),
    )
    with anyio.fail_after(60):
        async with Client(params, mode="legacy") as client:
            with pytest.raises(MCPError):
                await client.call_tool("crash", {"text": "now"})
        await wait_until(lambda: any(s.name == "tools/call crash" for _, s in got.spans()), timeout=30)
    crash = next(s for _, s in got.spans() if s.name == "tools/call crash")
    assert attributes(crash)["veil.outcome"] == "error"
    assert attributes(crash)["rpc.jsonrpc.error_code"] == BACKEND_UNAVAILABLE
