"""The audit log: value-free event records, appended to a hash chain.

Each row's hash is sha256(previous hash + canonical JSON of the row, seq and time included), so
`verify` detects an edited, deleted, inserted or reordered row; the head row (last seq, last hash) catches
a truncated tail, and a checkpoint kept elsewhere (`head()`) catches one whose head row was rewritten too.
Appends happen inside the caller's transaction: if the audit row cannot be written, the operation it
records is rolled back with it. The same transaction updates an hourly rollup for `stats`.

`prune` deletes old rows and records where the kept chain starts twice: in audit_checkpoints and in the
`audit-pruned` event it appends, inside the chain. `query` reads the (column, seq) indexes newest first and
tolerates a corrupted row (returned, flagged `malformed`); `verify` names it.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

from sqlalchemy import (
    Connection,
    Dialect,
    Engine,
    String,
    delete,
    func,
    insert,
    select,
    type_coerce,
    union_all,
    update,
)

from vault.clock import Clock
from vault.crypto import Keyring, token_hmac_key
from vault.models import (
    GENESIS_HASH,
    HEAD_ROW_ID,
    AuditCheckpoint,
    AuditHead,
    AuditRecord,
    AuditRollup,
    Session,
    Token,
)
from vault.tokens import TOKEN_RE, derive_token

DIRECTIONS = frozenset({"to-client", "to-backend"})
OUTCOMES = frozenset({"ok", "refused", "blocked", "error"})
HASHED_FIELDS = (
    "seq", "time", "event", "actor", "session_id", "backend", "direction", "method", "tool",
    "entity_type", "token", "count", "outcome", "reason", "detail", "duration_ms",
)  # fmt: skip


@dataclass(frozen=True)
class AuditContext:
    """Who and where: passed by the proxy with every vault call, copied into each event it causes."""

    actor: str | None = None
    backend: str | None = None
    direction: str | None = None
    method: str | None = None
    tool: str | None = None


@dataclass(frozen=True, kw_only=True)
class AuditEvent:
    """Base of every event. There is deliberately no field for a value: only tokens, types and counts."""

    name: ClassVar[str] = ""
    actor: str | None = None
    session_id: str | None = None
    backend: str | None = None
    direction: str | None = None
    method: str | None = None
    tool: str | None = None
    entity_type: str | None = None
    token: str | None = None
    count: int | None = None
    outcome: str = "ok"
    reason: str | None = None
    detail: Mapping[str, int | str] | None = None
    duration_ms: float | None = None  # time the proxy took to answer the request (call-completed)

    def __post_init__(self) -> None:
        if self.duration_ms is not None:  # a float with µs precision: it hashes the same after a round trip
            object.__setattr__(self, "duration_ms", round(float(self.duration_ms), 3))
        # A malformed "token" is whatever the model wrote and may hold a value: only well-formed ones here.
        if self.token is not None and not TOKEN_RE.fullmatch(self.token):
            raise ValueError("audit events carry well-formed tokens only")
        if self.direction is not None and self.direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {self.direction!r}")
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")

    @classmethod
    def of(cls, ctx: AuditContext, **values: Any) -> Self:
        """An event carrying the context's fields, overridden by `values`."""
        return cls(**{**{k: getattr(ctx, k) for k in _CONTEXT_FIELDS}, **values})


class SessionOpened(AuditEvent):
    name = "session-opened"


class SessionClosed(AuditEvent):
    name = "session-closed"


class TokenCreated(AuditEvent):
    name = "token-created"


class TokenDetokenized(AuditEvent):
    name = "token-detokenized"


class DetokenizeRefused(AuditEvent):
    name = "detokenize-refused"


class TokenRevoked(AuditEvent):
    name = "token-revoked"


class TokenExpired(AuditEvent):
    name = "token-expired"


class SessionShredded(AuditEvent):
    name = "session-shredded"


class KeyRotated(AuditEvent):
    name = "key-rotated"


class KeyVersionCreated(AuditEvent):
    """A new key version: by `veil keys rotate`, or automatically when one reaches its use limit."""

    name = "key-version-created"


class KeyRetired(AuditEvent):
    name = "key-retired"


class MessageBlocked(AuditEvent):
    name = "message-blocked"


class PolicyLoaded(AuditEvent):
    name = "policy-loaded"


