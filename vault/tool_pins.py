"""Tool pinning in the vault: each backend tool's definition as first seen, and a changed one waiting.

A rug pull (OWASP MCP03) is a server that changes a tool's description or schema after the user trusted
it, say to tell the model to send data elsewhere. The first definition seen of a (backend, tool) is pinned
(trust on first use); a later, different one is kept as *pending*, and the proxy hides the tool until an
operator approves it (`veil tools approve`). The state lives in the vault's database, so every proxy
process sharing it, on any day, sees the same pins.

Definitions are sealed (AES-GCM, bound to backend and tool) with a key derived from the master secret: a
description may hold anything. Fingerprints are HMACs under that key, so neither a row nor an audit event
confirms a guessed definition. Each change of state and its audit row share one transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from vault import audit
from vault.audit import AuditContext
from vault.crypto import open_bytes, seal_bytes
from vault.engine import VaultBase, dialect_insert
from vault.errors import ToolNotPending
from vault.models import ToolPin

APPROVED = "approved"
CHANGED = "changed"
COLLISION = "name-collision"


@dataclass(frozen=True)
class SeenTool:
    """A tool as a backend listed it: its definition (name excluded) and what was found in it."""

    backend: str
    tool: str
    definition: Mapping[str, Any]
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class PinInfo:
    backend: str
    tool: str
    status: str  # approved | changed
    fingerprint: str
    pending_fingerprint: str | None
    flags: str
    collides_with: tuple[str, ...]  # other backends listing a tool of the same name
    first_seen: datetime
    changed_at: datetime | None
    approved_by: str | None
    approved_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["collides_with"] = list(self.collides_with)
        for k in ("first_seen", "changed_at", "approved_at"):
            out[k] = out[k].isoformat() if out[k] is not None else None
        return out


def canonical(definition: Mapping[str, Any]) -> bytes:
    return json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def fingerprint(key: bytes, definition: Mapping[str, Any]) -> str:
    return hmac.new(key, canonical(definition), hashlib.sha256).hexdigest()


def observe(
    vault: VaultBase, seen: Sequence[SeenTool], *, session_id: str | None, ctx: AuditContext
) -> dict[tuple[str, str], str]:
    """Pin the tools seen for the first time, keep changed definitions as pending; the state of each
    (backend, tool): `approved` (its definition is the pinned one) or `changed` (hide it)."""
    key = vault.keyring.tool_pin_key()
    states: dict[tuple[str, str], str] = {}
    events: list[audit.AuditEvent] = []
    now = vault.clock.now()
    with vault._tx() as conn:
        rows = _rows(conn, {s.tool for s in seen})
        for s in seen:
            fp = fingerprint(key, s.definition)
            here = AuditContext(actor=ctx.actor, backend=s.backend, tool=s.tool)
            row = rows.get((s.backend, s.tool))
            if row is None:
                others = {b for (b, t) in rows if t == s.tool and b != s.backend}
                others |= {o.backend for o in seen if o.tool == s.tool and o.backend != s.backend}
                flags = _flags(s.flags + ((COLLISION,) if others else ()))
                inserted = conn.execute(  # RETURNING: rowcount is not reliable here on psycopg
                    dialect_insert(conn)(ToolPin)
                    .values(
                        backend=s.backend,
                        tool=s.tool,
                        fingerprint=fp,
                        definition=_seal(key, s, s.definition),
                        flags=flags,
                        first_seen=now,
                    )
                    .on_conflict_do_nothing()
                    .returning(ToolPin.id)
                ).first()
                if inserted is not None:
                    events.append(
                        audit.ToolPinned.of(here, session_id=session_id, fingerprint=fp, flags=flags or None)
                    )
                    if flags:
                        events.append(_reported(here, session_id, fp, flags))
                    states[(s.backend, s.tool)] = APPROVED
                    continue
                row = _rows(conn, {s.tool})[(s.backend, s.tool)]  # another process pinned it just now
            if row["fingerprint"] == fp:
                states[(s.backend, s.tool)] = APPROVED
                continue
            states[(s.backend, s.tool)] = CHANGED
            if row["pending_fingerprint"] != fp:
                flags = _flags(s.flags + tuple(f for f in row["flags"].split(",") if f == COLLISION))
                conn.execute(
                    update(ToolPin)
                    .where(ToolPin.backend == s.backend, ToolPin.tool == s.tool)
                    .values(
                        pending_fingerprint=fp,
                        pending_definition=_seal(key, s, s.definition),
                        flags=flags,
                        changed_at=now,
                    )
                )
                events.append(
                    audit.ToolChanged.of(
                        here, session_id=session_id, outcome="refused", fingerprint=fp, flags=flags or None
                    )
                )
                if s.flags:
                    events.append(_reported(here, session_id, fp, flags))
        if events:
            audit.append(conn, events, vault.clock)
    return states


def approved(vault: VaultBase, backend: str, tool: str, definition: Mapping[str, Any]) -> bool:
    """Whether `definition` is the pinned one of (backend, tool) now (an operator may have approved it)."""
    fp = fingerprint(vault.keyring.tool_pin_key(), definition)
    with vault._read() as conn:
        row = conn.execute(
            select(ToolPin.fingerprint).where(ToolPin.backend == backend, ToolPin.tool == tool)
        ).first()
    return row is not None and row[0] == fp


def list_pins(vault: VaultBase, *, changed_only: bool = False) -> list[PinInfo]:
    """Every pinned tool (only those waiting for approval with `changed_only`), by backend and name."""
    with vault._read() as conn:
        rows = [r._mapping for r in conn.execute(select(ToolPin).order_by(ToolPin.backend, ToolPin.tool))]
    by_name: dict[str, set[str]] = {}
    for r in rows:
        by_name.setdefault(r["tool"], set()).add(r["backend"])
    infos = [_info(r, tuple(sorted(by_name[r["tool"]] - {r["backend"]}))) for r in rows]
    return [i for i in infos if i.status == CHANGED] if changed_only else infos


def definitions(vault: VaultBase, backend: str, tool: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The pinned definition of a tool and the changed one waiting (None if none); ToolNotPending if the
    tool was never seen."""
    key = vault.keyring.tool_pin_key()
    row = _one(vault, backend, tool)
    pinned = _open(key, backend, tool, row["definition"])
    pending = row["pending_definition"]
    return pinned, (_open(key, backend, tool, pending) if pending is not None else None)


