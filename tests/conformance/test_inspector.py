"""Smoke test with npm `@modelcontextprotocol/inspector` in `--cli` mode (Node >= 22): a client nobody here
wrote, through `veil serve` over HTTP and through `veil run` over stdio."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import catalog_bench
from tests.conformance.test_conformance import MODULES, ROOT, node22, stop, veil_serve
from vault.tokens import TOKEN_RE

pytestmark = [pytest.mark.e2e, pytest.mark.node]
INSPECTOR = MODULES / "@modelcontextprotocol" / "inspector" / "cli" / "build" / "cli.js"
ECHO = [sys.executable, "-m", "examples.echo_server"]


@pytest.fixture
def env(veil_home: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def inspector(env: dict[str, str], *args: str, ok: bool = True) -> dict:
    node = node22()
    if not INSPECTOR.is_file():
        pytest.skip("npm package @modelcontextprotocol/inspector is not installed (run `make conformance`)")
    proc = subprocess.run(
        [node, str(INSPECTOR), "--cli", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    if not ok:
        assert proc.returncode != 0
        return {"stderr": proc.stderr}
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def whoami(call) -> dict:
    tools = call("--method", "tools/list")
    assert {"echo", "whoami"} <= {t["name"] for t in tools["tools"]}
    me = call("--method", "tools/call", "--tool-name", "whoami")["structuredContent"]
    assert TOKEN_RE.fullmatch(me["email"]) and "acme-plumbing" not in json.dumps(me)
    return me


def test_the_inspector_cli_works_through_veil_serve_and_each_of_its_sessions_is_its_own(env, tmp_path):
    node22()
    proc, url = veil_serve(env, tmp_path / "veil.log", "--", *ECHO)
    try:
        me = whoami(lambda *args: inspector(env, url, "--transport", "http", *args))
        echo = ["--method", "tools/call", "--tool-name", "echo", "--tool-arg", f"text={me['email']}"]
        refused = inspector(
            env, url, "--transport", "http", *echo, ok=False
        )  # every --cli run is a new session
    finally:
        stop(proc)
    assert "belongs to another session" in refused["stderr"]


def test_the_inspector_cli_works_through_veil_run_with_a_named_session(env):
    node22()
    veil = [sys.executable, "-m", "proxy", "run", "--session", "inspector", "--", *ECHO]
    args = [a for k in ("VEIL_HOME", "VEIL_MASTER_KEY", "PYTHONPATH") for a in ("-e", f"{k}={env[k]}")]
    me = whoami(lambda *more: inspector(env, *args, *veil, *more))
    echo = ["--method", "tools/call", "--tool-name", "echo", "--tool-arg", f"text={me['email']}"]
    echoed = inspector(env, *args, *veil, *echo)
    assert echoed["content"][0]["text"] == me["email"]  # the backend saw the real value; the client its token


def test_the_inspector_cli_accepts_a_tokenized_result_of_a_tool_with_a_strict_output_schema(env):
    """The TypeScript SDK client validates `structuredContent` with formats (ajv): an `integer`, a
    `pattern`, a `format: email`, a `maxLength` each refused a token until the proxy widened the schema."""
    node22()
    backend = [sys.executable, str(ROOT / "tests" / "e2e" / "typed_output_backend.py")]
    veil = [sys.executable, "-m", "proxy", "run", "--", *backend]
    args = [a for k in ("VEIL_HOME", "VEIL_MASTER_KEY", "PYTHONPATH") for a in ("-e", f"{k}={env[k]}")]
    result = inspector(env, *args, *veil, "--method", "tools/call", "--tool-name", "contact")
    got = result["structuredContent"]
    assert not result.get("isError") and got["status"] == "active"
    assert all(TOKEN_RE.fullmatch(got[k]) for k in ("customerId", "email", "phone", "name", "owner"))
    assert "acme-plumbing" not in json.dumps(result) and "7157461338" not in json.dumps(result)


def test_the_inspector_cli_finds_and_calls_tools_of_a_search_catalog_with_typed_arguments(env, tmp_path):
    """`catalog: search` lists no backend tool, and the inspector types `--tool-arg` values from the listed
    schema: `veil_call_tool`'s `arguments` is an object, so `arguments={"a":2,"b":3}` reaches the backend as
    numbers."""
    node22()
    everything = catalog_bench.everything_cmd()
    if everything is None:
        pytest.skip("server-everything is not installed under .node (run `make node`)")
    policy = tmp_path / "search.yaml"
    policy.write_text("version: 1\nname: search\ncatalog: search\n")
    veil = [sys.executable, "-m", "proxy", "run", "--policy", str(policy), "--", *everything]
    args = [a for k in ("VEIL_HOME", "VEIL_MASTER_KEY", "PYTHONPATH") for a in ("-e", f"{k}={env[k]}")]

    def call(tool: str, *tool_args: str) -> dict:
        more = [a for pair in tool_args for a in ("--tool-arg", pair)]
        return inspector(env, *args, *veil, "--method", "tools/call", "--tool-name", tool, *more)

    listed = inspector(env, *args, *veil, "--method", "tools/list")
    found = call("veil_search_tools", "query=sum of two numbers")
    summed = call("veil_call_tool", "name=get-sum", 'arguments={"a": 2, "b": 3}')
    described = call("veil_call_tool", "name=veil_describe_tools", 'arguments={"names": ["get-sum"]}')
    assert [t["name"] for t in listed["tools"]] == ["veil_search_tools", "veil_call_tool"]
    assert found["structuredContent"]["tools"][0]["name"] == "get-sum"
    assert not summed.get("isError") and summed["content"][0]["text"] == "The sum of 2 and 3 is 5."
    assert described["structuredContent"]["tools"][0]["inputSchema"]["required"] == ["a", "b"]
