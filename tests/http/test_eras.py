"""Both protocol eras on the HTTP front: the `initialize` handshake (with an Mcp-Session-Id) and
2026-07-28 (`server/discover`, self-contained POSTs, input-required results), with the direction rule."""

from __future__ import annotations

import json
import re
from typing import Any

import anyio
import httpx
import mcp_types as types
import pytest
from mcp import Client

from tests.proxy.conftest import PERSON, make_backend
from vault.tokens import TOKEN_RE

pytestmark = pytest.mark.anyio
LIMIT = 30.0


def text_of(result: Any) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28", "auto"])
async def test_tokens_round_trip_over_http_in_every_protocol_era(serve, mode):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with serve(make_backend(received)) as served, Client(served.url, mode=mode) as client:
            data = json.loads(text_of(await client.call_tool("whoami", {})))
            found = await client.call_tool("lookup", {"customer_id": data["customerId"]})
            era = client.protocol_version
    assert TOKEN_RE.fullmatch(data["email"]) and PERSON["email"] not in json.dumps(data)
    assert received == [{"tool": "lookup", "customer_id": PERSON["customerId"]}]
    assert not found.is_error
    assert (era == "2026-07-28") == (mode != "legacy")


async def test_input_required_elicitation_in_the_2026_era_is_tokenized_and_the_answer_detokenized(serve):
    seen: list[str] = []
    received: list[dict[str, Any]] = []

    async def on_elicit(context: Any, params: Any) -> types.ElicitResult:
        seen.append(params.message)
        token = re.search(r"\[\[EMAIL_ADDRESS:[a-z2-7]+\]\]", params.message)
        assert token is not None
        return types.ElicitResult(action="accept", content={"contact": token.group(0)})

    with anyio.fail_after(LIMIT):
        async with (
            serve(make_backend(received)) as served,
            Client(served.url, mode="2026-07-28", elicitation_callback=on_elicit) as client,
        ):
            cid = json.loads(text_of(await client.call_tool("whoami", {})))["customerId"]
            result = await client.call_tool("confirm", {"customer_id": cid})
    assert seen and PERSON["email"] not in seen[0] and PERSON["customerId"] not in seen[0]
    expected = {"tool": "confirm", "customer_id": PERSON["customerId"], "contact": PERSON["email"]}
    assert received[-1] == expected
    assert PERSON["email"] not in text_of(result)


async def test_two_2026_requests_with_the_same_json_rpc_id_each_get_their_own_answer(serve):
    headers = {
        "accept": "application/json, text/event-stream",
        "content-type": "application/json",
        "mcp-protocol-version": "2026-07-28",
    }
    meta = {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "t", "version": "1"},
    }

    def call(text: str) -> dict[str, Any]:
        params = {"name": "echo", "arguments": {"text": text}, "_meta": meta}
        return {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}

    with anyio.fail_after(LIMIT):
        async with serve(make_backend([])) as served, httpx.AsyncClient() as http:
            replies: dict[str, httpx.Response] = {}

            async def post(text: str) -> None:
                replies[text] = await http.post(served.url, json=call(text), headers=headers)

            async with anyio.create_task_group() as tg:
                for text in ("one", "two", "three"):
                    tg.start_soon(post, text)
            no_session = [r.headers.get("mcp-session-id") for r in replies.values()]
    for text, reply in replies.items():
        body = reply.json()
        assert body["id"] == 1 and body["result"]["content"][0]["text"] == text
    assert no_session == [None, None, None]
