"""URL-mode approvals through a real `veil run` process in front of the real CRM backend: the MCP SDK client
declares URL-mode elicitation, and its elicitation callback is the human — it opens the proxy's local page
with httpx, reads the real values there, and presses Approve or Deny."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import httpx
import mcp_types as types
import pytest
from mcp import Client, MCPError
from mcp.client.session import ClientSession

from proxy.approval_page import ENV_SWITCH
from proxy.errors import APPROVAL_REFUSED
from tests.e2e.test_approvals_veil_run import ACCEPT, JANE, LIMIT, OMAR, ROOT, audit_rows, crm, tokens_of_omar
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
    """No switch, no `approvals.mode`: URL mode is the default for a client that declared it."""
    make, written = crm
    human = PageHuman("approve")
    params = make(mode=None)
    policy = Path(params.args[params.args.index("--") - 1])
    assert ENV_SWITCH not in params.env and "mode:" not in policy.read_text()
    with anyio.fail_after(LIMIT):
        async with Client(params, mode="legacy", elicitation_callback=human) as client:
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
    """`VEIL_APPROVAL_PAGES=1` turns the page on over a policy's `mode: form`."""
    make, written = crm
    human = PageHuman("deny")
    with anyio.fail_after(LIMIT):
        async with Client(with_pages(make(mode="form")), mode="legacy", elicitation_callback=human) as client:
            with pytest.raises(MCPError, match="needs approval and the user declined it") as err:
                await client.call_tool("delete_contact", {"contact_id": "c-1001"})
    assert err.value.error.code == APPROVAL_REFUSED and written() == []
    assert [(r["event"], r["reason"]) for r in audit_rows(make.env)] == [
        ("approval-requested", "url"),
        ("approval-denied", "decline"),
    ]


async def test_by_default_a_client_that_declares_only_form_elicitation_approves_on_the_form(crm, monkeypatch):
    """The SDK declares URL mode whenever it has a callback; this client is made to declare the form only,
    as an older client would."""
    make, written = crm
    built = ClientSession._build_capabilities

    def form_only(self: ClientSession, version: str) -> types.ClientCapabilities:
        caps = built(self, version)
        assert caps.elicitation is not None
        form = types.ElicitationCapability(form=caps.elicitation.form)
        return caps.model_copy(update={"elicitation": form})

    monkeypatch.setattr(ClientSession, "_build_capabilities", form_only)
    prompts: list[Any] = []

    async def human(context: Any, params: Any) -> types.ElicitResult:
        prompts.append(params)
        return ACCEPT

    with anyio.fail_after(LIMIT):
        async with Client(make(mode=None), mode="legacy", elicitation_callback=human) as client:
            result = await client.call_tool("delete_contact", {"contact_id": "c-1002"})
    assert not result.is_error and written() == [{"tool": "delete_contact", "contact_id": "c-1002"}]
    (prompt,) = prompts
    assert getattr(prompt, "mode", "form") == "form" and prompt.requested_schema
    rows = audit_rows(make.env)
    assert (rows[0]["event"], rows[0]["reason"]) == ("approval-requested", "elicitation")


def test_veil_run_refuses_to_start_with_a_bad_approvals_mode(tmp_path, veil_home):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nname: bad\napprovals:\n  mode: browser\n")
    args = [sys.executable, "-m", "proxy", "run", "--policy", str(bad), "--", sys.executable, "-c", "pass"]
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert out.returncode != 0
    assert "option 'approvals.mode'" in out.stderr and "'auto', 'url' or 'form'" in out.stderr