class ResultStored(AuditEvent):
    """A result over its budget was kept for paging: `count` is its size in characters, `reason` its id."""

    name = "result-stored"


class CallCompleted(AuditEvent):
    """One per request the proxy answered (tools/call, resources/read, ...): outcome and `duration_ms`,
    the source of `veil audit stats` calls and latency."""

    name = "call-completed"


class AuditPruned(AuditEvent):
    """`veil audit prune`: `count` rows removed; `detail` holds `first_kept_seq` and `anchor`, the hash the
    kept chain continues from (repeated in the audit_checkpoints row)."""

    name = "audit-pruned"


class TokenizeSummary(AuditEvent):
    """One per tokenizing message: `detail` holds counts per entity type, `count` the total."""

    name = "tokenize-summary"


class ApprovalRequested(AuditEvent):
    """A call to an approval-required tool is waiting for a human: `reason` says how it is asked
    (`elicitation`, `input-required`, `out-of-band`, `none`), `detail` holds `call_hash` (keyed with the
    session's approval key: it confirms no guessed value) and the approval's `id`."""

    name = "approval-requested"


class ApprovalGranted(AuditEvent):
    """A human accepted: `actor` is the approver (`elicitation:<client>` or the terminal user)."""

    name = "approval-granted"


class ApprovalDenied(AuditEvent):
    """Refused: `reason` is `decline`, `cancel`, `mismatch` (an answer that does not fit the request, a
    replay, altered arguments), `no-approver` (a client that cannot elicit), `withdrawn` (the client cancelled
    the waiting call) or `denied` (out of band)."""

    name = "approval-denied"


class ApprovalExpired(AuditEvent):
    """Nobody answered before the approval's deadline: the call was refused."""

    name = "approval-expired"


EVENT_TYPES: dict[str, type[AuditEvent]] = {
    cls.name: cls
    for cls in (
        SessionOpened, SessionClosed, TokenCreated, TokenDetokenized, DetokenizeRefused, TokenRevoked,
        TokenExpired, SessionShredded, KeyRotated, MessageBlocked, PolicyLoaded, TokenizeSummary,
        KeyVersionCreated, KeyRetired, ResultStored,
        CallCompleted, AuditPruned,
        ApprovalRequested, ApprovalGranted, ApprovalDenied, ApprovalExpired,
    )
}  # fmt: skip


