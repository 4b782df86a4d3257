"""The shipped Grafana dashboard (docs/grafana-dashboard.json) queries only metrics a running proxy
exports: read from a real `veil run --metrics-listen` after real calls, not from a list kept by hand."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import sys
from pathlib import Path

import anyio
import httpx
import pytest
from mcp import Client, MCPError, StdioServerParameters
from prometheus_client.parser import text_string_to_metric_families

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "docs" / "grafana-dashboard.json"
BACKEND = [sys.executable, str(Path(__file__).with_name("usage_backend.py"))]
SUFFIXES = {"counter": ("_total",), "gauge": ("",), "histogram": ("_bucket", "_sum", "_count")}


def queried_metrics() -> set[str]:
    exprs = [t["expr"] for p in json.loads(DASHBOARD.read_text())["panels"] for t in p["targets"]]
    return {m for e in exprs for m in re.findall(r"\bveil_[a-z_]+\b", e)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_every_metric_the_grafana_dashboard_queries_is_exported_by_a_running_proxy(veil_env, tmp_path):
    policy = tmp_path / "quota.yaml"
    policy.write_text("version: 1\nname: q\ntools:\n  ping:\n    quota: {per: hour, calls: 2}\n")
    port = free_port()
    listen = f"127.0.0.1:{port}"
    params = StdioServerParameters(
        command=sys.executable,
        args=[
            "-m",
            "proxy",
            "run",
            "--policy",
            str(policy),
            "--metrics-listen",
            listen,
            "--",
            *BACKEND,
        ],
        env=dict(veil_env),
        cwd=str(ROOT),
    )
    with anyio.fail_after(120):
        async with Client(params, mode="legacy") as client:
            await client.call_tool("allocate", {"mb": 20, "hold_ms": 200})
            for _ in range(3):
                with contextlib.suppress(MCPError):  # the third is over the quota: a refusal is counted
                    await client.call_tool("ping", {})
            async with httpx.AsyncClient() as http:
                text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
    families = {f.name: f for f in text_string_to_metric_families(text)}
    exported = {f.name + s for f in families.values() for s in SUFFIXES.get(f.type, ("",))}
    sampled = {s.name for f in families.values() for s in f.samples}
    queried = queried_metrics()
    assert len(queried) >= 10
    assert queried <= exported, f"queried but not exported: {sorted(queried - exported)}"
    # The figures only this change exports carry samples after these calls (not just declared).
    for name in ("veil_backend_memory_bytes", "veil_call_peak_memory_bytes_sum", "veil_quota_used",
                 "veil_quota_limit", "veil_quota_refusals_total", "veil_quota_warnings_total"):  # fmt: skip
        assert name in sampled, name
    labels = {k for f in families.values() if f.name.startswith("veil_") for s in f.samples for k in s.labels}
    assert labels <= {"backend", "tool", "method", "outcome", "entity_type", "direction", "reason", "quota",
                      "unit", "operation", "le"}  # fmt: skip
