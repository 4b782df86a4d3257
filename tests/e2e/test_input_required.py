"""Input-required results (2026-07-28) through `veil run`, as real processes: the backend's `inputRequests`
(an elicitation and a sampling request quoting an email) reach the client tokenized, the client's answers
reach the backend with real values, and the backend's plaintext `requestState` comes back to it byte for
byte while the client only ever held it sealed."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp import Client

from vault.tokens import TOKEN_RE

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
HERE = Path(__file__).parent
BACKEND = [sys.executable, str(HERE / "input_required_backend.py")]
sys.path.insert(0, str(HERE))
from input_required_backend import EMAIL, state_for  # noqa: E402


class User:
    """The client's side: what it was asked, and an answer that quotes the address it was shown."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def elicit(self, context: Any, params: Any) -> types.ElicitResult:
        self.asked.append(params.message)
        shown = params.message.split()[-1].rstrip("?")
        return types.ElicitResult(action="accept", content={"note": f"write to {shown}"})

    async def sample(self, context: Any, params: Any) -> types.CreateMessageResult:
        self.asked.append(params.messages[0].content.text)
        return types.CreateMessageResult(
            role="assistant", content=types.TextContent(type="text", text="ok"), model="m"
        )


async def test_input_requests_are_tokenized_and_the_request_state_returns_byte_exact(
    veil_stdio, veil_env, tmp_path
):
    trace = tmp_path / "trace.jsonl"
    veil_env["VEIL_EXAMPLE_TRACE"] = str(trace)
    user = User()
    with anyio.fail_after(60):
        async with Client(
            veil_stdio(BACKEND),
            mode="2026-07-28",
            elicitation_callback=user.elicit,
            sampling_callback=user.sample,
        ) as client:
            result = await client.call_tool("update_contact", {"contact_id": "c-1", "email": EMAIL})
    assert len(user.asked) == 2 and all(TOKEN_RE.search(a) and EMAIL not in a for a in user.asked)
    first, retry = [json.loads(line) for line in trace.read_text().splitlines()]
    assert first["requestState"] is None
    assert retry["requestState"] == state_for(EMAIL)  # the backend's own bytes, though it held an email
    assert retry["inputResponses"]["confirm"]["content"] == {"note": f"write to {EMAIL}"}  # token resolved
    text = result.content[0].text
    assert not result.is_error and text.startswith("updated [[EMAIL_ADDRESS:") and EMAIL not in text
