"""Reading the audit log: `veil audit query` and the look-ups around it (session names, a value's tokens).

`query` reads the (column, seq) indexes newest first and tolerates a corrupted row (returned, flagged
`malformed`); `verify` names it. Every row comes back with its event's typed `fields`, whichever format
it was written in.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, union_all

from vault.audit.chain import RAW_TIME, decode_time
from vault.audit.events import COLUMN_FIELDS, EVENT_TYPES, AuditEvent
from vault.crypto import Keyring, token_hmac_key
from vault.models import AuditRecord, Session, Token
from vault.tokens import derive_token


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
    "token", "count", "outcome", "reason", "detail", "duration_ms", "hash", "fields",
)  # fmt: skip
"""Every output row's keys. `fields` holds the event's own typed fields (see vault.audit.events); `count`,
`reason` and `detail` show them as the first log format did, for tools that read those columns."""

_STORED = (*(k for k in OUTPUT_FIELDS if k != "fields"), "payload")


def query(engine: Engine, q: AuditQuery) -> Iterator[dict[str, Any]]:
    """Matching rows, newest first unless `oldest_first`, streamed; `detail` and `fields` decoded.

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
    columns = [RAW_TIME if k == "time" else getattr(a, k) for k in _STORED]
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
    time = decode_time(row["time"])
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
    payload = row.pop("payload")
    cls = EVENT_TYPES.get(row["event"])
    try:
        fields = _fields(cls, row, json.loads(payload) if payload is not None else None)
    except (TypeError, ValueError):
        malformed.append("payload")
        fields = {}
    row["fields"] = fields
    if cls is not None and payload is not None:
        for k, v in cls.to_legacy(fields).items():
            if row[k] is None:
                row[k] = v
    if malformed:
        row["malformed"] = malformed
    return row


def _fields(cls: type[AuditEvent] | None, row: dict[str, Any], payload: Any) -> dict[str, Any]:
    """Every field the event declares (None where it has no value): from its payload and the columns of
    its own; for a row written before typed events, read back from its count, reason and detail."""
    if payload is not None and not isinstance(payload, dict):
        raise ValueError("the payload is not an object")
    if cls is None:
        return dict(payload or {})
    stored = dict(payload) if payload is not None else _from_legacy(cls, row)
    declared = cls.field_names()
    for k in COLUMN_FIELDS:
        if k in declared:
            stored[k] = row[k]
    return {k: stored.get(k) for k in declared} | {k: v for k, v in stored.items() if k not in declared}


def _from_legacy(cls: type[AuditEvent], row: dict[str, Any]) -> dict[str, Any]:
    detail = row["detail"] if isinstance(row["detail"], dict) else None
    try:
        return cls.fields_from_legacy(row["count"], row["reason"], detail)
    except ValueError:  # a value the event has no field for: shown under its old name, not dropped
        old = {"count": row["count"], "reason": row["reason"], "detail": row["detail"]}
        return {k: v for k, v in old.items() if v is not None}


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


def match_events(patterns: Iterable[str]) -> tuple[str, ...]:
    """Event names matching any of the globs (`approval-*`); an unknown name is a ValueError listing all."""
    names: set[str] = set()
    for pattern in patterns:
        hits = fnmatch.filter(EVENT_TYPES, pattern)
        if not hits:
            raise ValueError(f"unknown event {pattern!r}; valid events: {', '.join(sorted(EVENT_TYPES))}")
        names.update(hits)
    return tuple(sorted(names))
