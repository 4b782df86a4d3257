"""`veil serve` over real HTTP on 127.0.0.1: sessions, the checks in front of them, and the direction rule."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import anyio
import httpx
import mcp_types as types
import pytest
from mcp import Client, MCPError

from tests.proxy.conftest import PERSON, make_backend
from vault.tokens import TOKEN_RE

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[2]
LIMIT = 30.0

INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"},
    },
}
ACCEPT = {"accept": "application/json, text/event-stream", "content-type": "application/json"}


def text_of(result: Any) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


def sse_messages(body: str) -> list[dict[str, Any]]:
    return [
        json.loads(line[5:]) for line in body.splitlines() if line.startswith("data:") and line[5:].strip()
    ]


async def open_raw(http: httpx.AsyncClient, url: str) -> str:
    """Initialize a session by hand; returns its Mcp-Session-Id."""
    r = await http.post(url, json=INIT, headers=ACCEPT)
    assert r.status_code == 200, r.text
    sid = r.headers["mcp-session-id"]
    note = {"jsonrpc": "2.0", "method": "notifications/initialized"}
    r = await http.post(url, json=note, headers={**ACCEPT, "mcp-session-id": sid})
    assert r.status_code == 202
    return sid


# ---------------------------------------------------------------------------- the direction rule


async def test_a_client_over_http_sees_tokens_and_the_backend_gets_the_real_values(serve):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with serve(make_backend(received)) as served, Client(served.url, mode="legacy") as client:
            data = json.loads(text_of(await client.call_tool("whoami", {})))
            echoed = await client.call_tool("echo", {"text": f"write to {data['email']} today"})
            found = await client.call_tool("lookup", {"customer_id": data["customerId"]})
    for key in ("fullName", "email", "phone", "iban", "customerId"):
        assert TOKEN_RE.fullmatch(data[key]) or TOKEN_RE.search(data[key])
        assert PERSON[key] not in json.dumps(data)
    assert received[0] == {"tool": "echo", "text": f"write to {PERSON['email']} today"}
    assert received[1] == {"tool": "lookup", "customer_id": PERSON["customerId"]}
    assert text_of(echoed) == f"write to {data['email']} today"
    assert PERSON["customerId"] not in text_of(found) and not found.is_error


async def test_each_http_session_has_its_own_tokens_and_refuses_a_token_from_another(serve):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with (
            serve(make_backend(received)) as served,
            Client(served.url, mode="legacy") as first,
            Client(served.url, mode="legacy") as second,
        ):
            mine = json.loads(text_of(await first.call_tool("whoami", {})))
            theirs = json.loads(text_of(await second.call_tool("whoami", {})))
            with pytest.raises(MCPError, match="another session"):
                await second.call_tool("lookup", {"customer_id": mine["customerId"]})
            assert served.sessions.open_count == 2
    assert mine["email"] != theirs["email"]  # same value, unlinkable tokens across sessions
    assert received == []  # the refused call never reached the backend


async def test_elicitation_over_http_is_tokenized_and_the_answer_detokenized(serve):
    seen: list[str] = []
    received: list[dict[str, Any]] = []

    async def on_elicit(context: Any, params: Any) -> types.ElicitResult:
        seen.append(params.message)
        token = re.search(r"\[\[EMAIL_ADDRESS:[a-z2-7]+\]\]", params.message).group(0)  # type: ignore[union-attr]
        return types.ElicitResult(action="accept", content={"contact": token})

    with anyio.fail_after(LIMIT):
        async with (
            serve(make_backend(received)) as served,
            Client(served.url, mode="legacy", elicitation_callback=on_elicit) as client,
        ):
            cid = json.loads(text_of(await client.call_tool("whoami", {})))["customerId"]
            result = await client.call_tool("confirm", {"customer_id": cid})
    assert seen and PERSON["email"] not in seen[0] and PERSON["customerId"] not in seen[0]
    assert received[-1] == {
        "tool": "confirm",
        "customer_id": PERSON["customerId"],
        "contact": PERSON["email"],
    }
    assert PERSON["email"] not in text_of(result)


async def test_sampling_over_http_is_tokenized_and_the_reply_detokenized(serve):
    prompts: list[str] = []
    received: list[dict[str, Any]] = []

    async def on_sample(context: Any, params: Any) -> types.CreateMessageResult:
        text = params.messages[0].content.text
        prompts.append(text)
        token = re.search(r"\[\[EMAIL_ADDRESS:[a-z2-7]+\]\]", text).group(0)  # type: ignore[union-attr]
        return types.CreateMessageResult(
            role="assistant", content=types.TextContent(type="text", text=f"Dear {token},"), model="m"
        )

    with anyio.fail_after(LIMIT):
        async with (
            serve(make_backend(received)) as served,
            Client(served.url, mode="legacy", sampling_callback=on_sample) as client,
        ):
            await client.call_tool("whoami", {})
            result = await client.call_tool("summarize", {"customer_id": "x"})
    assert prompts and PERSON["email"] not in prompts[0] and PERSON["fullName"] not in prompts[0]
    assert received[-1]["reply"].startswith("Dear ") and "[[" not in received[-1]["reply"]
    assert "[[" in text_of(result)


async def test_progress_and_log_notifications_go_out_on_the_stream_of_the_call_they_belong_to(serve):
    call = {
        "jsonrpc": "2.0",
        "id": 7,
        "method": "tools/call",
        "params": {"name": "noisy", "arguments": {"text": "x"}, "_meta": {"progressToken": "p-1"}},
    }
    with anyio.fail_after(LIMIT):
        async with serve(make_backend([])) as served, httpx.AsyncClient() as http:
            sid = await open_raw(http, served.url)
            r = await http.post(served.url, json=call, headers={**ACCEPT, "mcp-session-id": sid})
    messages = sse_messages(r.text)
    methods = [m.get("method") for m in messages]
    assert methods[:2] == ["notifications/message", "notifications/progress"]
    assert messages[1]["params"]["progressToken"] == "p-1"
    assert messages[-1]["id"] == 7 and "result" in messages[-1]
    assert PERSON["email"] not in r.text and "[[EMAIL_ADDRESS:" in r.text


# ---------------------------------------------------------------------------- sessions


async def test_session_ids_are_128_bit_random_hex(serve):
    with anyio.fail_after(LIMIT):
        async with serve(make_backend([])) as served, httpx.AsyncClient() as http:
            ids = {await open_raw(http, served.url) for _ in range(3)}
    assert len(ids) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


async def test_a_request_without_a_session_id_gets_400(serve):
    call = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
    with anyio.fail_after(LIMIT):
        async with serve(make_backend([])) as served, httpx.AsyncClient() as http:
            post = await http.post(served.url, json=call, headers=ACCEPT)
            get = await http.get(served.url, headers={"accept": "text/event-stream"})
            delete = await http.delete(served.url)
            garbage = await http.post(served.url, content=b"{not json", headers=ACCEPT)
            assert served.sessions.open_count == 0
    assert (post.status_code, get.status_code, delete.status_code, garbage.status_code) == (
        400,
        400,
        400,
        400,
    )
    assert post.json()["error"]["code"] == -32600 and garbage.json()["error"]["code"] == -32700


async def test_an_unknown_or_deleted_session_id_gets_404(serve):
    call = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
    with anyio.fail_after(LIMIT):
        async with serve(make_backend([])) as served, httpx.AsyncClient() as http:
            unknown = await http.post(served.url, json=call, headers={**ACCEPT, "mcp-session-id": "f" * 32})
            sid = await open_raw(http, served.url)
            listed = await http.post(served.url, json=call, headers={**ACCEPT, "mcp-session-id": sid})
            deleted = await http.delete(served.url, headers={"mcp-session-id": sid})
            after = await http.post(served.url, json=call, headers={**ACCEPT, "mcp-session-id": sid})
            assert served.sessions.open_count == 0
    assert unknown.status_code == 404 and after.status_code == 404
    assert listed.status_code == 200 and "whoami" in listed.text
    assert deleted.status_code == 200


async def test_the_session_limit_answers_503_until_a_session_ends(serve):
    with anyio.fail_after(LIMIT):
        async with serve(make_backend([]), max_sessions=2) as served, httpx.AsyncClient() as http:
            first = await open_raw(http, served.url)
            await open_raw(http, served.url)
            refused = await http.post(served.url, json=INIT, headers=ACCEPT)
            await http.delete(served.url, headers={"mcp-session-id": first})
            again = await http.post(served.url, json=INIT, headers=ACCEPT)
    assert refused.status_code == 503 and again.status_code == 200


def _pids_with(marker: str) -> list[str]:
    return subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout.split()


async def test_a_deleted_session_stops_its_backend_process(serve, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    marker = f"veil-delete-{uuid.uuid4().hex}"
    backend = [
        sys.executable,
        "-c",
        "import runpy; runpy.run_module('examples.echo_server', run_name='__main__')",
    ]
    with anyio.fail_after(LIMIT):
        async with serve([*backend, marker]) as served, httpx.AsyncClient() as http:
            sid = await open_raw(http, served.url)
            assert _pids_with(marker)
            assert (await http.delete(served.url, headers={"mcp-session-id": sid})).status_code == 200
            while _pids_with(marker):
                await anyio.sleep(0.1)
            assert served.sessions.open_count == 0


async def test_an_idle_session_is_closed_and_its_backend_process_reaped(serve, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    marker = f"veil-idle-{uuid.uuid4().hex}"
    backend = [
        sys.executable,
        "-c",
        "import runpy; runpy.run_module('examples.echo_server', run_name='__main__')",
    ]
    with anyio.fail_after(LIMIT):
        async with serve([*backend, marker], idle_timeout=1.0) as served, httpx.AsyncClient() as http:
            sid = await open_raw(http, served.url)
            assert _pids_with(marker)
            while served.sessions.open_count:
                await anyio.sleep(0.1)
            while _pids_with(marker):
                await anyio.sleep(0.1)
            call = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
            after = await http.post(served.url, json=call, headers={**ACCEPT, "mcp-session-id": sid})
    assert after.status_code == 404


# ---------------------------------------------------------------------------- checks in front of the sessions


async def test_an_oversized_body_gets_413_before_any_session_exists(serve):
    big = {**INIT, "params": {**INIT["params"], "pad": "x" * 5000}}
    with anyio.fail_after(LIMIT):
        async with serve(make_backend([]), max_body=2048) as served, httpx.AsyncClient() as http:
            declared = await http.post(served.url, json=big, headers=ACCEPT)

            async def chunks():
                yield json.dumps(big).encode()

            streamed = await http.post(served.url, content=chunks(), headers=ACCEPT)  # no Content-Length
            assert served.sessions.open_count == 0
    assert declared.status_code == 413 and streamed.status_code == 413


async def test_a_foreign_host_or_origin_gets_403(serve):
    with anyio.fail_after(LIMIT):
        async with (
            serve(make_backend([]), extra_origins=["https://app.example"]) as served,
            httpx.AsyncClient() as http,
        ):
            host = await http.post(served.url, json=INIT, headers={**ACCEPT, "host": "evil.example"})
            origin = await http.post(
                served.url, json=INIT, headers={**ACCEPT, "origin": "http://evil.example"}
            )
            allowed = await http.post(
                served.url, json=INIT, headers={**ACCEPT, "origin": "https://app.example"}
            )
            local = await http.post(
                served.url, json=INIT, headers={**ACCEPT, "host": f"localhost:{served.port}"}
            )
    assert host.status_code == 403 and origin.status_code == 403
    assert allowed.status_code == 200 and local.status_code == 200


async def test_with_an_auth_token_only_clients_presenting_it_get_in(serve):
    token = b"s3cret-token-value"
    with anyio.fail_after(LIMIT):
        async with serve(make_backend([]), auth_token=token) as served, httpx.AsyncClient() as http:
            missing = await http.post(served.url, json=INIT, headers=ACCEPT)
            wrong = await http.post(served.url, json=INIT, headers={**ACCEPT, "authorization": "Bearer nope"})
            right = await http.post(
                served.url, json=INIT, headers={**ACCEPT, "authorization": f"Bearer {token.decode()}"}
            )
            sid = right.headers["mcp-session-id"]
            hijack = await http.post(
                served.url,
                json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
                headers={**ACCEPT, "mcp-session-id": sid},
            )
    assert missing.status_code == 401 and wrong.status_code == 401 and right.status_code == 200
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert hijack.status_code == 401  # a session id alone is not a credential
    assert token.decode() not in missing.text + wrong.text


async def test_a_path_other_than_the_endpoint_gets_404(serve):
    with anyio.fail_after(LIMIT):
        async with serve(make_backend([])) as served, httpx.AsyncClient() as http:
            r = await http.post(served.url.replace("/mcp", "/other"), json=INIT, headers=ACCEPT)
    assert r.status_code == 404


async def test_a_cancelled_call_ends_its_response_stream_and_is_cancelled_at_the_backend(serve):
    received: list[dict[str, Any]] = []
    call = {
        "jsonrpc": "2.0",
        "id": 9,
        "method": "tools/call",
        "params": {"name": "slow", "arguments": {"seconds": 5}},
    }
    with anyio.fail_after(LIMIT):
        async with serve(make_backend(received)) as served, httpx.AsyncClient() as http:
            sid = await open_raw(http, served.url)
            headers = {**ACCEPT, "mcp-session-id": sid}
            replies: list[httpx.Response] = []

            async def slow_call() -> None:
                replies.append(await http.post(served.url, json=call, headers=headers))

            async with anyio.create_task_group() as tg:
                tg.start_soon(slow_call)
                while {"tool": "slow", "started": True} not in received:
                    await anyio.sleep(0.02)
                cancel = {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 9}}
                assert (await http.post(served.url, json=cancel, headers=headers)).status_code == 202
    answer = sse_messages(replies[0].text)[-1]
    assert answer["id"] == 9 and answer["error"]["code"] == -32800  # the stream ended with "cancelled"
    assert {"tool": "slow", "finished": True} not in received


# ---------------------------------------------------------------------------- backends that fail

MORTAL = """
import os
from mcp.server.mcpserver import MCPServer
server = MCPServer("mortal")

