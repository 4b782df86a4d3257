"""`approvals.mode` (auto | url | form) and the `VEIL_APPROVAL_PAGES` override, in memory: a real relay,
vault and MCP server, a raw JSON-RPC client that declares (or does not declare) URL-mode elicitation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp import MCPError

from proxy import approval_page
from proxy.approval_page import ENV_SWITCH
from proxy.errors import APPROVAL_REFUSED, PolicyError
from proxy.policy import load_policy
from tests.proxy.test_approval_page import LIMIT, make_engine, url_client
from tests.proxy.test_approvals import ERA, approval_events, crm
from tests.proxy.test_approvals import anyio_backend as anyio_backend

FORM_ONLY: dict[str, Any] = {"elicitation": {"form": {}}}


@pytest.fixture
def mode_engine(veil_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """An engine factory for a given `approvals.mode` (None: the default), the switch unset."""
    monkeypatch.delenv(ENV_SWITCH, raising=False)
    made: list[Any] = []

    def make(mode: str | None) -> Any:
        made.append(make_engine(tmp_path, 20, mode))
        return made[-1]

    yield make
    for eng in made:
        eng.vault.close()


@pytest.fixture
def engine(veil_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The engine `proxied` (tests/proxy/conftest.py) puts in front of its SDK client: `mode: url`."""
    monkeypatch.delenv(ENV_SWITCH, raising=False)
    eng = make_engine(tmp_path, 20, "url")
    yield eng
    eng.vault.close()


async def first_prompt(engine: Any, caps: Any = None) -> types.JSONRPCRequest:
    with anyio.fail_after(LIMIT):
        async with url_client(engine, [], caps=caps) as client:
            return await client.ask_to_send("x@example.org")


@pytest.mark.anyio
async def test_by_default_a_client_that_declared_url_mode_gets_the_page_link(mode_engine):
    prompt = await first_prompt(mode_engine(None))
    params = prompt.params or {}
    assert params["mode"] == "url" and "/approve/" in params["url"]


@pytest.mark.anyio
async def test_by_default_a_client_without_url_mode_gets_the_form(mode_engine):
    prompt = await first_prompt(mode_engine(None), caps=FORM_ONLY)
    assert (prompt.params or {})["mode"] == "form"


@pytest.mark.anyio
async def test_mode_form_gives_even_a_url_capable_client_the_form(mode_engine):
    prompt = await first_prompt(mode_engine("form"))
    assert (prompt.params or {})["mode"] == "form"


@pytest.mark.anyio
async def test_mode_url_gives_a_url_capable_client_the_page_link(mode_engine):
    prompt = await first_prompt(mode_engine("url"))
    assert (prompt.params or {})["mode"] == "url"


@pytest.mark.anyio
async def test_mode_url_refuses_a_client_that_cannot_open_the_page_instead_of_showing_the_form(mode_engine):
    engine = mode_engine("url")
    received: list[dict[str, Any]] = []
    with anyio.fail_after(LIMIT):
        async with url_client(engine, received, caps=FORM_ONLY) as client:
            call = {"name": "send_note", "arguments": {"to": "x@example.org"}}
            await client.wire.request(2, "tools/call", call)
            answer = await client.next()
    assert isinstance(answer, types.JSONRPCError) and answer.error.code == APPROVAL_REFUSED
    assert "approvals.mode is url" in answer.error.message
    assert received == [] and not any(m.get("method") == "elicitation/create" for m in client.seen)
    assert approval_events(engine) == [("approval-requested", "none"), ("approval-denied", "no-approver")]


@pytest.mark.anyio
async def test_mode_url_refuses_a_2026_era_call_rather_than_ask_with_the_form(engine, proxied):
    received: list[dict[str, Any]] = []
    prompts: list[Any] = []

    async def human(context: Any, params: Any) -> types.ElicitResult:
        prompts.append(params)
        return types.ElicitResult(action="accept", content={"approve": True})

    with anyio.fail_after(LIMIT):
        async with proxied(crm(received), mode=ERA, elicitation_callback=human) as (client, _):
            with pytest.raises(MCPError, match=r"approvals\.mode is url") as err:
                await client.call_tool("send_note", {"to": "x@example.org", "text": "hello"})
            era = client.protocol_version
    assert era == ERA and err.value.error.code == APPROVAL_REFUSED
    assert prompts == [] and received == []


@pytest.mark.anyio
async def test_the_switch_set_to_0_gives_the_form_over_the_default(mode_engine, monkeypatch):
    engine = mode_engine(None)
    monkeypatch.setenv(ENV_SWITCH, "0")
    assert (await first_prompt(engine)).params["mode"] == "form"  # type: ignore[index]


@pytest.mark.anyio
async def test_the_switch_set_to_1_turns_pages_on_over_mode_form(mode_engine, monkeypatch):
    engine = mode_engine("form")
    monkeypatch.setenv(ENV_SWITCH, "1")
    assert (await first_prompt(engine)).params["mode"] == "url"  # type: ignore[index]


@pytest.mark.parametrize(
    ("policy", "switch", "mode"),
    [
        ("auto", "", "auto"),
        ("url", "", "url"),
        ("form", "", "form"),
        ("form", "1", "auto"),
        ("url", "1", "url"),  # turning pages on never relaxes url's refusal
        ("url", "0", "form"),
        ("auto", "off", "form"),
        ("form", "maybe", "form"),  # not a switch value: ignored (with a warning)
    ],
)
def test_the_switch_overrides_the_policy_mode(monkeypatch, caplog, policy, switch, mode):
    monkeypatch.setenv(ENV_SWITCH, switch)
    assert approval_page.mode(policy) == mode
    warned = [r.getMessage() for r in caplog.records if ENV_SWITCH in r.getMessage()]
    expected = f"{ENV_SWITCH}='maybe' is neither 1 nor 0, ignored: approvals.mode form"
    assert warned == ([expected] if switch == "maybe" else [])


def test_a_policy_without_a_mode_means_auto(tmp_path: Path) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text("version: 1\nname: plain\napprovals:\n  timeout_seconds: 5\n")
    assert load_policy([plain]).approval_mode == "auto"


def test_a_bad_approvals_mode_is_a_policy_error_naming_the_option_and_the_choices(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nname: bad\napprovals:\n  mode: browser\n")
    with pytest.raises(PolicyError, match=r"line 4: option 'approvals.mode'.*'auto', 'url' or 'form'"):
        load_policy([bad])
