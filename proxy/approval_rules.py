"""Which calls need a human's approval: the policy's rules, read with what the client and the backend
declared.

The client's initialize request says whether it can show an elicitation (and open a URL); the backend's
tools/list result says which tools are read-only or destructive. `needs_gate` answers, per `tools/call`
about to be forwarded, with the rule that gates it or None; a tool that may write and that no rule covers
is pointed out on stderr once. How the human is then asked is `proxy.approvals.ApprovalGate`.
"""

from __future__ import annotations

import logging
from typing import Any

from proxy.approval_page import client_opens_urls
from proxy.approval_prompts import DRY_RUN_SECONDS, STATE_PREFIX, GateIO
from proxy.policy import ApprovalRule, ToolHints, looks_like_write
from proxy.session import ProxySession

log = logging.getLogger("proxy.approvals")  # one logger name for the gate, as before the split


class ApprovalRules:
    def __init__(self, session: ProxySession) -> None:
        self.session = session
        self.client_can_elicit = False  # the initialize request declared `capabilities.elicitation`
        self.client_name = "client"
        self.client_opens_urls = False  # ... and declared URL mode (`capabilities.elicitation.url`)
        self.hints: dict[str, ToolHints] = {}
        self.hints_listed = False  # a tools/list result of the backend has been seen (or fetched)
        self._rules: dict[str, ApprovalRule | None] = {}  # per tool; cleared when hints are learned

    # ------------------------------------------------------------------ what the relay tells us
    def learn_initialize(self, params: dict[str, Any] | None) -> None:
        params = params or {}
        caps = params.get("capabilities")
        self.client_can_elicit = isinstance(caps, dict) and isinstance(caps.get("elicitation"), dict)
        self.client_opens_urls = client_opens_urls(caps)
        info = params.get("clientInfo")
        name = info.get("name") if isinstance(info, dict) else None
        if isinstance(name, str):
            self.client_name = self.session.safe_name(name[:100]) or "client"

    def learn_tools(self, result: Any) -> None:
        """Record each listed tool's declared hints (a tools/list result from the backend)."""
        tools = result.get("tools") if isinstance(result, dict) else None
        self.hints_listed = self.hints_listed or isinstance(tools, list)
        self._rules.clear()
        for tool in tools if isinstance(tools, list) else []:
            if not isinstance(tool, dict) or not isinstance(tool.get("name"), str):
                continue
            ann = tool.get("annotations")
            if not isinstance(ann, dict):
                ann = {}
            ro, de = ann.get("readOnlyHint"), ann.get("destructiveHint")
            hints = ToolHints(
                read_only=ro is True, destructive=de is True, declared=ro is not None or de is not None
            )
            first = tool["name"] not in self.hints
            self.hints[tool["name"]] = hints
            if first:
                self._review(tool["name"], hints)

    def _review(self, tool: str, hints: ToolHints) -> None:
        """A first-run nudge on stderr: a tool that may write and that no approval rule covers."""
        policy = self.session.policy
        if hints.read_only or not (hints.destructive or looks_like_write(tool)):
            return
        if policy.explicit_approval(tool, self.session.backend) is not None:
            return
        gated = policy.approval_for(tool, hints, self.session.backend) is not None
        log.warning(
            "tool may write and has no approval rule; review it (veil policy check --against)",
            extra={
                "tool": self.session.safe_name(tool),
                "backend": self.session.backend,
                "approval": "required by default" if gated else "not required",
            },
        )

    def needs_hints(self, params: dict[str, Any] | None) -> bool:
        """Whether the decision for this call depends on hints the proxy has not seen yet (the client never
        listed the tools): the gate then lists them itself before deciding (fail closed)."""
        policy = self.session.policy
        if self.hints_listed or not isinstance(params, dict) or not isinstance(params.get("name"), str):
            return False
        if "required" not in (policy.destructive_approval, policy.unannotated_write_approval):
            return False
        return policy.explicit_approval(params["name"], self.session.backend) is None

    async def fetch_hints(self, io: GateIO, meta: Any) -> None:
        """List the backend's tools with a request of the proxy's own (pages followed, bounded)."""
        cursor: Any = None
        for _page in range(50):
            params: dict[str, Any] = {} if cursor is None else {"cursor": cursor}
            if isinstance(meta, dict):
                params["_meta"] = meta
            try:
                result, error = await io.ask_backend("tools/list", params, DRY_RUN_SECONDS)
            except TimeoutError:
                break
            if error is not None or not isinstance(result, dict):
                break
            self.learn_tools(result)
            cursor = result.get("nextCursor")
            if not cursor:
                break
        self.hints_listed = True  # not asked again; without hints, names decide

    def needs_gate(self, params: dict[str, Any] | None) -> ApprovalRule | None:
        """The rule for a tools/call about to be forwarded (params after detokenization), or None."""
        if not isinstance(params, dict) or not isinstance(params.get("name"), str):
            return None
        tool = params["name"]
        if tool in self._rules:
            rule = self._rules[tool]
        else:
            rule = self.session.policy.approval_for(tool, self.hints.get(tool), self.session.backend)
            if len(self._rules) < 4096:  # tool names come from the model: bounded
                self._rules[tool] = rule
        state = params.get("requestState")
        if rule is None and isinstance(state, str) and state.startswith(STATE_PREFIX):
            rule = ApprovalRule(tool, self.session.policy.approval_timeout_seconds)  # a retry: verify it
        return rule
