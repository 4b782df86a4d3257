"""Proxy figures: added latency of a small call, and the cost of a 25,000-row Search Console response.

- small call: median round trip of `echo` directly against the example echo server vs through `veil run`
  (both real stdio subprocesses, connected side by side and called in turn);
- large response: the proxy's work on the response (the backend line parsed as `veil run` parses it, the
  stage chain, the SDK's serialization toward the client) vs a plain orjson parse+serialize of the same
  bytes (the floor), and vs Presidio's analyzer on every string leaf (the naive baseline; measured on a
  sample of leaves and scaled); a ~10 KB response the same way; and the peak memory the proxy allocates
  for the large one (tracemalloc, a separate pass) against the payload's size.
"""

from __future__ import annotations

import base64
import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import anyio
import orjson

ROOT = Path(__file__).resolve().parent.parent
Row = tuple[str, float, str]


async def paired_call_ms(direct: Any, proxied: Any, n: int) -> tuple[float, float]:
    """Median round trips (ms) of a small `echo` call, direct and through the proxy, after a warm-up;
    any targets the SDK client takes. Both clients stay connected and take turns (the order alternating
    each round), so a change in the machine's load falls on both alike."""
    from mcp import Client

    async with Client(direct, mode="legacy") as a, Client(proxied, mode="legacy") as b:
        clients = (a, b)
        for client in clients * 20:  # warm up
            await client.call_tool("echo", {"text": "hello"})
        times: tuple[list[float], list[float]] = ([], [])
        for i in range(n):
            for which in (0, 1) if i % 2 == 0 else (1, 0):
                t = time.perf_counter()
                await clients[which].call_tool("echo", {"text": "hello"})
                times[which].append(time.perf_counter() - t)
    return statistics.median(times[0]) * 1000, statistics.median(times[1]) * 1000


def paired_medians_ms(direct: Any, proxied: Any, n: int) -> tuple[float, float]:
    return anyio.run(paired_call_ms, direct, proxied, n)


def small_call(n: int = 1000) -> list[Row]:
    from mcp import StdioServerParameters

    env = {**os.environ, "PYTHONPATH": str(ROOT), "VEIL_HOME": tempfile.mkdtemp(prefix="veil-bench-")}
    env.setdefault("VEIL_MASTER_KEY", base64.b64encode(os.urandom(32)).decode())
    backend = [sys.executable, "-m", "examples.echo_server"]
    direct = StdioServerParameters(command=backend[0], args=backend[1:], env=env, cwd=str(ROOT))
    proxied = StdioServerParameters(
        command=sys.executable, args=["-m", "proxy", "run", "--", *backend], env=env, cwd=str(ROOT)
    )
    d, p = paired_medians_ms(direct, proxied, n)
    return [
        ("small call, direct (median)", d, "ms"),
        ("small call, through veil run (median)", p, "ms"),
        ("small call, added by the proxy (median; target ≤ 1)", p - d, "ms"),
    ]


def _payload(rows: int, seed: int = 1) -> bytes:
    sys.path.insert(0, str(ROOT))
    from examples.fakedata import search_analytics_response

    resp = search_analytics_response(rows, seed)
    result = {"content": [{"type": "text", "text": orjson.dumps(resp).decode()}], "structuredContent": resp}
    return orjson.dumps({"jsonrpc": "2.0", "id": 7, "result": result})


def _small_payload(target_bytes: int = 10_000) -> bytes:
    """A Search Console response of about `target_bytes` (text + structuredContent)."""
    rows = 1
    while len(_payload(rows + 1, seed=2)) <= target_bytes:
        rows += 1
    return _payload(rows, seed=2)


