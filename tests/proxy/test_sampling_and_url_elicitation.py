"""Sampling with tools and URL-mode elicitation (2025-11-25 / 2026-07-28 shapes), through the real filter
chains: a backend's `sampling/createMessage` (messages and tool definitions) and a URL-mode
`elicitation/create` reach the client tokenized; the client's completion reaches the backend with the
real values."""

from __future__ import annotations

import json
import re
from typing import Any

from proxy.filters import Direction, Flow, chains
from tests.proxy.test_request_state import engine  # noqa: F401  (the module's vault and detectors)

EMAIL = "jane.miller@acme-plumbing.example"
PHONE = "+1 415 555 0134"
TOKEN = re.compile(r"\[\[EMAIL_ADDRESS:[a-z2-7]{16}\]\]")


def run(session: Any, direction: Direction, payload: Any, kind: str, method: str) -> Any:
    flow = Flow(direction, session, payload, kind, method, None)
    for stage in chains()[direction]:
        stage(flow)
    return flow.payload


def sampling_with_tools() -> dict[str, Any]:
    return {
        "messages": [{"role": "user", "content": {"type": "text", "text": f"Draft a reply to {EMAIL}"}}],
        "maxTokens": 200,
        "tools": [
            {
                "name": "send_mail",
                "description": f"Send mail from {EMAIL}; call back on {PHONE}",
                "inputSchema": {
                    "type": "object",
                    "properties": {"to": {"type": "string", "default": EMAIL}},
                },
            }
        ],
        "toolChoice": {"mode": "auto"},
    }


def test_a_sampling_request_with_tools_reaches_the_client_tokenized(engine):  # noqa: F811
    session = engine.open_session(backend="b", actor="test")
    out = run(session, Direction.TO_CLIENT, sampling_with_tools(), "request", "sampling/createMessage")
    text = json.dumps(out)
    assert EMAIL not in text and "555 0134" not in text
    assert TOKEN.search(out["messages"][0]["content"]["text"]) and TOKEN.search(
        out["tools"][0]["description"]
    )
    assert out["tools"][0]["name"] == "send_mail" and out["maxTokens"] == 200


def test_the_clients_completion_and_tool_use_reach_the_backend_with_real_values(engine):  # noqa: F811
    session = engine.open_session(backend="b", actor="test")
    shown = run(session, Direction.TO_CLIENT, sampling_with_tools(), "request", "sampling/createMessage")
    token = TOKEN.search(shown["messages"][0]["content"]["text"]).group(0)
    completion = {
        "role": "assistant",
        "model": "m",
        "stopReason": "toolUse",
        "content": [
            {"type": "text", "text": f"Replying to {token}"},
            {"type": "tool_use", "id": "u1", "name": "send_mail", "input": {"to": token}},
        ],
    }
    out = run(session, Direction.TO_BACKEND, completion, "response", "sampling/createMessage")
    assert out["content"][0]["text"] == f"Replying to {EMAIL}" and out["content"][1]["input"] == {"to": EMAIL}


def test_a_url_mode_elicitation_url_is_scanned(engine):  # noqa: F811
    session = engine.open_session(backend="b", actor="test")
    params = {
        "mode": "url",
        "elicitationId": "e-1",
        "message": "Confirm your address",
        "url": f"https://crm.example/confirm?email={EMAIL}",
    }
    out = run(session, Direction.TO_CLIENT, params, "request", "elicitation/create")
    assert EMAIL not in json.dumps(out) and TOKEN.search(out["url"]) and out["mode"] == "url"
