"""Pending approvals in the vault, on both engines: decided once, within the deadline, audited in the same
transaction; the call hash is keyed per session."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from vault import approvals, audit
from vault.audit import AuditContext
from vault.clock import FrozenClock
from vault.errors import ApprovalNotPending
from vault.store import SessionVault, Vault


def pend(session: SessionVault, ctx: AuditContext, approval_id: str = "a" * 32) -> str:
    approvals.request(
        session,
        approval_id=approval_id,
        summary='Tool: send_note\nArguments: {"to": "[[EMAIL_ADDRESS:aaaaaaaaaaaaaaaa]]"}',
        call_hash="f" * 64,
        timeout=timedelta(minutes=2),
        ctx=ctx,
    )
    return approval_id


def events(vault: Vault) -> list[tuple[str, str | None, str | None]]:
    q = audit.AuditQuery(events=tuple(n for n in audit.EVENT_TYPES if n.startswith("approval-")))
    return [(r["event"], r["actor"], r["reason"]) for r in audit.query(vault.engine, q)][::-1]


def test_an_approval_is_decided_once_and_both_steps_are_audited(vault, session, ctx):
    approval_id = pend(session, ctx)
    assert [a.id for a in approvals.list_approvals(vault)] == [approval_id]
    info = approvals.decide(vault, approval_id, grant=True, approver="ops:alice")
    assert (info.status, info.decided_by) == ("granted", "ops:alice")
    with pytest.raises(ApprovalNotPending, match="is granted, not pending"):
        approvals.decide(vault, approval_id, grant=False, approver="ops:mallory")
    assert approvals.list_approvals(vault) == []
    assert events(vault) == [
        ("approval-requested", "test", "out-of-band"),
        ("approval-granted", "ops:alice", "out-of-band"),
    ]
    assert vault.verify_audit().ok


def test_past_its_deadline_an_approval_cannot_be_granted_and_expires(vault, session, ctx, clock: FrozenClock):
    approval_id = pend(session, ctx)
    clock.advance(timedelta(minutes=3))
    with pytest.raises(ApprovalNotPending, match="past its deadline"):
        approvals.decide(vault, approval_id, grant=True, approver="ops:alice")
    assert approvals.expire(session, approval_id, ctx) is True
    assert approvals.expire(session, approval_id, ctx) is False  # once
    assert approvals.status(vault, approval_id).status == "expired"
    assert [e[0] for e in events(vault)] == ["approval-requested", "approval-expired"]


def test_an_unknown_approval_is_refused_without_a_trace(vault):
    with pytest.raises(ApprovalNotPending, match="is unknown"):
        approvals.decide(vault, "b" * 32, grant=True, approver="ops:alice")
    assert events(vault) == []


def test_the_call_hash_is_keyed_per_session_so_it_confirms_no_guess(vault, ctx):
    one, two = vault.open_session(ctx=ctx), vault.open_session(ctx=ctx)
    canonical = b'{"arguments":{"to":"jane.miller@acme-plumbing.example"},"tool":"send_note"}'
    assert one.call_hash(canonical) == one.call_hash(canonical)
    assert one.call_hash(canonical) != two.call_hash(canonical)
    assert one.call_hash(canonical) != hashlib.sha256(canonical).hexdigest()