_CONTEXT_FIELDS = tuple(f.name for f in fields(AuditContext))
_EVENT_FIELDS = tuple(f.name for f in fields(AuditEvent))


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def _json(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, ASCII only (lone surrogates become escapes, not errors)."""
    return _CANONICAL.encode(value)


# The same canonical JSON without re-sorting per row: the dict is built in sorted key order.
_SORTED_FIELDS = tuple(sorted(HASHED_FIELDS))
_IN_ORDER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True)


def chain_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    """sha256(previous hash + canonical JSON of the hashed fields, time as ISO 8601)."""
    canonical = {k: row[k] for k in _SORTED_FIELDS}
    canonical["time"] = row["time"].isoformat()  # an existing key: its sorted position is kept
    return hashlib.sha256((prev_hash + _IN_ORDER.encode(canonical)).encode("ascii")).hexdigest()


def _row(event: AuditEvent, seq: int, time: datetime) -> dict[str, Any]:
    row: dict[str, Any] = {k: getattr(event, k) for k in _EVENT_FIELDS}
    row.update(seq=seq, time=time, event=event.name)
    row["detail"] = None if event.detail is None else _json(dict(event.detail))
    return row


def append(conn: Connection, events: Sequence[AuditEvent], clock: Clock) -> None:
    """Append events inside the caller's transaction.

    The head row is locked (FOR UPDATE on PostgreSQL; on SQLite the vault begins every write with
    BEGIN IMMEDIATE, which already serializes writers), so concurrent appends, from any number of
    processes, cannot fork the chain; a row's time is never before its predecessor's.
    """
    if not events:
        return
    head = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ROW_ID).with_for_update()
    seq, prev = conn.execute(head).one()
    now = _not_before_head(conn, seq, clock.now())
    rows = []
    for event in events:
        seq += 1
        row = _row(event, seq, now)
        row["prev_hash"] = prev
        row["hash"] = prev = chain_hash(prev, row)
        rows.append(row)
    _insert_rows(conn, rows, now)
    conn.execute(update(AuditHead).where(AuditHead.id == HEAD_ROW_ID).values(seq=seq, hash=prev))
    _roll_up(conn, rows, now)


def _not_before_head(conn: Connection, seq: int, now: datetime) -> datetime:
    """Chain time never goes backwards: several processes append to one chain, and one whose clock is
    behind stamps its rows with the previous row's time instead (skew tolerated explicitly; the vault
    already reads PostgreSQL's clock, so this only absorbs the residue of measuring it)."""
    if not seq or conn.dialect.name != "postgresql":  # SQLite: processes on one host share its clock
        return now
    last = conn.execute(select(AuditRecord.time).where(AuditRecord.seq == seq)).scalar()
    return last if last is not None and last > now else now


_INSERT_COLUMNS = (*HASHED_FIELDS, "prev_hash", "hash")
_SQLITE_INSERT = (
    f"INSERT INTO {AuditRecord.__tablename__} ({', '.join(_INSERT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _INSERT_COLUMNS)})"
)
# How SQLAlchemy stores a DateTime on SQLite (UTCDateTime reads it back as the same aware datetime).
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


def _insert_rows(conn: Connection, rows: list[dict[str, Any]], now: datetime) -> None:
    """One executemany. On SQLite straight to the driver: a message creating thousands of tokens writes
    thousands of rows, and SQLAlchemy's per-row parameter processing was a third of their cost."""
    if conn.dialect.name != "sqlite":
        conn.execute(insert(AuditRecord), rows)
        return
    stamp = now.astimezone(UTC).strftime(_SQLITE_TIME)
    params = [tuple(stamp if k == "time" else r[k] for k in _INSERT_COLUMNS) for r in rows]
    conn.exec_driver_sql(_SQLITE_INSERT, params)


# Latency buckets: 10% wide from 0.01 ms, so a percentile read from them is within 5% of the true value.
_BUCKET_BASE_MS, _BUCKET_GROWTH = 0.01, 1.1


def latency_bucket(ms: float) -> int:
    if ms <= _BUCKET_BASE_MS:
        return 0
    return int(math.log(ms / _BUCKET_BASE_MS) / math.log(_BUCKET_GROWTH)) + 1


def bucket_ms(bucket: int) -> float:
    """A bucket's representative latency (its geometric middle)."""
    return 0.0 if bucket <= 0 else _BUCKET_BASE_MS * _BUCKET_GROWTH ** (bucket - 0.5)


def _hour(t: datetime) -> datetime:
    return t.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _roll_up(conn: Connection, rows: Sequence[Mapping[str, Any]], now: datetime) -> None:
    """Add the appended rows to the hourly rollup `veil audit stats` reads (one upsert per distinct key)."""
    hour = _hour(now)
    sums: dict[tuple[str, str, str, str, str, int], list[int]] = {}
    for r in rows:
        ms = r["duration_ms"]
        key = (
            r["tool"] or "", r["backend"] or "", r["event"], r["entity_type"] or "", r["outcome"] or "",
            -1 if ms is None else latency_bucket(ms),
        )  # fmt: skip
        acc = sums.setdefault(key, [0, 0])
        acc[0] += 1
        acc[1] += r["count"] or 0
    keys = ("tool", "backend", "event", "entity_type", "outcome", "bucket")
    values = [
        {"hour": hour, **dict(zip(keys, k, strict=True)), "rows": n, "total": t} for k, (n, t) in sums.items()
    ]
    stmt = _dialect_insert(conn.dialect)(AuditRollup)
    stmt = stmt.on_conflict_do_update(
        index_elements=["hour", *keys],
        set_={
            "rows": AuditRollup.rows + stmt.excluded.rows,
            "total": AuditRollup.total + stmt.excluded.total,
        },
    )
    conn.execute(stmt, values)


def _dialect_insert(dialect: Dialect) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if dialect.name == "postgresql" else sqlite.insert


@dataclass(frozen=True)
class Checkpoint:
    """A chain head stored elsewhere (`veil audit checkpoint`): the log must still contain it."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        seq, sep, digest = text.strip().partition(":")
        if not sep or not seq.isdigit() or not _HEX64.fullmatch(digest):
            raise ValueError(f"invalid checkpoint {text!r}: expected SEQ:HASH, e.g. 1234:{'0f' * 32}")
        return cls(int(seq), digest)


_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows_checked: int
    first_bad_seq: int | None = None
    problem: str | None = None
    start_seq: int = 1  # where the kept chain starts (after pruning)
    head_seq: int = 0
    head_hash: str = GENESIS_HASH


def _decode_time(value: Any) -> datetime | None:
    """A row's time, read without the column type (a corrupted SQLite value must not abort a scan)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_RAW_TIME = type_coerce(AuditRecord.time, String).label("time")


def _snapshot(conn: Connection) -> Connection:
    """One consistent view for a multi-statement read: the head, the checkpoint and the rows agree."""
    if conn.dialect.name == "postgresql":
        return conn.execution_options(isolation_level="REPEATABLE READ")
    return conn.execution_options(veil_begin="DEFERRED")


def head(engine: Engine) -> Checkpoint:
    """The current head: last seq and its hash (seq 0 and the genesis hash for an empty log)."""
    with engine.connect() as conn:
        seq, digest = conn.execute(
            select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ROW_ID)
        ).one()
    return Checkpoint(int(seq), str(digest))


