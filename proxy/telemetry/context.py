"""W3C Trace Context in MCP's `_meta`: taken from a client's request, written into the backend's.

A client that traces puts `traceparent` (and `tracestate`) in `params._meta`, as the MCP SDKs do; the call's
span becomes its child. One that is missing, malformed or all-zero is ignored — the span is a new root — and
is never an error: tracing must not fail a call. The request forwarded to the backend carries the proxy's own
span in their place, so the backend's spans nest under the proxy's.

These strings pass the scans like any `_meta` member. Toward the backend nothing is detected (only tokens
are resolved, and a token in `_meta` is refused); `with_trace_context` runs after those scans, on the
request as the backend gets it. A `traceparent` is lower-case hex in fixed-width fields joined by dashes.
"""

from __future__ import annotations

from typing import Any

import mcp_types as types
from opentelemetry.context import Context
from opentelemetry.trace import Span, get_current_span, set_span_in_context
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_PROPAGATOR = TraceContextTextMapPropagator()
_FIELDS = ("traceparent", "tracestate")


def parent_of(message: Any) -> Context:
    """The context a call's span starts in: the client's trace context if its request carries a valid one,
    else an empty context (a new root, never the task's ambient span)."""
    params = getattr(message, "params", None)
    meta = params.get("_meta") if isinstance(params, dict) else None
    if not isinstance(meta, dict) or not isinstance(meta.get("traceparent"), str):
        return Context()
    carrier = {k: meta[k] for k in _FIELDS if isinstance(meta.get(k), str)}
    try:
        parent = _PROPAGATOR.extract(carrier, context=Context())
    except (ValueError, TypeError):
        return Context()
    return parent if get_current_span(parent).get_span_context().is_valid else Context()


def with_trace_context(request: Any, span: Span) -> Any:
    """`request` (a JSON-RPC request) with `_meta.traceparent`/`tracestate` naming `span`; the client's own
    removed. A request whose `_meta` is not an object is left as it is."""
    if not isinstance(request, types.JSONRPCRequest):
        return request
    params = dict(request.params or {})
    meta = params.get("_meta", {})
    if not isinstance(meta, dict):
        return request
    meta = {k: v for k, v in meta.items() if k not in _FIELDS}
    _PROPAGATOR.inject(meta, context=set_span_in_context(span, Context()))
    params["_meta"] = meta
    return request.model_copy(update={"params": params})
