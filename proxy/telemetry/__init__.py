"""OpenTelemetry traces, optional and off by default: a span per MCP call, exported over OTLP/HTTP.

On when the standard `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set, or with
`VEIL_OTEL=1`; `VEIL_OTEL=0` or the standard `OTEL_SDK_DISABLED=true` keep it off. This module imports
nothing of OpenTelemetry: the SDK and the exporter (`setup`, `spans`) are imported only once it is on, so a
proxy without telemetry starts as fast as before (the MCP SDK itself imports the OpenTelemetry API, never
the SDK). A span carries names, an outcome and counts, never a value or a token (`spans`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from proxy.session import ProxySession

log = logging.getLogger(__name__)

_ENDPOINTS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
_YES = ("1", "true", "yes", "on")
_NO = ("0", "false", "no", "off")


def enabled(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether this process exports traces (read from the environment each time: cheap, and a test may set
    it)."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    switch = environ.get("VEIL_OTEL", "").strip().lower()
    if switch in _NO:
        return False
    return switch in _YES or any(environ.get(name, "").strip() for name in _ENDPOINTS)


def call_filters(session: ProxySession) -> tuple[list[Any], list[Any]]:
    """The call filters telemetry adds to a session's chain: (first, last). The first opens the call's span
    as the request arrives (and ends it at `on_done`); the last writes the span's trace context into the
    request the backend gets. Both empty when telemetry is off, or when the OpenTelemetry packages are not
    installed (logged once: the proxy runs on without traces)."""
    if not enabled():
        return [], []
    try:
        from proxy.telemetry.setup import tracer
        from proxy.telemetry.spans import CallSpans
    except ImportError as exc:
        _warn_missing(exc)
        return [], []
    spans = CallSpans(session, tracer())
    return [spans], [spans.forward]


_warned = False


def _warn_missing(exc: ImportError) -> None:
    global _warned
    if not _warned:
        _warned = True
        log.warning(
            "telemetry is on but OpenTelemetry is not installed; no traces",
            extra={"missing": exc.name or "opentelemetry"},
        )