def verify(engine: Engine, checkpoint: Checkpoint | None = None) -> VerifyResult:
    """Walk the chain from its start; report the first row that does not follow from its predecessor.

    With `checkpoint` (a head printed earlier and kept elsewhere), the row at that seq must still carry
    that hash: this catches a truncated tail even when the head row was rewritten to match.
    """
    cols = [
        _RAW_TIME if k == "time" else getattr(AuditRecord, k) for k in (*HASHED_FIELDS, "prev_hash", "hash")
    ]
    with _snapshot(engine.connect()) as conn:
        conn = conn.execution_options(yield_per=1000)
        h_seq, h_hash = conn.execute(
            select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ROW_ID)
        ).one()
        cp = conn.execute(
            select(AuditCheckpoint.start_seq, AuditCheckpoint.prev_hash)
            .order_by(AuditCheckpoint.id.desc())
            .limit(1)
        ).first()
        start, anchor = (int(cp.start_seq), str(cp.prev_hash)) if cp else (1, GENESIS_HASH)
        expected, prev, checked = start, anchor, 0
        prune_recorded = cp is None

        def bad(seq: int, problem: str) -> VerifyResult:
            return VerifyResult(False, checked, seq, problem, start, int(h_seq), str(h_hash))

        for r in conn.execute(select(*cols).order_by(AuditRecord.seq)):
            row = r._asdict()
            seq = row["seq"]
            if seq < start:
                where = f"the kept chain, which starts at seq {start} after pruning" if cp else "seq 1"
                return bad(seq, f"a row was inserted before {where}")
            if seq != expected:
                return bad(expected, "a row is missing" if seq > expected else "rows are out of sequence")
            if row["prev_hash"] != prev:
                return bad(seq, "the previous-hash link is broken")
            row["time"] = _decode_time(row["time"])
            if row["time"] is None:
                return bad(seq, "the row is corrupted: its time cannot be read")
            try:
                digest = chain_hash(prev, row)
            except (TypeError, ValueError):
                return bad(seq, "the row is corrupted: its fields cannot be read")
            if digest != row["hash"]:
                return bad(seq, "the row was altered")
            if seq > h_seq:
                return bad(seq, "a row was added after the head (the last appended row)")
            if checkpoint is not None and seq == checkpoint.seq and digest != checkpoint.hash:
                return bad(seq, f"the row differs from the checkpoint {checkpoint}")
            if not prune_recorded and row["event"] == AuditPruned.name:
                prune_recorded = _records_prune(row["detail"], start, anchor)
            prev, expected, checked = digest, expected + 1, checked + 1
    last = expected - 1
    if (h_seq, h_hash) != (last, prev):
        return bad(expected, "rows at the end of the log were removed or added")
    if not prune_recorded:
        return bad(start, f"the chain starts at seq {start} but no audit-pruned event records that pruning")
    if checkpoint is not None:
        if checkpoint.seq > last:
            return bad(
                last + 1,
                f"the log ends at seq {last}, before the checkpoint at seq {checkpoint.seq}: "
                "rows were removed from the tail",
            )
        if checkpoint.seq < start - 1:
            return bad(
                start,
                f"the checkpoint at seq {checkpoint.seq} was pruned (the kept chain starts at seq {start}); "
                "it can no longer be checked: take a new checkpoint after pruning",
            )
        if checkpoint.seq == start - 1 and checkpoint.hash != anchor:
            return bad(start, f"the kept chain does not continue from the checkpoint {checkpoint}")
    return VerifyResult(True, checked, None, None, start, last, prev)


