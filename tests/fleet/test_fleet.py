"""Three `veil serve` instances on one PostgreSQL vault behind HAProxy, driven by SDK clients.

One run, in order: sessions spread over the instances and stick to theirs; tokens round-trip; one instance
is killed and its clients recover by re-initializing through the balancer; a revocation from the CLI is
refused by every surviving instance; SIGTERM drains the rest (exit 0, `session-closed` for each session);
`veil audit verify` passes over the one chain all instances wrote.
"""

from __future__ import annotations

import json
import shutil
import signal
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client, MCPError
from sqlalchemy import create_engine, func, select

from examples.echo_server import WHOAMI
from tests.fleet.harness import Fleet, Instance, fleet
from vault.models import AuditRecord
from vault.tokens import TOKEN_RE

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.skipif(
        shutil.which("haproxy") is None, reason="haproxy is not installed (.ci/run installs it)"
    ),
]

CLIENTS = 6
ROUNDS = 4  # echo calls per client; the instance is killed after round 2
LIMIT = 90.0


@dataclass
class Seen:
    """What one client observed: the session ids HAProxy handed it, and how often it re-initialized."""

    session_ids: list[str] = field(default_factory=list)
    reinitialized: int = 0
    email_token: str = ""
    phone_token: str = ""
    after_revocation: list[str] = field(default_factory=list)


def text_of(result: Any) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


@asynccontextmanager
async def connect(f: Fleet, seen: Seen) -> AsyncIterator[Client]:
    import httpx2
    from mcp.client.streamable_http import streamable_http_client

    async def remember(response: httpx2.Response) -> None:
        sid = response.headers.get("mcp-session-id")
        if sid and (not seen.session_ids or seen.session_ids[-1] != sid):
            seen.session_ids.append(sid)

    http = httpx2.AsyncClient(
        headers={"Authorization": f"Bearer {f.token}"}, event_hooks={"response": [remember]}, timeout=30
    )
    async with http, Client(streamable_http_client(f.url, http_client=http), mode="legacy") as client:
        yield client


def owner(f: Fleet, sid: str) -> Instance | None:
    """The instance that holds a session: asked directly, each other instance answers 404."""
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    found = None
    for inst in f.instances:
        if inst.proc.poll() is not None:
            continue
        r = httpx.post(
            f"{inst.base}/mcp",
            json=ping,
            headers={
                "Authorization": f"Bearer {f.token}",
                "Mcp-Session-Id": sid,
                "Accept": "application/json, text/event-stream",
                "Mcp-Protocol-Version": "2025-06-18",
            },
            timeout=10,
        )
        if r.status_code != 404:
            assert found is None, "a session id is known to two instances"
            found = inst
    return found


@dataclass
class Phases:
    """Where the clients wait for the test's steps."""

    reached: list[anyio.Event]  # each client: round 2 done
    killed: anyio.Event = field(default_factory=anyio.Event)
    finished: list[anyio.Event] = field(default_factory=list)  # each client: every round done
    revoked: anyio.Event = field(default_factory=anyio.Event)
    checked: list[anyio.Event] = field(default_factory=list)  # each client: revocation observed
    stopped: anyio.Event = field(default_factory=anyio.Event)  # the instances were stopped


async def call_outcome(client: Client, text: str) -> str:
    try:
        result = await client.call_tool("echo", {"text": text})
    except MCPError as exc:
        return "refused: " + exc.error.message
    return ("refused: " if result.is_error else "ok: ") + text_of(result)


async def one_client(f: Fleet, i: int, s: Seen, p: Phases) -> None:
    done = 0
    while True:
        try:
            async with connect(f, s) as client:
                me = json.loads(text_of(await client.call_tool("whoami", {})))
                assert TOKEN_RE.fullmatch(me["email"]) and WHOAMI["email"] not in json.dumps(me)
                s.email_token, s.phone_token = me["email"], me["phoneNumber"]
                while done < ROUNDS:
                    sent = f"client {i} round {done}: write to {me['email']}"
                    echoed = await client.call_tool("echo", {"text": sent})
                    assert not echoed.is_error and text_of(echoed) == sent  # the same token came back
                    done += 1
                    if done == 2:
                        p.reached[i].set()
                        await p.killed.wait()
                p.finished[i].set()
                await p.revoked.wait()
                s.after_revocation = [
                    await call_outcome(client, f"mail {me['email']}"),
                    await call_outcome(client, f"call {me['phoneNumber']}"),
                ]
                p.checked[i].set()
                await p.stopped.wait()
                # leaving: the DELETE finds the instance gone; nothing to check
        except AssertionError:
            raise
        except Exception:  # the SDK wraps transport errors in exception groups
            if p.stopped.is_set():
                return
            s.reinitialized += 1
            assert s.reinitialized <= 3, "a client could not recover by re-initializing"
            continue
        return


