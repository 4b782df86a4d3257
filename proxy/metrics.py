"""Prometheus metrics: calls, errors and latency per backend and tool, values tokenized per entity type,
detokenizations, refusals, blocked messages, vault latency.

Labels are drawn from closed sets the operator controls — backend labels, tool names the backend
declared, entity types, outcome words — never from values. One registry per process; `veil serve` exposes
it on /metrics, `veil run --metrics-listen HOST:PORT` on a loopback listener of its own.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

REGISTRY = CollectorRegistry(auto_describe=True)

CALLS = Counter(
    "veil_calls",
    "Requests answered, by backend, method, tool and outcome",
    ["backend", "method", "tool", "outcome"],
    registry=REGISTRY,
)
CALL_SECONDS = Histogram(
    "veil_call_seconds",
    "Time from a request to its answer, through the proxy",
    ["backend", "method", "tool"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
    registry=REGISTRY,
)
TOKENIZED = Counter(
    "veil_values_tokenized",
    "Values replaced by tokens toward the client, by entity type",
    ["backend", "entity_type"],
    registry=REGISTRY,
)
DETOKENIZED = Counter(
    "veil_tokens_detokenized",
    "Tokens turned back into values toward a backend",
    ["backend"],
    registry=REGISTRY,
)
BLOCKED = Counter(
    "veil_messages_blocked",
    "Messages blocked or refused, by direction and reason",
    ["backend", "direction", "reason"],
    registry=REGISTRY,
)
VAULT_SECONDS = Histogram(
    "veil_vault_seconds",
    "Time spent in vault calls",
    ["operation"],
    buckets=(0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1),
    registry=REGISTRY,
)
BACKEND_MEMORY = Gauge(
    "veil_backend_memory_bytes",
    "Resident memory of the backend's process tree, sampled (proxy.resources)",
    ["backend"],
    registry=REGISTRY,
)
BACKEND_CPU = Counter(
    "veil_backend_cpu_seconds",
    "CPU time (user + system) of the backend's process tree",
    ["backend"],
    registry=REGISTRY,
)
CALL_PEAK_MEMORY = Histogram(
    "veil_call_peak_memory_bytes",
    "Peak resident memory of the backend's process tree during a call",
    ["backend", "tool"],
    buckets=tuple(2.0**n for n in range(22, 35)),  # 4 MiB .. 16 GiB
    registry=REGISTRY,
)
CALL_CPU = Histogram(
    "veil_call_cpu_seconds",
    "CPU time the backend's process tree spent during a call",
    ["backend", "tool"],
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60),
    registry=REGISTRY,
)
QUOTA_USED = Gauge(
    "veil_quota_used",
    "Use counted against an API quota in its current window (calls or rows), as this process last saw it",
    ["backend", "quota", "unit"],
    registry=REGISTRY,
)
QUOTA_LIMIT = Gauge(
    "veil_quota_limit",
    "An API quota's limit per window (calls or rows)",
    ["backend", "quota", "unit"],
    registry=REGISTRY,
)
QUOTA_WARNINGS = Counter(
    "veil_quota_warnings",
    "Quotas that crossed their warning threshold (80 %) in a window",
    ["backend", "quota"],
    registry=REGISTRY,
)
QUOTA_REFUSALS = Counter(
    "veil_quota_refusals",
    "Calls refused because their quota was used up",
    ["backend", "quota"],
    registry=REGISTRY,
)

# Names a metric label may take for a tool or method it does not know: bounded cardinality.
_MAX_LABEL = 80


def label(text: str | None) -> str:
    """A label value: the name as given (tool and method names are not personal data), bounded."""
    if not text:
        return ""
    return text[:_MAX_LABEL]


def serve(host: str, port: int) -> None:
    """Expose the registry on http://HOST:PORT/metrics (a daemon thread)."""
    start_http_server(port, addr=host, registry=REGISTRY)