def _records_prune(detail: str | None, start: int, anchor: str) -> bool:
    try:
        d = json.loads(detail or "{}")
    except ValueError:
        return False
    return isinstance(d, dict) and d.get("first_kept_seq") == start and d.get("anchor") == anchor


@dataclass(frozen=True)
class PruneResult:
    pruned: int
    start_seq: int
    anchor: str


def prune(
    engine: Engine, before: datetime, *, actor: str, clock: Clock, through: int | None = None
) -> PruneResult:
    """Delete the rows older than `before` (never past seq `through`, the last one verified) and record
    where the kept chain starts: a checkpoint row, and an `audit-pruned` event appended to the chain.

    The cut is the first row whose time is not before `before`: every deleted row is older than it.
    """
    with engine.begin() as conn:
        h_seq, _ = conn.execute(
            select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ROW_ID).with_for_update()
        ).one()
        current = conn.execute(select(func.max(AuditCheckpoint.start_seq))).scalar() or 1
        cut = conn.execute(select(func.min(AuditRecord.seq)).where(AuditRecord.time >= before)).scalar()
        cut = int(h_seq) + 1 if cut is None else int(cut)
        if through is not None:
            cut = min(cut, through + 1)
        pruned = 0
        if cut > current:
            anchor = conn.execute(select(AuditRecord.hash).where(AuditRecord.seq == cut - 1)).scalar_one()
            pruned = conn.execute(delete(AuditRecord).where(AuditRecord.seq < cut)).rowcount
            conn.execute(
                insert(AuditCheckpoint).values(
                    time=clock.now(), start_seq=cut, prev_hash=anchor, pruned=pruned
                )
            )
            # Stats keep no hour that lies wholly before the cut.
            conn.execute(delete(AuditRollup).where(AuditRollup.hour < _hour(before)))
        else:
            cut = current
            anchor = (
                conn.execute(
                    select(AuditCheckpoint.prev_hash).order_by(AuditCheckpoint.id.desc()).limit(1)
                ).scalar()
                or GENESIS_HASH
            )
        detail: dict[str, int | str] = {"before": before.isoformat(), "first_kept_seq": cut, "anchor": anchor}
        append(conn, [AuditPruned(actor=actor, count=pruned, detail=detail)], clock)
    return PruneResult(pruned, cut, anchor)


def match_events(patterns: Iterable[str]) -> tuple[str, ...]:
    """Event names matching any of the globs (`approval-*`); an unknown name is a ValueError listing all."""
    names: set[str] = set()
    for pattern in patterns:
        hits = fnmatch.filter(EVENT_TYPES, pattern)
        if not hits:
            raise ValueError(f"unknown event {pattern!r}; valid events: {', '.join(sorted(EVENT_TYPES))}")
        names.update(hits)
    return tuple(sorted(names))


@dataclass(frozen=True)
class AuditQuery:
    """Filters for `veil audit query`; every field given narrows the result."""

    since: datetime | None = None
    until: datetime | None = None
    session_id: str | None = None
    tool: str | None = None
    backend: str | None = None
    entity_type: str | None = None
    token: str | None = None
    tokens: tuple[str, ...] | None = None  # any of these (`--value-stdin`); () matches nothing
    event: str | None = None
    events: tuple[str, ...] = ()  # any of these
    outcome: str | None = None
    limit: int | None = None
    offset: int = 0
    after_seq: int | None = None  # a cursor: the rows after this seq in the chosen order
    oldest_first: bool = False


OUTPUT_FIELDS = (
    "seq", "time", "event", "actor", "session_id", "backend", "direction", "method", "tool", "entity_type",
    "token", "count", "outcome", "reason", "detail", "duration_ms", "hash",
)  # fmt: skip


