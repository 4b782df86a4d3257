"""Pending approvals in the vault: a waiting proxy writes one, `veil approvals approve|deny` decides it
from another process, the proxy polls it until its deadline.

Each state change and the audit row describing it share one transaction. A row holds the tokenized
prompt, the keyed call hash and who decided: never an argument's value.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from vault import audit
from vault.audit import AuditContext
from vault.engine import VaultBase
from vault.errors import ApprovalNotPending
from vault.models import PendingApproval
from vault.session_vault import SessionVault


@dataclass(frozen=True)
class ApprovalInfo:
    id: str
    session_id: str
    backend: str | None
    tool: str | None
    summary: str
    call_hash: str
    created_at: datetime
    deadline: datetime
    status: str
    decided_by: str | None
    decided_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        for k in ("created_at", "deadline", "decided_at"):
            out[k] = out[k].isoformat() if out[k] is not None else None
        return out


def new_id() -> str:
    return secrets.token_hex(16)


def request(
    sv: SessionVault,
    *,
    approval_id: str,
    summary: str,
    call_hash: str,
    timeout: timedelta,
    ctx: AuditContext,
) -> datetime:
    """Record a pending approval and its `approval-requested` row; returns the deadline."""
    vault = sv.vault
    now = vault.clock.now()
    deadline = now + timeout
    with vault._tx() as conn:
        conn.execute(
            insert(PendingApproval).values(
                id=approval_id,
                session_id=sv.session_id,
                backend=ctx.backend,
                tool=ctx.tool,
                summary=summary,
                call_hash=call_hash,
                created_at=now,
                deadline=deadline,
                status="pending",
            )
        )
        event = audit.ApprovalRequested.of(
            ctx, session_id=sv.session_id, reason="out-of-band", approval=approval_id, call_hash=call_hash
        )
        audit.append(conn, [event], vault.clock)
    return deadline


def status(vault: VaultBase, approval_id: str) -> ApprovalInfo | None:
    with vault._read() as conn:
        row = conn.execute(select(PendingApproval).where(PendingApproval.id == approval_id)).first()
    return None if row is None else _info(row)


def list_approvals(vault: VaultBase, *, everything: bool = False) -> list[ApprovalInfo]:
    """Pending approvals still within their deadline (all of them, newest first, with `everything`)."""
    stmt = select(PendingApproval).order_by(PendingApproval.created_at.desc())
    if not everything:
        stmt = stmt.where(PendingApproval.status == "pending", PendingApproval.deadline > vault.clock.now())
    with vault._read() as conn:
        return [_info(r) for r in conn.execute(stmt).all()]


def decide(vault: VaultBase, approval_id: str, *, grant: bool, approver: str) -> ApprovalInfo:
    """Grant or deny a pending approval (the terminal's verb). Only a pending approval within its deadline
    can be decided, once; anything else raises ApprovalNotPending and changes nothing."""
    now = vault.clock.now()
    new_status = "granted" if grant else "denied"
    with vault._tx() as conn:
        row = conn.execute(
            select(PendingApproval).where(PendingApproval.id == approval_id).with_for_update()
        ).first()
        if row is None:
            raise ApprovalNotPending(approval_id, "unknown")
        current = _info(row)
        if current.status != "pending":
            raise ApprovalNotPending(approval_id, current.status)
        if current.deadline <= now:
            raise ApprovalNotPending(approval_id, "past its deadline")
        conn.execute(
            update(PendingApproval)
            .where(PendingApproval.id == approval_id, PendingApproval.status == "pending")
            .values(status=new_status, decided_by=approver[:200], decided_at=now)
        )
        ctx = AuditContext(actor=approver[:200], backend=current.backend, tool=current.tool)
        cls = audit.ApprovalGranted if grant else audit.ApprovalDenied
        event = cls.of(
            ctx,
            session_id=current.session_id,
            outcome="ok" if grant else "refused",
            reason="out-of-band" if grant else "denied",
            approval=approval_id,
            call_hash=current.call_hash,
        )
        audit.append(conn, [event], vault.clock)
    info = status(vault, approval_id)
    assert info is not None
    return info


def expire(sv: SessionVault, approval_id: str, ctx: AuditContext) -> bool:
    """Mark a still-pending approval expired and audit it; False if it was decided meanwhile."""
    return _close(sv, approval_id, ctx, "expired", audit.ApprovalExpired, None)


def withdraw(sv: SessionVault, approval_id: str, ctx: AuditContext) -> bool:
    """The client cancelled the waiting call: a still-pending approval is denied (it can no longer run)."""
    return _close(sv, approval_id, ctx, "denied", audit.ApprovalDenied, "withdrawn")


def _close(
    sv: SessionVault,
    approval_id: str,
    ctx: AuditContext,
    new_status: str,
    kind: type[audit.AuditEvent],
    reason: str | None,
) -> bool:
    vault = sv.vault
    with vault._tx() as conn:
        changed = conn.execute(
            update(PendingApproval)
            .where(PendingApproval.id == approval_id, PendingApproval.status == "pending")
            .values(status=new_status, decided_at=vault.clock.now())
        ).rowcount
        if changed:
            call_hash = conn.execute(
                select(PendingApproval.call_hash).where(PendingApproval.id == approval_id)
            ).scalar_one()
            event = kind.of(
                ctx,
                session_id=sv.session_id,
                outcome="refused",
                reason=reason,
                approval=approval_id,
                call_hash=call_hash,
            )
            audit.append(conn, [event], vault.clock)
    return bool(changed)


def _info(row: Any) -> ApprovalInfo:
    m = row._mapping
    return ApprovalInfo(**{k: m[k] for k in ApprovalInfo.__dataclass_fields__})
