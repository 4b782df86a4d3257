"""The approval gate on the Streamable HTTP front (`veil serve`), in both protocol eras: the proxy's prompt
reaches the client on the call's own response stream (handshake era) or as an input-required result
(2026-07-28), and the approved call runs once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp import Client, MCPError

from proxy.config import Settings
from proxy.errors import APPROVAL_REFUSED
from proxy.wiring import Assembly
from tests.proxy.conftest import PERSON
from tests.proxy.test_approvals import POLICY, crm

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[2]
LIMIT = 30.0


@pytest.fixture
def engine(veil_home: Path, tmp_path: Path) -> Iterator[Assembly]:
    policy = tmp_path / "approvals.yaml"
    policy.write_text(POLICY)
    eng = Assembly.load(Settings.resolve(policies=(str(ROOT / "policies" / "default.yaml"), str(policy))))
    yield eng
    eng.vault.close()


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_an_accepted_approval_over_http_runs_the_call_once_in_every_era(serve, mode):
    received: list[dict[str, Any]] = []
    prompts: list[str] = []

    async def human(context: Any, params: Any) -> types.ElicitResult:
        prompts.append(params.message)
        return types.ElicitResult(action="accept", content={"approve": True})

    with anyio.fail_after(LIMIT):
        async with (
            serve(crm(received)) as served,
            Client(served.url, mode=mode, elicitation_callback=human) as client,
        ):
            email = json.loads((await client.call_tool("whoami", {})).content[0].text)["email"]
            result = await client.call_tool("send_note", {"to": email, "text": "hello"})
    assert not result.is_error
    assert received == [{"tool": "send_note", "to": PERSON["email"], "text": "hello"}]
    assert len(prompts) == 1 and email in prompts[0] and PERSON["email"] not in prompts[0]


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_a_declined_approval_over_http_is_refused_in_every_era(serve, mode):
    received: list[dict[str, Any]] = []

    async def human(context: Any, params: Any) -> types.ElicitResult:
        return types.ElicitResult(action="decline")

    with anyio.fail_after(LIMIT):
        async with (
            serve(crm(received)) as served,
            Client(served.url, mode=mode, elicitation_callback=human) as client,
        ):
            with pytest.raises(MCPError, match="the user declined it") as err:
                await client.call_tool("archive", {"customer_id": "c-1"})
    assert err.value.error.code == APPROVAL_REFUSED
    assert received == []