@server.tool()
def echo(text: str) -> str:
    return text

@server.tool()
def die() -> str:
    os._exit(3)

server.run()
"""


async def _connect_error(client: Client) -> MCPError:
    try:
        async with client:
            pass
    except BaseException as exc:  # the SDK wraps it in exception groups
        pending = [exc]
        while pending:
            e = pending.pop()
            if isinstance(e, MCPError):
                return e
            pending.extend(getattr(e, "exceptions", ()))
        raise
    raise AssertionError("the client connected")


async def test_a_backend_that_dies_mid_call_fails_the_call_ends_the_session_and_a_new_session_works(serve):
    with anyio.fail_after(LIMIT):
        async with serve([sys.executable, "-c", MORTAL]) as served:
            async with Client(served.url, mode="legacy") as client:
                assert text_of(await client.call_tool("echo", {"text": "hi"})) == "hi"
                with pytest.raises(MCPError, match="backend exited"):
                    await client.call_tool("die", {})
                with pytest.raises(MCPError):  # the session ended with its backend: 404
                    await client.call_tool("echo", {"text": "again"})
                assert served.sessions.open_count == 0
            async with Client(served.url, mode="legacy") as client:
                assert text_of(await client.call_tool("echo", {"text": "back"})) == "back"


async def test_a_backend_command_that_cannot_start_answers_initialize_with_an_error(serve):
    with anyio.fail_after(LIMIT):
        async with serve(["/nonexistent/mcp-server"]) as served:
            refused = await _connect_error(Client(served.url, mode="legacy"))
            while served.sessions.open_count:
                await anyio.sleep(0.05)
    assert refused.error.code == -32003 and "could not be started" in refused.error.message


async def test_a_client_that_lost_a_call_stream_resumes_it_with_last_event_id(serve):
    received: list[dict[str, Any]] = []
    init = {**INIT, "params": {**INIT["params"], "protocolVersion": "2025-11-25"}}
    call = {
        "jsonrpc": "2.0",
        "id": 5,
        "method": "tools/call",
        "params": {"name": "slow", "arguments": {"seconds": 1}},
    }
    with anyio.fail_after(LIMIT):
        async with serve(make_backend(received)) as served, httpx.AsyncClient() as http:
            r = await http.post(served.url, json=init, headers=ACCEPT)
            sid = r.headers["mcp-session-id"]
            headers = {**ACCEPT, "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25"}
            await http.post(
                served.url, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=headers
            )
            async with http.stream("POST", served.url, json=call, headers=headers) as stream:
                async for line in stream.aiter_lines():
                    if line.startswith("id:"):
                        last_event_id = line[3:].strip()
                        break  # the connection drops before the answer
            resume = {"accept": "text/event-stream", "mcp-session-id": sid, "last-event-id": last_event_id}
            answer: list[dict[str, Any]] = []
            async with http.stream("GET", served.url, headers=resume) as stream:
                async for line in stream.aiter_lines():
                    answer += sse_messages(line)
                    if answer and "id" in answer[-1]:
                        break  # the answer to the call: the resumed stream carried it
    assert answer and answer[-1]["id"] == 5 and answer[-1]["result"]["content"][0]["text"] == "finished"


async def test_a_vault_that_cannot_open_a_session_answers_with_an_error_at_once(serve):
    from vault.errors import VaultUnavailable

    async def broken(actor: str) -> Any:
        raise VaultUnavailable("vault database unavailable")

    with anyio.fail_after(LIMIT):
        async with serve(make_backend([])) as served:
            served.sessions._open_session = broken
            refused = await _connect_error(Client(served.url, mode="legacy"))
            async with Client(served.url, mode="2026-07-28") as client:  # no connect-time request in this era
                with pytest.raises(MCPError) as modern:
                    await client.list_tools()
    assert refused.error.code == -32006 and "vault is unavailable" in refused.error.message
    assert modern.value.error.code == -32006


async def test_metrics_are_served_behind_the_same_checks_and_carry_no_values(serve):
    import httpx

    with anyio.fail_after(LIMIT):
        async with serve(make_backend([])) as served:
            async with Client(served.url, mode="legacy") as client:
                await client.call_tool("whoami", {})
            base = served.url.rsplit("/", 1)[0]
            async with httpx.AsyncClient() as http:
                refused = await http.get(f"{base}/metrics", headers={"Host": "evil.example"})
                ok = await http.get(f"{base}/metrics")
    assert refused.status_code == 403
    assert ok.status_code == 200 and "veil_values_tokenized_total" in ok.text
    assert PERSON["email"] not in ok.text
