"""Fleet throughput: 1, 2 and 3 `veil serve` instances behind HAProxy on one PostgreSQL, same client load.

`python -m benchmarks.fleet_bench [--clients 8] [--calls 40] [--seconds 60]` (`make bench-fleet`).

Each client opens a session through HAProxy, reads `whoami` once (tokens) and then sends `echo` calls
carrying its email token: every call is detokenized toward the backend (a PostgreSQL transaction with
its audit rows) and the answer tokenized again. The load is bounded in count and time. "Added" latency
is the proxied percentile minus the same load's percentile against the same tool on a plain MCP server
over Streamable HTTP (no proxy, no balancer). PostgreSQL is a private cluster (tests/fleet/private_pg.py),
so the CPU time it spends is attributable; CPU seconds per process group say where the bottleneck is.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import anyio

from tests.fleet.harness import ROOT, Fleet, fleet, free_port
from tests.fleet.private_pg import PrivatePostgres, private_postgres

DIRECT_SERVER = """
import sys, uvicorn
from mcp.server.mcpserver import MCPServer
server = MCPServer("direct")

@server.tool()
def echo(text: str) -> str:
    return text

@server.tool()
def whoami() -> str:
    return '{"email": "jane.miller@acme-plumbing.example"}'

uvicorn.run(server.streamable_http_app(), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


@dataclass
class Run:
    label: str
    calls: int
    seconds: float
    latencies_ms: list[float]
    errors: int
    cpu: dict[str, float]

    @property
    def rps(self) -> float:
        return self.calls / self.seconds

    def pct(self, q: float) -> float:
        xs = sorted(self.latencies_ms)
        return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


def _cpu_seconds(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / tick
    return total


def _children(pid: int) -> list[int]:
    """pid and its descendants (a veil instance's backends, the postmaster's backends)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
                parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(parents.get(p, []))
    return out


def _postmaster(pg: PrivatePostgres) -> int:
    return int((pg.datadir / "postmaster.pid").read_text().split()[0])


async def _load(
    url: str, token: str | None, clients: int, calls: int, seconds: float, on_ready: Callable[[], None]
) -> tuple[list[float], int, float]:
    """Open every session first (backend start, first detection), then time only the calls: latencies,
    errors, and the wall time of the timed phase. `on_ready` runs between the two (CPU snapshot)."""
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    latencies: list[float] = []
    errors = 0
    ready = 0
    go = anyio.Event()
    window = [float("inf"), 0.0]

    async def one(i: int) -> None:
        nonlocal errors, ready
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        http = httpx2.AsyncClient(headers=headers, timeout=60)
        async with http, Client(streamable_http_client(url, http_client=http), mode="legacy") as client:
            me = json.loads("".join(c.text for c in (await client.call_tool("whoami", {})).content))
            ready += 1
            if ready == clients:
                on_ready()
                go.set()
            await go.wait()
            deadline = time.perf_counter() + seconds
            for n in range(calls):
                if time.perf_counter() > deadline:
                    return
                t0 = time.perf_counter()
                window[0] = min(window[0], t0)
                result = await client.call_tool(
                    "echo", {"text": f"client {i} call {n}: write to {me['email']}"}
                )
                t1 = time.perf_counter()
                window[1] = max(window[1], t1)
                latencies.append((t1 - t0) * 1000)
                errors += bool(result.is_error)

    async with anyio.create_task_group() as tg:
        for i in range(clients):
            tg.start_soon(one, i)
    return latencies, errors, window[1] - window[0]


def direct(clients: int, calls: int, seconds: float) -> Run:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", DIRECT_SERVER, str(port)], env=env, stderr=subprocess.DEVNULL
    )
    try:
        url = f"http://127.0.0.1:{port}/mcp"
        import httpx

        for _ in range(200):
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(url, timeout=1)
                break
            time.sleep(0.1)
        before: list[float] = []
        lat, errors, wall = anyio.run(
            _load, url, None, clients, calls, seconds, lambda: before.append(_cpu_seconds([proc.pid]))
        )
        cpu = {"server": _cpu_seconds([proc.pid]) - before[0]}
    finally:
        proc.terminate()
        proc.wait(10)
    return Run("direct (no proxy)", len(lat), wall, lat, errors, cpu)


def proxied(pg: PrivatePostgres, n: int, clients: int, calls: int, seconds: float, work: Path) -> Run:
    with fleet(pg.url, work / f"fleet{n}", instances=n) as f:
        before: dict[str, float] = {}

        def snapshot() -> None:
            before.update({k: _cpu_seconds(v) for k, v in _groups(f, pg).items()})
            before["load generator"] = time.process_time()

        lat, errors, wall = anyio.run(_load, f.url, f.token, clients, calls, seconds, snapshot)
        cpu = {k: _cpu_seconds(v) - before[k] for k, v in _groups(f, pg).items()}
        cpu["load generator"] = time.process_time() - before["load generator"]
    return Run(f"{n} instance{'s' if n > 1 else ''}", len(lat), wall, lat, errors, cpu)


def _groups(f: Fleet, pg: PrivatePostgres) -> dict[str, list[int]]:
    veil = [p for inst in f.instances for p in _children(inst.proc.pid)]
    return {
        "veil (+ backends)": veil,
        "postgresql": _children(_postmaster(pg)),
        "haproxy": [f.haproxy.pid] if f.haproxy else [],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fleet_bench")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--instances", default="1,2,3")
    args = parser.parse_args(argv)
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    # one master secret for the three fleets: they share the vault (another secret is refused)
    os.environ["VEIL_MASTER_KEY"] = base64.b64encode(os.urandom(32)).decode()
    runs = [direct(args.clients, args.calls, args.seconds)]
    with private_postgres() as pg, tempfile.TemporaryDirectory(prefix="veil-fleet-bench-") as tmp:
        for n in (int(x) for x in args.instances.split(",")):
            runs.append(proxied(pg, n, args.clients, args.calls, args.seconds, Path(tmp)))
    base = runs[0]
    print(
        f"load: {args.clients} clients x {args.calls} echo calls (bounded to {args.seconds:.0f} s), "
        f"{os.cpu_count()} CPUs, load average before {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'setup':<20}{'calls':>7}{'errors':>7}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
        f"{'+p50 ms':>9}{'+p99 ms':>9}  CPU seconds by process group"
    )
    for r in runs:
        added = "" if r is base else f"{r.pct(0.5) - base.pct(0.5):>9.1f}{r.pct(0.99) - base.pct(0.99):>9.1f}"
        cpu = ", ".join(f"{k} {v:.1f}" for k, v in r.cpu.items())
        print(
            f"{r.label:<20}{r.calls:>7}{r.errors:>7}{r.rps:>8.1f}{r.pct(0.5):>8.1f}{r.pct(0.99):>8.1f}"
            f"{added if added else ' ' * 18}  {cpu}"
        )


if __name__ == "__main__":
    main()
