"""The merged, effective policy the proxy runs with, and the answers it gives per call: field rules for
a tool, approval, response budget, call limits, egress verdicts. Packs wait for a backend they are for."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import proxy.policy.egress as egress
from proxy.config import parse_duration
from proxy.policy.paths import ToolRules
from proxy.policy.schema import (
    DETECTION_SECONDS,
    ApprovalRuleSpec,
    DryRunSpec,
    EgressRule,
    EntitySpec,
    NerSpec,
    QuotaSpec,
    ToolSpec,
)
from proxy.sandbox import SandboxSpec

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
    "AdAccountIdRecognizer",
    "SitePropertyRecognizer",
    "NationalPhoneRecognizer",
    "E164DigitsPhoneRecognizer",
    "GroupedCardRecognizer",
    "LooseIbanRecognizer",
    "ContextSsnRecognizer",
    "VeilLabeledValueRecognizer",
    "VeilAccountLabelRecognizer",
    "VeilAadhaarRecognizer",
    "VeilNinoRecognizer",
    "VeilPanRecognizer",
    "VeilTfnRecognizer",
    "VeilPeselRecognizer",
    "VeilFiscalCodeRecognizer",
    "VeilNifRecognizer",
    "VeilNieRecognizer",
    "VeilNhsNumberRecognizer",
]


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


@dataclass(frozen=True)
class Quota:
    """One API quota of the policy: `name` says what it counts (`tool:<pattern>` for the tools a pattern
    matches, `backend` for all of a backend's tools), `unit` calls or rows, `limit` per `per`."""

    name: str
    per: str  # "day" | "hour"
    unit: str  # "calls" | "rows"
    limit: int

    @classmethod
    def of(cls, name: str, spec: QuotaSpec) -> Quota:
        unit, limit = ("calls", spec.calls) if spec.calls is not None else ("rows", spec.rows)
        assert limit is not None  # the schema requires one of the two
        return cls(name, spec.per, unit, limit)


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
    catalog: str = "full"  # "full" | "compact" | "search": how tools/list shows the backends' tools
    catalog_search_over: int = 30  # a compact catalog of more tools also offers veil_search_tools
    pin_tools: bool = True  # hide a tool whose definition changed until approved (proxy/tool_pins.py)
    query_seconds: float = 10.0  # veil_query_result: time and memory of one query over a stored result
    query_memory_mb: int = 256
    approval_timeout_seconds: float = 120.0
    out_of_band: str = "never"
    approval_mode: str = "auto"  # "auto" | "url" | "form": how the client is asked (proxy.approval_page)
    destructive_approval: str = "never"
    unannotated_write_approval: str = "never"
    approval_rules: list[ApprovalRuleSpec] = field(default_factory=list)
    backend_quota: QuotaSpec | None = None  # every tool of the backend, together
    packs: list[Pack] = field(default_factory=list)
    unscoped_patterns: set[str] = field(default_factory=set)  # tool patterns files that are not packs name
    active_packs: frozenset[str] = field(
        default_factory=frozenset, init=False, compare=False
    )  # see activate_packs
    _tool_cache: dict[str | None, ToolRules] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # call_limits per tool name, worked out once: matching every tool pattern's glob on every call is
    # a cost each call would pay again for the same answer.
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

    def quotas_for(self, tool: str | None) -> list[Quota]:
        """The API quotas a call of `tool` counts toward: the backend's, and each tool pattern's that
        matches (a pattern's quota is shared by every tool it matches)."""
        found = [Quota.of("backend", self.backend_quota)] if self.backend_quota is not None else []
        if tool is not None:
            for pattern, spec in self.tool_specs.items():
                if spec.quota is not None and fnmatch.fnmatchcase(tool, pattern):
                    found.append(Quota.of(f"tool:{pattern}", spec.quota))
        return found

    def accepts_results(self, tool: str | None) -> frozenset[str]:
        """The arguments of `tool` that may receive a stored result (`accepts_results` of every matching
        tool pattern); empty: the tool takes no result handle."""
        if tool is None:
            return frozenset()
        return frozenset(
            arg
            for pattern, spec in self.tool_specs.items()
            if fnmatch.fnmatchcase(tool, pattern)
            for arg in spec.accepts_results
        )

    def keeps_results(self, tool: str | None) -> bool:
        """Whether every result of `tool` is stored with a handle (`keep_results: true`)."""
        return tool is not None and any(
            spec.keep_results and fnmatch.fnmatchcase(tool, pattern)
            for pattern, spec in self.tool_specs.items()
        )

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
            allowed = egress.verdict(
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
