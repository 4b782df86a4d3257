"""The process's tracer provider: OTLP over HTTP (protobuf), batched, configured by the standard variables.

The exporter reads `OTEL_EXPORTER_OTLP_ENDPOINT` (to which it adds `/v1/traces`) or
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is), their headers and timeout variables; the service is named
by `OTEL_SERVICE_NAME`, else `mcp-veil`. The provider is the proxy's own, never installed as the global one:
the MCP SDK traces with the global provider, and its spans stay the no-ops they are without one (what they
would carry is not ours to vouch for).

The exporter is built after the first call has ended (`export_soon`), in a thread: importing and making it
took about 100 ms on the 2-core machine, on the path from start to the `initialize` result otherwise. Spans
that end before it is ready wait in `_Later` (bounded), then go to a `BatchSpanProcessor` that exports them
from a background thread. The provider flushes at exit (the SDK's `atexit` hook), bounded by the exporter's
timeout.
"""

from __future__ import annotations

import logging
import os
import threading

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.trace import Tracer

log = logging.getLogger(__name__)

_lock = threading.Lock()
_provider: TracerProvider | None = None
_later: _Later | None = None
EARLY_SPANS = 2048  # spans kept while the exporter is being built; more are dropped (counted in the log)
READY_SECONDS = 10.0  # how long a flush at exit waits for an exporter still being built


class _Later(SpanProcessor):
    """Ended spans, held until the real processor is attached, then handed to it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._real: SpanProcessor | None = None
        self._early: list[ReadableSpan] = []
        self._dropped = 0
        self._started = False
        self._ready = threading.Event()

    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._build, name="veil-otlp-exporter", daemon=True).start()

    def _build(self) -> None:
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.sdk.trace.export import BatchSpanProcessor

            real: SpanProcessor = BatchSpanProcessor(OTLPSpanExporter())
        except Exception as exc:  # telemetry never stops the proxy: no traces, said once
            log.warning(
                "the OTLP exporter could not be made; no traces", extra={"reason": type(exc).__name__}
            )
            self._ready.set()
            return
        with self._lock:
            early, self._early, self._real = self._early, [], real
        for span in early:
            real.on_end(span)
        if self._dropped:
            log.warning("spans dropped before the exporter was ready", extra={"count": self._dropped})
        self._ready.set()

    def on_end(self, span: ReadableSpan) -> None:
        with self._lock:
            real = self._real
            if real is None:
                if len(self._early) < EARLY_SPANS:
                    self._early.append(span)
                else:
                    self._dropped += 1
                return
        real.on_end(span)

    def _when_ready(self) -> SpanProcessor | None:
        if self._early and not self._started:
            self.start()  # spans ended, but no call did (the process ends first): export them now
        if self._started:
            self._ready.wait(READY_SECONDS)
        return self._real

    def shutdown(self) -> None:
        real = self._when_ready()
        if real is not None:
            real.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        real = self._when_ready()
        return True if real is None else real.force_flush(timeout_millis)


def provider() -> TracerProvider:
    """The one provider of this process, made on first use."""
    global _provider, _later
    with _lock:
        if _provider is None:
            name = os.environ.get("OTEL_SERVICE_NAME", "").strip() or "mcp-veil"
            made = TracerProvider(resource=Resource.create({"service.name": name}))
            _later = _Later()
            made.add_span_processor(_later)
            _provider = made
        return _provider


def export_soon() -> None:
    """Start building the exporter (once): called after a call has ended, off the start-up path."""
    later = _later
    if later is not None:
        later.start()


def use_provider(replacement: TracerProvider | None) -> TracerProvider | None:
    """Use `replacement` from now on (a test's in-memory exporter); returns the one it replaces."""
    global _provider, _later
    with _lock:
        previous, _provider, _later = _provider, replacement, None
        return previous


def tracer() -> Tracer:
    return provider().get_tracer("mcp-veil")
