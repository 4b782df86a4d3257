"""A span per client call: opened when the request arrives, ended when the call leaves the call table.

`CallSpans` is the first call filter (its span starts before any other filter runs) and hears how the call
ended through `on_done`, exactly once whatever ended it; `TraceForward` is the last, just before the request
is forwarded. Trace context follows W3C Trace Context inside MCP's `_meta` (`proxy.telemetry.context`).

What a span carries is value-free by construction: the method and tool names as audit rows and metric labels
carry them (`ProxySession.safe_name`: a name holding personal data is `(redacted)`), the backend's label, the
outcome, the JSON-RPC error code and the refusing exception's type name, and counts per entity type. Never a
request's arguments, a result, an id, an error message (a refusal's message may name a token) or a token.
Attribute names follow OpenTelemetry's MCP conventions where they have one (`mcp.method.name`,
`gen_ai.tool.name`, `rpc.jsonrpc.error_code`, `error.type`); the proxy's own are under `veil.`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer

from proxy.call import Outcome
from proxy.chain import CONTINUE, Verdict
from proxy.telemetry.context import parent_of, with_trace_context
from proxy.telemetry.setup import export_soon

if TYPE_CHECKING:
    from proxy.call import Call
    from proxy.session import ProxySession

log = logging.getLogger(__name__)

# Outcomes that are no failure of the call: the span's status stays unset.
_FINE = ("ok", "cancelled")


class CallSpans:
    """Opens a call's span (`on_request`, first in the chain) and ends it (`on_done`). Telemetry never fails a
    call: an error of its own is logged and the call goes on untraced."""

    def __init__(self, session: ProxySession, tracer: Tracer) -> None:
        self.session = session
        self.tracer = tracer
        self.forward = TraceForward()

    async def on_request(self, call: Call) -> Verdict:
        try:
            call.span = self.tracer.start_span(
                call.method, context=parent_of(call.message), kind=SpanKind.SERVER
            )
        except Exception as exc:
            log.warning("a call's span could not be started", extra={"reason": type(exc).__name__})
        return CONTINUE

    def on_done(self, call: Call) -> None:
        span, call.span = call.span, None  # the table runs this once per call; a span ends once regardless
        if span is None:
            return
        outcome = call.ended or Outcome("interrupted")  # every end sets it: a missing one is a bug, not ok
        try:
            attributes = call_attributes(self.session, call, outcome)
            method, tool = attributes.get("mcp.method.name"), attributes.get("gen_ai.tool.name")
            span.update_name(f"{method} {tool}" if tool else str(method))
            span.set_attributes(attributes)
            if outcome.name not in _FINE:
                span.set_status(Status(StatusCode.ERROR))
        finally:
            span.end()
            export_soon()  # the call is answered: the exporter may be built now (`proxy.telemetry.setup`)


class TraceForward:
    """The last call filter: the request the backend gets carries the proxy's span as its parent
    (`_meta.traceparent`, and `tracestate`), in place of the client's."""

    async def on_request(self, call: Call) -> Verdict:
        if call.span is not None:
            try:
                call.outgoing = with_trace_context(call.outgoing, call.span)
            except Exception as exc:
                log.warning("trace context not passed on", extra={"reason": type(exc).__name__})
        return CONTINUE


def call_attributes(session: ProxySession, call: Call, outcome: Outcome) -> dict[str, Any]:
    """A span's attributes: names (screened), backend, outcome, error code and type, counts."""
    attributes: dict[str, Any] = {
        "mcp.method.name": session.safe_name(call.method) or "",
        "veil.backend": call.backend or session.backend,
        "veil.outcome": outcome.name,
    }
    if call.tool is not None:
        attributes["gen_ai.tool.name"] = session.safe_name(call.tool) or ""
    if outcome.code is not None:
        attributes["rpc.jsonrpc.error_code"] = outcome.code
    if outcome.reason is not None:
        attributes["error.type"] = outcome.reason
    elif outcome.name not in _FINE:
        attributes["error.type"] = outcome.name
    tokenized = 0
    for name, n in sorted(call.counts.items()):
        if name == "detokenized":
            attributes["veil.detokenized"] = n
        else:
            attributes[f"veil.tokenized.{name}"] = n
            tokenized += n
    attributes["veil.tokenized"] = tokenized
    return attributes
