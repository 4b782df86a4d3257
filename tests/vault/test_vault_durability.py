"""kill -9 during concurrent tokenization loses no acknowledged mapping."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from vault.audit import AuditContext
from vault.keys import MasterKey
from vault.store import Vault

ROOT = Path(__file__).resolve().parents[2]
CHILD = textwrap.dedent(
    """
    import base64, os, sys, threading
    from vault.audit import AuditContext
    from vault.keys import MasterKey
    from vault.store import Vault

    vault = Vault.open(sys.argv[1], MasterKey(base64.b64decode(os.environ["KEY"]), "test"))
    ctx = AuditContext(actor="child")
    session = vault.open_session(name=sys.argv[2], ctx=ctx)
    lock = threading.Lock()

    def work(n):
        for i in range(100_000):
            value = f"v{n}-{i}"
            [token] = session.tokenize([("PERSON", value)], ctx)
            with lock:  # acknowledged: the token has been handed out
                print(value, token, flush=True)

    for n in range(4):
        threading.Thread(target=work, args=(n,), daemon=True).start()
    threading.Event().wait()
    """
)


TRIALS = 2  # per engine here; the benchmark runs >= 20


def kill_9_trial(
    url: str, master: MasterKey, ctx: AuditContext, name: str, acknowledged_before_kill: int
) -> int:
    env = {**os.environ, "KEY": base64.b64encode(master.secret).decode(), "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, name], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    assert child.stdout is not None
    lines = [child.stdout.readline() for _ in range(acknowledged_before_kill)]
    child.send_signal(signal.SIGKILL)
    child.wait()
    lines += child.stdout.read().splitlines()
    acknowledged = dict(pair for pair in (line.split() for line in lines) if len(pair) == 2)

    vault = Vault.open(url, master)
    try:
        session = vault.open_session(name=name, ctx=ctx)
        values = session.detokenize(list(acknowledged.values()), ctx)
        assert {v: values[t] for v, t in acknowledged.items()} == {v: v for v in acknowledged}
        assert vault.verify_audit().ok
        if vault.engine.dialect.name == "sqlite":
            with vault.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        vault.close()
    return len(acknowledged)


def test_kill_9_during_concurrent_tokenization_loses_no_acknowledged_mapping(
    vault_url: str, master: MasterKey, ctx: AuditContext
) -> None:
    for trial in range(TRIALS):
        assert kill_9_trial(vault_url, master, ctx, f"desk-{trial}", 150 + 100 * trial) >= 150
