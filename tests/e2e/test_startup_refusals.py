"""A proxy that cannot start answers the client's first request with the cause and the fix, then exits
non-zero — over stdio (through the MCP SDK's own client, as a desktop client would see it) and over HTTP
(`veil serve`). Each cause class: an invalid policy, an unreadable vault, a wrong master key."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from mcp import Client, MCPError, StdioServerParameters

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
ROOT = Path(__file__).resolve().parents[2]
ECHO = [sys.executable, "-m", "examples.echo_server"]
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"},
    },
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def env(veil_home: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _bad_policy(env: dict[str, str], tmp: Path) -> tuple[dict[str, str], list[str], list[str]]:
    bad = tmp / "bad.yaml"
    bad.write_text("version: 1\nname: bad\nfields:\n  - entity: EMAIL_ADDRESS\n    kee: [x]\n")
    return env, ["--policy", str(bad)], ["invalid policy", "bad.yaml", "line 5", "veil policy check"]


def _unreadable_vault(env: dict[str, str], tmp: Path) -> tuple[dict[str, str], list[str], list[str]]:
    blocker = tmp / "not-a-dir"
    blocker.write_text("a file where the vault's directory should be")
    return env, ["--vault", f"sqlite:///{blocker}/vault.db"], ["vault unavailable", "Fix:"]


def _wrong_master_key(env: dict[str, str], tmp: Path) -> tuple[dict[str, str], list[str], list[str]]:
    first = subprocess.run(
        [sys.executable, "-m", "proxy", "db", "upgrade"], env=env, cwd=ROOT, capture_output=True, timeout=60
    )
    assert first.returncode == 0, first.stderr.decode()[-2000:]
    wrong = {**env, "VEIL_MASTER_KEY": base64.b64encode(b"w" * 32).decode()}
    return wrong, [], ["does not open this vault", "VEIL_MASTER_KEY", "refusing to start"]


def _missing_ner_model(env: dict[str, str], tmp: Path) -> tuple[dict[str, str], list[str], list[str]]:
    ner = tmp / "ner.yaml"
    ner.write_text("version: 1\nname: ner\ndetection:\n  ner:\n    model: veil_no_such_pipeline\n")
    return env, ["--policy", str(ner)], ["invalid policy", "veil_no_such_pipeline", "is not installed"]


CAUSES: dict[str, Callable[[dict[str, str], Path], tuple[dict[str, str], list[str], list[str]]]] = {
    "an invalid policy": _bad_policy,
    "an unreadable vault": _unreadable_vault,
    "a wrong master key": _wrong_master_key,
    "an NER pipeline that is not installed": _missing_ner_model,
}


def _mcp_error(exc: BaseException) -> MCPError:
    """The MCPError the SDK raised, also from inside its exception groups."""
    stack = [exc]
    while stack:
        item = stack.pop()
        if isinstance(item, MCPError):
            return item
        stack.extend(getattr(item, "exceptions", ()))
    raise AssertionError(f"no MCPError in {exc!r}")


@pytest.mark.parametrize("cause", list(CAUSES))
async def test_a_refusal_to_start_reaches_the_sdk_client_as_an_initialize_error_naming_cause_and_fix(
    env, tmp_path, cause
):
    env, options, expected = CAUSES[cause](env, tmp_path)
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "proxy", "run", *options, "--", *ECHO], env=env, cwd=str(ROOT)
    )
    with pytest.raises(BaseException) as err:
        async with Client(params, mode="legacy"):
            pass
    message = str(_mcp_error(err.value))
    assert "mcp-veil could not start" in message
    for part in expected:
        assert part in message
    assert os.environ["VEIL_MASTER_KEY"] not in message


@pytest.mark.parametrize("method", ["initialize", "server/discover"])
@pytest.mark.parametrize("cause", list(CAUSES))
def test_a_refusing_proxy_answers_the_first_request_then_exits_non_zero(env, tmp_path, cause, method):
    env, options, expected = CAUSES[cause](env, tmp_path)
    request = {**INIT, "id": 7, "method": method}
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "proxy", "run", *options, "--", *ECHO],
        input=json.dumps(request).encode() + b"\n",
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    replies = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode != 0
    assert len(replies) == 1 and replies[0]["id"] == 7 and replies[0]["error"]["code"] == -32015
    assert all(part in replies[0]["error"]["message"] for part in expected)
    assert expected[0].encode() in proc.stderr
    assert time.monotonic() - started < 30  # it did not wait out its grace period


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(url: str, body: dict, deadline: float) -> tuple[int, dict]:
    data = json.dumps(body).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    while True:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=10) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.mark.parametrize("cause", list(CAUSES))
def test_veil_serve_that_cannot_start_answers_http_requests_with_the_cause_then_exits(env, tmp_path, cause):
    env, options, expected = CAUSES[cause](env, tmp_path)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "proxy", "serve", "--listen", f"127.0.0.1:{port}", *options, "--", *ECHO],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        status, answer = _post(f"http://127.0.0.1:{port}/mcp", INIT, time.monotonic() + 60)
        assert status == 503 and answer["id"] == 1 and answer["error"]["code"] == -32015
        assert all(part in answer["error"]["message"] for part in expected)
        assert proc.wait(timeout=30) != 0
    finally:
        proc.kill()
        proc.wait()
    assert proc.stderr is not None and expected[0].encode() in proc.stderr.read()