def query(engine: Engine, q: AuditQuery) -> Iterator[dict[str, Any]]:
    """Matching rows, newest first unless `oldest_first`, streamed; `detail` decoded.

    A row whose stored fields cannot be decoded (a corrupted row) is still returned, with the raw value
    and its field names in `malformed`; `verify` is what reports it.
    """
    a = AuditRecord
    order = a.seq if q.oldest_first else a.seq.desc()
    if len(q.events) > 1 and q.limit is not None:
        # One index range per event, each read in order and cut at the page: never a sort of every match.
        page = q.limit + q.offset
        parts = [_seqs(q, a.event == e).limit(page).subquery() for e in q.events]
        merged = union_all(*[select(part.c.seq) for part in parts]).subquery()
        seqs = select(merged.c.seq).order_by(merged.c.seq if q.oldest_first else merged.c.seq.desc())
    else:
        seqs = _seqs(q, a.event.in_(q.events) if q.events else None)
    if q.limit is not None:
        seqs = seqs.limit(q.limit)
    if q.offset:
        seqs = seqs.offset(q.offset)
    page_seqs = seqs.subquery()
    columns = [_RAW_TIME if k == "time" else getattr(a, k) for k in OUTPUT_FIELDS]
    stmt = select(*columns).where(a.seq.in_(select(page_seqs.c.seq))).order_by(order)
    with engine.connect().execution_options(veil_begin="DEFERRED", yield_per=1000) as conn:
        for r in conn.execute(stmt):
            yield _decoded(r._asdict())


def _seqs(q: AuditQuery, event_filter: Any) -> Any:
    """The seqs of the matching rows, in order: answered from the (column, seq) indexes alone."""
    a = AuditRecord
    stmt = select(a.seq)
    if q.since is not None:
        stmt = stmt.where(a.time >= q.since)
    if q.until is not None:
        stmt = stmt.where(a.time < q.until)
    for name in ("session_id", "tool", "backend", "entity_type", "token", "event", "outcome"):
        if getattr(q, name) is not None:
            stmt = stmt.where(getattr(a, name) == getattr(q, name))
    if event_filter is not None:
        stmt = stmt.where(event_filter)
    if q.tokens is not None:
        stmt = stmt.where(a.token.in_(q.tokens))
    if q.after_seq is not None:
        stmt = stmt.where(a.seq > q.after_seq if q.oldest_first else a.seq < q.after_seq)
    return stmt.order_by(a.seq if q.oldest_first else a.seq.desc())


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    malformed = []
    time = _decode_time(row["time"])
    if time is None:
        malformed.append("time")
    else:
        row["time"] = time
    if row["detail"] is not None:
        try:
            row["detail"] = json.loads(row["detail"])
        except ValueError:
            malformed.append("detail")
    if row["count"] is not None and not isinstance(row["count"], int):
        malformed.append("count")
    if malformed:
        row["malformed"] = malformed
    return row


def resolve_session(engine: Engine, ref: str) -> str:
    """A session id from an id or a session's current name (an unknown ref is taken as an id: the log
    outlives the sessions table's rows)."""
    with engine.connect().execution_options(veil_begin="DEFERRED") as conn:
        sid = conn.execute(select(Session.id).where(Session.name == ref)).scalar()
    return str(sid) if sid is not None else ref


def session_names(engine: Engine, session_ids: Iterable[str]) -> dict[str, str]:
    """The current name of each session that has one (names are labels chosen by the user, not values)."""
    ids = sorted(set(session_ids))
    if not ids:
        return {}
    with engine.connect().execution_options(veil_begin="DEFERRED") as conn:
        rows = conn.execute(
            select(Session.id, Session.name).where(Session.id.in_(ids), Session.name.is_not(None))
        ).all()
    return {sid: str(name) for sid, name in rows}


@dataclass(frozen=True)
class ValueSearch:
    """The tokens a value has across the vault, for `veil audit query --value-stdin`."""

    tokens: tuple[str, ...]
    sessions: int  # sessions searched (their data key still exists)
    shredded: int  # sessions that cannot be searched: their key was destroyed, their tokens are unlinkable


