"""Start to `initialize` result: how long an MCP client waits for a server it launches, with and without
the proxy in front. Clients start every configured server at launch, so this is the delay a user sees.

    python -m benchmarks.startup_bench [--runs N]

Each run spawns a fresh process (a throwaway `VEIL_HOME`, a key in the environment), writes one
`initialize` request on stdin and times the first line on stdout. Reported: the median of the runs for the
bare example backend (an MCP SDK server) and for `veil run -- <backend>`, their difference and ratio; and
the same in front of the fastest server there is (`benchmarks.instant_backend`, standard library only),
on a start after a good one (the handshake answered early, `proxy.early_handshake`) and on a start with
no start memo (the first start after an install, a policy edit or a new backend answer).
"""

from __future__ import annotations

import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from proxy.start_memo import MEMO_FILE

ROOT = Path(__file__).resolve().parent.parent
BACKEND = [sys.executable, "-m", "examples.echo_server"]
INSTANT = [sys.executable, "-S", str(ROOT / "benchmarks" / "instant_backend.py")]
PROXY = [sys.executable, "-m", "proxy", "run", "--"]
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "startup-bench", "version": "1"},
    },
}
TARGET_MS = 300.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process so far (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_initialize(command: Sequence[str], env: dict[str, str], timeout: float = 60.0) -> float:
    """Seconds from spawning `command` to reading its `initialize` result (a JSON-RPC error counts too:
    the client has its answer). The process is stopped afterwards."""
    return measure(command, env, timeout)[0]


def measure(command: Sequence[str], env: dict[str, str], timeout: float = 60.0) -> tuple[float, float]:
    """(seconds to the `initialize` result, CPU seconds the spawned process itself used until then). CPU time
    is what a loaded machine stretches least: compare it when wall times are noisy."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(command),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write((json.dumps(INITIALIZE) + "\n").encode())
        proc.stdin.flush()
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - started
        if not line:
            raise RuntimeError(f"{command[-1]} closed stdout before answering initialize")
        answer = json.loads(line)
        if answer.get("id") != 1:
            raise RuntimeError("the first line was not the initialize answer")
        return elapsed, cpu_seconds(proc.pid)
    finally:
        proc.kill()
        proc.wait(timeout)


def bench_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VEIL_")}
    env["VEIL_HOME"] = str(home)
    env["VEIL_MASTER_KEY"] = base64.b64encode(os.urandom(32)).decode()
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def run(runs: int = 7) -> list[tuple[str, float, str]]:
    with tempfile.TemporaryDirectory(prefix="veil-startup-") as tmp:
        env = bench_env(Path(tmp))
        time_to_initialize(PROXY + BACKEND, env)  # the first start creates the vault: not measured
        bare: list[tuple[float, float]] = []
        proxied: list[tuple[float, float]] = []
        for _ in range(runs):  # interleaved, so load on the machine hits both alike
            bare.append(measure(BACKEND, env))
            proxied.append(measure(PROXY + BACKEND, env))
        instant = [measure(INSTANT, env) for _ in range(runs)]
        time_to_initialize(PROXY + INSTANT, env)  # a good start, which the next ones find in the memo
        warm: list[tuple[float, float]] = []
        cold: list[tuple[float, float]] = []
        for _ in range(runs):
            warm.append(measure(PROXY + INSTANT, env))
            memo = Path(tmp) / MEMO_FILE
            saved = memo.read_bytes() if memo.exists() else None
            memo.unlink(missing_ok=True)
            cold.append(measure(PROXY + INSTANT, env))
            if saved is not None:
                memo.write_bytes(saved)
    b = _median_ms(bare)
    p = _median_ms(proxied)
    i, iw, ic = _median_ms(instant), _median_ms(warm), _median_ms(cold)
    return [
        ("bare backend, start to initialize result (median)", b, "ms"),
        ("veil run -- backend, start to initialize result (median)", p, "ms"),
        ("proxy's added start time (difference of medians)", p - b, "ms"),
        ("proxy / bare (ratio of medians)", p / b, "x"),
        ("CPU until the answer: bare backend (median)", _median_ms(bare, cpu=True), "ms"),
        ("CPU until the answer: the proxy process alone (median)", _median_ms(proxied, cpu=True), "ms"),
        ("instant backend alone, start to initialize result (median)", i, "ms"),
        ("veil run -- instant backend, after a good start (median)", iw, "ms"),
        (f"  within the {TARGET_MS:.0f} ms bar", float(iw <= TARGET_MS), "1=yes"),
        ("veil run -- instant backend, no start memo (median)", ic, "ms"),
        ("CPU until the answer, after a good start: the proxy alone", _median_ms(warm, cpu=True), "ms"),
        ("runs each", float(runs), ""),
    ]


def _median_ms(runs: list[tuple[float, float]], cpu: bool = False) -> float:
    return statistics.median(c if cpu else w for w, c in runs) * 1000


def main(argv: Sequence[str] = ()) -> None:
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 7
    for measure, value, unit in run(runs):
        print(f"{measure:60} {value:10.1f} {unit}")


if __name__ == "__main__":
    main(sys.argv[1:])
