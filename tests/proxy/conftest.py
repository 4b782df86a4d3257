"""In-memory proxy fixtures: a real SQLite vault and a real relay, client and backend in-process."""

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import anyio
import mcp_types as types
import pytest
from mcp import Client
from mcp.client._memory import InMemoryTransport
from mcp.server.mcpserver import Context, Elicit, MCPServer, Resolve, Sample
from mcp.shared.memory import create_client_server_memory_streams
from pydantic import BaseModel

from proxy.config import Settings
from proxy.relay import Relay
from proxy.session import ProxySession
from proxy.wiring import Assembly

PERSON = {
    "fullName": "Jane Miller",
    "email": "jane.miller@acme-plumbing.example",
    "phone": "+1 415 555 0134",
    "note": "Call Jane on +1 415 555 0134 or write to jane.miller@acme-plumbing.example",
    "iban": "DE89370400440532013000",
    "customerId": "1234567890",
    "clicks": 98765432101,
}


class Contact(BaseModel):
    contact: str


def make_backend(received: list[dict[str, Any]]) -> MCPServer:
    """A small real MCP server: returns personal data, records what it was given."""
    server = MCPServer("test-backend")

    @server.tool()
    def whoami() -> str:
        return json.dumps(PERSON)

    @server.tool()
    def echo(text: str) -> str:
        received.append({"tool": "echo", "text": text})
        return text

    @server.tool()
    def lookup(customer_id: str) -> str:
        received.append({"tool": "lookup", "customer_id": customer_id})
        if customer_id != PERSON["customerId"]:
            raise ValueError(f"unknown customer {customer_id}")
        return json.dumps({"customerId": customer_id, "descriptiveName": "Acme Plumbing LLC"})

    @server.tool()
    async def noisy(text: str, ctx: Context) -> str:
        await ctx.info(f"processing for {PERSON['email']}")
        await ctx.report_progress(1, 2, f"half way for {PERSON['email']}")
        return "done"

    def ask(customer_id: str) -> Elicit[Contact]:
        return Elicit(f"Who should we call about {customer_id}? Usually {PERSON['email']}", Contact)

    @server.tool()
    def confirm(customer_id: str, answer: Annotated[Contact, Resolve(ask)]) -> str:
        received.append({"tool": "confirm", "customer_id": customer_id, "contact": answer.contact})
        return f"will call {answer.contact}"

    def draft(customer_id: str) -> Sample:
        text = f"Draft a note to {PERSON['fullName']} <{PERSON['email']}>"
        message = types.SamplingMessage(role="user", content=types.TextContent(type="text", text=text))
        return Sample(messages=[message], max_tokens=50)

    @server.tool()
    def summarize(customer_id: str, reply: Annotated[Any, Resolve(draft)]) -> str:
        text = reply.content.text
        received.append({"tool": "summarize", "reply": text})
        return text

    @server.tool(structured_output=True)
    def report(rows: int) -> dict[str, Any]:
        """A Search-Console-shaped report: queries, some with a person's email, and metrics."""
        out = []
        for i in range(rows):
            query = f"plumber near me {i % 50}" if i % 97 else f"contact {PERSON['email']}"
            out.append(
                {
                    "keys": [query, f"https://www.acme-plumbing.example/p/{i % 20}"],
                    "clicks": i % 7,
                    "impressions": 10 + i % 13,
                }
            )
        return {"rows": out, "responseAggregationType": "byPage"}

    @server.tool()
    async def flood(n: int, ctx: Context) -> str:
        for i in range(n):
            await ctx.report_progress(i, n, f"step {i}")
        return "flooded"

    @server.tool()
    def fetch_page(url: str) -> str:
        received.append({"tool": "fetch_page", "url": url})
        return "ok"

    @server.tool()
    async def slow(seconds: float) -> str:
        received.append({"tool": "slow", "started": True})
        await anyio.sleep(seconds)
        received.append({"tool": "slow", "finished": True})
        return "finished"

    @server.resource("crm://contacts/{contact_id}")
    def contact(contact_id: str) -> str:
        received.append({"resource": contact_id})
        return json.dumps({"id": contact_id, "email": PERSON["email"]})

    @server.prompt()
    def review(customer_id: str) -> str:
        received.append({"prompt": customer_id})
        return f"Review account {customer_id} for {PERSON['fullName']} ({PERSON['email']})"

    return server


@pytest.fixture
def engine(veil_home: Path) -> Assembly:
    eng = Assembly.load(Settings.resolve())
    yield eng
    eng.vault.close()


Proxied = Callable[..., AbstractAsyncContextManager[tuple[Client, ProxySession]]]


@pytest.fixture
def proxied(engine: Assembly) -> Proxied:
    """`async with proxied(server) as (client, session)`: a Client talking to `server` through the relay."""

    @asynccontextmanager
    async def connect(server: MCPServer, **client_kw: Any) -> AsyncIterator[tuple[Client, ProxySession]]:
        import anyio

        session = engine.open_session(backend="test-backend", actor="test")
        async with (
            InMemoryTransport(server) as backend,
            create_client_server_memory_streams() as (
                client_end,
                front_end,
            ),
        ):

            @asynccontextmanager
            async def transport() -> AsyncIterator[Any]:
                yield client_end

            relay = Relay(session)
            connect.relay = relay  # type: ignore[attr-defined]  # for tests that inspect the pump
            async with anyio.create_task_group() as tg:
                tg.start_soon(relay.run, front_end, backend)
                async with Client(transport(), mode=client_kw.pop("mode", "legacy"), **client_kw) as client:
                    yield client, session
                tg.cancel_scope.cancel()

    return connect