def approve(
    vault: VaultBase, backend: str, tool: str, *, approver: str, expected: str | None = None
) -> PinInfo:
    """Make the waiting definition the pinned one, audited. `expected`: the pending fingerprint (a prefix
    of it) the operator reviewed; a tool that changed again meanwhile is refused, as is one with nothing
    waiting."""
    now = vault.clock.now()
    with vault._tx() as conn:
        row = conn.execute(
            select(ToolPin).where(ToolPin.backend == backend, ToolPin.tool == tool).with_for_update()
        ).first()
        if row is None:
            raise ToolNotPending(f"no tool {tool!r} of backend {backend!r} has been seen")
        m = row._mapping
        pending = m["pending_fingerprint"]
        if pending is None:
            raise ToolNotPending(f"tool {tool!r} of backend {backend!r} has no changed definition waiting")
        if expected is not None and not pending.startswith(expected.lower()):
            raise ToolNotPending(
                f"tool {tool!r} of backend {backend!r} changed again since fingerprint {expected}: "
                "review `veil tools diff` again"
            )
        conn.execute(
            update(ToolPin)
            .where(ToolPin.id == m["id"], ToolPin.pending_fingerprint == pending)
            .values(
                fingerprint=pending,
                definition=m["pending_definition"],
                pending_fingerprint=None,
                pending_definition=None,
                approved_by=approver[:200],
                approved_at=now,
            )
        )
        ctx = AuditContext(actor=approver[:200], backend=backend, tool=tool)
        audit.append(
            conn, [audit.ToolApproved.of(ctx, fingerprint=pending, flags=m["flags"] or None)], vault.clock
        )
    return next(i for i in list_pins(vault) if i.backend == backend and i.tool == tool)


def _rows(conn: Connection, tools: set[str]) -> dict[tuple[str, str], Any]:
    if not tools:
        return {}
    result = conn.execute(select(ToolPin).where(ToolPin.tool.in_(sorted(tools))))
    return {(r.backend, r.tool): r._mapping for r in result}


def _one(vault: VaultBase, backend: str, tool: str) -> Any:
    with vault._read() as conn:
        row = conn.execute(select(ToolPin).where(ToolPin.backend == backend, ToolPin.tool == tool)).first()
    if row is None:
        raise ToolNotPending(f"no tool {tool!r} of backend {backend!r} has been seen")
    return row._mapping


def _info(m: Any, collides: tuple[str, ...]) -> PinInfo:
    return PinInfo(
        backend=m["backend"],
        tool=m["tool"],
        status=CHANGED if m["pending_fingerprint"] is not None else APPROVED,
        fingerprint=m["fingerprint"],
        pending_fingerprint=m["pending_fingerprint"],
        flags=m["flags"],
        collides_with=collides,
        first_seen=m["first_seen"],
        changed_at=m["changed_at"],
        approved_by=m["approved_by"],
        approved_at=m["approved_at"],
    )


def _flags(flags: Sequence[str]) -> str:
    return ",".join(sorted(set(flags)))


def _reported(ctx: AuditContext, session_id: str | None, fp: str, flags: str) -> audit.AuditEvent:
    return audit.ToolReported.of(ctx, session_id=session_id, fingerprint=fp, flags=flags)


def _aad(backend: str, tool: str) -> bytes:
    return b"tool-pin\x1f" + backend.encode() + b"\x1f" + tool.encode()


def _seal(key: bytes, s: SeenTool, definition: Mapping[str, Any]) -> bytes:
    return seal_bytes(key, canonical(definition), _aad(s.backend, s.tool))


def _open(key: bytes, backend: str, tool: str, blob: bytes) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(open_bytes(key, blob, _aad(backend, tool)))
    return loaded
