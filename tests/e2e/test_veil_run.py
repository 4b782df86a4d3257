"""`veil run` as a real process: the stdio boundary, startup refusals and the backend's lifecycle."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, MCPError, StdioServerParameters

from vault.tokens import TOKEN_RE

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
ROOT = Path(__file__).resolve().parents[2]
ECHO = [sys.executable, "-m", "examples.echo_server"]
ADS = [sys.executable, "-m", "examples.ads_console_server"]


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def env(veil_home: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def veil(env: dict[str, str], backend: list[str], *options: str) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable, args=["-m", "proxy", "run", *options, "--", *backend], env=env, cwd=str(ROOT)
    )


def text_of(result) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


async def test_a_client_sees_tokens_and_the_backend_gets_real_values(env, tmp_path):
    trace = tmp_path / "trace.jsonl"
    env = {**env, "VEIL_EXAMPLE_TRACE": str(trace)}
    with anyio.fail_after(60):
        async with Client(veil(env, ADS), mode="legacy") as client:
            accounts = (await client.call_tool("list_accounts", {})).structured_content["accounts"]
            account = next(a for a in accounts if not a["manager"])
            campaigns = await client.call_tool("list_campaigns", {"customer_id": account["customerId"]})
    sent = [json.loads(line) for line in trace.read_text().splitlines()]
    real = next(
        a for a in sent[0]["result"]["accounts"] if a["customerId"] == sent[1]["arguments"]["customer_id"]
    )
    assert TOKEN_RE.fullmatch(account["customerId"]) and TOKEN_RE.fullmatch(account["descriptiveName"])
    seen = json.dumps(accounts) + text_of(campaigns) + json.dumps(campaigns.structured_content)
    for a in sent[0]["result"]["accounts"]:
        for key in ("customerId", "descriptiveName", "contactEmail", "contactPhone"):
            assert a[key] not in seen
    assert not campaigns.is_error and campaigns.structured_content["results"]
    assert real["descriptiveName"] in json.dumps(sent[1]["result"])  # the backend worked on the real account


async def test_a_token_from_another_proxy_process_is_refused(env, tmp_path):
    with anyio.fail_after(60):
        async with Client(veil(env, ADS), mode="legacy") as client:
            accounts = (await client.call_tool("list_accounts", {})).structured_content["accounts"]
        token = next(a for a in accounts if not a["manager"])["customerId"]
        trace = tmp_path / "trace.jsonl"
        async with Client(veil({**env, "VEIL_EXAMPLE_TRACE": str(trace)}, ADS), mode="legacy") as client:
            with pytest.raises(MCPError, match="another session"):
                await client.call_tool("list_campaigns", {"customer_id": token})
    assert not trace.exists()  # the backend never saw the call


async def test_a_named_session_resumes_with_the_same_tokens(env):
    tokens = []
    with anyio.fail_after(60):
        for _ in range(2):
            async with Client(veil(env, ADS, "--session", "desk"), mode="legacy") as client:
                accounts = (await client.call_tool("list_accounts", {})).structured_content["accounts"]
                tokens.append(accounts[1]["customerId"])
        async with Client(veil(env, ADS, "--session", "desk"), mode="legacy") as client:
            result = await client.call_tool("list_campaigns", {"customer_id": tokens[0]})
    assert tokens[0] == tokens[1]
    assert not result.is_error


async def test_the_modern_protocol_era_works_through_the_process(env):
    with anyio.fail_after(60):
        async with Client(veil(env, ECHO)) as client:
            data = (await client.call_tool("whoami", {})).structured_content
            echoed = await client.call_tool("echo", {"text": f"mail {data['email']}"})
    assert TOKEN_RE.fullmatch(data["email"])
    assert text_of(echoed) == f"mail {data['email']}"


# ---------------------------------------------------------------------------- the wire itself


def _run_lines(
    env: dict[str, str], lines: list[bytes], backend: list[str] = ECHO, timeout: float = 60, stdin: Any = None
):
    """`veil run` given these lines on stdin (a pipe; or the open file `stdin`, lines unused)."""
    proc = subprocess.run(
        [sys.executable, "-m", "proxy", "run", "--", *backend],
        input=None if stdin is not None else b"".join(lines),
        stdin=stdin,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
    )
    replies = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return proc, replies


INIT = (
    b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
    b'"capabilities":{},"clientInfo":{"name":"t","version":"1"}}}\n'
    b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n'
)


def test_non_json_lines_and_batches_get_json_rpc_errors_and_the_proxy_stays_up(env):
    call = (
        b'{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}\n'
    )
    proc, replies = _run_lines(
        env,
        [INIT, b"this is not json\n", b'[{"jsonrpc":"2.0","id":9,"method":"ping"}]\n', b'{"id":3}\n', call],
    )
    by_code = [r.get("error", {}).get("code") for r in replies]
    assert -32700 in by_code and by_code.count(-32600) == 2
    answer = next((r for r in replies if r.get("id") == 2), None)
    assert answer, proc.stderr.decode()[-3000:]
    assert answer["result"]["content"][0]["text"] == "hi"
    assert proc.returncode == 0
    assert all(set(r) <= {"jsonrpc", "id", "result", "error"} for r in replies)  # only JSON-RPC on stdout


def test_requests_read_from_a_regular_file_are_answered_as_from_a_pipe(env, tmp_path):
    """A file is not a pipe: the stdio front reads it another way (worker-thread reads), same answers."""
    call = (
        b'{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}\n'
    )
    requests = tmp_path / "requests.jsonl"
    requests.write_bytes(INIT + b"not json\n" + call)
    with requests.open("rb") as stdin:
        proc, lines = _run_lines(env, [], stdin=stdin)
    replies = {r.get("id"): r for r in lines}
    assert set(replies) == {1, None, 2}, proc.stderr.decode()[-3000:]
    assert replies[None]["error"]["code"] == -32700
    assert replies[2]["result"]["content"][0]["text"] == "hi"
    assert proc.returncode == 0


def test_a_backend_that_cannot_start_gets_the_client_an_error_and_a_non_zero_exit(env):
    proc, replies = _run_lines(env, [INIT], backend=["/nonexistent/mcp-server"], timeout=30)
    assert proc.returncode != 0
    assert replies and replies[0]["id"] == 1 and "could not be started" in replies[0]["error"]["message"]
    assert b"could not be started" in proc.stderr


def test_a_backend_that_exits_at_once_fails_pending_requests_and_the_proxy_exits(env):
    proc, replies = _run_lines(env, [INIT], backend=[sys.executable, "-c", "import sys; sys.exit(3)"])
    assert proc.returncode != 0
    assert all("error" in r for r in replies)


def test_client_eof_terminates_the_backend(env):
    marker = f"veil-test-{uuid.uuid4().hex}"
    backend = [
        sys.executable,
        "-c",
        "import runpy; runpy.run_module('examples.echo_server', run_name='__main__')",
        marker,
    ]
    proc, _ = _run_lines(env, [INIT], backend=backend)
    assert proc.returncode == 0
    left = subprocess.run(["pgrep", "-f", marker], capture_output=True)
    assert left.stdout == b""


def test_an_invalid_policy_refuses_to_start_and_names_the_file_and_line(env, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nname: bad\nfields:\n  - entity: EMAIL_ADDRESS\n    kee: [x]\n")
    proc = subprocess.run(
        [sys.executable, "-m", "proxy", "run", "--policy", str(bad), "--", *ECHO],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        input=b"",
    )
    assert proc.returncode != 0 and proc.stdout == b""
    assert str(bad).encode() in proc.stderr and b"line 5" in proc.stderr


def test_a_wrong_master_key_refuses_to_start_names_the_source_and_touches_nothing(env, veil_home):
    _run_lines(env, [INIT])  # creates the vault under the fixture's key
    db = veil_home / "vault.db"
    before = db.read_bytes()
    wrong = {**env, "VEIL_MASTER_KEY": base64.b64encode(b"w" * 32).decode()}
    proc, replies = _run_lines(wrong, [INIT])
    # The client's initialize is answered with the cause (it used to see the connection close unanswered).
    assert (
        proc.returncode != 0
        and len(replies) == 1
        and "does not open this vault" in replies[0]["error"]["message"]
    )
    assert b"$VEIL_MASTER_KEY" in proc.stderr and b"does not open this vault" in proc.stderr
    assert db.read_bytes() == before


async def test_metrics_are_exposed_on_the_metrics_listener_and_carry_no_values(env):
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with anyio.fail_after(60):
        async with Client(veil(env, ECHO, "--metrics-listen", f"127.0.0.1:{port}"), mode="legacy") as client:
            await client.call_tool("whoami", {})
            await client.call_tool("echo", {"text": "hello"})
            body = await anyio.to_thread.run_sync(
                lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
            )
    assert (
        'veil_calls_total{backend="examples.echo_server",method="tools/call",outcome="ok",tool="echo"}'
        in body
    )
    assert "veil_values_tokenized_total" in body and 'entity_type="EMAIL_ADDRESS"' in body
    assert "@" not in body.replace("veil_", "")  # no email address anywhere in the exposition


_HUGE_ANSWER = """
import json, sys
for line in sys.stdin:
    msg = json.loads(line)
    if msg.get("method") == "initialize":
        result = {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                  "serverInfo": {"name": "huge", "version": "1"}}
    elif msg.get("method") == "tools/call":
        result = {"content": [{"type": "text", "text": "x" * 300000}]}
    else:
        continue
    print(json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": result}), flush=True)
"""


def test_a_backend_answer_over_the_size_limit_is_refused_at_once_and_the_proxy_stays_up(env, tmp_path):
    limits = tmp_path / "limits.yaml"
    limits.write_text("version: 1\nname: small\nlimits:\n  max_message_bytes: 100000\n")
    call = b'{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"big","arguments":{}}}\n'
    ping = b'{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"big","arguments":{}}}\n'
    options = ["--policy", str(ROOT / "policies" / "default.yaml"), "--policy", str(limits)]
    proc = subprocess.run(
        [sys.executable, "-m", "proxy", "run", *options, "--", sys.executable, "-c", _HUGE_ANSWER],
        input=INIT + call + ping,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    replies = {r.get("id"): r for r in map(json.loads, proc.stdout.splitlines())}
    assert set(replies) == {1, 2, 3}, proc.stderr.decode()[-3000:]  # both calls answered, not timed out
    for request_id in (2, 3):
        error = replies[request_id]["error"]
        assert "size limit" in error["message"] and error["data"] == {"limit": "max_message_bytes"}
    assert b"x" * 100 not in proc.stdout and b"x" * 100 not in proc.stderr
    assert proc.returncode == 0


async def test_a_sandboxed_backend_over_its_memory_limit_is_stopped_and_reported(env, tmp_path):
    policy = tmp_path / "sandbox.yaml"
    policy.write_text("version: 1\nname: box\nsandbox:\n  limits:\n    address_space_mb: 400\n")
    hog = [sys.executable, "-c", "x = bytearray(2 * 1024 ** 3)"]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "proxy",
            "run",
            "--policy",
            str(ROOT / "policies" / "default.yaml"),
            "--policy",
            str(policy),
            "--",
            *hog,
        ],
        input=INIT,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    replies = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode != 0
    assert replies and "error" in replies[0]
    assert b"address space limited to 400 MiB" in proc.stderr


HOSTILE = [sys.executable, "-m", "examples.hostile_backends"]


async def test_a_crashed_backend_is_started_again_on_the_next_call_when_configured(env, tmp_path):
    policy = tmp_path / "restart.yaml"
    policy.write_text("version: 1\nname: restart\nsandbox:\n  on_exit: restart\n")
    options = ("--policy", str(ROOT / "policies" / "default.yaml"), "--policy", str(policy))
    with anyio.fail_after(90):
        async with Client(veil(env, [*HOSTILE, "crash"], *options), mode="legacy") as client:
            first = await client.call_tool("echo", {"text": "before"})
            with pytest.raises(MCPError, match="backend exited"):
                await client.call_tool("crash", {"text": "boom"})
            after = await client.call_tool("echo", {"text": "after"})  # a new process, re-initialized
            whoami = (await client.call_tool("whoami", {})).structured_content
    assert text_of(first) == "before" and text_of(after) == "after"
    assert whoami and all(TOKEN_RE.search(str(v)) or not isinstance(v, str) for v in whoami.values())


async def test_by_default_the_session_ends_cleanly_with_its_backend(env):
    with anyio.fail_after(60):
        with pytest.raises(Exception):  # noqa: B017  the connection closes: nothing more to call
            async with Client(veil(env, [*HOSTILE, "crash"]), mode="legacy") as client:
                with pytest.raises(MCPError, match="backend exited"):
                    await client.call_tool("crash", {"text": "boom"})
                await client.call_tool("echo", {"text": "after"})
