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

import proxy.policy.egress as egress
from proxy.policy.model import Policy, ToolHints, looks_like_write


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
    # A pack names the tools of the backends it is for: on another backend it does not apply, and its
    # rules are not typos there.
    asleep = [p for p in policy.packs if not p.is_for(names)]
    pack_only = {pattern for p in asleep for pattern in p.patterns} - policy.unscoped_patterns
    pack_only -= {pattern for p in policy.packs if p not in asleep for pattern in p.patterns}
    for pack in asleep:
        findings.append(
            Finding("note", f"pack {pack.name!r} does not apply to {label}: it has none of its tools")
        )
    for pattern in sorted({*policy.tool_specs, *policy.tool_rules} - pack_only):
        if not fnmatch.filter(names, pattern):
            findings.append(Finding(_level(pattern), f"tool rule {pattern!r} matches no tool of {label}"))
    for rule in policy.egress_rules:
        if not fnmatch.fnmatchcase(label, rule.backend) or rule.tool in pack_only:
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
            if not any(_names_argument(arg, t.arguments) for t in matching):
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


def _names_argument(pattern: str, arguments: frozenset[str]) -> bool:
    """Whether every key of an egress argument pattern (normalized, see `proxy.policy.egress`) is a property
    name somewhere in the tool's input schema: rules hold at any depth, so nested names count."""
    return all(
        any(fnmatch.fnmatchcase(view, glob) for name in arguments for view in egress.key_views(name))
        for glob in egress.compile_pattern(pattern)
    )


def _property_names(schema: Any, depth: int = 0) -> set[str]:
    """Every property name of a JSON schema, nested objects and array items included (bounded)."""
    names: set[str] = set()
    if depth > 32:
        return names
    if isinstance(schema, dict):
        props = schema.get("properties")
        if isinstance(props, dict):
            names.update(k for k in props if isinstance(k, str))
        for value in schema.values():
            names |= _property_names(value, depth + 1)
    elif isinstance(schema, list):
        for value in schema:
            names |= _property_names(value, depth + 1)
    return names


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
                arguments=frozenset(props) | frozenset(_property_names(schema)),
                destructive=bool(ann and ann.destructive_hint),
                read_only=bool(ann and ann.read_only_hint),
                declared=bool(ann and (ann.read_only_hint is not None or ann.destructive_hint is not None)),
            )
        )
    return out
