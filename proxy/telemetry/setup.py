"""The process's tracer provider: OTLP over HTTP (protobuf), batched, configured by the standard variables.

The exporter reads `OTEL_EXPORTER_OTLP_ENDPOINT` (to which it adds `/v1/traces`) or
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is), their headers and timeout variables; the service is named
by `OTEL_SERVICE_NAME`, else `mcp-veil`. The provider is the proxy's own, never installed as the global one:
the MCP SDK traces with the global provider, and its spans stay the no-ops they are without one (what they
would carry is not ours to vouch for). Spans are exported from a background thread in batches; the provider
flushes them at exit (the SDK's `atexit` hook), bounded by the exporter's timeout.
"""

from __future__ import annotations

import os
import threading

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Tracer

_lock = threading.Lock()
_provider: TracerProvider | None = None


def provider() -> TracerProvider:
    """The one provider of this process, made on first use."""
    global _provider
    with _lock:
        if _provider is None:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.sdk.trace.export import BatchSpanProcessor

            name = os.environ.get("OTEL_SERVICE_NAME", "").strip() or "mcp-veil"
            made = TracerProvider(resource=Resource.create({"service.name": name}))
            made.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
            _provider = made
        return _provider


def use_provider(replacement: TracerProvider | None) -> TracerProvider | None:
    """Use `replacement` from now on (a test's in-memory exporter); returns the one it replaces."""
    global _provider
    with _lock:
        previous, _provider = _provider, replacement
        return previous


def tracer() -> Tracer:
    return provider().get_tracer("mcp-veil")
