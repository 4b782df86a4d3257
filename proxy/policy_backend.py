"""A policy checked against a live backend's tool list: rules that name no tool or argument, and tools
that look like writes.

`veil policy check --against "COMMAND ..."` starts the backend (directly, not through the proxy), lists
its tools and reports what the policy says about tools and arguments this backend does not have — a typo
in a rule silently protects nothing — and which tools look like writes.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from proxy.policy import Policy

_WRITE_WORDS = re.compile(
    r"(^|[_\-.]|(?<=[a-z])(?=[A-Z]))(create|update|delete|add|remove|set|send|pause|enable|"
    r"disable|write|insert|upload|post|patch|mutate)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class BackendTool:
    name: str
    arguments: frozenset[str]
    destructive: bool
    read_only: bool


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
        if not tool.read_only and (tool.destructive or _WRITE_WORDS.search(tool.name)):
            why = "declares destructiveHint" if tool.destructive else "its name looks like a write"
            findings.append(Finding("note", f"tool {tool.name!r} may write ({why}): review it before use"))
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
            )
        )
    return out