def _best_of(fn: Any, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _engine() -> Any:
    from proxy.config import Settings
    from proxy.wiring import Assembly

    os.environ.setdefault("VEIL_HOME", tempfile.mkdtemp(prefix="veil-bench-"))
    os.environ.setdefault("VEIL_MASTER_KEY", base64.b64encode(os.urandom(32)).decode())
    return Assembly.load(Settings.resolve())


def _driver(tool: str) -> Any:
    """`through(session, line)`: the proxy's work on one backend line answering a call of `tool`."""
    from proxy.filters import Direction, Flow, chains
    from proxy.transports.client_writer import dump_message
    from proxy.transports.stdio import parse_line

    chain = chains()[Direction.TO_CLIENT]

    def through(session: Any, data: bytes) -> None:  # a line as the backend reader hands it over
        item = parse_line(data)
        assert not isinstance(item, Exception)
        msg = item.message
        session.policy.activate_packs([tool])  # as the relay does on a backend's answer
        flow = Flow(Direction.TO_CLIENT, session, msg.result, "response", "tools/call", tool)
        for stage in chain:
            stage(flow)
        # As the stdio front's writer serializes it toward the client.
        dump_message(msg.model_copy(update={"result": flow.payload}))

    return through


def large_response(rows: int = 25_000, naive_sample: int = 4_000) -> list[Row]:
    line = _payload(rows)
    small = _small_payload()
    engine = _engine()
    default_budget = engine.policy.budget
    engine.policy.budget = None  # the detection pipeline alone first; the budgeted path is measured below
    through = _driver("search_analytics")

    def floor() -> None:
        orjson.dumps(orjson.loads(line))

    def through_proxy(session: Any, data: bytes = line) -> None:
        through(session, data)

    floor_s = _best_of(floor, 7)
    fresh = engine.open_session(backend="bench", actor="bench")
    t = time.perf_counter()
    through_proxy(fresh)  # first sight: every value is new to the vault
    first_s = time.perf_counter() - t
    steady_s = _best_of(lambda: through_proxy(fresh), 5)  # the next page of a paging client

    small_session = engine.open_session(backend="bench", actor="bench")
    t = time.perf_counter()
    through_proxy(small_session, small)
    small_first_s = time.perf_counter() - t
    small_s = _best_of(lambda: through_proxy(small_session, small), 200)

    # Peak memory the proxy allocates for one large response, beyond the line it was handed: its own pass,
    # since tracing slows everything down. (tracemalloc sees Python allocations, orjson's and pydantic's
    # objects included.)
    gc.collect()
    tracemalloc.start()
    through_proxy(fresh)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    engine.policy.budget = default_budget
    budgeted = engine.open_session(backend="bench", actor="bench")
    through_proxy(budgeted)  # values into the vault, as a paging client would have them
    budget_s = _best_of(lambda: through_proxy(budgeted), 3)
    engine.policy.budget = None

    # Naive baseline: Presidio's analyzer (same registry) on every string leaf of the structured result.
    resp = orjson.loads(line)["result"]["structuredContent"]
    leaves = [s for r in resp["rows"] for s in r["keys"]]
    sample = leaves[:naive_sample]
    t = time.perf_counter()
    for s in sample:
        engine.detector.analyzer.analyze(text=s, language="en")
    naive_s = (time.perf_counter() - t) * len(leaves) / len(sample) * 2  # text copy + structured copy

    engine.vault.close()
    mb = len(line) / 1e6
    return [
        (f"{rows}-row response size (text + structuredContent)", mb, "MB"),
        ("floor: orjson parse+serialize", floor_s * 1000, "ms"),
        ("proxy, values new to the vault", first_s * 1000, "ms"),
        ("proxy, values already in the vault (median)", steady_s * 1000, "ms"),
        ("proxy ÷ floor, first sight", first_s / floor_s, "×"),
        ("proxy ÷ floor, steady (target ≤ 3)", steady_s / floor_s, "×"),
        (f"naive Presidio on every leaf (scaled from {naive_sample} leaves)", naive_s, "s"),
        ("naive ÷ proxy, steady (target ≥ 100)", naive_s / steady_s, "×"),
        ("naive ÷ proxy, first sight", naive_s / first_s, "×"),
        ("proxy peak allocation, large response (tracemalloc)", peak / 1e6, "MB"),
        ("proxy peak allocation ÷ payload size (target ≤ 4)", peak / len(line), "×"),
        (f"{len(small) / 1000:.1f} KB response, first sight", small_first_s * 1000, "ms"),
        (f"{len(small) / 1000:.1f} KB response, steady (median; target ≤ 5)", small_s * 1000, "ms"),
        (
            "proxy with the default response budget (store all, send 100 rows + summary)",
            budget_s * 1000,
            "ms",
        ),
    ]


def ads_response(rows: int = 25_000) -> list[Row]:
    """A Google Ads-shaped report (`ads_report`: every campaign and ad group id distinct), first sight and
    steady, each against the same orjson floor as the Search Console figures."""
    from benchmarks.ads_report import ads_report_response

    resp = ads_report_response(rows)
    result = {"content": [{"type": "text", "text": orjson.dumps(resp).decode()}], "structuredContent": resp}
    line = orjson.dumps({"jsonrpc": "2.0", "id": 9, "result": result})
    engine = _engine()
    engine.policy.budget = None
    # Measured, not bounded: on a loaded machine the old first sight (one Presidio call per distinct id)
    # could pass the default detection budget, which would end the pass early.
    engine.policy.detection_seconds = 600
    through = _driver("search")
    floor_s = _best_of(lambda: orjson.dumps(orjson.loads(line)), 7)
    session = engine.open_session(backend="bench", actor="bench")
    t = time.perf_counter()
    through(session, line)
    first_s = time.perf_counter() - t
    steady_s = _best_of(lambda: through(session, line), 3)
    engine.vault.close()
    return [
        (f"{rows}-row Google Ads-shaped report size (text + structuredContent)", len(line) / 1e6, "MB"),
        ("ads floor: orjson parse+serialize", floor_s * 1000, "ms"),
        ("ads: proxy, values new to the vault", first_s * 1000, "ms"),
        ("ads: proxy ÷ floor, first sight", first_s / floor_s, "×"),
        ("ads: proxy ÷ floor, steady", steady_s / floor_s, "×"),
    ]
