"""Resource accounting, API quotas and `veil top` through real processes: `veil run` in front of a real
stdio backend (tests/e2e/usage_backend.py), two proxies on one vault (SQLite file and PostgreSQL), and
the operator commands reading what they wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, MCPError, StdioServerParameters

from proxy.errors import QUOTA_EXCEEDED, VAULT_UNAVAILABLE
from tests.vault.conftest import pg_schema_url  # noqa: F401 - a fixture

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
ROOT = Path(__file__).resolve().parents[2]
BACKEND = [sys.executable, str(Path(__file__).with_name("usage_backend.py"))]
MiB = 1 << 20


def policy(tmp_path: Path, text: str) -> str:
    path = tmp_path / "quota.yaml"
    path.write_text("version: 1\nname: quota-test\n" + text)
    return str(path)


def proxy(veil_env: dict[str, str], *options: str) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "proxy", "run", *options, "--", *BACKEND],
        env=dict(veil_env),
        cwd=str(ROOT),
    )


def veil(veil_env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **veil_env}
    return subprocess.run(
        [sys.executable, "-m", "proxy", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )


async def calls(params: StdioServerParameters, tool: str, n: int, args: dict[str, Any] | None = None) -> dict:
    """Make `n` calls of `tool` through one proxy: how many were answered, refused for quota (with the
    first refusal's message and data) and the logging notifications the client got."""
    out: dict[str, Any] = {"ok": 0, "refused": 0, "message": None, "data": None, "logs": []}

    async def on_log(params: Any) -> None:
        out["logs"].append(params.data)

    async with Client(params, mode="legacy", logging_callback=on_log) as client:
        for _ in range(n):
            try:
                result = await client.call_tool(tool, args or {})
            except MCPError as exc:
                assert exc.error.code == QUOTA_EXCEEDED, exc.error.message
                out["refused"] += 1
                out["message"] = out["message"] or exc.error.message
                out["data"] = out["data"] or exc.error.data
                continue
            assert not result.is_error
            out["ok"] += 1
        await anyio.sleep(0.2)  # a notification sent right before the last answer is read
    return out


async def test_a_calls_peak_memory_and_cpu_reach_the_audit_log_and_veil_top(veil_env):
    with anyio.fail_after(120):
        async with Client(proxy(veil_env), mode="legacy") as client:
            await client.call_tool("allocate", {"mb": 200, "hold_ms": 400})
            await client.call_tool("child_allocate", {"mb": 150, "hold_ms": 400})
            await client.call_tool("spin", {"ms": 400})
            await client.call_tool("ping", {})
    shown = veil(veil_env, "top", "--once", "--json")
    assert shown.returncode == 0, shown.stderr
    tools = {row["tool"]: row for row in json.loads(shown.stdout)["tools"]}
    assert tools["allocate"]["mem_max_bytes"] > 200 * MiB
    assert tools["child_allocate"]["mem_max_bytes"] > 150 * MiB  # the whole process tree is measured
    assert tools["ping"]["mem_max_bytes"] < 150 * MiB  # the memory freed after a call is not charged on
    assert tools["spin"]["cpu_ms"] >= 300
    assert tools["ping"]["cpu_ms"] < 100
    assert all(tools[t]["calls"] == 1 and tools[t]["success_rate"] == 1.0 for t in ("allocate", "spin"))
    assert tools["spin"]["avg_ms"] >= 400 and tools["spin"]["p95_ms"] >= 400
    table = veil(veil_env, "top", "--once")
    assert table.returncode == 0, table.stderr
    assert "allocate" in table.stdout and "MiB" in table.stdout and "p95 ms" in table.stdout


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def vault_option(request: pytest.FixtureRequest) -> list[str]:
    if request.param == "sqlite":
        return []  # the default: one SQLite file under the shared VEIL_HOME
    return ["--vault", request.getfixturevalue("pg_schema_url")]


async def test_two_proxy_processes_on_one_vault_share_one_call_quota(veil_env, tmp_path, vault_option):
    ping_quota = "tools:\n  ping:\n    quota: {per: day, calls: 8}\n"
    options = ["--policy", policy(tmp_path, ping_quota), *vault_option]
    results: list[dict[str, Any]] = []

    async def one() -> None:
        results.append(await calls(proxy(veil_env, *options), "ping", 6))

    with anyio.fail_after(180):
        async with anyio.create_task_group() as tg:
            tg.start_soon(one)
            tg.start_soon(one)
    assert sum(r["ok"] for r in results) == 8  # of 12 calls, exactly the quota's 8 reached the backend
    assert sum(r["refused"] for r in results) == 4
    message = next(r["message"] for r in results if r["message"])
    assert "quota 'tool:ping'" in message and "8 calls per day" in message and "used up (8 of 8)" in message
    assert "resets at" in message and "T00:00:00Z" in message
    assert "quota: {per: day, calls: N}" in message and "veil quota status" in message
    warnings = [w for r in results for w in r["logs"] if "quota" in str(w)]
    assert len(warnings) == 1 and "at 87 %" in warnings[0]  # crossed 80 % once: at the 7th of 8 calls
    status = veil(veil_env, "quota", "status", "--json", *vault_option)
    assert status.returncode == 0, status.stderr
    [use] = [json.loads(line) for line in status.stdout.splitlines()]
    assert (use["quota"], use["used"], use["limit"], use["unit"]) == ("tool:ping", 8, 8, "calls")
    refusals = veil(veil_env, "audit", "query", "--event", "message-blocked", "--json", *vault_option)
    rows = [json.loads(line) for line in refusals.stdout.splitlines()]
    assert sum(r["fields"]["reason"] == "QuotaExceeded" for r in rows) == 4  # each refusal audited
    warned = veil(veil_env, "audit", "query", "--event", "quota-warned", "--json", *vault_option)
    [row] = [json.loads(line) for line in warned.stdout.splitlines()]
    assert row["fields"] == {"quota": "tool:ping", "used": 7, "limit": 8}


async def test_a_rows_quota_refuses_calls_once_the_rows_returned_reach_it(veil_env, tmp_path):
    options = ["--policy", policy(tmp_path, "quota: {per: hour, rows: 10}\n")]
    with anyio.fail_after(120):
        got = await calls(proxy(veil_env, *options), "rows", 4, {"n": 6})
    assert (got["ok"], got["refused"]) == (2, 2)  # 6 rows, then 12 (the call that crossed is answered)
    assert "quota 'backend'" in got["message"] and "10 rows per hour" in got["message"]
    assert "top-level `quota: {per: hour, rows: N}`" in got["message"]
    assert got["data"]["used"] == 12 and got["data"]["unit"] == "rows"
    shown = json.loads(veil(veil_env, "top", "--once", "--json").stdout)
    assert [(q["quota"], q["used"], q["limit"]) for q in shown["quotas"]] == [("backend", 12, 10)]
    row = next(t for t in shown["tools"] if t["tool"] == "rows")
    assert (row["calls"], row["refused"], row["quota_used"], row["quota_limit"]) == (2, 2, 12, 10)


async def test_behind_one_front_each_backend_is_measured_and_counted_under_its_own_name(veil_env, tmp_path):
    config = tmp_path / "veil.toml"
    command = json.dumps(BACKEND)
    config.write_text(f"[backends.big]\ncommand = {command}\n\n[backends.small]\ncommand = {command}\n")
    options = ["--policy", policy(tmp_path, "quota: {per: day, calls: 100}\n"), "--config", str(config)]
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "proxy", "run", *options], env=dict(veil_env), cwd=str(ROOT)
    )
    with anyio.fail_after(120):
        async with Client(params, mode="legacy") as client:
            await client.call_tool("big__allocate", {"mb": 160, "hold_ms": 400})
            await client.call_tool("small__ping", {})
    shown = json.loads(veil(veil_env, "top", "--once", "--json").stdout)
    rows = {(t["backend"], t["tool"]): t for t in shown["tools"]}
    assert rows[("big", "allocate")]["mem_max_bytes"] > 160 * MiB
    assert rows[("small", "ping")]["mem_max_bytes"] < 100 * MiB  # the other backend's tree, not big's
    assert {(q["backend"], q["used"]) for q in shown["quotas"]} == {("big", 1), ("small", 1)}


async def test_a_quota_that_cannot_be_counted_refuses_the_call(veil_env, tmp_path, veil_home):
    options = ["--policy", policy(tmp_path, "tools:\n  ping:\n    quota: {per: day, calls: 100}\n")]
    with anyio.fail_after(120):
        async with Client(proxy(veil_env, *options), mode="legacy") as client:
            await client.call_tool("ping", {})
            for path in veil_home.glob("vault.db*"):
                path.unlink()  # the vault file is gone: nothing can be counted
            with pytest.raises(MCPError) as refused:
                await client.call_tool("ping", {})
    assert refused.value.error.code == VAULT_UNAVAILABLE  # fail closed: no uncounted call reaches the backend
    assert "vault is unavailable" in refused.value.error.message
