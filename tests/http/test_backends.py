"""HTTP backends (`--url`): Streamable HTTP without the 1 MiB SSE cap, legacy SSE, operator-only headers,
and a backend that is down."""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, MCPError, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.server.mcpserver import MCPServer

from proxy.transports.http import HttpBackend, guess_transport, parse_header
from tests.http.conftest import http_mcp_server
from tests.proxy.conftest import PERSON, make_backend
from vault.tokens import TOKEN_RE

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[2]
LIMIT = 30.0


def text_of(result: Any) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


def big_backend(rows: int) -> MCPServer:
    server = MCPServer("big")

    @server.tool()
    def report() -> str:
        data = [
            {"page": f"https://example.com/p/{i}", "clicks": i % 97, "impressions": i * 3, "ctr": 0.031}
            for i in range(rows)
        ]
        return json.dumps({"rows": data, "contact": PERSON["email"]})

    return server


def find(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    if isinstance(exc, kind):
        return exc
    for inner in getattr(exc, "exceptions", ()):
        if (found := find(inner, kind)) is not None:
            return found
    return None


async def connect_error(client: Client) -> MCPError:
    """The MCPError a connection attempt ends with (the SDK wraps it in exception groups)."""
    try:
        async with client:
            pass
    except BaseException as exc:
        found = find(exc, MCPError)
        if found is None:
            raise
        assert isinstance(found, MCPError)
        return found
    raise AssertionError("the client connected")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_veil_serve_relays_to_a_streamable_http_backend_with_tokens_both_ways(serve):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with (
            http_mcp_server(make_backend(received)) as backend_url,
            serve(HttpBackend(backend_url)) as served,
            Client(served.url, mode="legacy") as client,
        ):
            data = json.loads(text_of(await client.call_tool("whoami", {})))
            await client.call_tool("lookup", {"customer_id": data["customerId"]})
    assert TOKEN_RE.fullmatch(data["email"]) and PERSON["email"] not in json.dumps(data)
    assert received == [{"tool": "lookup", "customer_id": PERSON["customerId"]}]


async def test_a_5_mb_result_from_a_streamable_http_backend_reaches_the_client(serve):
    with anyio.fail_after(60):
        async with (
            http_mcp_server(big_backend(64_000)) as backend_url,
            serve(HttpBackend(backend_url)) as served,
            Client(streamable_http_client(served.url, max_sse_event_size=None), mode="legacy") as client,
        ):
            result = await client.call_tool("report", {})
    text = text_of(result)
    assert len(text) > 5_000_000 and not result.is_error
    payload = json.loads(text)
    assert len(payload["rows"]) == 64_000 and payload["rows"][63_999]["impressions"] == 191_997
    assert TOKEN_RE.fullmatch(payload["contact"])


async def test_a_legacy_sse_backend_works_behind_veil_serve(serve):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with http_mcp_server(make_backend(received), sse=True) as backend_url:
            assert guess_transport(backend_url) == "sse"
            async with (
                serve(HttpBackend(backend_url, transport="sse")) as served,
                Client(served.url, mode="legacy") as client,
            ):
                data = json.loads(text_of(await client.call_tool("whoami", {})))
                echoed = await client.call_tool("echo", {"text": data["phone"]})
    assert TOKEN_RE.fullmatch(data["phone"]) and text_of(echoed) == data["phone"]
    assert received == [{"tool": "echo", "text": PERSON["phone"]}]


async def test_a_backend_that_is_down_answers_each_request_with_an_error_and_the_next_one_retries(serve):
    port = free_port()
    backend = HttpBackend(f"http://127.0.0.1:{port}/mcp")
    with anyio.fail_after(LIMIT):
        async with serve(backend) as served:
            for _ in range(2):  # an error each time, never a hang
                refused = await connect_error(Client(served.url, mode="legacy"))
                assert refused.error.code == -32003 and "unreachable" in refused.error.message
            async with (
                http_mcp_server(make_backend([]), port=port),
                Client(served.url, mode="legacy") as client,
            ):
                tools = await client.list_tools()
                assert any(t.name == "whoami" for t in tools.tools)
            # the backend goes away under an open session: the next call gets an error, not a hang
            up, stop, down = anyio.Event(), anyio.Event(), anyio.Event()

            async def run_backend() -> None:
                async with http_mcp_server(make_backend([]), port=port):
                    up.set()
                    await stop.wait()
                down.set()

            async with anyio.create_task_group() as tg:
                tg.start_soon(run_backend)
                await up.wait()
                async with Client(served.url, mode="legacy") as client:
                    await client.list_tools()
                    stop.set()
                    await down.wait()
                    with pytest.raises(MCPError):
                        await client.call_tool("whoami", {})


async def test_backend_headers_come_from_the_operator_and_client_credentials_are_never_forwarded(serve):
    seen: list[dict[str, str]] = []
    token = b"client-secret-token"
    with anyio.fail_after(LIMIT):
        async with http_mcp_server(make_backend([]), headers_seen=seen) as backend_url:
            name, value = parse_header("X-Api-Key: ${VEIL_TEST_KEY}", {"VEIL_TEST_KEY": "operator-key"})
            async with serve(HttpBackend(backend_url, headers={name: value}), auth_token=token) as served:
                import httpx

                headers = {"Authorization": f"Bearer {token.decode()}", "Cookie": "sid=client-cookie"}
                async with (
                    httpx.AsyncClient(headers=headers) as http,
                    Client(
                        streamable_http_client(served.url, http_client=_as_httpx2(headers)), mode="legacy"
                    ) as c,
                ):
                    await c.call_tool("whoami", {})
                    del http
    assert seen and all(h.get("x-api-key") == "operator-key" for h in seen)
    flat = json.dumps(seen)
    assert token.decode() not in flat and "client-cookie" not in flat
    assert all("authorization" not in h and "cookie" not in h for h in seen)


def _as_httpx2(headers: dict[str, str]) -> Any:
    import httpx2

    return httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=300))


def test_a_backend_header_names_a_missing_variable_without_its_value():
    with pytest.raises(ValueError, match=r"\$MISSING_VAR is not set"):
        parse_header("Authorization: Bearer ${MISSING_VAR}", {})
    with pytest.raises(ValueError, match="Name: value"):
        parse_header("no colon here", {})


@pytest.mark.e2e
async def test_veil_run_with_url_relays_stdio_to_an_http_backend(veil_home):
    received: list[dict[str, Any]] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with anyio.fail_after(60):
        async with http_mcp_server(make_backend(received)) as backend_url:
            params = StdioServerParameters(
                command=sys.executable,
                args=["-m", "proxy", "run", "--url", backend_url],
                env=env,
                cwd=str(ROOT),
            )
            async with Client(params, mode="legacy") as client:
                data = json.loads(text_of(await client.call_tool("whoami", {})))
                await client.call_tool("echo", {"text": data["email"]})
    assert TOKEN_RE.fullmatch(data["email"])
    assert received == [{"tool": "echo", "text": PERSON["email"]}]


@pytest.mark.e2e
async def test_veil_run_with_an_unreachable_url_answers_with_an_error(veil_home):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    url = f"http://127.0.0.1:{free_port()}/mcp"
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "proxy", "run", "--url", url], env=env, cwd=str(ROOT)
    )
    with anyio.fail_after(60):
        refused = await connect_error(Client(params, mode="legacy"))
    assert "unreachable" in refused.error.message
