"""`/healthz` and `/readyz` for load balancers, and draining on shutdown, on `veil serve` over real HTTP."""

from __future__ import annotations

import os
import sys
from typing import Any

import anyio
import httpx
import pytest
from sqlalchemy import select

from tests.http.test_serve import ACCEPT, INIT, LIMIT, open_raw, sse_messages
from tests.polling import wait_until
from tests.proxy.conftest import make_backend
from vault.models import AuditRecord

pytestmark = pytest.mark.anyio


def _closed_sessions(engine: Any) -> list[Any]:
    """The sessions the audit log records as closed."""
    with engine.vault.engine.connect() as conn:
        query = select(AuditRecord.session_id).where(AuditRecord.event == "session-closed")
        return list(conn.execute(query).scalars().all())


def base(url: str) -> str:
    return url.rsplit("/", 1)[0]


async def test_probes_answer_without_the_bearer_token_but_the_mcp_endpoint_still_needs_it(serve, tmp_path):
    with anyio.fail_after(LIMIT):
        async with serve(make_backend([]), auth_token=b"s3cret-token") as served, httpx.AsyncClient() as http:
            health = await http.get(f"{base(served.url)}/healthz")
            ready = await http.get(f"{base(served.url)}/readyz")
            mcp = await http.post(served.url, json=INIT, headers=ACCEPT)
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"vault": "ok", "policies": "ok"}}
    assert mcp.status_code == 401


async def test_probes_keep_the_host_and_origin_checks_against_dns_rebinding(serve):
    with anyio.fail_after(LIMIT):
        async with serve(make_backend([])) as served, httpx.AsyncClient() as http:
            host = await http.get(f"{base(served.url)}/readyz", headers={"Host": "evil.example"})
            origin = await http.get(f"{base(served.url)}/healthz", headers={"Origin": "http://evil.example"})
            post = await http.post(f"{base(served.url)}/readyz")
    assert host.status_code == 403 and origin.status_code == 403
    assert post.status_code == 405


async def test_readyz_is_503_naming_the_check_when_the_backend_command_cannot_be_found(serve):
    with anyio.fail_after(LIMIT):
        async with serve(["/nonexistent/veil-test-backend"]) as served, httpx.AsyncClient() as http:
            ready = await http.get(f"{base(served.url)}/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"] == {"vault": "ok", "policies": "ok", "backend": "failed"}


async def test_readyz_is_503_when_the_vault_database_is_gone(serve, engine):
    with anyio.fail_after(LIMIT):
        async with serve([sys.executable, "-m", "examples.echo_server"]) as served, httpx.AsyncClient() as h:
            before = await h.get(f"{base(served.url)}/readyz")
            os.replace(engine.vault._db_path, engine.vault._db_path + ".moved")
            served.app.readiness.cache_seconds = 0
            after = await h.get(f"{base(served.url)}/readyz")
    assert before.status_code == 200 and before.json()["checks"]["backend"] == "ok"
    assert after.status_code == 503 and after.json()["checks"]["vault"] == "failed"


async def test_draining_refuses_new_sessions_finishes_the_call_in_flight_and_closes_every_session(
    serve, engine
):
    received: list[dict[str, Any]] = []
    call = {
        "jsonrpc": "2.0",
        "id": 7,
        "method": "tools/call",
        "params": {"name": "slow", "arguments": {"seconds": 1}},
    }
    with anyio.fail_after(LIMIT):
        async with serve(make_backend(received)) as served, httpx.AsyncClient(timeout=LIMIT) as http:
            busy = await open_raw(http, served.url)
            idle = await open_raw(http, served.url)
            replies: list[httpx.Response] = []

            async def slow_call() -> None:
                replies.append(
                    await http.post(served.url, json=call, headers={**ACCEPT, "mcp-session-id": busy})
                )

            async with anyio.create_task_group() as tg:
                tg.start_soon(slow_call)
                while {"tool": "slow", "started": True} not in received:
                    await anyio.sleep(0.02)
                served.app.begin_drain()
                ready = await http.get(f"{base(served.url)}/readyz")
                fresh = await http.post(served.url, json=INIT, headers=ACCEPT)
                while idle in served.sessions._sessions:  # the idle session ends without waiting
                    await anyio.sleep(0.02)
                assert busy in served.sessions._sessions
            while busy in served.sessions._sessions:
                await anyio.sleep(0.02)
            gone = await http.post(served.url, json=call, headers={**ACCEPT, "mcp-session-id": busy})
            while served.sessions.open_count:
                await anyio.sleep(0.02)
            await wait_until(lambda: len(_closed_sessions(engine)) == 2)  # written in worker threads
    assert ready.status_code == 503 and ready.json() == {"status": "not ready", "checks": {"draining": "yes"}}
    assert fresh.status_code == 503
    answer = sse_messages(replies[0].text)[-1]
    assert answer["id"] == 7 and "result" in answer and not answer["result"].get("isError")
    assert gone.status_code == 404
    closed = _closed_sessions(engine)
    assert len(closed) == 2
