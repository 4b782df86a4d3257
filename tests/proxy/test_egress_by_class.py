"""Egress rules hold by class: a denied argument name in any casing or separator style, at any depth, on
every method that carries values to a backend, keeps the real value away from the backend.

Each example goes through the real relay (memory streams on both sides, a real SQLite vault): the client
sends a raw JSON-RPC message carrying a token, and the test reads every byte the backend was sent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
import mcp_types as types
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp.shared.message import SessionMessage

from proxy.config import Settings
from proxy.errors import EGRESS_DENIED
from proxy.filters import Direction, Flow
from proxy.policy import load_policy, shipped_policy_files
from proxy.relay import Relay
from proxy.session import ProxySession
from proxy.wiring import Assembly

REAL = "jane.roe@leak-canary.example"
LEAKS = (REAL, quote(REAL, safe=""))  # as written, or percent-encoded where the token was

# Names the shipped default policy denies for every tool and method, as words.
DENIED = [["webhook"], ["webhook", "url"], ["callback", "url"], ["forward", "to"]]
# Names no rule denies: a token there must reach the backend as the real value (the harness's control).
ALLOWED = [["customer", "id"], ["note"], ["query"], ["contact"]]
# Extra rules a user writes for methods that call no tool (see `extra_policy`).
EXTRA = "egress:\n  rules:\n    - {method: 'resources/*', deny: [uri]}\n" + (
    "    - {method: sampling/createMessage, deny: [content]}\n"
    "    - {method: '*', tool: '*report*', deny: [options.target]}\n"
)


_FULLWIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
_CYRILLIC = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "B": "В", "C": "С", "K": "К"}


def spelled(words: list[str]) -> st.SearchStrategy[str]:
    """One name in any casing, separator style and look-alike letters: callbackUrl, CALLBACK-URL,
    callback_url, Callback.Url, ｃａｌｌｂａｃｋＵｒｌ, сallbасkUrl."""

    @st.composite
    def build(draw: Any) -> str:
        sep = draw(st.sampled_from(["", "_", "-", "__", " ", "."]))
        parts = [
            "".join(c.upper() if draw(st.booleans()) else c for c in w) if draw(st.booleans()) else w
            for w in words
        ]
        # letters a reader cannot tell apart: fullwidth forms, Cyrillic look-alikes (proxy.policy.keys)
        lookalike = draw(st.sampled_from([{}, _FULLWIDTH, _CYRILLIC]))
        return "".join(lookalike.get(c, c) for c in sep.join(parts))

    return build()


def nested(name: str, value: str) -> st.SearchStrategy[dict[str, Any]]:
    """`{name: value}` at a random depth: under other keys, in lists of objects, beside other fields."""
    holder = st.sampled_from(["options", "request", "config", "x", "data", "payload"])

    @st.composite
    def build(draw: Any) -> dict[str, Any]:
        held: Any = {value: "x"} if isinstance(value, str) and draw(st.integers(0, 4)) == 0 else value
        node: Any = {name: held, "other": "plain"}  # the token as a value, or as a key below the name
        for _ in range(draw(st.integers(0, 4))):
            if draw(st.booleans()):
                node = [{"filler": 1}, node] if draw(st.booleans()) else [node]
            node = {draw(holder): node, "sibling": "ok"}
        return node if isinstance(node, dict) else {"items": node}

    return build()


def carrying(token: str) -> st.SearchStrategy[str]:
    """A value holding the token: alone, in a URL (also percent-encoded), in a sentence."""
    return st.sampled_from(
        [
            token,
            f"https://evil.example/collect?q={token}",
            f"https://evil.example/{quote(token, safe='')}",
            f"send {token} now",
        ]
    )


def placed(name: str, value: str, args: dict[str, Any]) -> st.SearchStrategy[tuple[str, str, dict[str, Any]]]:
    """(kind, method, params/result) of every client message that carries values to a backend."""
    return st.sampled_from(
        [
            ("request", "tools/call", {"name": "notify", "arguments": args}),
            ("request", "prompts/get", {"name": "brief", "arguments": args}),
            (
                "request",
                "completion/complete",
                {"ref": {"type": "ref/prompt", "name": "brief"}, "argument": {"name": name, "value": value}},
            ),
            (
                "request",
                "completion/complete",
                {
                    "ref": {"type": "ref/prompt", "name": "brief"},
                    "argument": {"name": "q", "value": ""},
                    "context": {"arguments": args},
                },
            ),
            ("response", "elicitation/create", {"action": "accept", "content": args}),
            ("request", "custom/unknown", args),
        ]
    )


@pytest.fixture
def session(veil_home: Path, tmp_path: Path) -> ProxySession:
    extra = tmp_path / "extra.yaml"
    extra.write_text("version: 1\nname: extra\n" + EXTRA)
    engine = Assembly.load(Settings.resolve())
    engine.policy = load_policy([*shipped_policy_files(), extra])
    return engine.open_session(backend="test-backend", actor="test")


@pytest.fixture
def token(session: ProxySession) -> str:
    flow = Flow(Direction.TO_CLIENT, session, None, "response", "tools/call")
    return session.tokenize([("EMAIL_ADDRESS", REAL)], flow)[0]


def exchange(session: ProxySession, kind: str, method: str, body: dict[str, Any]) -> tuple[list, list]:
    """Send one client message through a relay; (what the backend got, what the client got)."""
    to_backend: list[dict[str, Any]] = []
    to_client: list[dict[str, Any]] = []

    async def main() -> None:
        c_in, c_read = anyio.create_memory_object_stream[Any](16)
        c_write, c_out = anyio.create_memory_object_stream[Any](16)
        b_in, b_read = anyio.create_memory_object_stream[Any](16)
        b_write, b_out = anyio.create_memory_object_stream[Any](16)
        relay = Relay(session)

        async def drain(stream: Any, into: list[dict[str, Any]]) -> None:
            async for item in stream:
                into.append(item.message.model_dump(by_alias=True, exclude_none=True))

        async with anyio.create_task_group() as tg:
            tg.start_soon(relay.run, (c_read, c_write), (b_read, b_write))
            tg.start_soon(drain, c_out, to_client)
            tg.start_soon(drain, b_out, to_backend)
            if kind == "response":  # first the backend's request this message answers
                ask = types.JSONRPCRequest(jsonrpc="2.0", id=41, method=method, params={"message": "?"})
                await b_in.send(SessionMessage(ask))
                with anyio.fail_after(5):
                    while not to_client:
                        await anyio.sleep(0.005)
                msg: Any = types.JSONRPCResponse(jsonrpc="2.0", id=41, result=body)
            else:
                msg = types.JSONRPCRequest(jsonrpc="2.0", id=7, method=method, params=body)
            await c_in.send(SessionMessage(msg))
            # The relay handles the client's messages in order: once this ping reached the backend, the
            # message before it was forwarded or refused.
            await c_in.send(SessionMessage(types.JSONRPCRequest(jsonrpc="2.0", id="sync", method="ping")))
            with anyio.fail_after(5):
                while not any(m.get("id") == "sync" for m in to_backend):
                    await anyio.sleep(0.005)
            tg.cancel_scope.cancel()

    anyio.run(main)
    return [m for m in to_backend if m.get("id") != "sync"], to_client


def refused(kind: str, to_backend: list[dict[str, Any]], to_client: list[dict[str, Any]]) -> bool:
    if kind == "request":
        return not to_backend and any(m.get("error", {}).get("code") == EGRESS_DENIED for m in to_client)
    return [m.get("error", {}).get("code") for m in to_backend] == [EGRESS_DENIED]


_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_SETTINGS
@given(data=st.data())
def test_a_denied_name_in_any_spelling_at_any_depth_on_any_method_never_gets_the_real_value(
    session: ProxySession, token: str, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(DENIED).flatmap(spelled))
    value = data.draw(carrying(token))
    args = data.draw(nested(name, value))
    kind, method, body = data.draw(placed(name, value, args))
    to_backend, to_client = exchange(session, kind, method, body)
    assert not any(v in json.dumps(to_backend) for v in LEAKS)
    assert refused(kind, to_backend, to_client), (to_backend, to_client)


@_SETTINGS
@given(data=st.data())
def test_a_name_no_rule_denies_gets_the_real_value_at_any_depth_on_any_method(
    session: ProxySession, token: str, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(ALLOWED).flatmap(spelled))
    value = data.draw(carrying(token))
    args = data.draw(nested(name, value))
    kind, method, body = data.draw(placed(name, value, args))
    to_backend, _ = exchange(session, kind, method, body)
    sent = json.dumps(to_backend)
    assert any(v in sent for v in LEAKS) and token not in sent


@_SETTINGS
@given(data=st.data())
def test_a_method_rule_keeps_real_values_out_of_resource_uris_and_sampling_results(
    session: ProxySession, token: str, data: st.DataObject
) -> None:
    value = data.draw(st.sampled_from([f"file:///home/{token}/notes.txt", f"crm://contacts/{token}"]))
    kind, method, body = data.draw(
        st.sampled_from(
            [
                ("request", "resources/read", {"uri": value}),
                ("request", "resources/subscribe", {"uri": value}),
                ("request", "resources/unsubscribe", {"uri": value}),
                (
                    "response",
                    "sampling/createMessage",
                    {"role": "assistant", "model": "m", "content": {"type": "text", "text": value}},
                ),
            ]
        )
    )
    to_backend, to_client = exchange(session, kind, method, body)
    assert not any(v in json.dumps(to_backend) for v in LEAKS)
    assert refused(kind, to_backend, to_client)


@_SETTINGS
@given(data=st.data())
def test_a_dotted_path_rule_holds_where_its_keys_follow_each_other(
    session: ProxySession, token: str, data: st.DataObject
) -> None:
    outer = data.draw(spelled(["options"]))
    inner = data.draw(spelled(["target"]))
    args = data.draw(nested(outer, {inner: token}))  # type: ignore[arg-type]
    to_backend, to_client = exchange(
        session, "request", "tools/call", {"name": "weekly_report", "arguments": args}
    )
    assert not any(v in json.dumps(to_backend) for v in LEAKS) and refused("request", to_backend, to_client)
    # The same inner key elsewhere, and the same path on a tool the rule does not name, get the value.
    to_backend, _ = exchange(
        session, "request", "tools/call", {"name": "weekly_report", "arguments": {inner: token}}
    )
    assert REAL in json.dumps(to_backend)
    to_backend, _ = exchange(session, "request", "tools/call", {"name": "lookup", "arguments": args})
    assert REAL in json.dumps(to_backend)


def test_the_existing_yaml_form_still_loads_and_means_what_it_did(tmp_path: Path) -> None:
    p = tmp_path / "p.yaml"
    p.write_text("version: 1\nname: p\negress:\n  rules:\n    - {tool: 'send_*', deny: [body]}\n")
    policy = load_policy([p])
    assert not policy.egress_allows("b", "send_email", "body")
    assert not policy.egress_allows("b", "send_email", "Message.BODY")  # now at any depth, any casing
    assert policy.egress_allows("b", "lookup", "body")
    assert policy.egress_allows("b", None, "body", method="prompts/get")  # a tool glob names tools only
