"""Vault throughput and durability, on SQLite and PostgreSQL.

    python -m benchmarks.vault_bench            # prints a table
    run() -> [(name, value, unit), ...]         # for `make bench`

Rows: tokenizations/s for new values and for already-known values (in this process's cache, and from a
fresh process that has to ask the database), one process and four; detokenizations/s; and kill -9 trials
(writer processes killed in the middle of concurrent tokenization: acknowledged mappings lost, must be 0).
PostgreSQL runs in a throwaway schema of $VEIL_BENCH_PG_URL (default: root@127.0.0.1:5432/test); its rows
are left out when the server is unreachable. $VEIL_BENCH_QUICK=1 shortens everything (CI smoke).
"""

from __future__ import annotations

import base64
import multiprocessing as mp
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from vault.audit import AuditContext
from vault.keys import MasterKey
from vault.store import Vault

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("VEIL_BENCH_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")
BATCH = 1000  # values per tokenize call: one MCP message's worth of new values
PROCESSES = 4
CTX = AuditContext(actor="bench", backend="bench", direction="to-client", method="tools/call", tool="bench")

Row = tuple[str, float, str]


# --- engines --------------------------------------------------------------------------------------------


@contextmanager
def _sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="veil-bench-") as d:
        yield f"sqlite:///{d}/vault.db"


