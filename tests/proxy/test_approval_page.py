"""URL-mode approvals in memory: a real relay, vault and MCP server, a raw JSON-RPC client that declares
URL-mode elicitation, and httpx (or headless Chromium) as the human on the proxy's local page."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import mcp_types as types
import pytest

from proxy.approval_page import ENV_SWITCH
from proxy.config import Settings
from proxy.errors import APPROVAL_REFUSED
from proxy.wiring import Assembly
from tests.proxy.conftest import PERSON
from tests.proxy.test_approvals import ROOT, Wire, approval_events, crm, wired
from tests.proxy.test_approvals import anyio_backend as anyio_backend
from vault.tokens import TOKEN_RE

pytestmark = pytest.mark.anyio
LIMIT = 30.0
EMAIL = PERSON["email"]
URL_CAPS: dict[str, Any] = {"elicitation": {"form": {}, "url": {}}}


def make_engine(tmp_path: Path, timeout: float, mode: str | None = None) -> Assembly:
    """The policy leaves `approvals.mode` at its default (`auto`) unless a test names one."""
    policy = tmp_path / "approvals.yaml"
    policy.write_text(
        f"version: 1\nname: pages\ntools:\n  send_*:\n    approval: required\n"
        f"approvals:\n  timeout_seconds: {timeout}\n  destructive: required\n"
        + (f"  mode: {mode}\n" if mode else "")
    )
    return Assembly.load(Settings.resolve(policies=(str(ROOT / "policies" / "default.yaml"), str(policy))))


@pytest.fixture
def engine(veil_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv(ENV_SWITCH, raising=False)  # URL mode by default, not by the switch
    eng = make_engine(tmp_path, 20)
    yield eng
    eng.vault.close()


@pytest.fixture
def hurried(veil_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv(ENV_SWITCH, raising=False)
    eng = make_engine(tmp_path, 1)
    yield eng
    eng.vault.close()


class Client:
    """The raw client: records every message the proxy sends toward it, notifications included."""

    def __init__(self, wire: Wire) -> None:
        self.wire = wire
        self.seen: list[dict[str, Any]] = []

    async def next(self, *, notifications: bool = False) -> types.JSONRPCMessage:
        while True:
            msg = (await self.wire.read.receive()).message
            self.seen.append(msg.model_dump(mode="json", by_alias=True, exclude_none=True))
            if notifications or not isinstance(msg, types.JSONRPCNotification):
                return msg

    async def email_token(self) -> str:
        await self.wire.request(10, "tools/call", {"name": "whoami", "arguments": {}})
        answer = await self.next()
        assert isinstance(answer, types.JSONRPCResponse)
        return str(json.loads(answer.result["content"][0]["text"])["email"])

    async def ask_to_send(self, to: str, text: str = "hello") -> types.JSONRPCRequest:
        await self.wire.request(2, "tools/call", {"name": "send_note", "arguments": {"to": to, "text": text}})
        prompt = await self.next()
        assert isinstance(prompt, types.JSONRPCRequest) and prompt.method == "elicitation/create"
        return prompt

    def everything_seen(self) -> str:
        return json.dumps(self.seen, ensure_ascii=False)


@asynccontextmanager
async def url_client(
    engine: Assembly, received: list[dict[str, Any]], caps: Any = None
) -> AsyncIterator[Client]:
    async with wired(engine, crm(received), handshake=False) as wire:
        client = Client(wire)
        init = {
            "protocolVersion": "2025-11-25",
            "capabilities": URL_CAPS if caps is None else caps,
            "clientInfo": {"name": "t", "version": "1"},
        }
        await wire.request(0, "initialize", init)
        assert isinstance(await client.next(), types.JSONRPCResponse)
        await wire.send(types.JSONRPCNotification(jsonrpc="2.0", method="notifications/initialized"))
        await wire.request(1, "tools/list", {})
        assert isinstance(await client.next(), types.JSONRPCResponse)
        yield client


def browser() -> httpx.AsyncClient:
    return httpx.AsyncClient(trust_env=False, timeout=10)


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


async def post(http: httpx.AsyncClient, url: str, csrf: str, decision: str) -> httpx.Response:
    return await http.post(url, data={"csrf": csrf, "decision": decision})


ACCEPT: dict[str, Any] = {"action": "accept"}


async def test_the_page_shows_the_real_value_the_client_never_sees_and_approve_forwards_it(engine):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with url_client(engine, received) as client, browser() as http:
            token = await client.email_token()
            prompt = await client.ask_to_send(token)
            params = prompt.params or {}
            page = await http.get(params["url"])
            approved = await post(http, params["url"], csrf_of(page.text), "approve")
            await client.wire.answer(prompt.id, ACCEPT)
            done = await client.next()
    assert TOKEN_RE.fullmatch(token)
    assert params["mode"] == "url" and params["url"].startswith("http://localhost:")
    assert "send_note" in params["message"] and token not in params["message"]
    assert page.status_code == 200 and EMAIL in page.text and token not in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["x-frame-options"] == "DENY"
    assert approved.status_code == 200
    assert isinstance(done, types.JSONRPCResponse) and done.id == 2
    complete = [m for m in client.seen if m.get("method") == "notifications/elicitation/complete"]
    assert [m["params"] for m in complete] == [{"elicitationId": params["elicitationId"]}]
    assert EMAIL not in client.everything_seen()  # nothing toward the client held the real value
    assert received == [{"tool": "send_note", "to": EMAIL, "text": "hello"}]
    assert approval_events(engine) == [("approval-requested", "url"), ("approval-granted", "url")]
    assert EMAIL not in json.dumps(approval_events(engine))


async def test_the_raw_value_a_model_sends_is_tokenized_in_the_link_message_but_real_on_the_page(engine):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with url_client(engine, received) as client, browser() as http:
            prompt = await client.ask_to_send(EMAIL, text=f"note for {EMAIL}")
            await client.wire.answer(prompt.id, ACCEPT)  # accepting only opens the link
            page = await http.get((prompt.params or {})["url"])
            await post(http, (prompt.params or {})["url"], csrf_of(page.text), "approve")
            done = await client.next()
    assert isinstance(done, types.JSONRPCResponse)
    assert EMAIL in page.text and EMAIL not in client.everything_seen()
    assert received == [{"tool": "send_note", "to": EMAIL, "text": f"note for {EMAIL}"}]


async def test_deny_on_the_page_refuses_the_call_and_nothing_reaches_the_backend(engine):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with url_client(engine, received) as client, browser() as http:
            prompt = await client.ask_to_send("x@example.org")
            await client.wire.answer(prompt.id, ACCEPT)
            url = (prompt.params or {})["url"]
            denied = await post(http, url, csrf_of((await http.get(url)).text), "deny")
            refused = await client.next()
    assert denied.status_code == 200 and "Denied" in denied.text
    assert isinstance(refused, types.JSONRPCError) and refused.error.code == APPROVAL_REFUSED
    assert "declined" in refused.error.message
    assert received == []
    assert approval_events(engine) == [("approval-requested", "url"), ("approval-denied", "decline")]


async def test_a_used_link_answers_410_gone_to_a_second_get_or_post(engine):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with url_client(engine, received) as client, browser() as http:
            prompt = await client.ask_to_send("x@example.org")
            url = (prompt.params or {})["url"]
            csrf = csrf_of((await http.get(url)).text)
            await post(http, url, csrf, "approve")
            await client.wire.answer(prompt.id, ACCEPT)
            assert isinstance(await client.next(), types.JSONRPCResponse)
            again = await http.get(url)
            replayed = await post(http, url, csrf, "approve")
    assert (again.status_code, replayed.status_code) == (410, 410)
    assert "x@example.org" not in again.text
    assert received == [{"tool": "send_note", "to": "x@example.org", "text": "hello"}]


async def test_a_second_viewer_of_the_page_gets_410_and_the_call_is_refused(engine):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with url_client(engine, received) as client, browser() as http:
            prompt = await client.ask_to_send("x@example.org")
            url = (prompt.params or {})["url"]
            first = await http.get(url)
            second = await http.get(url)
            late = await post(http, url, csrf_of(first.text), "approve")
            await client.wire.answer(prompt.id, ACCEPT)
            refused = await client.next()
    assert (first.status_code, second.status_code, late.status_code) == (200, 410, 410)
    assert isinstance(refused, types.JSONRPCError) and refused.error.code == APPROVAL_REFUSED
    assert received == []


async def test_a_wrong_csrf_token_is_refused_and_burns_the_page(engine):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with url_client(engine, received) as client, browser() as http:
            prompt = await client.ask_to_send("x@example.org")
            url = (prompt.params or {})["url"]
            csrf = csrf_of((await http.get(url)).text)
            forged = await post(http, url, "not-the-token", "approve")
            real = await post(http, url, csrf, "approve")
            await client.wire.answer(prompt.id, ACCEPT)
            refused = await client.next()
    assert (forged.status_code, real.status_code) == (403, 410)
    assert isinstance(refused, types.JSONRPCError) and refused.error.code == APPROVAL_REFUSED
    assert received == []
    assert approval_events(engine)[-1] == ("approval-denied", "mismatch")


async def test_a_post_from_another_origin_or_to_another_host_is_refused(engine):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with url_client(engine, received) as client, browser() as http:
            prompt = await client.ask_to_send("x@example.org")
            url = (prompt.params or {})["url"]
            rebound = await http.get(url, headers={"host": "evil.example"})
            csrf = csrf_of((await http.get(url)).text)
            cross = await http.post(
                url, data={"csrf": csrf, "decision": "approve"}, headers={"origin": "http://evil.example"}
            )
            await client.wire.answer(prompt.id, ACCEPT)
            refused = await client.next()
    assert (rebound.status_code, cross.status_code) == (400, 403)
    assert isinstance(refused, types.JSONRPCError) and received == []


async def test_declining_to_open_the_link_refuses_at_once_and_the_link_is_gone(engine):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with url_client(engine, received) as client, browser() as http:
            prompt = await client.ask_to_send("x@example.org")
            await client.wire.answer(prompt.id, {"action": "decline"})
            refused = await client.next()
            gone = await http.get((prompt.params or {})["url"])
    assert isinstance(refused, types.JSONRPCError) and refused.error.code == APPROVAL_REFUSED
    assert gone.status_code == 410 and received == []
    assert approval_events(engine) == [("approval-requested", "url"), ("approval-denied", "decline")]


async def test_a_page_nobody_decides_before_the_deadline_expires_and_refuses(hurried):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with url_client(hurried, received) as client, browser() as http:
            prompt = await client.ask_to_send("x@example.org")
            await client.wire.answer(prompt.id, ACCEPT)
            url = (prompt.params or {})["url"]
            page = await http.get(url)
            refused = await client.next()
            late = await post(http, url, csrf_of(page.text), "approve")
    assert isinstance(refused, types.JSONRPCError) and "nobody answered within 1 s" in refused.error.message
    assert late.status_code == 410 and received == []
    assert approval_events(hurried) == [("approval-requested", "url"), ("approval-expired", None)]


async def test_a_client_without_url_mode_still_gets_the_form(engine):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with url_client(engine, received, caps={"elicitation": {"form": {}}}) as client:
            prompt = await client.ask_to_send("x@example.org")
            await client.wire.answer(prompt.id, {"action": "accept", "content": {"approve": True}})
            done = await client.next()
    assert (prompt.params or {})["mode"] == "form" and "requestedSchema" in (prompt.params or {})
    assert isinstance(done, types.JSONRPCResponse)
    assert approval_events(engine) == [
        ("approval-requested", "elicitation"),
        ("approval-granted", "elicitation"),
    ]


async def test_chromium_shows_the_real_value_runs_no_script_and_approves_with_its_button(engine):
    from tests.audit.chromium import CHROMIUM, Chromium

    if not Path(CHROMIUM).exists():
        pytest.skip("no chromium")
    received: list[dict[str, Any]] = []
    hostile = '<script>document.title="pwned"</script><img src=x onerror="document.title=\'pwned\'">'
    with anyio.fail_after(60):
        async with url_client(engine, received) as client:
            token = await client.email_token()
            prompt = await client.ask_to_send(token, text=hostile)
            await client.wire.answer(prompt.id, ACCEPT)
            seen = await anyio.to_thread.run_sync(look_and_approve, Chromium, (prompt.params or {})["url"])
            done = await client.next()
    title, text, requests, errors = seen
    assert EMAIL in text and "<script>document.title=" in text and "<img src=x onerror=" in text  # as text
    assert title == "mcp-veil: approve this call?" and not errors
    assert all(r.startswith("http://localhost:") for r in requests)  # the page loads nothing else
    assert isinstance(done, types.JSONRPCResponse)
    assert received == [{"tool": "send_note", "to": EMAIL, "text": hostile}]


def look_and_approve(chromium_class: Any, url: str) -> tuple[str, str, list[str], list[str]]:
    with chromium_class() as chromium:
        target = chromium.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        attached = chromium.call(
            "Target.attachToTarget", {"targetId": target, "flatten": True}, session=False
        )
        chromium._session = attached["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            chromium.call(f"{domain}.enable")
        chromium.call("Page.navigate", {"url": url})
        wait_for_load(chromium)

        def evaluate(expression: str) -> str:
            return str(chromium.call("Runtime.evaluate", {"expression": expression})["result"]["value"])

        title, text = evaluate("document.title"), evaluate("document.body.innerText")
        chromium.call("Runtime.evaluate", {"expression": "document.querySelector('[value=approve]').click()"})
        wait_for_load(chromium)
        return title, text, list(chromium.page.requests), list(chromium.page.errors)


def wait_for_load(chromium: Any) -> None:
    import time

    deadline = time.monotonic() + 30
    while chromium._receive(deadline).get("method") != "Page.loadEventFired":
        pass


async def test_a_malformed_request_to_the_page_closes_that_connection_only_and_the_session_goes_on(engine):
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with url_client(engine, received) as client, browser() as http:
            prompt = await client.ask_to_send("x@example.org")
            url = (prompt.params or {})["url"]
            csrf = csrf_of((await http.get(url)).text)
            with pytest.raises(httpx.HTTPError):
                await http.post(url, content=b"&".join(b"f%d=1" % i for i in range(50)))
            approved = await post(http, url, csrf, "approve")
            await client.wire.answer(prompt.id, ACCEPT)
            done = await client.next()
    assert approved.status_code == 200 and isinstance(done, types.JSONRPCResponse)
    assert received == [{"tool": "send_note", "to": "x@example.org", "text": "hello"}]
