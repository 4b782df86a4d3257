"""The approval gate: a human approves each call of an approval-required tool before it reaches the backend.

The relay hands over every `tools/call` it is about to forward (`needs_gate`); a gated call waits in its
own task while other messages keep flowing. How the human is asked:

- initialize-handshake era: the proxy itself sends `elicitation/create` to the client (if the client
  declared the capability), with a request id of its own (`veil-approval-…`), and consumes the answer;
- 2026-07-28 era: the proxy answers the call with an input-required result carrying its elicitation and an
  opaque request state; the client's retry must carry that state and the answer, and the same call;
- out of band (`approvals.out_of_band`): a row in the vault's `approvals` table, decided with
  `veil approvals approve|deny` from a terminal, polled until its deadline.

- URL mode (`approvals.mode`, default `auto`, `proxy.approval_page`): a client that declared URL-mode
  elicitation gets a link to a local, single-use page that shows the real values; the form stays the
  fallback (`form`: always the form; `url`: never the form, refused instead).

The prompt shows the tool, the backend, the arguments as the model sent them (tokens) and a dry-run preview,
and passes through the tokenize direction like anything else bound for the client. An approval is bound to
one call: an HMAC (under the session's approval key) of the tool and the canonical JSON of its detokenized
arguments, used once. Only an explicit accept forwards; everything else is refused (`ApprovalRefused`) and
audited.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from datetime import timedelta
from typing import Any

import anyio

from proxy import approval_page
from proxy.approval_prompts import (
    _REASON_TEXT,
    ERA_2026,
    META_CAPABILITIES,
    META_VERSION,
    POLL_SECONDS,
    _elicit_params,
    _forwardable,
    _Issued,
    _refused,
    dry_run,
    judge,
    prompt_text,
)
from proxy.approval_prompts import (
    ID_PREFIX as ID_PREFIX,
)
from proxy.approval_prompts import (
    INPUT_KEY as INPUT_KEY,
)
from proxy.approval_prompts import (
    STATE_PREFIX as STATE_PREFIX,
)
from proxy.approval_prompts import (
    GatedCall as GatedCall,
)
from proxy.approval_prompts import (
    GateIO as GateIO,
)
from proxy.approval_prompts import (
    Verdict as Verdict,
)
from proxy.approval_rules import ApprovalRules
from proxy.policy import ApprovalRule
from proxy.session import ProxySession
from vault import approvals as vault_approvals
from vault import audit

log = logging.getLogger(__name__)


class ApprovalGate(ApprovalRules):
    """Which calls need approval (`ApprovalRules`), and how a human is asked and the answer bound to the
    call: the wait, in whichever of the four ways the client and the policy allow."""

    def __init__(self, session: ProxySession) -> None:
        super().__init__(session)
        self.mode = approval_page.mode(session.policy.approval_mode)  # auto | url | form
        self.pages = approval_page.PageServer()
        self._issued: dict[str, _Issued] = {}
        # Calls waiting for an answer: request id -> (call, approval id, asked out of band).
        self._waiting: dict[Any, tuple[GatedCall, str, bool]] = {}

    # ------------------------------------------------------------------ binding
    def call_hash(self, tool: str, arguments: Any) -> str:
        canonical = json.dumps(
            {"tool": tool, "arguments": arguments}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return self.session.vault.call_hash(canonical.encode("utf-8", "surrogatepass"))

    def call_of(self, request_id: Any, shown: dict[str, Any], real: dict[str, Any]) -> GatedCall:
        tool = str(real["name"])
        meta = shown.get("_meta") if isinstance(shown.get("_meta"), dict) else {}
        era_2026 = meta.get(META_VERSION) == ERA_2026 if meta else False
        caps = meta.get(META_CAPABILITIES) if meta else None
        can_elicit = (
            isinstance(caps, dict) and isinstance(caps.get("elicitation"), dict)
            if era_2026
            else self.client_can_elicit
        )
        args = real.get("arguments") or {}
        return GatedCall(
            request_id,
            tool,
            shown.get("arguments") or {},
            args,
            self.call_hash(tool, args),
            era_2026,
            can_elicit,
        )

    # ------------------------------------------------------------------ the decision
    async def decide(
        self, rule: ApprovalRule, call: GatedCall, real_params: dict[str, Any], io: GateIO
    ) -> Verdict:
        state = real_params.get("requestState")
        if isinstance(state, str) and state.startswith(STATE_PREFIX):
            return await self._redeem(call, state, real_params)
        out_of_band = self.session.policy.out_of_band
        use_terminal = out_of_band == "always" or (out_of_band == "auto" and not call.can_elicit)
        if not use_terminal and not call.can_elicit:
            approval_id = vault_approvals.new_id()
            await self._record(audit.ApprovalRequested, call, approval_id, reason="none")
            await self._record(
                audit.ApprovalDenied, call, approval_id, reason="no-approver", outcome="refused"
            )
            return Verdict(error=_refused(call.tool, "the client cannot show approval prompts (elicitation)"))
        by_url = not call.era_2026 and self.client_opens_urls
        if not use_terminal and by_url and self.mode != "form":
            verdict = await approval_page.ask(self, rule, call, real_params, io)
            if verdict is not None:
                return verdict
        if not use_terminal and self.mode == "url":  # never the form: it would show the human tokens
            return await self._no_page(call)
        text = await self._prompt(rule, call, io)
        if use_terminal:
            return await self._out_of_band(rule, call, text, real_params)
        if call.era_2026:
            return await self._issue(rule, call, text, io)
        return await self._elicit(rule, call, text, real_params, io)

    async def _no_page(self, call: GatedCall) -> Verdict:
        """`approvals.mode: url` and the page cannot be used (the client did not declare URL mode, a
        2026-07-28 call, or the link would not reach the client intact): refused, audited like no approver."""
        approval_id = vault_approvals.new_id()
        await self._record(audit.ApprovalRequested, call, approval_id, reason="none")
        await self._record(audit.ApprovalDenied, call, approval_id, reason="no-approver", outcome="refused")
        return Verdict(
            error=_refused(call.tool, "approvals.mode is url and the client cannot open an approval page")
        )

    async def _elicit(
        self, rule: ApprovalRule, call: GatedCall, text: str, real_params: dict[str, Any], io: GateIO
    ) -> Verdict:
        approval_id = vault_approvals.new_id()
        params = await io.to_client(_elicit_params(text), "request", "elicitation/create", None)
        await self._record(audit.ApprovalRequested, call, approval_id, reason="elicitation")
        self._waiting[call.request_id] = (call, approval_id, False)
        try:
            answer = await io.ask_client("elicitation/create", params, rule.timeout_seconds, call.request_id)
        except TimeoutError:
            self._waiting.pop(call.request_id, None)
            await self._record(audit.ApprovalExpired, call, approval_id, outcome="refused")
            return Verdict(error=_refused(call.tool, f"nobody answered within {rule.timeout_seconds:g} s"))
        self._waiting.pop(call.request_id, None)
        granted, reason = judge(answer)
        return await self._conclude(call, approval_id, granted, reason, _forwardable(real_params))

    async def withdrawn(self, request_id: Any) -> None:
        """The client cancelled a call while it waited for its approval: audited as denied (`withdrawn`);
        an out-of-band approval can then no longer be given."""
        waiting = self._waiting.pop(request_id, None)
        if waiting is None:
            return
        call, approval_id, out_of_band = waiting
        if out_of_band:
            ctx, sv = self._context(call), self.session.vault
            await anyio.to_thread.run_sync(lambda: vault_approvals.withdraw(sv, approval_id, ctx))
        else:
            await self._record(audit.ApprovalDenied, call, approval_id, reason="withdrawn", outcome="refused")

    async def _issue(self, rule: ApprovalRule, call: GatedCall, text: str, io: GateIO) -> Verdict:
        """2026-07-28: answer with an input-required result; the retry is checked by `_redeem`."""
        approval_id = vault_approvals.new_id()
        state = STATE_PREFIX + secrets.token_urlsafe(24)
        self._sweep()
        self._issued[state] = _Issued(
            approval_id, call.call_hash, call.tool, time.monotonic() + rule.timeout_seconds
        )
        result = {
            "resultType": "input_required",
            "inputRequests": {INPUT_KEY: {"method": "elicitation/create", "params": _elicit_params(text)}},
            "requestState": state,
        }
        result = await io.to_client(result, "response", "tools/call", call.tool)
        await self._record(audit.ApprovalRequested, call, approval_id, reason="input-required")
        return Verdict(result=result)

    async def _redeem(self, call: GatedCall, state: str, real_params: dict[str, Any]) -> Verdict:
        issued = self._issued.pop(state, None)  # single use: a replayed state finds nothing
        if issued is None:
            await self._record(
                audit.ApprovalDenied, call, vault_approvals.new_id(), reason="mismatch", outcome="refused"
            )
            return Verdict(error=_refused(call.tool, "the approval is unknown or was already used"))
        if time.monotonic() > issued.deadline:
            await self._record(audit.ApprovalExpired, call, issued.approval_id, outcome="refused")
            return Verdict(error=_refused(call.tool, "the approval expired before the call was retried"))
        if issued.tool != call.tool or issued.call_hash != call.call_hash:
            await self._record(
                audit.ApprovalDenied, call, issued.approval_id, reason="mismatch", outcome="refused"
            )
            return Verdict(error=_refused(call.tool, "the call differs from the one that was shown"))
        responses = real_params.get("inputResponses")
        answer = responses.get(INPUT_KEY) if isinstance(responses, dict) else None
        granted, reason = judge(answer)
        return await self._conclude(call, issued.approval_id, granted, reason, _forwardable(real_params))

    async def _out_of_band(
        self, rule: ApprovalRule, call: GatedCall, text: str, real_params: dict[str, Any]
    ) -> Verdict:
        approval_id = vault_approvals.new_id()
        ctx = self._context(call)
        sv = self.session.vault
        deadline = await anyio.to_thread.run_sync(
            lambda: vault_approvals.request(
                sv,
                approval_id=approval_id,
                summary=text,
                call_hash=call.call_hash,
                timeout=timedelta(seconds=rule.timeout_seconds),
                ctx=ctx,
            )
        )
        log.warning(
            "approval pending: run `veil approvals approve ID` or `veil approvals deny ID`",
            extra={"approval": approval_id, "tool": ctx.tool, "backend": self.session.backend},
        )
        self._waiting[call.request_id] = (call, approval_id, True)
        try:
            return await self._poll(rule, call, approval_id, deadline, real_params)
        finally:
            self._waiting.pop(call.request_id, None)

    async def _poll(
        self,
        rule: ApprovalRule,
        call: GatedCall,
        approval_id: str,
        deadline: Any,
        real_params: dict[str, Any],
    ) -> Verdict:
        ctx, sv = self._context(call), self.session.vault
        clock = sv.vault.clock
        while True:
            info = await anyio.to_thread.run_sync(vault_approvals.status, sv.vault, approval_id)
            if info is not None and info.status == "granted":  # audited by the terminal's transaction
                return Verdict(params=_forwardable(real_params))
            if info is None or info.status == "denied":
                return Verdict(error=_refused(call.tool, "the approver denied it"))
            if info.status == "expired" or clock.now() >= deadline:
                await anyio.to_thread.run_sync(lambda: vault_approvals.expire(sv, approval_id, ctx))
                # Decided in the last instant? The row says which.
                last = await anyio.to_thread.run_sync(vault_approvals.status, sv.vault, approval_id)
                if last is not None and last.status == "granted":
                    return Verdict(params=_forwardable(real_params))
                return Verdict(
                    error=_refused(call.tool, f"nobody approved it within {rule.timeout_seconds:g} s")
                )
            await anyio.sleep(POLL_SECONDS)

    async def _conclude(
        self,
        call: GatedCall,
        approval_id: str,
        granted: bool,
        reason: str,
        params: dict[str, Any],
        via: str = "elicitation",
    ) -> Verdict:
        if not granted:
            await self._record(audit.ApprovalDenied, call, approval_id, reason=reason, outcome="refused")
            return Verdict(error=_refused(call.tool, _REASON_TEXT[reason]))
        # The forwarded call must be the one approved: same tool, same detokenized arguments.
        if self.call_hash(str(params.get("name")), params.get("arguments") or {}) != call.call_hash:
            await self._record(audit.ApprovalDenied, call, approval_id, reason="mismatch", outcome="refused")
            return Verdict(error=_refused(call.tool, "the call differs from the one that was shown"))
        await self._record(
            audit.ApprovalGranted,
            call,
            approval_id,
            reason=via,
            actor=f"{via}:{self.client_name}",
        )
        return Verdict(params=params)

    # ------------------------------------------------------------------ the prompt
    async def _prompt(self, rule: ApprovalRule, call: GatedCall, io: GateIO) -> str:
        preview = await dry_run(rule.dry_run, call, io) if rule.dry_run is not None else None
        return prompt_text(call.tool, self.session.backend, call.shown_arguments, call.call_hash, preview)

    # ------------------------------------------------------------------ audit
    def _context(self, call: GatedCall) -> audit.AuditContext:
        return self.session.context(direction="to-backend", method="tools/call", tool=call.tool)

    async def _record(
        self,
        cls: type[audit.AuditEvent],
        call: GatedCall,
        approval_id: str,
        *,
        reason: str | None = None,
        outcome: str = "ok",
        actor: str | None = None,
    ) -> None:
        """Append one approval event. If it cannot be written the call does not happen (the relay refuses
        it: the exception surfaces as a vault error)."""
        ctx = self._context(call)
        values: dict[str, Any] = {
            "session_id": self.session.session_id,
            "reason": reason,
            "outcome": outcome,
            "detail": {"approval": approval_id, "call_hash": call.call_hash},
        }
        if actor is not None:
            values["actor"] = actor
        event = cls.of(ctx, **values)
        await anyio.to_thread.run_sync(self.session.vault.record, [event])

    def _sweep(self) -> None:
        now = time.monotonic()
        for state in [s for s, i in self._issued.items() if i.deadline < now]:
            del self._issued[state]


# --------------------------------------------------------------------------- pure helpers
