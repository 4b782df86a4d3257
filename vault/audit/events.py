"""The audit events: each a small frozen dataclass declaring its name and its own typed fields.

Every event shares the envelope (who and where: actor, session, backend, direction, method, tool, outcome).
Beyond it, an event declares only what it records: `ResultStored` has a `result_id` and a `size`,
`KeyRotated` a `to_version` and a `rewrapped` count. There is deliberately no field that could hold a
value: tokens, entity types, counts, reasons from a fixed vocabulary and keyed fingerprints only.

Three declared fields have columns of their own, because queries filter on them and the stats roll them up:
`entity_type`, `token` and `duration_ms`. The others are stored together as the row's `payload` (canonical
JSON, inside the hash chain). Rows written before typed events kept everything in the shared `count`,
`reason` and `detail` columns; `Legacy` says how an event's fields map to those columns, both to read old
rows as typed fields and to keep `veil audit query`'s count/reason/detail columns for tools that read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Self

from vault.tokens import TOKEN_RE

DIRECTIONS = frozenset({"to-client", "to-backend"})
OUTCOMES = frozenset({"ok", "refused", "blocked", "error"})
LEGACY_COLUMNS = ("count", "reason", "detail")
COLUMN_FIELDS = ("entity_type", "token", "duration_ms")  # declared fields stored in columns of their own
EVENT_TYPES: dict[str, type[AuditEvent]] = {}  # every named event by name, filled as its class is defined


@dataclass(frozen=True)
class AuditContext:
    """Who and where: passed by the proxy with every vault call, copied into each event it causes."""

    actor: str | None = None
    backend: str | None = None
    direction: str | None = None
    method: str | None = None
    tool: str | None = None


@dataclass(frozen=True)
class Legacy:
    """How an event's fields read in the shared `count`, `reason` and `detail` columns of the first log
    format: a field's name, `count` as a constant (one row per token), `detail` as one mapping field or
    several fields gathered into one object."""

    count: str | int | None = None
    reason: str | None = None
    detail: str | tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class AuditEvent:
    """Base of every event: the envelope. Subclasses add their own fields and a `name`."""

    name: ClassVar[str] = ""
    legacy: ClassVar[Legacy] = Legacy()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A class that declares its own `name` is an event: it joins `EVENT_TYPES`, wherever it is defined
        (one module per family: `tool_events`, `approval_events`), under a name no other event has."""
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            if cls.name in EVENT_TYPES:
                raise TypeError(f"two audit events named {cls.name!r}")
            EVENT_TYPES[cls.name] = cls
    actor: str | None = None
    session_id: str | None = None
    backend: str | None = None
    direction: str | None = None
    method: str | None = None
    tool: str | None = None
    outcome: str = "ok"

    def __post_init__(self) -> None:
        token = getattr(self, "token", None)
        # A malformed "token" is whatever the model wrote and may hold a value: only well-formed ones here.
        if token is not None and not TOKEN_RE.fullmatch(token):
            raise ValueError("audit events carry well-formed tokens only")
        if self.direction is not None and self.direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {self.direction!r}")
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")
        duration = getattr(self, "duration_ms", None)
        if duration is not None:  # a float with µs precision: it hashes the same after a round trip
            object.__setattr__(self, "duration_ms", round(float(duration), 3))

    @classmethod
    def of(cls, ctx: AuditContext, **values: Any) -> Self:
        """An event carrying the context's fields, overridden by `values`. `count`, `reason` and `detail`
        are accepted where the event declares a field they stand for (see Legacy)."""
        merged = {**{k: getattr(ctx, k) for k in _CONTEXT_FIELDS}, **values}
        own = cls.field_names()
        legacy = {k: merged.pop(k) for k in LEGACY_COLUMNS if k in merged and k not in own}
        return cls(**merged, **cls.fields_from_legacy(**legacy))

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """The fields this event declares beyond the envelope."""
        return _declared(cls)[0]

    def payload(self) -> dict[str, Any]:
        """The declared fields stored in the row's payload (not those with columns of their own)."""
        out: dict[str, Any] = {}
        for k in _declared(type(self))[1]:
            v = getattr(self, k)
            out[k] = dict(v) if isinstance(v, Mapping) else v
        return out

    @classmethod
    def to_legacy(cls, values: Mapping[str, Any]) -> dict[str, Any]:
        """count, reason and detail as the first log format recorded them, from the event's fields."""
        m = cls.legacy
        count = m.count if isinstance(m.count, int) else values.get(m.count) if m.count else None
        reason = values.get(m.reason) if m.reason else None
        detail: Any = None
        if isinstance(m.detail, str):
            detail = values.get(m.detail)
        elif m.detail:
            detail = {k: _plain(values[k]) for k in sorted(m.detail) if values.get(k) is not None} or None
        return {"count": count, "reason": reason, "detail": detail}

    @classmethod
    def fields_from_legacy(
        cls, count: Any = None, reason: Any = None, detail: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """The event's fields from count, reason and detail (a row of the first format, or a caller that
        still passes them); a value with no field to go to is an error, never silently dropped."""
        m, out = cls.legacy, {}
        if count is not None:
            if isinstance(m.count, str):
                out[m.count] = count
            elif m.count != count:
                raise ValueError(f"{cls.name} has no field for a count")
        if reason is not None:
            if m.reason is None:
                raise ValueError(f"{cls.name} has no field for a reason")
            out[m.reason] = reason
        if detail is not None:
            if isinstance(m.detail, str):
                out[m.detail] = dict(detail)
            elif m.detail is not None and set(detail) <= set(m.detail):
                out.update(detail)
            else:
                raise ValueError(f"{cls.name} has no field for detail {sorted(detail)}")
        return out

    def total(self) -> int:
        """What `veil audit stats` adds up for this event (its legacy count)."""
        count = self.legacy.count
        if isinstance(count, str):
            count = getattr(self, count)
        return int(count or 0)


def _plain(value: Any) -> Any:
    """A flag as the first format wrote it in `detail` (0 or 1)."""
    return int(value) if isinstance(value, bool) else value


_CONTEXT_FIELDS = tuple(f.name for f in fields(AuditContext))
_ENVELOPE = frozenset(f.name for f in fields(AuditEvent))


_DECLARED: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _declared(cls: type[AuditEvent]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An event class's own fields, and those of them kept in the payload (computed once per class:
    every appended row asks)."""
    found = _DECLARED.get(cls)
    if found is None:
        own = tuple(f.name for f in fields(cls) if f.name not in _ENVELOPE)
        found = _DECLARED[cls] = (own, tuple(k for k in own if k not in COLUMN_FIELDS))
    return found


@dataclass(frozen=True, kw_only=True)
class SessionOpened(AuditEvent):
    """A client connection opened: `how` it got its session, `created` or `resumed` (a named session)."""

    name = "session-opened"
    legacy = Legacy(reason="how")
    how: str | None = None


@dataclass(frozen=True, kw_only=True)
class SessionClosed(AuditEvent):
    """The client connection ended (a named session can still be resumed)."""

    name = "session-closed"


@dataclass(frozen=True, kw_only=True)
class TokenCreated(AuditEvent):
    """A new value was tokenized: one row per new token, never the value."""

    name = "token-created"
    legacy = Legacy(count=1)
    entity_type: str | None = None
    token: str | None = None


@dataclass(frozen=True, kw_only=True)
class TokenDetokenized(AuditEvent):
    """A token became its real value toward a backend (`tool`: who received it) `count` times in a message."""

    name = "token-detokenized"
    legacy = Legacy(count="count")
    entity_type: str | None = None
    token: str | None = None
    count: int = 1


@dataclass(frozen=True, kw_only=True)
class DetokenizeRefused(AuditEvent):
    """A token could not be honoured (`reason`: unknown, foreign-session, revoked, ...). A malformed one
    has no token: only a keyed `fingerprint` of what the model wrote."""

    name = "detokenize-refused"
    legacy = Legacy(count="count", reason="reason", detail=("fingerprint",))
    entity_type: str | None = None
    token: str | None = None
    count: int = 1
    reason: str | None = None
    fingerprint: str | None = None


@dataclass(frozen=True, kw_only=True)
class TokenRevoked(AuditEvent):
    """`veil tokens revoke` (or the API) revoked a token; `actor` is who, `matched_by` is `value` when the
    operator gave the value rather than the token."""

    name = "token-revoked"
    legacy = Legacy(count=1, detail=("matched_by",))
    entity_type: str | None = None
    token: str | None = None
    matched_by: str | None = None


@dataclass(frozen=True, kw_only=True)
class TokenExpired(AuditEvent):
    """A token's TTL passed and its ciphertext was purged."""

    name = "token-expired"
    legacy = Legacy(count=1)
    entity_type: str | None = None
    token: str | None = None


@dataclass(frozen=True, kw_only=True)
class SessionShredded(AuditEvent):
    """A session's data key was destroyed: `tokens` values made unrecoverable; `reason` as given (`expired`
    when its TTL ran out)."""

    name = "session-shredded"
    legacy = Legacy(count="tokens", reason="reason")
    tokens: int = 0
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class KeyRotated(AuditEvent):
    """`veil keys rotate` rewrapped `rewrapped` session keys under `to_version` (`resumed`: an interrupted
    rotation finished; `unreadable`: damaged key rows left as they were)."""

    name = "key-rotated"
    legacy = Legacy(count="rewrapped", detail=("to_version", "resumed", "unreadable"))
    rewrapped: int = 0
    to_version: int | None = None
    resumed: bool = False
    unreadable: int | None = None


@dataclass(frozen=True, kw_only=True)
class KeyVersionCreated(AuditEvent):
    """A new key `version`: by `veil keys rotate` (`reason` rotate), or automatically when the newest one
    reaches its use limit (`use-limit`)."""

    name = "key-version-created"
    legacy = Legacy(reason="reason", detail=("version",))
    version: int | None = None
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class KeyRetired(AuditEvent):
    """A key `version` was retired: nothing is encrypted or decrypted under it any more."""

    name = "key-retired"
    legacy = Legacy(detail=("version",))
    version: int | None = None


@dataclass(frozen=True, kw_only=True)
class MessageBlocked(AuditEvent):
    """A message was refused as a whole (`reason`: too large, too deep, a detector error, ...)."""

    name = "message-blocked"
    legacy = Legacy(reason="reason")
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class PolicyLoaded(AuditEvent):
    """The proxy loaded its policies: the policy `files` and a digest (`sha256`) of their content."""

    name = "policy-loaded"
    legacy = Legacy(detail=("files", "sha256"))
    files: str | None = None
    sha256: str | None = None


@dataclass(frozen=True, kw_only=True)
class ResultStored(AuditEvent):
    """A result over its budget was kept for paging: its `result_id` and its `size` in characters."""

    name = "result-stored"
    legacy = Legacy(count="size", reason="result_id")
    result_id: str | None = None
    size: int | None = None


@dataclass(frozen=True, kw_only=True)
class ResultHanded(AuditEvent):
    """A stored result's handle in a tool's argument was replaced by its `rows` on the way to the backend."""

    name = "result-handed"
    legacy = Legacy(count="rows", reason="result_id", detail=("argument",))
    result_id: str | None = None
    rows: int | None = None
    argument: str | None = None


@dataclass(frozen=True, kw_only=True)
class ResultQueried(AuditEvent):
    """`veil_query_result` over a stored result: `rows` it ran over, `answer_rows`, or the `reason` (a fixed
    vocabulary: not-read-only, unknown-column, query-timeout, …) it was refused for. Never the SQL."""

    name = "result-queried"
    legacy = Legacy(count="rows", reason="reason", detail=("result_id", "answer_rows"))
    result_id: str | None = None
    rows: int | None = None
    answer_rows: int | None = None
    reason: str | None = None
    duration_ms: float | None = None


@dataclass(frozen=True, kw_only=True)
class CallCompleted(AuditEvent):
    """One per request the proxy answered: outcome, `duration_ms` (`veil audit stats`), and a stdio
    backend's process-tree `peak_rss_bytes` and `cpu_ms` during the call (`veil top`)."""

    name = "call-completed"
    legacy = Legacy(detail=("peak_rss_bytes", "cpu_ms"))
    duration_ms: float | None = None  # time the proxy took to answer the request
    peak_rss_bytes: int | None = None
    cpu_ms: float | None = None


@dataclass(frozen=True, kw_only=True)
class QuotaWarned(AuditEvent):
    """An API `quota` (its policy name) crossed 80 %: `used` of `limit` in its window."""

    name = "quota-warned"
    legacy = Legacy(count="used", reason="quota", detail=("limit",))
    quota: str | None = None
    used: int | None = None
    limit: int | None = None


@dataclass(frozen=True, kw_only=True)
class AuditPruned(AuditEvent):
    """`veil audit prune`: `pruned` rows older than `before` removed; the kept chain starts at
    `first_kept_seq` and continues from `anchor` (repeated in the audit_checkpoints row)."""

    name = "audit-pruned"
    legacy = Legacy(count="pruned", detail=("before", "first_kept_seq", "anchor"))
    pruned: int = 0
    before: str | None = None
    first_kept_seq: int | None = None
    anchor: str | None = None


@dataclass(frozen=True, kw_only=True)
class TokenizeSummary(AuditEvent):
    """One per tokenizing message: `replaced` values in all, `by_type` counts per entity type."""

    name = "tokenize-summary"
    legacy = Legacy(count="replaced", detail="by_type")
    replaced: int = 0
    by_type: Mapping[str, int] | None = None

