"""Loading policy files and merging them into one `Policy`.

An error names the file, the line and the option. Several files merge into one effective policy; two rules
that give the same key or path different entity types are an error, never a silent precedence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

import proxy.policy.egress as egress
from proxy.config import parse_duration
from proxy.errors import PolicyError
from proxy.policy.keys import normalize_key
from proxy.policy.model import Budget, Pack, Policy
from proxy.policy.paths import ToolRules, parse_path
from proxy.policy.schema import EgressRule, FieldRule, PolicyFile, ToolSpec
from proxy.sandbox_section import merged
from proxy.shipped import POLICIES_DIR, shipped_policy_files

SHIPPED_DIR = POLICIES_DIR


def _rules(rules: Iterable[FieldRule], where: str, seen: dict[str, tuple[str, str]]) -> ToolRules:
    keys: dict[str, str] = {}
    paths: list[tuple[tuple[str | int | None, ...], str]] = []
    for rule in rules:
        for k in rule.keys:
            nk = normalize_key(k)
            prev = seen.get(nk)
            if prev and prev[0] != rule.entity:
                raise PolicyError(
                    f"{where}: conflicting rules: key {k!r} is {rule.entity} here and {prev[0]} in {prev[1]}"
                )
            seen[nk] = (rule.entity, where)
            keys[nk] = rule.entity
        for p in rule.paths:
            paths.append((parse_path(p), rule.entity))
    return ToolRules(keys, tuple(paths))


def load_policy(paths: Sequence[str | Path] | None = None) -> Policy:
    """Load and merge policy files; with none given, the shipped default plus every shipped pack."""
    files = [Path(p) for p in paths] if paths else shipped_policy_files()
    parsed = [(str(f), load_policy_file(f)) for f in files]
    policy = Policy(sources=[name for name, _ in parsed])
    global_seen: dict[str, tuple[str, str]] = {}
    global_rules: list[ToolRules] = []
    tool_rules: dict[str, list[ToolRules]] = {}
    allow: set[str] = set()
    skip: set[str] = set()
    for name, pf in parsed:
        scope = pack_scope(name, pf)
        if scope is not None:  # a pack: its field rules wait for a backend it is for
            policy.packs.append(_pack(name, pf, scope, global_seen))
        det = pf.detection
        if det is not None:
            if det.recognizers is not None:
                policy.recognizers = list(dict.fromkeys([*policy.recognizers, *det.recognizers]))
            if det.score_threshold is not None:
                policy.score_threshold = det.score_threshold
            if det.phone_regions is not None:
                policy.phone_regions = det.phone_regions
            if det.ner is not None:
                policy.ner = det.ner
        policy.entities.update(pf.entities)
        allow.update(pf.allow_list)
        skip.update(normalize_key(k) for k in pf.skip_keys)
        if scope is None:
            global_rules.append(_rules(pf.fields, name, global_seen))
            policy.unscoped_patterns.update(pf.tools)
            policy.unscoped_patterns.update(r.tool for r in (pf.egress.rules if pf.egress else []))
        for tool, tool_spec in pf.tools.items():
            policy.tool_specs[tool] = _merge_tool_limits(policy.tool_specs.get(tool), tool_spec)
            if scope is None:
                tool_seen = dict(global_seen)
                where = f"{name} (tool {tool})"
                tool_rules.setdefault(tool, []).append(_rules(tool_spec.fields, where, tool_seen))
        if pf.egress is not None:
            if pf.egress.default is not None:
                policy.egress_default = pf.egress.default
            policy.egress_rules.extend(pf.egress.rules)
        if pf.budget == "off":
            policy.budget = None
        elif pf.budget is not None:
            base = policy.budget or Budget(100, 256 * 1024, timedelta(hours=1))
            policy.budget = Budget(
                pf.budget.max_items or base.max_items,
                pf.budget.max_bytes or base.max_bytes,
                parse_duration(pf.budget.ttl) if pf.budget.ttl else base.ttl,
            )
        if pf.catalog is not None:
            if isinstance(pf.catalog, str):
                policy.catalog = pf.catalog
            else:
                policy.catalog = pf.catalog.mode
                policy.catalog_search_over = pf.catalog.search_over
        if pf.pin_tools is not None:
            policy.pin_tools = pf.pin_tools
        if pf.sandbox is not None:
            policy.sandbox = merged(policy.sandbox, pf.sandbox)
        if pf.limits is not None:
            if pf.limits.max_message_bytes is not None:
                policy.max_message_bytes = pf.limits.max_message_bytes
            if pf.limits.max_depth is not None:
                policy.max_depth = pf.limits.max_depth
            if pf.limits.call_timeout_seconds is not None:
                policy.call_timeout_seconds = pf.limits.call_timeout_seconds
            if pf.limits.notifications_per_second is not None:
                policy.notifications_per_second = pf.limits.notifications_per_second
            if pf.limits.detection_seconds is not None:
                policy.detection_seconds = pf.limits.detection_seconds
            if pf.limits.opaque_blobs is not None:
                policy.opaque_blobs = pf.limits.opaque_blobs
            policy.query_seconds = pf.limits.query_seconds or policy.query_seconds
            policy.query_memory_mb = pf.limits.query_memory_mb or policy.query_memory_mb
        if pf.quota is not None:
            policy.backend_quota = pf.quota  # a later file replaces it (the one it names is counted)
        if pf.approvals is not None:
            ap = pf.approvals
            policy.approval_timeout_seconds = ap.timeout_seconds or policy.approval_timeout_seconds
            policy.out_of_band = ap.out_of_band or policy.out_of_band
            policy.approval_mode = ap.mode or policy.approval_mode
            policy.destructive_approval = ap.destructive or policy.destructive_approval
            policy.unannotated_write_approval = ap.unannotated_writes or policy.unannotated_write_approval
            policy.approval_rules.extend(ap.rules)
    _check_egress_conflicts(policy.egress_rules)
    policy.sandbox = replace(policy.sandbox, max_line_bytes=policy.max_message_bytes)
    policy.allow_list = frozenset(allow)
    policy.skip_keys = frozenset(skip)
    policy.global_rules = _merge(global_rules)
    policy.tool_rules = {tool: _merge(rs) for tool, rs in tool_rules.items()}
    return policy


def pack_scope(source: str, pf: PolicyFile) -> tuple[str, ...] | None:
    """The tool globs a file is scoped to (a pack), or None where it applies to every backend: its
    `applies_to`; for a shipped pack (not `default.yaml`) without one, the tool patterns it names."""
    if pf.applies_to is not None:
        return tuple(pf.applies_to)
    path = Path(source)
    if pf.tools and path.name != "default.yaml" and path.resolve().parent == SHIPPED_DIR.resolve():
        return tuple(pf.tools)
    return None


def _pack(name: str, pf: PolicyFile, scope: tuple[str, ...], seen: dict[str, tuple[str, str]]) -> Pack:
    """A pack's rules, checked against the others as if they applied (a contradiction is an error even
    while the pack waits for its backend)."""
    global_rules = _rules(pf.fields, name, seen)
    tools = {
        tool: _rules(spec.fields, f"{name} (tool {tool})", dict(seen)) for tool, spec in pf.tools.items()
    }
    egress = {r.tool for r in pf.egress.rules} if pf.egress is not None else set()
    return Pack(pf.name, name, scope, global_rules, tools, frozenset({*pf.tools, *egress}))


# A tool pattern's options a later file overrides one by one (its field rules add up instead).
_TOOL_MERGED = (
    "timeout_seconds", "rate_per_minute", "max_concurrent", "budget", "approval", "dry_run", "quota",
    "keep_results",
)  # fmt: skip


def _merge_tool_limits(old: ToolSpec | None, new: ToolSpec) -> ToolSpec:
    if old is None:
        return new
    merged = new.model_copy(
        update={k: getattr(new, k) if getattr(new, k) is not None else getattr(old, k) for k in _TOOL_MERGED}
        | {"accepts_results": list(dict.fromkeys([*old.accepts_results, *new.accepts_results]))}
    )
    if "required" in (old.approval, new.approval):  # a later file cannot lift an approval (fail closed)
        merged = merged.model_copy(update={"approval": "required"})
    return merged


def _check_egress_conflicts(rules: list[EgressRule]) -> None:
    seen: dict[tuple[str, str, str, tuple[str, ...]], str] = {}
    for rule in rules:
        for verdict, args in (("allow", rule.allow), ("deny", rule.deny)):
            for arg in args:
                key = (rule.backend, rule.method, rule.tool, egress.compile_pattern(arg))
                other = seen.setdefault(key, verdict)
                if other != verdict:
                    raise PolicyError(
                        f"conflicting egress rules: argument {arg!r} of tool {rule.tool!r} "
                        f"(backend {rule.backend!r}) is both allowed and denied"
                    )


def _merge(parts: list[ToolRules]) -> ToolRules:
    keys: dict[str, str] = {}
    paths: list[tuple[tuple[str | int | None, ...], str]] = []
    for part in parts:
        keys.update(part.keys)
        paths.extend(part.paths)
    return ToolRules(keys, tuple(paths))


# --------------------------------------------------------------------------- loading with line numbers


# libyaml's parser where PyYAML has it (the same safe constructors, several times faster: every policy file
# is read on every start); an error is worded by PyYAML's own parser, and the nodes with their line numbers
# are composed only for an error message.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_policy_file(path: Path) -> PolicyFile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read policy file ({exc.strerror})") from None
    try:
        try:
            data = yaml.load(text, Loader=_LOADER)
        except yaml.YAMLError:  # worded (and placed) by PyYAML's own parser, as the docs and tests show it
            data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise PolicyError(f"{path}:{where}: {problem}") from None
    if not isinstance(data, dict):
        raise PolicyError(f"{path}: line 1: a policy file must be a mapping")
    try:
        return PolicyFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        line = _line_of(yaml.compose(text, Loader=yaml.SafeLoader), loc)  # the nodes, for line numbers
        option = ".".join(str(p) for p in loc) or "(top level)"
        raise PolicyError(f"{path}: line {line}: option '{option}': {err['msg']}") from None


def _line_of(node: Any, loc: tuple[Any, ...]) -> int:
    """The line of the deepest YAML node that `loc` (a pydantic error location) reaches."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    node = value_node
                    line = key_node.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
