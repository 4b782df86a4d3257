"""A policy checked against a live backend's tool list: rules that name no tool or argument, and tools
that look like writes but have no approval rule.

`veil policy check --against "COMMAND ..."` starts the backend (directly, not through the proxy), lists
its tools and reports what the policy says about tools and arguments this backend does not have — a typo
in a rule silently protects nothing — and which tools look like writes.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from proxy.policy import Policy, ToolHints, looks_like_write


@dataclass(frozen=True)
class BackendTool:
    name: str
    arguments: frozenset[str]
    destructive: bool
    read_only: bool
    declared: bool = False  # the backend gave either hint


@dataclass(frozen=True)
class Finding:
    level: str  # "error" | "note"
    text: str

    def __str__(self) -> str:
        return f"{self.level:5}  {self.text}"


def check_against(policy: Policy, tools: Sequence[BackendTool], *, label: str) -> list[Finding]:
    names = [t.name for t in tools]
    findings: list[Finding] = []
    for pattern in sorted({*policy.tool_specs, *policy.tool_rules}):
        if not fnmatch.filter(names, pattern):
            findings.append(Finding(_level(pattern), f"tool rule {pattern!r} matches no tool of {label}"))
    for rule in policy.egress_rules:
        if not fnmatch.fnmatchcase(label, rule.backend):
            continue
        matching = [t for t in tools if fnmatch.fnmatchcase(t.name, rule.tool)]
        if not matching and rule.tool != "*":
            findings.append(
                Finding(_level(rule.tool), f"egress rule for {rule.tool!r} matches no tool of {label}")
            )
            continue
        if rule.tool == "*":
            continue  # a catch-all rule names arguments any future tool may have
        for arg in [*rule.allow, *rule.deny]:
            if not any(fnmatch.filter(t.arguments, arg) for t in matching):
                findings.append(
                    Finding(
                        "error",
                        f"egress rule for {rule.tool!r} names argument {arg!r}, which no such tool has",
                    )
                )
    for tool in tools:
        if tool.read_only or not (tool.destructive or looks_like_write(tool.name)):
            continue
        if policy.explicit_approval(tool.name, label) is not None:
            continue  # the operator has decided
        why = "declares destructiveHint" if tool.destructive else "its name looks like a write"
        hints = ToolHints(read_only=False, destructive=tool.destructive, declared=tool.declared)
        gated = policy.approval_for(tool.name, hints, label) is not None
        then = "approval required by the approvals defaults" if gated else "runs without approval"
        findings.append(
            Finding(
                "note",
                f"tool {tool.name!r} may write ({why}) and has no approval rule ({then}): "
                "review it and set `approval: required` or `never` under tools",
            )
        )
    return findings


def _level(pattern: str) -> str:
    """An exact tool name that matches nothing is a typo (error); a glob may be a safety net for tools this
    backend does not have (note)."""
    return "note" if any(c in pattern for c in "*?[") else "error"


def tools_from_listing(listing: Any) -> list[BackendTool]:
    out = []
    for tool in listing.tools:
        schema = tool.input_schema or {}
        props = schema.get("properties") or {}
        ann = tool.annotations
        out.append(
            BackendTool(
                name=tool.name,
                arguments=frozenset(props),
                destructive=bool(ann and ann.destructive_hint),
                read_only=bool(ann and ann.read_only_hint),
                declared=bool(ann and (ann.read_only_hint is not None or ann.destructive_hint is not None)),
            )
        )
    return out
