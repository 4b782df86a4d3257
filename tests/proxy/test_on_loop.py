"""Small messages are scanned on the event loop; vault I/O and large payloads go to a worker thread.

The filter chain is the same either way: on the loop, a filter that would wait on the vault hands the chain
the rest of its work (its `on_loop` returns a `Finish`), and the chain goes on from there in a worker
thread; what the filter did on the loop is not done again."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client._memory import InMemoryTransport
from mcp.shared.memory import create_client_server_memory_streams

from proxy.filters import Direction, Flow, chains
from proxy.filters.tokenize import Tokenize
from proxy.relay import Relay
from proxy.session import ProxySession
from proxy.wiring import Assembly
from proxy.worker import Finish, NeedsWorker
from tests.proxy.conftest import PERSON, make_backend
from vault.tokens import TOKEN_RE

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


class Probe:
    """A stage that records, per message, the thread it ran on and whether it was on the loop."""

    name = "probe"

    def __init__(self, needs_worker: bool = False) -> None:
        self.needs_worker = needs_worker
        self.runs: list[tuple[str | None, bool, bool]] = []  # (tool, on the loop thread, flow.on_loop)

    def __call__(self, flow: Flow) -> None:
        on_loop_thread = threading.get_ident() == LOOP_THREAD[0]
        self.runs.append((flow.tool, on_loop_thread, flow.on_loop))

    def on_loop(self, flow: Flow) -> Finish | None:
        """The on-loop attempt; a probe that needs the vault leaves its rest (one more run) to a worker."""
        self(flow)
        if self.needs_worker and flow.tool is not None:
            return lambda: self(flow)
        return None


LOOP_THREAD = [0]


@asynccontextmanager
async def relayed(engine: Assembly, stage_chains: Any) -> AsyncIterator[tuple[Client, ProxySession]]:
    LOOP_THREAD[0] = threading.get_ident()
    session = engine.open_session(backend="test-backend", actor="test")
    async with (
        InMemoryTransport(make_backend([])) as backend,
        create_client_server_memory_streams() as (client_end, front_end),
    ):

        @asynccontextmanager
        async def transport() -> AsyncIterator[Any]:
            yield client_end

        relay = Relay(session, stage_chains=stage_chains)
        async with anyio.create_task_group() as tg:
            tg.start_soon(relay.run, front_end, backend)
            async with Client(transport(), mode="legacy") as client:
                yield client, session
            tg.cancel_scope.cancel()


def text_of(result: Any) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


async def test_a_small_call_is_scanned_on_the_event_loop_both_ways(engine):
    before, after = Probe(), Probe()
    stage_chains = chains()
    stage_chains[Direction.TO_BACKEND].insert(0, before)
    stage_chains[Direction.TO_CLIENT].append(after)
    async with relayed(engine, stage_chains) as (client, _):
        assert text_of(await client.call_tool("echo", {"text": "hello"})) == "hello"
    assert ("echo", True, True) in before.runs
    assert ("echo", True, True) in after.runs


async def test_a_large_payload_is_scanned_in_a_worker_thread(engine):
    probe = Probe()
    stage_chains = chains()
    stage_chains[Direction.TO_CLIENT].append(probe)
    async with relayed(engine, stage_chains) as (client, _):
        await client.call_tool("report", {"rows": 400})
    assert ("report", False, False) in probe.runs
    assert ("report", True, True) not in probe.runs


async def test_a_stage_that_needs_the_vault_resumes_in_a_worker_thread_from_that_stage(engine):
    first, blocking, last = Probe(), Probe(needs_worker=True), Probe()
    stage_chains = {Direction.TO_CLIENT: [first, blocking, last], Direction.TO_BACKEND: []}
    async with relayed(engine, stage_chains) as (client, _):
        assert text_of(await client.call_tool("echo", {"text": "hello"})) == "hello"
    assert [r for r in first.runs if r[0] == "echo"] == [("echo", True, True)]
    assert [r for r in blocking.runs if r[0] == "echo"] == [("echo", True, True), ("echo", False, False)]
    assert [r for r in last.runs if r[0] == "echo"] == [("echo", False, False)]


async def test_new_values_are_stored_from_a_worker_and_known_ones_tokenized_on_the_loop(engine):
    probe = Probe()
    stage_chains = chains()
    to_client = stage_chains[Direction.TO_CLIENT]
    to_client.insert(next(i for i, f in enumerate(to_client) if isinstance(f, Tokenize)) + 1, probe)
    async with relayed(engine, stage_chains) as (client, _):
        first = json.loads(text_of(await client.call_tool("whoami", {})))
        again = json.loads(text_of(await client.call_tool("whoami", {})))
        echoed = [text_of(await client.call_tool("echo", {"text": first["email"]})) for _ in range(2)]
    assert TOKEN_RE.fullmatch(first["email"]) and first == again
    assert echoed == [first["email"]] * 2  # detokenized from a worker, tokenized again
    whoami = [r for r in probe.runs if r[0] == "whoami"]
    assert whoami == [("whoami", False, False), ("whoami", True, True)]
    # The bare email is new to Presidio the first time (a worker), a cached verdict the second (the loop).
    assert [r for r in probe.runs if r[0] == "echo"] == [("echo", False, False), ("echo", True, True)]
    assert PERSON["email"] not in json.dumps([first, again, echoed])


def _flow(session: ProxySession, on_loop: bool) -> Flow:
    flow = Flow(Direction.TO_CLIENT, session, {}, "response", "tools/call", "whoami")
    flow.on_loop = on_loop
    return flow


def test_on_the_loop_a_new_value_needs_a_worker_and_writes_nothing(engine):
    session = engine.open_session(backend="test-backend", actor="test")
    items = [("EMAIL_ADDRESS", PERSON["email"])]
    with pytest.raises(NeedsWorker):
        session.tokenize(items, _flow(session, on_loop=True))
    assert session.vault.stored_tokens(items) is None
    [token] = session.tokenize(items, _flow(session, on_loop=False))
    assert session.tokenize(items, _flow(session, on_loop=True)) == [token]


def test_on_the_loop_detokenizing_and_storing_a_result_always_need_a_worker(engine):
    session = engine.open_session(backend="test-backend", actor="test")
    [token] = session.tokenize([("EMAIL_ADDRESS", PERSON["email"])], _flow(session, on_loop=False))
    with pytest.raises(NeedsWorker):
        session.detokenize([token], _flow(session, on_loop=True))
    assert session.detokenize([token], _flow(session, on_loop=False)) == {token: PERSON["email"]}
    from datetime import timedelta

    with pytest.raises(NeedsWorker):
        session.store_result("{}", timedelta(minutes=5), _flow(session, on_loop=True))


def test_on_the_loop_presidio_never_runs_only_its_cached_verdicts_are_used(engine):
    detector = engine.detector
    text = f"write to {PERSON['email']} or call {PERSON['phone']} (on-loop test {id(detector)})"
    with pytest.raises(NeedsWorker):
        detector.detect([text], on_loop=True)
    in_worker = detector.detect([text])
    assert detector.detect([text], on_loop=True) == in_worker
    assert {text[s.start : s.end] for s in in_worker[text]} >= {PERSON["email"], PERSON["phone"]}
    assert detector.detect(["nothing to see here"], on_loop=True) == {}  # no trigger: Presidio not needed
