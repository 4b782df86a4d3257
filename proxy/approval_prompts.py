"""What a human is shown when a call needs approval, and how an answer is read.

Split from `proxy.approvals` (the gate's state and flow): the gate's vocabulary (a gated call, its verdict,
what it needs from the relay), the ids and keys the proxy's own requests carry, the prompt's text, form and
dry-run preview, and the judgement of an elicitation answer — only an explicit accept with `approve: true`
approves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from proxy.errors import ApprovalRefused
from proxy.policy import DryRunSpec

ID_PREFIX = "veil-approval-"  # ids of the proxy's own requests: never a client's or a backend's
STATE_PREFIX = "veil-approval."  # request states the proxy issues in the 2026-07-28 era
INPUT_KEY = "veil-approval"  # the proxy's key in inputRequests / inputResponses
ERA_2026 = "2026-07-28"
META_VERSION = "io.modelcontextprotocol/protocolVersion"
META_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities"
PREVIEW_CHARS = 2000
DRY_RUN_SECONDS = 30.0
POLL_SECONDS = 0.25

# The form the client shows: one required yes/no. An accept without it, or with `false`, is not an approval.
REQUESTED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "approve": {
            "type": "boolean",
            "title": "Run this call once, exactly as shown",
            "description": "Tick to approve; decline or cancel to refuse.",
        }
    },
    "required": ["approve"],
}


class GateIO(Protocol):
    """What the gate needs from the relay."""

    async def ask_client(self, method: str, params: dict[str, Any], timeout: float, related: Any) -> Any:
        """Send a request of the proxy's own to the client; its result, or TimeoutError."""

    async def ask_backend(self, method: str, params: dict[str, Any], timeout: float) -> Any:
        """Send a request of the proxy's own to the backend; (result or None, error or None)."""

    async def to_client(self, payload: Any, kind: str, method: str, tool: str | None) -> Any:
        """Run a payload through the tokenize direction; raises if it is blocked."""


@dataclass
class GatedCall:
    """One gated tools/call: as the model sent it (tokens) and as the backend would get it (values)."""

    request_id: Any
    tool: str
    shown_arguments: Any
    real_arguments: Any
    call_hash: str
    era_2026: bool
    can_elicit: bool


@dataclass
class _Issued:
    """A 2026-era approval handed to the client, awaiting its retry."""

    approval_id: str
    call_hash: str
    tool: str
    deadline: float


@dataclass(frozen=True)
class Verdict:
    """What the gate decided: forward `params` (the call without the proxy's own input), or answer the
    client with `result` (an input-required result), or refuse with `error`."""

    params: dict[str, Any] | None = None
    result: dict[str, Any] | None = None
    error: ApprovalRefused | None = None


async def dry_run(spec: DryRunSpec, call: GatedCall, io: GateIO) -> str:
    """The backend's preview of the call (tokenized), or a line saying why there is none."""
    if spec.tool is not None:
        name, arguments, label = spec.tool, call.real_arguments, f"{spec.tool} with the same arguments"
    else:
        assert spec.argument is not None
        name = call.tool
        arguments = {**call.real_arguments, spec.argument: True}
        label = f"{spec.argument}=true"
    try:
        result, error = await io.ask_backend(
            "tools/call", {"name": name, "arguments": arguments}, DRY_RUN_SECONDS
        )
    except TimeoutError:
        return f"({label}) no preview: the backend did not answer within {DRY_RUN_SECONDS:g} s"
    if error is not None or not isinstance(result, dict):
        return f"({label}) no preview: the backend answered with an error"
    try:
        shown = await io.to_client(result, "response", "tools/call", name)
    except Exception:
        return f"({label}) no preview: it could not be scanned"
    body = _result_text(shown)
    if len(body) > PREVIEW_CHARS:
        body = body[:PREVIEW_CHARS] + " …(cut)"
    flag = " — the backend reported an error" if shown.get("isError") is True else ""
    return f"({label}){flag}\n{body}"


def prompt_text(tool: str, backend: str, arguments: Any, call_hash: str, preview: str | None) -> str:
    """The message a user sees (before the tokenize direction runs over it)."""
    args = json.dumps(arguments, indent=2, sort_keys=True, ensure_ascii=False)
    lines = [
        "mcp-veil: approve this call?",
        "",
        f"Tool:      {tool}",
        f"Backend:   {backend}",
        "Arguments:",
        *("  " + line for line in args.splitlines()),
    ]
    if preview is not None:
        lines += ["Dry run:", *("  " + line for line in preview.splitlines())]
    lines += [
        f"Call:      {call_hash[:16]}",
        "",
        "Approve to run it once, exactly as shown. Decline or cancel to refuse it.",
    ]
    return "\n".join(lines)


def judge(answer: Any) -> tuple[bool, str]:
    """(granted, reason) for an elicitation answer: only `accept` with `approve: true` grants."""
    if not isinstance(answer, dict):
        return False, "mismatch"
    action = answer.get("action")
    if action in ("decline", "cancel"):
        return False, str(action)
    content = answer.get("content")
    if action != "accept" or not isinstance(content, dict):
        return False, "mismatch"
    if content.get("approve") is True:
        return True, "accept"
    if content.get("approve") is False:
        return False, "decline"
    return False, "mismatch"


_REASON_TEXT = {
    "decline": "the user declined it",
    "cancel": "the user cancelled the prompt",
    "mismatch": "the answer does not match the approval request",
}


def _refused(tool: str, why: str) -> ApprovalRefused:
    return ApprovalRefused(
        f"mcp-veil refused this call: it needs approval and {why}; nothing was sent to the backend",
        data={"reason": "approval-refused"},
    )


def _elicit_params(text: str) -> dict[str, Any]:
    return {"mode": "form", "message": text, "requestedSchema": REQUESTED_SCHEMA}


def _forwardable(params: dict[str, Any]) -> dict[str, Any]:
    """The call as the backend gets it: without the proxy's request state and its own input response."""
    out = {k: v for k, v in params.items() if k != "requestState" or not _ours(v)}
    responses = out.get("inputResponses")
    if isinstance(responses, dict) and INPUT_KEY in responses:
        rest = {k: v for k, v in responses.items() if k != INPUT_KEY}
        if rest:
            out["inputResponses"] = rest
        else:
            del out["inputResponses"]
    return out


def _ours(state: Any) -> bool:
    return isinstance(state, str) and state.startswith(STATE_PREFIX)


def _result_text(result: dict[str, Any]) -> str:
    parts = [c.get("text", "") for c in result.get("content") or [] if isinstance(c, dict)]
    text = "\n".join(p for p in parts if isinstance(p, str))
    if not text and result.get("structuredContent") is not None:
        text = json.dumps(result["structuredContent"], sort_keys=True, ensure_ascii=False)
    return text
