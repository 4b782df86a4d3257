"""Broken backends behind a real `veil run` (examples/hostile_backends.py): a crash mid-call, a hang, a
banner and garbage on stdout, a notification flood. Each: a clear error (or the right answer) for the
client within a bound, the proxy up or gone cleanly with a message, and no plaintext canary on the client
side or in any file the run wrote (its stderr log, the vault database and its -wal/-shm).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest
from adv_harness import leaks_in, plaintext_in_files, tally
from canary_variants import client_view
from mcp import Client, MCPError, StdioServerParameters
from mcp.client.stdio import stdio_client

from examples.hostile_backends import PERSON
from vault import audit
from vault.keys import load_master_key
from vault.store import Vault

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[2]
SECRETS = [PERSON["email"], PERSON["phone"], PERSON["iban"], "4111111111111111", "203.0.113.77"]
BOUND = 45  # seconds for any one scenario, process start-up included
INIT = (
    '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
    '"capabilities":{},"clientInfo":{"name":"t","version":"1"}}}\n'
    '{"jsonrpc":"2.0","method":"notifications/initialized"}\n'
)


def _pids_with_home(home: Path) -> list[int]:
    wanted = f"VEIL_HOME={home}".encode()
    pids = []
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            if wanted in (entry / "environ").read_bytes().split(b"\0") and int(entry.name) != os.getpid():
                pids.append(int(entry.name))
    return pids


def wait_gone(home: Path, grace: float) -> list[str]:
    """Wait for every process started with this data dir to end; kill and return the ones that did not."""
    deadline = time.monotonic() + grace
    while (left := _pids_with_home(home)) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return [_cmdline(pid) for pid in left]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[-80:] or str(pid)
    except OSError:
        return str(pid)


class Run:
    """One `veil run -- python -m examples.hostile_backends MODE`, its stderr kept in a file."""

    def __init__(self, home: Path, tmp: Path, mode: str) -> None:
        self.home, self.mode = home, mode
        self.log = tmp / "logs" / f"veil-{mode}.stderr"
        self.trace = tmp / "backend" / "trace.jsonl"  # the backend's own file: real values, by design
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.trace.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "VEIL_EXAMPLE_TRACE": str(self.trace)}
        backend = [sys.executable, "-m", "examples.hostile_backends", mode]
        self.params = StdioServerParameters(
            command=sys.executable, args=["-m", "proxy", "run", "--", *backend], env=env, cwd=str(ROOT)
        )

    @asynccontextmanager
    async def client(self, **kw: Any) -> AsyncIterator[Client]:
        with open(self.log, "a") as errlog:

            @asynccontextmanager
            async def transport() -> AsyncIterator[Any]:
                async with stdio_client(self.params, errlog=errlog) as streams:
                    yield streams

            async with Client(transport(), mode="legacy", **kw) as client:
                yield client

    def files_with_plaintext(self) -> list[tuple[str, str]]:
        return plaintext_in_files(self.home, SECRETS) + plaintext_in_files(self.log.parent, SECRETS)

    def stderr(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@pytest.fixture
def run(veil_home: Path, tmp_path: Path):
    runs: list[Run] = []

    def make(mode: str) -> Run:
        r = Run(veil_home, tmp_path, mode)
        runs.append(r)
        return r

    yield make
    left = wait_gone(veil_home, 5)
    assert left == [], f"{len(left)} process(es) outlived the test"
    for r in runs:
        assert r.files_with_plaintext() == [], r.files_with_plaintext()


def leaked(*results: Any) -> list[str]:
    return [c for r in results for c in leaks_in(client_view(r.model_dump(mode="json")), SECRETS)]


@pytest.mark.parametrize("tool", ["crash", "crash_partial"])
async def test_a_backend_that_dies_mid_call_gets_the_client_a_clear_error_and_the_proxy_exits_cleanly(
    run, veil_home, tool
):
    r = run("crash")
    with anyio.fail_after(BOUND):
        async with r.client() as client:
            before = await client.call_tool("whoami", {})
            with pytest.raises(MCPError, match="backend exited before answering"):
                await client.call_tool(tool, {"text": "x"})
    tally(faults=1, leaks=len(leaked(before)))
    assert leaked(before) == []
    assert wait_gone(veil_home, 10) == []  # the proxy left on its own once its backend was gone
    assert "backend exited" in r.stderr()


async def test_a_hung_backend_leaves_the_client_a_bounded_wait_and_the_proxy_exits_when_the_client_leaves(
    run, veil_home
):
    r = run("hang")
    with anyio.fail_after(BOUND):
        async with r.client() as client:
            await client.call_tool("whoami", {})
            with pytest.raises(MCPError, match=r"[Tt]imed out"):
                await client.call_tool("hang", {"text": "x"}, read_timeout_seconds=1.0)
    left = wait_gone(veil_home, 10)
    tally(faults=1)
    # The proxy itself is gone. (A backend it could not stop in time dies with it: its parent-death
    # signal; wait_gone would kill any straggler.)
    assert [p for p in left if "proxy run" in p] == []


def test_a_hung_backend_does_not_outlive_a_killed_proxy(veil_home, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    backend = [sys.executable, "-m", "examples.hostile_backends", "hang"]
    proxy = subprocess.Popen(
        [sys.executable, "-m", "proxy", "run", "--", *backend],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=ROOT,
    )  # fmt: skip
    assert proxy.stdin is not None and proxy.stdout is not None
    call = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "hang", "arguments": {"text": "x"}},
    }
    proxy.stdin.write((INIT + json.dumps(call) + "\n").encode())
    proxy.stdin.flush()
    watchdog = threading.Timer(30, proxy.kill)  # bounds the blocking read
    watchdog.start()
    try:
        assert json.loads(proxy.stdout.readline())["id"] == 0  # initialized: the backend is up
    finally:
        watchdog.cancel()
    deadline = time.monotonic() + 20
    while not any("hostile_backends hang" in _cmdline(p) for p in _pids_with_home(veil_home)):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    time.sleep(1.0)  # the call reached the backend, which is now stuck
    proxy.kill()
    proxy.wait(10)
    tally(faults=1)
    left = wait_gone(veil_home, 5)
    assert left == []


@pytest.mark.parametrize("mode", ["banner", "garbage"])
async def test_a_backend_writing_garbage_on_stdout_is_ignored_and_none_of_it_reaches_the_client(run, mode):
    r = run(mode)
    logs: list[Any] = []

    async def on_log(params: Any) -> None:
        logs.append(params)

    with anyio.fail_after(BOUND):
        async with r.client(logging_callback=on_log) as client:
            results = [await client.call_tool("whoami", {})]
            if mode == "garbage":
                results.append(await client.call_tool("garbage", {"text": "x"}))
                results.append(await client.call_tool("garbage", {"text": "x"}))
            results.append(await client.call_tool("echo", {"text": "still here"}))
    found = leaked(*results) + [c for entry in logs for c in leaks_in(str(entry), SECRETS)]
    tally(faults=1, leaks=len(found))
    assert found == []
    assert results[-1].content[0].text == "still here"
    assert "not JSON-RPC" in r.stderr() or "dropped" in r.stderr()


async def test_a_lone_surrogate_from_the_backend_neither_kills_the_proxy_nor_leaks(run):
    r = run("garbage")
    with anyio.fail_after(BOUND):
        async with r.client() as client:
            await client.call_tool("garbage", {"text": "surrogate"})
            after = await client.call_tool("echo", {"text": "still here"})
    assert after.content[0].text == "still here"


async def test_bytes_that_are_not_utf8_from_the_backend_neither_kill_the_proxy_nor_leak(run):
    """Invalid UTF-8 around an email in a valid notification: decoded with U+FFFD in their place, scanned,
    the email tokenized; the session goes on."""
    r = run("garbage")
    logs: list[Any] = []

    async def on_log(params: Any) -> None:
        logs.append(params)

    with anyio.fail_after(BOUND):
        async with r.client(logging_callback=on_log) as client:
            await client.call_tool("garbage", {"text": "bytes"})
            after = await client.call_tool("echo", {"text": "still here"})
    assert after.content[0].text == "still here"
    assert [c for entry in logs for c in leaks_in(str(entry), SECRETS)] == []
    assert any("\ufffd\ufffd[[EMAIL_ADDRESS:" in str(entry.data) for entry in logs)


async def test_a_notification_flood_is_scanned_or_dropped_audited_and_the_call_still_answers(run, veil_home):
    """Notifications over the policy's rate are dropped before scanning (by design) and audited as a
    flood; whatever is delivered is tokenized; the call still answers and the proxy stays up."""
    r = run("flood")
    n = 1500
    logs: list[Any] = []

    async def on_log(params: Any) -> None:
        logs.append(params)

    with anyio.fail_after(BOUND * 2):
        async with r.client(logging_callback=on_log) as client:
            result = await client.call_tool("flood", {"n": n})
            after = await client.call_tool("echo", {"text": "still here"})
    found = leaked(result, after) + [c for entry in logs for c in leaks_in(str(entry), SECRETS)]
    tally(faults=1, leaks=len(found))
    assert found == []
    assert after.content[0].text == "still here"
    assert logs and all("[[EMAIL_ADDRESS:" in str(entry.data) for entry in logs)
    if len(logs) < n:  # some were dropped: the flood is on record
        vault = Vault.open(f"sqlite:///{veil_home / 'vault.db'}", load_master_key(veil_home))
        try:
            rows = list(audit.query(vault.engine, audit.AuditQuery(event="message-blocked")))
        finally:
            vault.close()
        assert any(row["reason"] == "NotificationFlood" for row in rows)