def value_tokens(
    engine: Engine, keyring: Keyring, value: str, entity_types: Sequence[str] | None
) -> ValueSearch:
    """The token `value` has in every session whose data key still exists, for each entity type given,
    else each type the vault has seen. In memory only: the value is never written anywhere, and a token is
    a keyed fingerprint of it (the same derivation as SessionVault.token_for)."""
    with engine.connect().execution_options(veil_begin="DEFERRED") as conn:
        rows = conn.execute(select(Session.id, Session.kek_version, Session.wrapped_dek)).all()
        if entity_types is None:
            seen = conn.execute(select(Token.entity_type).distinct()).scalars().all()
            logged = conn.execute(
                select(AuditRecord.entity_type).where(AuditRecord.entity_type.is_not(None)).distinct()
            ).scalars()
            entity_types = sorted({*seen, *(t for t in logged if t)})
    tokens: list[str] = []
    live = [(sid, version, wrapped) for sid, version, wrapped in rows if wrapped is not None]
    for sid, version, wrapped in live:
        key = token_hmac_key(keyring.unwrap_dek(wrapped, sid, version))
        tokens.extend(derive_token(key, et, value) for et in entity_types)
    return ValueSearch(tuple(tokens), len(live), len(rows) - len(live))


# Events that count toward the per-tool dashboard, and what they count.
_STAT_EVENTS = (
    "call-completed",
    "token-created",
    "tokenize-summary",
    "token-detokenized",
    "detokenize-refused",
    "message-blocked",
)


@dataclass
class ToolStats:
    """One row of `veil audit stats`: a tool on a backend (tool None: messages outside a tool call)."""

    tool: str | None
    backend: str | None
    calls: int = 0
    tokenized: dict[str, int] = field(default_factory=dict)  # new values tokenized, by entity type
    replaced: int = 0  # values replaced in messages toward the client (repeats included)
    detokenized: int = 0  # tokens given back to the backend as real values
    refused: int = 0
    blocked: int = 0
    errors: int = 0
    p50_ms: float | None = None
    p95_ms: float | None = None


def stats(engine: Engine, since: datetime | None = None, until: datetime | None = None) -> list[ToolStats]:
    """Per tool and backend: calls, values tokenized by type, detokenizations, refusals, errors, latency.

    Read from the hourly rollup (so a window starts at the hour `since` falls in). Calls and latency come
    from `call-completed` events, which the proxy writes per answered request with `duration_ms`; the
    percentiles are read from 10%-wide buckets.
    """
    r = AuditRollup
    window = []
    if since is not None:
        window.append(r.hour >= _hour(since))
    if until is not None:
        window.append(r.hour < until)
    stmt = (
        select(
            r.tool,
            r.backend,
            r.event,
            r.entity_type,
            r.outcome,
            r.bucket,
            func.sum(r.rows),
            func.sum(r.total),
        )
        .where(*window)
        .group_by(r.tool, r.backend, r.event, r.entity_type, r.outcome, r.bucket)
    )
    out: dict[tuple[str | None, str | None], ToolStats] = {}
    latencies: dict[tuple[str | None, str | None], dict[int, int]] = {}
    with engine.connect().execution_options(veil_begin="DEFERRED") as conn:
        grouped = conn.execute(stmt).all()
    for tool_, backend_, event, entity_type, outcome, bucket, n, total in grouped:
        if event not in _STAT_EVENTS and outcome != "error":
            continue
        key = (tool_ or None, backend_ or None)
        s = out.setdefault(key, ToolStats(*key))
        n, total = int(n), int(total or 0)
        if outcome == "error":
            s.errors += n
        if event == CallCompleted.name:
            s.calls += n
            if bucket >= 0:
                hist = latencies.setdefault(key, {})
                hist[bucket] = hist.get(bucket, 0) + n
        elif event == "token-created":
            s.tokenized[entity_type or "?"] = s.tokenized.get(entity_type or "?", 0) + n  # a row per value
        elif event == "tokenize-summary":
            s.replaced += total
        elif event == "token-detokenized":
            s.detokenized += total
        elif event == "detokenize-refused" and outcome == "refused":
            s.refused += n
        elif event == "message-blocked":
            s.blocked += n
    for key, hist in latencies.items():
        out[key].p50_ms = _percentile(hist, 0.50)
        out[key].p95_ms = _percentile(hist, 0.95)
    return sorted(out.values(), key=lambda s: (s.tool or "", s.backend or ""))


def _percentile(hist: Mapping[int, int], p: float) -> float:
    """The p-th percentile (nearest rank) of a latency histogram, as its bucket's representative value."""
    rank, seen = max(1, math.ceil(p * sum(hist.values()))), 0
    for bucket in sorted(hist):
        seen += hist[bucket]
        if seen >= rank:
            value = bucket_ms(bucket)
            return round(value, 1 if value >= 10 else 3)
    return 0.0