@contextmanager
def _pg_url() -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    dsn = make_url(PG_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    schema = f"veil_bench_{secrets.token_hex(6)}"
    with psycopg.connect(dsn, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def _pg_available() -> bool:
    try:
        with _pg_url():
            return True
    except Exception:
        return False


# --- measurements ---------------------------------------------------------------------------------------


def _rate(work: Callable[[int], int], seconds: float) -> float:
    """Calls work(round) until `seconds` have passed; returns operations per second."""
    done, rounds, start = 0, 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds or rounds == 0:
        done += work(rounds)
        rounds += 1
    return done / elapsed


def _values(prefix: str, n: int) -> list[tuple[str, str]]:
    return [("EMAIL_ADDRESS", f"{prefix}-{i}@example.com") for i in range(n)]


def _one_process(url: str, master: MasterKey, seconds: float) -> dict[str, float]:
    vault = Vault.open(url, master)
    try:
        session = vault.open_session(name=f"bench-{secrets.token_hex(4)}", ctx=CTX)
        stored: list[list[tuple[str, str]]] = []

        def new(r: int) -> int:
            batch = _values(f"n{r}", BATCH)
            session.tokenize(batch, CTX)
            stored.append(batch)
            return BATCH

        rates = {"new": _rate(new, seconds)}
        batch = stored[0]
        rates["known"] = _rate(lambda r: len(session.tokenize(batch, CTX)), seconds)
        fresh = Vault.open(url, master)  # another process's view: no cache, the upsert finds the rows
        try:
            other = fresh.open_session(name=session.name, ctx=CTX)

            def known_fresh(r: int) -> int:
                other._stored.clear()
                other._known.clear()
                return len(other.tokenize(stored[r % len(stored)], CTX))

            rates["known_fresh"] = _rate(known_fresh, seconds)
        finally:
            fresh.close()
        tokens = session.tokenize(batch, CTX)
        rates["detok"] = _rate(lambda r: len(session.detokenize(tokens, CTX)), seconds)
        return rates
    finally:
        vault.close()


def _worker(url: str, secret: bytes, kind: str, start_at: float, seconds: float, out: mp.Queue) -> None:
    vault = Vault.open(url, MasterKey(secret, "bench"))
    try:
        session = vault.open_session(ctx=CTX)
        warm = _values(f"w{os.getpid()}", BATCH)
        session.tokenize(warm, CTX)
        time.sleep(max(0.0, start_at - time.time()))
        done, r, t0 = 0, 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            batch = _values(f"{os.getpid()}-{r}", BATCH) if kind == "new" else warm
            done += len(session.tokenize(batch, CTX))
            r += 1
        out.put(done / (time.perf_counter() - t0))
    finally:
        vault.close()


def _processes(url: str, master: MasterKey, kind: str, seconds: float) -> float:
    """Aggregate rate of PROCESSES proxy-like processes, each in its own session, started together."""
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    start_at = time.time() + 3.0
    procs = [
        ctx.Process(target=_worker, args=(url, master.secret, kind, start_at, seconds, out))
        for _ in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    rates = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    return sum(rates)


# --- kill -9 --------------------------------------------------------------------------------------------

_CHILD = textwrap.dedent(
    """
    import base64, os, sys, threading
    from vault.audit import AuditContext
    from vault.keys import MasterKey
    from vault.store import Vault

    vault = Vault.open(sys.argv[1], MasterKey(base64.b64decode(os.environ["KEY"]), "bench"))
    ctx = AuditContext(actor="child")
    session = vault.open_session(name=sys.argv[2], ctx=ctx)
    lock = threading.Lock()

    def work(n):
        for i in range(1_000_000):
            value = f"v{n}-{i}"
            [token] = session.tokenize([("PERSON", value)], ctx)
            with lock:  # acknowledged: the token has been handed out
                print(value, token, flush=True)

    for n in range(4):
        threading.Thread(target=work, args=(n,), daemon=True).start()
    threading.Event().wait()
    """
)


def kill_9_trials(url: str, master: MasterKey, trials: int) -> tuple[int, int, int]:
    """(trials, acknowledged mappings, mappings lost). Each trial kills two writer processes sharing one
    session at a random moment, then checks every acknowledged token still gives its value back."""
    env = {**os.environ, "KEY": base64.b64encode(master.secret).decode(), "PYTHONPATH": str(ROOT)}
    acknowledged_total = lost = 0
    for trial in range(trials):
        name = f"kill-{trial}"
        children = [
            subprocess.Popen(
                [sys.executable, "-c", _CHILD, url, name],
                stdout=subprocess.PIPE,
                text=True,
                env=env,
                cwd=ROOT,
            )
            for _ in range(2)
        ]
        lines: list[str] = []
        wanted = 50 + (secrets.randbelow(400))
        for child in children:
            assert child.stdout is not None
            lines += [child.stdout.readline() for _ in range(wanted // 2)]
        for child in children:
            child.send_signal(signal.SIGKILL)
        for child in children:
            child.wait()
            assert child.stdout is not None
            lines += child.stdout.read().splitlines()
        acknowledged = dict(pair for pair in (line.split() for line in lines) if len(pair) == 2)
        vault = Vault.open(url, master)
        try:
            session = vault.open_session(name=name, ctx=CTX)
            values = session.detokenize(list(acknowledged.values()), CTX) if acknowledged else {}
            lost += sum(1 for v, t in acknowledged.items() if values.get(t) != v)
            if not vault.verify_audit().ok:
                raise AssertionError("the audit chain did not verify after kill -9")
            if vault.engine.dialect.name == "sqlite":
                with vault.engine.connect() as conn:
                    if conn.exec_driver_sql("PRAGMA integrity_check").scalar() != "ok":
                        raise AssertionError("SQLite integrity check failed after kill -9")
        finally:
            vault.close()
        acknowledged_total += len(acknowledged)
    return trials, acknowledged_total, lost


# --- entry points ---------------------------------------------------------------------------------------


def _engine_rows(
    label: str, url_factory: Callable[[], AbstractContextManager[str]], seconds: float, kill_trials: int
) -> list[Row]:
    master = MasterKey(secrets.token_bytes(32), "bench")
    rows: list[Row] = []
    with url_factory() as url:
        one = _one_process(url, master, seconds)
        rows += [
            (f"vault {label} tokenize new values, 1 process (batch {BATCH})", one["new"], "values/s"),
            (f"vault {label} tokenize known values, 1 process (cached)", one["known"], "values/s"),
            (f"vault {label} tokenize known values, 1 process (fresh cache)", one["known_fresh"], "values/s"),
            (f"vault {label} detokenize, 1 process (batch {BATCH})", one["detok"], "tokens/s"),
        ]
    for kind in ("new", "known"):
        with url_factory() as url:
            Vault.open(url, master).close()  # migrate once, not four times at once
            rate = _processes(url, master, kind, seconds)
        rows.append((f"vault {label} tokenize {kind} values, {PROCESSES} processes", rate, "values/s"))
    with url_factory() as url:
        Vault.open(url, master).close()
        trials, acknowledged, lost = kill_9_trials(url, master, kill_trials)
    rows += [
        (f"vault {label} kill -9 trials", trials, "trials"),
        (f"vault {label} kill -9 acknowledged mappings checked", acknowledged, "mappings"),
        (f"vault {label} kill -9 acknowledged mappings lost", lost, "mappings"),
    ]
    return rows


def run(quick: bool | None = None) -> list[Row]:
    """Every row, both engines. `quick` (default: $VEIL_BENCH_QUICK=1) runs 0.5 s per measure and 3 kill -9
    trials per engine instead of 2 s and 20."""
    if quick is None:
        quick = os.environ.get("VEIL_BENCH_QUICK") == "1"
    seconds, trials = (0.5, 3) if quick else (2.0, 20)
    rows = _engine_rows("sqlite", _sqlite_url, seconds, trials)
    if _pg_available():
        rows += _engine_rows("postgresql", _pg_url, seconds, trials)
    else:
        print(f"PostgreSQL at {PG_URL} unreachable: its rows are left out", file=sys.stderr)
    return rows


def main() -> None:
    rows = run(quick=True if "--quick" in sys.argv else None)
    width = max(len(name) for name, _, _ in rows)
    for name, value, unit in rows:
        shown = f"{value:,.0f}" if value >= 100 or float(value).is_integer() else f"{value:,.2f}"
        print(f"{name:<{width}}  {shown:>12}  {unit}")


if __name__ == "__main__":
    main()