def test_a_fleet_behind_haproxy_sticks_sessions_survives_an_instance_and_keeps_one_audit_chain(
    pg_schema_url: str, tmp_path: Path
) -> None:
    started = time.monotonic()
    seen = [Seen() for _ in range(CLIENTS)]
    with fleet(pg_schema_url, tmp_path / "fleet", instances=3) as f:
        p = Phases(
            reached=[anyio.Event() for _ in range(CLIENTS)],
            finished=[anyio.Event() for _ in range(CLIENTS)],
            checked=[anyio.Event() for _ in range(CLIENTS)],
        )
        victim: list[Instance] = []
        stopped_codes: list[int] = []

        async def conductor() -> None:
            for event in p.reached:
                await event.wait()
            # Sessions spread over the instances, each known to exactly one of them.
            owners = [await anyio.to_thread.run_sync(owner, f, s.session_ids[-1]) for s in seen]
            assert all(o is not None for o in owners)
            assert len({id(o) for o in owners}) == 3, "HAProxy did not spread sessions over all instances"
            assert owners[0] is not None
            victim.append(owners[0])
            owners[0].proc.send_signal(signal.SIGKILL)
            await anyio.to_thread.run_sync(owners[0].proc.wait)
            p.killed.set()
            for event in p.finished:
                await event.wait()
            # Revoke a value from the CLI, as an operator would, while every session is still open.
            revoked = await anyio.to_thread.run_sync(
                lambda: f.veil("tokens", "revoke", "--value-stdin", stdin=WHOAMI["email"] + "\n")
            )
            assert revoked.returncode == 0, revoked.stderr
            p.revoked.set()
            for event in p.checked:
                await event.wait()
            # SIGTERM the survivors while their clients still hold sessions: they drain and exit 0.
            survivors = [i for i in f.instances if i is not owners[0]]
            for inst in survivors:  # each served calls itself (its own counter, not the balancer's)
                assert await anyio.to_thread.run_sync(f.metric, inst, "veil_calls_total") > 0
            for inst in survivors:
                inst.proc.send_signal(signal.SIGTERM)
            for inst in survivors:
                stopped_codes.append(await anyio.to_thread.run_sync(lambda i=inst: i.proc.wait(30)))
            p.stopped.set()

        async def run() -> None:
            with anyio.fail_after(LIMIT):
                async with anyio.create_task_group() as tg:
                    tg.start_soon(conductor)
                    for i in range(CLIENTS):
                        tg.start_soon(one_client, f, i, seen[i], p)

        anyio.run(run)
        assert stopped_codes == [0, 0], [i.log.read_text()[-1500:] for i in f.instances]
        verified = f.veil("audit", "verify", "--json")

    on_dead = [s for s in seen if s.reinitialized]
    assert on_dead, "no client was on the killed instance"
    for s in seen:
        # sticky: one session per client, or one more after its instance died
        assert len(s.session_ids) == 1 + s.reinitialized
        assert s.after_revocation[0].startswith("refused") and "revoked" in s.after_revocation[0]
        assert s.after_revocation[1] == f"ok: call {s.phone_token}"

    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert json.loads(verified.stdout)["ok"] is True
    engine = create_engine(pg_schema_url)
    try:
        with engine.connect() as conn:
            count = select(func.count()).select_from(AuditRecord)
            opened = conn.execute(count.where(AuditRecord.event == "session-opened")).scalar_one()
            closed = conn.execute(count.where(AuditRecord.event == "session-closed")).scalar_one()
            revoked = conn.execute(count.where(AuditRecord.event == "token-revoked")).scalar_one()
            refused = conn.execute(count.where(AuditRecord.event == "detokenize-refused")).scalar_one()
    finally:
        engine.dispose()
    # every session but those that died with the killed instance was closed, and said so in the chain
    assert (opened, closed) == (CLIENTS + len(on_dead), CLIENTS)
    assert revoked == CLIENTS + len(on_dead)  # by value: in the dead instance's sessions too
    assert refused == CLIENTS
    assert time.monotonic() - started < 120
