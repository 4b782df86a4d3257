"""`veil run --config` and `veil serve --config`: real backends behind one front, through the SDK client.

Backends: examples.echo_server and examples.ads_console_server (subprocesses), PyPI mcp-server-time, and
for `veil serve` also an MCP server over Streamable HTTP whose API key comes from an environment variable.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, MCPError, StdioServerParameters

from tests.http.conftest import http_mcp_server
from tests.proxy.conftest import PERSON, make_backend
from vault.tokens import TOKEN_RE

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
ROOT = Path(__file__).resolve().parents[2]
TIME_SERVER = shutil.which("mcp-server-time") or str(Path(sys.executable).parent / "mcp-server-time")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def text_of(result: Any) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def write_config(tmp_path: Path, extra: str = "") -> Path:
    py = sys.executable
    path = tmp_path / "veil.toml"
    path.write_text(
        f"""
[backends.echo]
command = {toml_list([py, "-m", "examples.echo_server"])}

[backends.ads]
command = {toml_list([py, "-m", "examples.ads_console_server"])}
env = {{ VEIL_EXAMPLE_TRACE = {json.dumps(str(tmp_path / "ads-trace.jsonl"))} }}

[backends.time]
command = {toml_list([TIME_SERVER, "--local-timezone", "UTC"])}
{extra}
"""
    )
    return path


def veil_run_config(config: Path, env: dict[str, str]) -> StdioServerParameters:
    """`veil run --config CONFIG` as a real subprocess."""
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "proxy", "run", "--config", str(config)],
        env=dict(env),
        cwd=str(ROOT),
    )


def ads_trace(tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "ads-trace.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


async def test_veil_run_config_serves_three_real_backends_as_one_with_tokens_bound_to_their_backend(
    veil_env, tmp_path
):
    config = write_config(tmp_path)
    params = veil_run_config(config, veil_env)
    with anyio.fail_after(90):
        async with Client(params, mode="legacy") as client:
            names = {t.name for t in (await client.list_tools()).tools}
            now = await client.call_tool("time__get_current_time", {"timezone": "UTC"})
            accounts = (await client.call_tool("ads__list_accounts", {})).structured_content["accounts"]
            customer = accounts[0]["customerId"]
            campaigns = await client.call_tool("ads__list_campaigns", {"customer_id": customer})
            with pytest.raises(MCPError) as refused:
                await client.call_tool("echo__echo", {"text": f"leak {customer}"})
            whoami = json.loads(text_of(await client.call_tool("echo__whoami", {})))
            echoed = text_of(await client.call_tool("echo__echo", {"text": whoami["email"]}))
            with pytest.raises(MCPError) as unknown:
                await client.call_tool("crm__echo", {"text": "x"})
    assert {"echo__echo", "echo__whoami", "ads__list_accounts", "time__get_current_time"} <= names
    assert not now.is_error and "UTC" in text_of(now)
    assert TOKEN_RE.fullmatch(customer)
    assert not campaigns.is_error
    calls = [r for r in ads_trace(tmp_path) if r.get("tool") == "list_campaigns"]
    assert calls and TOKEN_RE.search(json.dumps(calls)) is None  # ads got the real customer id
    assert refused.value.error.code == -32004 and customer in refused.value.error.message
    assert echoed == whoami["email"]  # echo's own token went to echo as the value and came back as it
    assert TOKEN_RE.fullmatch(echoed) and "@" not in echoed
    assert unknown.value.error.code == -32602


async def test_veil_run_config_with_a_share_rule_lets_the_named_entity_cross(veil_env, tmp_path):
    share = '[[share]]\nfrom = "echo"\nto = ["ads"]\nentities = ["EMAIL_ADDRESS"]\n'
    config = write_config(tmp_path, share)
    params = veil_run_config(config, veil_env)
    with anyio.fail_after(90):
        async with Client(params, mode="legacy") as client:
            whoami = json.loads(text_of(await client.call_tool("echo__whoami", {})))
            found = await client.call_tool("ads__crm_search", {"query": whoami["email"]})
            with pytest.raises(MCPError):
                await client.call_tool("ads__crm_search", {"query": whoami["phoneNumber"]})
    assert not found.is_error
    queries = [r for r in ads_trace(tmp_path) if r.get("tool") == "crm_search"]
    assert len(queries) == 1 and "jane.miller@acme-plumbing.example" in json.dumps(queries)


async def test_veil_serve_config_serves_stdio_and_http_backends_with_headers_from_the_environment(
    veil_env, tmp_path
):
    seen: list[dict[str, str]] = []
    received: list[dict[str, Any]] = []
    async with http_mcp_server(make_backend(received), headers_seen=seen) as backend_url:
        config = write_config(
            tmp_path,
            f'[backends.crm]\nurl = "{backend_url}"\nheaders_env = {{ X-Api-Key = "CRM_API_KEY" }}\n',
        )
        env = {**os.environ, **veil_env, "CRM_API_KEY": "key-from-env"}
        log = open(tmp_path / "serve.log", "w+")  # noqa: SIM115 - read back while the process runs
        proc = subprocess.Popen(
            [sys.executable, "-m", "proxy", "serve", "--listen", "127.0.0.1:0", "--config", str(config)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            url = None
            deadline = time.monotonic() + 60
            while url is None and time.monotonic() < deadline and proc.poll() is None:
                log.seek(0)
                found = re.search(r"serving MCP on (http://\S+)", log.read())
                url = found.group(1) if found else None
                await anyio.sleep(0.1)
            assert url, "veil serve did not report its address"
            with anyio.fail_after(90):
                async with Client(url, mode="legacy") as client:
                    names = {t.name for t in (await client.list_tools()).tools}
                    data = json.loads(text_of(await client.call_tool("crm__whoami", {})))
                    await client.call_tool("crm__lookup", {"customer_id": data["customerId"]})
                    with pytest.raises(MCPError) as refused:
                        await client.call_tool("echo__echo", {"text": data["customerId"]})
                    echo = text_of(await client.call_tool("echo__echo", {"text": "plain"}))
                async with Client(url, mode="2026-07-28") as modern:
                    modern_names = {t.name for t in (await modern.list_tools()).tools}
        finally:
            proc.terminate()
            proc.wait(timeout=15)
            log.close()
    assert {"crm__whoami", "echo__echo", "ads__list_accounts", "time__get_current_time"} <= names
    # 2026-07-28 reaches the stdio backends; a handshake-only HTTP backend answers it "Missing session ID"
    # (as without --config) and is left out of the merged list rather than failing it.
    assert {"echo__echo", "ads__list_accounts"} <= modern_names
    assert TOKEN_RE.fullmatch(data["customerId"])
    assert received == [{"tool": "lookup", "customer_id": PERSON["customerId"]}]
    assert refused.value.error.code == -32004
    assert echo == "plain"
    assert seen and all(h.get("x-api-key") == "key-from-env" for h in seen)


def test_a_config_naming_a_missing_header_variable_is_refused_at_start(veil_home, tmp_path):
    from click.testing import CliRunner

    from proxy.cli import cli

    config = tmp_path / "veil.toml"
    config.write_text(
        '[backends.crm]\nurl = "http://127.0.0.1:9/mcp"\nheaders_env = {A = "VEIL_UNSET_VAR"}\n'
    )
    result = CliRunner().invoke(cli, ["run", "--config", str(config)])
    assert result.exit_code == 2 and "VEIL_UNSET_VAR" in result.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text('[backends.Bad]\ncommand = ["x"]\n')
    result = CliRunner().invoke(cli, ["serve", "--listen", "127.0.0.1:0", "--config", str(bad)])
    assert result.exit_code == 1 and f"invalid config: {bad}: backends.Bad" in result.stderr
    nopolicy = tmp_path / "nopolicy.toml"
    nopolicy.write_text('[backends.ads]\ncommand = ["x"]\npolicy = ["missing.yaml"]\n')
    result = CliRunner().invoke(cli, ["run", "--config", str(nopolicy)])
    assert result.exit_code == 1 and "invalid policy" in result.stderr and "missing.yaml" in result.stderr
    both = CliRunner().invoke(cli, ["run", "--config", str(bad), "--", "echo"])
    assert both.exit_code == 2 and "not both" in both.stderr


HOSTILE = [sys.executable, "-m", "examples.hostile_backends", "crash"]
ECHO = [sys.executable, "-m", "examples.echo_server"]


@pytest.mark.parametrize("restart", [False, True])
async def test_a_crashed_backend_fails_only_its_own_calls_or_is_restarted_when_configured(
    veil_env, tmp_path, restart
):
    policies = [str(ROOT / "policies" / "default.yaml")]
    if restart:
        (tmp_path / "restart.yaml").write_text("version: 1\nname: restart\nsandbox:\n  on_exit: restart\n")
        policies.append(str(tmp_path / "restart.yaml"))
    config = tmp_path / "veil.toml"
    config.write_text(
        f"policy = {toml_list(policies)}\n"
        f"[backends.flaky]\ncommand = {toml_list(HOSTILE)}\n"
        f"[backends.echo]\ncommand = {toml_list(ECHO)}\n"
    )
    params = veil_run_config(config, veil_env)
    with anyio.fail_after(90):
        async with Client(params, mode="legacy") as client:
            with pytest.raises(MCPError) as crashed:
                await client.call_tool("flaky__crash", {"text": "boom"})
            other = await client.call_tool("echo__echo", {"text": "still here"})
            if restart:
                again = await client.call_tool("flaky__echo", {"text": "back"})
            else:
                with pytest.raises(MCPError) as gone:
                    await client.call_tool("flaky__echo", {"text": "back"})
                tools = {t.name for t in (await client.list_tools()).tools}
    assert crashed.value.error.code == -32003
    assert text_of(other) == "still here"
    if restart:
        assert text_of(again) == "back"
    else:
        assert gone.value.error.code == -32003 and "'flaky' has exited" in gone.value.error.message
        assert "echo__echo" in tools and not any(t.startswith("flaky__") for t in tools)


async def test_two_copies_of_one_server_keep_their_colliding_ids_and_progress_tokens_apart(
    veil_env, tmp_path
):
    """Both backends number their answers and progress the same way; each call still gets its own."""
    config = tmp_path / "veil.toml"
    config.write_text(
        f"[backends.left]\ncommand = {toml_list(ECHO)}\n[backends.right]\ncommand = {toml_list(ECHO)}\n"
    )
    params = veil_run_config(config, veil_env)
    progress: dict[str, list[str | None]] = {"left": [], "right": []}
    results: dict[str, str] = {}
    with anyio.fail_after(90):
        async with Client(params, mode="legacy") as client, anyio.create_task_group() as tg:
            for side in ("left", "right"):

                async def call(side: str = side) -> None:
                    async def on_progress(p: float, total: float | None, message: str | None) -> None:
                        progress[side].append(message)

                    result = await client.call_tool(
                        f"{side}__slow_echo",
                        {"text": f"from {side}", "steps": 5},
                        progress_callback=on_progress,
                    )
                    results[side] = text_of(result)

                tg.start_soon(call)
    assert results == {"left": "from left", "right": "from right"}
    assert progress["left"] == ["echoing from left"] * 5
    assert progress["right"] == ["echoing from right"] * 5
