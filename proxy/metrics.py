"""Prometheus metrics: calls, errors and latency per backend and tool, values tokenized per entity type,
detokenizations, refusals, blocked messages, vault latency.

Labels are drawn from closed sets the operator controls — backend labels, tool names the backend
declared, entity types, outcome words — never from values. One registry per process; `veil serve` exposes
it on /metrics, `veil run --metrics-listen HOST:PORT` on a loopback listener of its own.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server

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
