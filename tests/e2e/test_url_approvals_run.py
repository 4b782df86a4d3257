"""URL-mode approvals through a real `veil run` process in front of the real CRM backend: the MCP SDK client
declares URL-mode elicitation, and its elicitation callback is the human — it opens the proxy's local page
with httpx, reads the real values there, and presses Approve or Deny."""

from __future__ import annotations

import re
from typing import Any

import anyio
import httpx
import mcp_types as types
import pytest
from mcp import Client, MCPError

from proxy.approval_page import ENV_SWITCH
from proxy.errors import APPROVAL_REFUSED
from tests.e2e.test_approvals_veil_run import JANE, LIMIT, OMAR, audit_rows, crm, tokens_of_omar
from vault.tokens import TOKEN_RE

__all__ = ["crm"]  # the fixture
pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


class PageHuman:
    """Opens the link of a URL-mode prompt, keeps what the page and the prompt showed, presses a button."""

    def __init__(self, decision: str) -> None:
        self.decision = decision
        self.prompts: list[Any] = []
        self.pages: list[str] = []

    async def __call__(self, context: Any, params: Any) -> types.ElicitResult:
        self.prompts.append(params)
        if getattr(params, "mode", None) != "url":
            return types.ElicitResult(action="decline")
        async with httpx.AsyncClient(trust_env=False, timeout=10) as http:
            page = await http.get(params.url)
            self.pages.append(page.text)
            csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
            assert csrf is not None
            await http.post(params.url, data={"csrf": csrf.group(1), "decision": self.decision})
        return types.ElicitResult(action="accept")  # the user agreed to open the link


def with_pages(params: Any) -> Any:
    return params.model_copy(update={"env": {**params.env, ENV_SWITCH: "1"}})


async def test_approving_on_the_local_page_forwards_the_write_and_only_the_page_shows_real_values(crm):
    make, written = crm
    human = PageHuman("approve")
    with anyio.fail_after(LIMIT):
        async with Client(with_pages(make()), mode="legacy", elicitation_callback=human) as client:
            omar = await tokens_of_omar(client)
            result = await client.call_tool(
                "update_contact", {"contact_id": "c-1001", "email": omar["email"]}
            )
    assert TOKEN_RE.fullmatch(omar["email"])
    assert not result.is_error and result.content[0].text == "updated c-1001"
    assert written() == [{"tool": "update_contact", "contact_id": "c-1001", "email": OMAR["email"]}]
    (prompt,) = human.prompts
    assert prompt.mode == "url" and prompt.url.startswith("http://localhost:")
    assert "update_contact" in prompt.message
    (page,) = human.pages
    assert OMAR["email"] in page and "would change the email of c-1001" in page  # real values, dry run too
    assert JANE["email"] in page and not TOKEN_RE.search(page)
    for value in (JANE["email"], OMAR["email"]):
        assert value not in prompt.message and value not in prompt.url
    rows = audit_rows(make.env)
    assert [(r["event"], r["reason"]) for r in rows] == [
        ("approval-requested", "url"),
        ("approval-granted", "url"),
    ]
    assert OMAR["email"] not in repr(rows)


async def test_deny_on_the_local_page_refuses_the_write(crm):
    make, written = crm
    human = PageHuman("deny")
    with anyio.fail_after(LIMIT):
        async with Client(with_pages(make()), mode="legacy", elicitation_callback=human) as client:
            with pytest.raises(MCPError, match="needs approval and the user declined it") as err:
                await client.call_tool("delete_contact", {"contact_id": "c-1001"})
    assert err.value.error.code == APPROVAL_REFUSED and written() == []
    assert [(r["event"], r["reason"]) for r in audit_rows(make.env)] == [
        ("approval-requested", "url"),
        ("approval-denied", "decline"),
    ]
