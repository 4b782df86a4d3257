"""A vault that fails under a running proxy: locked, read-only, full, deleted; and kill -9 of `veil run`
during concurrent tokenization.

Each in-memory scenario: a value tokenized before the fault (acknowledged), the fault, a call that needs a
vault write, the fault removed, then both values again. Rules: the call under the fault gets a clear,
value-free JSON-RPC error within a bound (fail closed: the result is never forwarded untokenized); the relay
stays up and works once the fault is gone; the acknowledged mapping still resolves; no plaintext in any
file of the vault's directory (database, -wal, -shm, temp files).

Read-only and full disk use a real tmpfs (mounted here when running as root, with a size limit for the
full disk); without the privilege to mount, the full disk is simulated with SQLite's `max_page_count`
and the read-only case is skipped with that reason. The kill -9 test reuses the vault suite's approach
(tests/vault/test_vault_durability.py) on the whole `veil run` process.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from adv_harness import SOAK, plaintext_in_files, proxied_client, tally
from mcp import MCPError
from sqlalchemy import event

from examples.hostile_backends import build_server
from proxy.config import Settings
from proxy.detect.detector import Detector
from proxy.policy import load_policy
from proxy.wiring import Assembly
from vault.audit import AuditContext
from vault.keys import MasterKey, load_master_key
from vault.store import TokenFilter, Vault
from vault.tokens import TOKEN_RE

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[2]
DOMAIN = "fault-canary.example"
BOUND = 30


def make_engine(home: Path, db_dir: Path, *, busy_ms: int = 200) -> Assembly:
    home.mkdir(parents=True, exist_ok=True)
    settings = Settings.resolve(vault=f"sqlite:///{db_dir / 'vault.db'}")
    policy = load_policy(settings.policies)
    vault = Vault.open(settings.vault_url, load_master_key(settings.home), busy_timeout_ms=busy_ms)
    return Assembly(settings, policy, Detector(policy), vault)


@contextlib.contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def remount(path: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(path)], check=True, capture_output=True)


class Scenario:
    """Before / under / after a fault, through a real relay and SDK client."""

    def __init__(self, engine: Assembly) -> None:
        self.engine = engine
        self.session = engine.open_session(backend="hostile-echo", actor="test")

    async def echo(self, client: Any, text: str) -> str:
        result = await client.call_tool("echo", {"text": text})
        assert not result.is_error
        return str(result.content[0].text)

    async def run(self, inject: Any, clear: Any) -> tuple[str, str]:
        """Returns (the error the client got under the fault, the token of the value acknowledged before)."""
        with anyio.fail_after(BOUND):
            async with proxied_client(self.session, build_server("echo")) as client:
                before = await self.echo(client, f"first@{DOMAIN}")
                assert TOKEN_RE.fullmatch(before)
                inject()
                with pytest.raises(MCPError) as under:
                    await self.echo(client, f"second@{DOMAIN}")
                clear()
                after = await self.echo(client, f"third@{DOMAIN}")
                assert TOKEN_RE.fullmatch(after)
                assert await self.echo(client, before) == before  # resolved to the value and back
        return str(under.value), before


def assert_clear_vault_error(message: str) -> None:
    assert "vault" in message and DOMAIN not in message


async def test_a_locked_vault_fails_the_call_closed_and_the_proxy_recovers(veil_home, tmp_path):
    engine = make_engine(veil_home, veil_home)
    db = veil_home / "vault.db"
    holder: dict[str, sqlite3.Connection] = {}

    def lock() -> None:
        holder["c"] = sqlite3.connect(db, isolation_level=None)
        holder["c"].execute("BEGIN EXCLUSIVE")

    def unlock() -> None:
        holder["c"].execute("ROLLBACK")
        holder["c"].close()

    try:
        message, _ = await Scenario(engine).run(lock, unlock)
    finally:
        engine.vault.close()
    tally(faults=1)
    assert_clear_vault_error(message)
    assert plaintext_in_files(veil_home, [DOMAIN]) == []


async def test_a_read_only_vault_fails_the_call_closed_and_the_proxy_recovers(veil_home, tmp_path):
    with tmpfs(tmp_path / "ro", "32m") as mnt:
        engine = make_engine(veil_home, mnt)
        try:

            def read_only() -> None:
                # The kernel refuses `remount,ro` while files are open for writing: close the pool first.
                engine.vault.engine.dispose()
                remount(mnt, "ro")

            message, _ = await Scenario(engine).run(read_only, lambda: remount(mnt, "rw"))
        finally:
            engine.vault.close()
        tally(faults=1)
        assert_clear_vault_error(message)
        assert plaintext_in_files(mnt, [DOMAIN]) == []


async def test_a_full_disk_fails_the_call_closed_and_the_proxy_recovers(veil_home, tmp_path):
    if os.geteuid() == 0 and subprocess.run(["which", "mount"], capture_output=True).returncode == 0:
        with tmpfs(tmp_path / "full", "4m") as mnt:
            engine = make_engine(veil_home, mnt)
            filler = mnt / "filler"

            def fill() -> None:
                with open(filler, "wb") as f, contextlib.suppress(OSError):
                    while True:
                        f.write(b"\0" * 65536)
                        f.flush()

            try:
                message, _ = await Scenario(engine).run(fill, filler.unlink)
            finally:
                engine.vault.close()
            assert plaintext_in_files(mnt, [DOMAIN]) == []
    else:  # simulated: the database may not grow
        engine = make_engine(veil_home, veil_home)
        pages: dict[str, int] = {}

        def cap() -> None:
            with engine.vault.engine.connect() as conn:
                pages["n"] = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)

            @event.listens_for(engine.vault.engine, "engine_connect")
            def _cap(conn: Any) -> None:
                conn.exec_driver_sql(f"PRAGMA max_page_count={pages['n']}")

            engine.vault.engine.dispose()

        try:
            message, _ = await Scenario(engine).run(cap, lambda: None)
        finally:
            engine.vault.close()
    tally(faults=1)
    assert_clear_vault_error(message)


async def test_a_vault_deleted_while_running_never_acknowledges_a_mapping_it_then_loses(veil_home):
    engine = make_engine(veil_home, veil_home)
    session = engine.open_session(backend="hostile-echo", actor="test")
    db = veil_home / "vault.db"
    token = None
    with anyio.fail_after(BOUND):
        async with proxied_client(session, build_server("echo")) as client:
            await client.call_tool("echo", {"text": f"first@{DOMAIN}"})
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            try:
                result = await client.call_tool("echo", {"text": f"second@{DOMAIN}"})
                token = result.content[0].text
            except MCPError as exc:
                assert_clear_vault_error(str(exc))  # failing closed is the right answer
            assert (await client.call_tool("echo", {"text": "still up"})).content[0].text == "still up"
    sid = session.session_id
    engine.vault.close()
    tally(faults=1)
    if token is not None:  # acknowledged: the session and its mapping must still be in the database on disk
        reopened = Vault.open(f"sqlite:///{db}", load_master_key(veil_home))
        try:
            assert sid in {s.id for s in reopened.list_sessions()}
            assert reopened.list_tokens(TokenFilter(session=sid))
        finally:
            reopened.close()


# ------------------------------------------------------------------------------ kill -9 of `veil run`

INIT = (
    '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
    '"capabilities":{},"clientInfo":{"name":"kill9","version":"1"}}}\n'
    '{"jsonrpc":"2.0","method":"notifications/initialized"}\n'
)


def _call(i: int) -> str:
    text = f"user{i}@{DOMAIN} and +1 415 555 {i % 10000:04d}"
    params = {"name": "echo", "arguments": {"text": text}}
    return json.dumps({"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": params}) + "\n"


def kill_9_trial(veil_home: Path, tmp: Path, name: str, acknowledged_before_kill: int) -> dict[str, str]:
    """Pipeline calls into a `veil run --session NAME`, kill -9 it once enough answers came back; returns
    value -> token for every answer the client received (the acknowledged mappings)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = open(tmp / f"{name}.stderr", "wb")  # noqa: SIM115 - closed below
    proxy = subprocess.Popen(
        [sys.executable, "-m", "proxy", "run", "--session", name, "--", sys.executable, "-m",
         "examples.hostile_backends", "echo"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=env, cwd=ROOT,
    )  # fmt: skip
    assert proxy.stdin is not None and proxy.stdout is not None
    acknowledged: dict[str, str] = {}
    enough = threading.Event()

    def feed() -> None:
        assert proxy.stdin is not None
        with contextlib.suppress(OSError):
            proxy.stdin.write(INIT.encode())
            proxy.stdin.flush()
            for i in range(1, 100_000):
                if enough.is_set():
                    return
                proxy.stdin.write(_call(i).encode())
                if i % 20 == 0:
                    proxy.stdin.flush()
                    time.sleep(0.005)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    watchdog = threading.Timer(120, proxy.kill)  # bounds every blocking read below
    watchdog.start()
    deadline = time.monotonic() + 120
    try:
        while len(acknowledged) < acknowledged_before_kill and time.monotonic() < deadline:
            line = proxy.stdout.readline()
            if not line:
                break
            msg = json.loads(line)
            if msg.get("id", 0) and "result" in msg:
                i = int(msg["id"])
                text = msg["result"]["content"][0]["text"]
                email, _, _phone = text.partition(" and ")
                assert TOKEN_RE.fullmatch(email), text
                acknowledged[f"user{i}@{DOMAIN}"] = email
    finally:
        watchdog.cancel()
        enough.set()
        proxy.send_signal(signal.SIGKILL)
        proxy.wait(10)
        log.close()
    return acknowledged


def test_kill_9_of_veil_run_during_tokenization_loses_no_acknowledged_mapping(veil_home, tmp_path):
    trials = 3 if SOAK else 1
    master = MasterKey(base64.b64decode(os.environ["VEIL_MASTER_KEY"]), "test")
    ctx = AuditContext(actor="test")
    lost: list[str] = []
    total = 0
    for trial in range(trials):
        acknowledged = kill_9_trial(veil_home, tmp_path, f"kill9-{trial}", 150 + 100 * trial)
        assert len(acknowledged) >= 100, (tmp_path / f"kill9-{trial}.stderr").read_text()[-2000:]
        total += len(acknowledged)
        vault = Vault.open(f"sqlite:///{veil_home / 'vault.db'}", master)
        try:
            session = vault.open_session(name=f"kill9-{trial}", ctx=ctx)
            values = session.detokenize(list(acknowledged.values()), ctx)
            lost += [v for v, t in acknowledged.items() if values.get(t) != v]
            assert vault.verify_audit().ok
            with vault.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        finally:
            vault.close()
    time.sleep(0.5)  # the orphaned backends see EOF and leave
    tally(faults=trials, losses=len(lost))
    assert lost == []
    assert total >= 100 * trials
    assert plaintext_in_files(veil_home, [DOMAIN]) == []
    assert plaintext_in_files(tmp_path, [DOMAIN]) == []
