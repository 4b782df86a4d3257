"""Human approval of write calls through real `veil run` processes in front of a real CRM backend, with the
SDK client's elicitation callback as the human (and `veil approvals` as the out-of-band one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp import Client, MCPError, StdioServerParameters

from examples.crm_server import CONTACTS, WRITES_ENV
from proxy.approval_page import ENV_SWITCH
from proxy.errors import APPROVAL_REFUSED
from vault.tokens import TOKEN_RE

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
ROOT = Path(__file__).resolve().parents[2]
CRM = [sys.executable, "-m", "examples.crm_server"]
LIMIT = 60.0
JANE, OMAR = CONTACTS["c-1001"], CONTACTS["c-1002"]

POLICY = """\
version: 1
name: approvals-test
tools:
  update_contact:
    approval: required
    dry_run: {{argument: validate_only}}
  delete_contact:
    approval: required
approvals:
  timeout_seconds: {timeout}
  out_of_band: {out_of_band}
{mode}"""


@pytest.fixture
def crm(tmp_path: Path, veil_home: Path):
    """(make_params, writes): `make_params(timeout=.., out_of_band=.., mode=..)` gives the
    StdioServerParameters of `veil run --policy default --policy approvals -- crm`; `writes()` the writes
    that reached the backend.
    `mode` is `approvals.mode`, `form` unless a test asks otherwise (None: the policy leaves it at its
    default): the SDK client declares URL mode whenever it has an elicitation callback, and these tests
    answer the form. The environment never carries `VEIL_APPROVAL_PAGES` unless a test adds it."""
    writes = tmp_path / "writes.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT), WRITES_ENV: str(writes)}
    env.pop(ENV_SWITCH, None)

    def make(
        timeout: float = 10, out_of_band: str = "never", mode: str | None = "form"
    ) -> StdioServerParameters:
        policy = tmp_path / "approvals.yaml"
        mode_line = f"  mode: {mode}\n" if mode else ""
        policy.write_text(POLICY.format(timeout=timeout, out_of_band=out_of_band, mode=mode_line))
        args = ["-m", "proxy", "run", "--policy", str(ROOT / "policies" / "default.yaml")]
        args += ["--policy", str(policy), "--", *CRM]
        return StdioServerParameters(command=sys.executable, args=args, env=env, cwd=str(ROOT))

    def written() -> list[dict[str, Any]]:
        return [json.loads(line) for line in writes.read_text().splitlines()] if writes.exists() else []

    make.env = env  # type: ignore[attr-defined]
    return make, written


def veil_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "proxy", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def audit_rows(env: dict[str, str]) -> list[dict[str, Any]]:
    out = veil_cli(env, "audit", "query", "--event", "approval-*", "--json", "--oldest-first")
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


class Human:
    """The elicitation callback: records each prompt, answers from a script."""

    def __init__(self, *answers: types.ElicitResult | float) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []

    async def __call__(self, context: Any, params: Any) -> types.ElicitResult:
        self.prompts.append(params.message)
        answer = self.answers.pop(0)
        if isinstance(answer, float):
            await anyio.sleep(answer)  # a human who does not answer in time
            return types.ElicitResult(action="cancel")
        return answer


ACCEPT = types.ElicitResult(action="accept", content={"approve": True})


async def tokens_of_omar(client: Client) -> dict[str, str]:
    return json.loads((await client.call_tool("get_contact", {"contact_id": "c-1002"})).content[0].text)


async def test_an_accepted_approval_forwards_the_write_exactly_once_and_the_prompt_holds_only_tokens(crm):
    make, written = crm
    human = Human(ACCEPT)
    with anyio.fail_after(LIMIT):
        async with Client(make(), mode="legacy", elicitation_callback=human) as client:
            omar = await tokens_of_omar(client)
            result = await client.call_tool(
                "update_contact", {"contact_id": "c-1001", "email": omar["email"]}
            )
    assert TOKEN_RE.fullmatch(omar["email"])
    assert not result.is_error and result.content[0].text == "updated c-1001"
    assert written() == [{"tool": "update_contact", "contact_id": "c-1001", "email": OMAR["email"]}]
    (prompt,) = human.prompts
    assert "Tool:      update_contact" in prompt and "Backend:   examples.crm_server" in prompt
    assert omar["email"] in prompt  # the argument, as the token the model sent
    assert "Dry run:" in prompt and "would change the email of c-1001" in prompt
    for value in (JANE["email"], OMAR["email"], JANE["fullName"], OMAR["fullName"]):
        assert value not in prompt
    assert len(TOKEN_RE.findall(prompt)) >= 3  # argument + both emails of the dry-run preview


async def test_a_declined_approval_refuses_the_call_with_a_clear_error_and_is_audited(crm):
    make, written = crm
    human = Human(types.ElicitResult(action="decline"))
    with anyio.fail_after(LIMIT):
        async with Client(make(), mode="legacy", elicitation_callback=human) as client:
            with pytest.raises(MCPError, match="needs approval and the user declined it") as err:
                await client.call_tool("delete_contact", {"contact_id": "c-1001"})
            still = await client.call_tool("get_contact", {"contact_id": "c-1001"})  # the proxy stays up
    assert err.value.error.code == APPROVAL_REFUSED
    assert written() == [] and not still.is_error
    rows = audit_rows(make.env)
    assert [(r["event"], r["reason"]) for r in rows] == [
        ("approval-requested", "elicitation"),
        ("approval-denied", "decline"),
    ]
    assert rows[0]["detail"]["call_hash"] == rows[1]["detail"]["call_hash"]
    assert len(rows[0]["detail"]["call_hash"]) == 64


@pytest.mark.parametrize(
    "answer, why",
    [
        (types.ElicitResult(action="cancel"), "the user cancelled the prompt"),
        (types.ElicitResult(action="accept"), "the answer does not match the approval request"),
        (types.ElicitResult(action="accept", content={"approve": "yes"}), "does not match"),
        (3.0, "nobody answered within 1 s"),
    ],
    ids=["cancel", "accept-without-content", "accept-with-wrong-content", "timeout"],
)
async def test_cancel_timeout_and_mismatched_answers_refuse_the_call(crm, answer, why):
    make, written = crm
    human = Human(answer)
    with anyio.fail_after(LIMIT):
        async with Client(make(timeout=1), mode="legacy", elicitation_callback=human) as client:
            with pytest.raises(MCPError, match=why) as err:
                await client.call_tool("delete_contact", {"contact_id": "c-1001"})
    assert err.value.error.code == APPROVAL_REFUSED
    assert written() == []
    last = audit_rows(make.env)[-1]["event"]
    assert last == ("approval-expired" if isinstance(answer, float) else "approval-denied")


async def test_an_approval_covers_one_call_the_same_call_again_asks_again(crm):
    make, written = crm
    human = Human(ACCEPT, types.ElicitResult(action="decline"))
    with anyio.fail_after(LIMIT):
        async with Client(make(), mode="legacy", elicitation_callback=human) as client:
            first = await client.call_tool("delete_contact", {"contact_id": "c-1001"})
            with pytest.raises(MCPError, match="declined"):
                await client.call_tool("delete_contact", {"contact_id": "c-1001"})
    assert first.content[0].text == "deleted c-1001"
    assert written() == [{"tool": "delete_contact", "contact_id": "c-1001"}]
    assert len(human.prompts) == 2
    hashes = [r["detail"]["call_hash"] for r in audit_rows(make.env)]
    assert len(set(hashes)) == 1  # the same call: the same hash, approved once, refused the second time


async def test_a_client_without_elicitation_is_refused_fail_closed(crm):
    make, written = crm
    with anyio.fail_after(LIMIT):
        async with Client(make(), mode="legacy") as client:
            with pytest.raises(MCPError, match="cannot show approval prompts") as err:
                await client.call_tool("delete_contact", {"contact_id": "c-1001"})
            read = await client.call_tool("get_contact", {"contact_id": "c-1001"})
    assert err.value.error.code == APPROVAL_REFUSED and not read.is_error
    assert written() == []
    assert [r["reason"] for r in audit_rows(make.env)] == ["none", "no-approver"]


async def test_the_out_of_band_approver_approves_from_the_cli_in_another_process(crm):
    make, written = crm
    env = make.env
    outcome: dict[str, Any] = {}
    with anyio.fail_after(LIMIT):
        async with Client(make(timeout=30, out_of_band="auto"), mode="legacy") as client:
            omar = await tokens_of_omar(client)

            async def call() -> None:
                args = {"contact_id": "c-1001", "email": omar["email"]}
                outcome["result"] = await client.call_tool("update_contact", args)

            async with anyio.create_task_group() as tg:
                tg.start_soon(call)
                pending: list[dict[str, Any]] = []
                while not pending:
                    await anyio.sleep(0.3)
                    listed = await anyio.to_thread.run_sync(veil_cli, env, "approvals", "list", "--json")
                    assert listed.returncode == 0, listed.stderr
                    pending = [json.loads(line) for line in listed.stdout.splitlines()]
                (row,) = pending
                approve = ["approvals", "approve", row["id"], "--as", "ops:alice"]
                done = await anyio.to_thread.run_sync(veil_cli, env, *approve)
                assert done.returncode == 0, done.stderr
    assert outcome["result"].content[0].text == "updated c-1001"
    assert written() == [{"tool": "update_contact", "contact_id": "c-1001", "email": OMAR["email"]}]
    assert row["status"] == "pending" and row["tool"] == "update_contact"
    assert omar["email"] in row["summary"] and OMAR["email"] not in row["summary"]
    again = veil_cli(env, "approvals", "approve", row["id"])  # decided once: not replayable
    assert again.returncode != 0 and "is granted, not pending" in again.stderr
    rows = audit_rows(env)
    granted = [r for r in rows if r["event"] == "approval-granted"]
    assert [r["actor"] for r in granted] == ["ops:alice"]
    assert granted[0]["detail"]["call_hash"] == row["call_hash"]
    everything = json.dumps(rows)
    assert OMAR["email"] not in everything and JANE["email"] not in everything


async def test_an_out_of_band_approval_nobody_gives_expires_and_refuses(crm):
    make, written = crm
    with anyio.fail_after(LIMIT):
        async with Client(make(timeout=1, out_of_band="always"), mode="legacy") as client:
            with pytest.raises(MCPError, match="nobody approved it within 1 s"):
                await client.call_tool("delete_contact", {"contact_id": "c-1001"})
    assert written() == []
    assert [r["event"] for r in audit_rows(make.env)] == ["approval-requested", "approval-expired"]
    listed = veil_cli(make.env, "approvals", "list", "--all", "--json")
    assert [json.loads(line)["status"] for line in listed.stdout.splitlines()] == ["expired"]


async def test_the_2026_era_through_veil_run_asks_with_an_input_required_result_and_runs_once(crm):
    """With `approvals.mode` at its default: the page is for the handshake era, this era gets the form."""
    make, written = crm
    human = Human(ACCEPT, types.ElicitResult(action="decline"))
    with anyio.fail_after(LIMIT):
        async with Client(make(mode=None), mode="2026-07-28", elicitation_callback=human) as client:
            omar = await tokens_of_omar(client)
            args = {"contact_id": "c-1001", "email": omar["email"]}
            result = await client.call_tool("update_contact", args)
            with pytest.raises(MCPError, match="declined") as err:
                await client.call_tool("update_contact", args)
            era = client.protocol_version
    assert era == "2026-07-28" and result.content[0].text == "updated c-1001"
    assert err.value.error.code == APPROVAL_REFUSED
    assert written() == [{"tool": "update_contact", "contact_id": "c-1001", "email": OMAR["email"]}]
    assert len(human.prompts) == 2 and OMAR["email"] not in human.prompts[0]
    assert [r["reason"] for r in audit_rows(make.env) if r["event"] == "approval-requested"] == [
        "input-required",
        "input-required",
    ]
