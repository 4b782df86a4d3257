"""The audit log: stable event names, value-free rows, a hash chain that detects tampering."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, insert, select, text, update

from vault import audit
from vault.audit import AuditContext, AuditQuery
from vault.clock import FrozenClock
from vault.errors import TokenRefused
from vault.models import AuditHead, AuditRecord
from vault.store import SessionVault, Vault

CANARIES = [
    ("EMAIL_ADDRESS", "canary.7f3a@example.com"),
    ("PERSON", "Canary Zoë Q"),
    ("PHONE", "+1 555 0199"),
]


def workload(vault: Vault, ctx: AuditContext) -> SessionVault:
    s = vault.open_session(name="desk", ctx=ctx)
    tokens = s.tokenize(CANARIES, ctx)
    s.detokenize(tokens, ctx)
    with pytest.raises(TokenRefused):
        s.detokenize(["[[EMAIL_ADDRESS:canary.7f3a@example.com]]"], ctx)
    vault.revoke_tokens(actor="admin", tokens=tokens[:1])
    s.record([audit.MessageBlocked.of(ctx, session_id=s.session_id, outcome="blocked", reason="too-deep")])
    return s


def test_event_names_are_stable_kebab_case() -> None:
    assert {
        "session-opened", "session-closed", "token-created", "token-detokenized", "detokenize-refused",
        "token-revoked", "token-expired", "session-shredded", "key-rotated", "message-blocked",
        "policy-loaded", "tokenize-summary", "key-version-created", "key-retired", "call-completed",
        "audit-pruned",
    } <= set(audit.EVENT_TYPES)  # fmt: skip
    assert audit.TokenCreated.name == "token-created"


def test_an_event_accepts_only_well_formed_tokens_and_known_outcomes() -> None:
    with pytest.raises(ValueError):
        audit.TokenCreated(token="[[EMAIL_ADDRESS:bob@example.com]]")
    with pytest.raises(ValueError):
        audit.TokenCreated(outcome="maybe")
    with pytest.raises(ValueError):
        audit.TokenCreated(direction="sideways")


def test_the_audit_chain_verifies_after_a_mixed_workload(vault: Vault, ctx: AuditContext) -> None:
    workload(vault, ctx)
    result = vault.verify_audit()
    assert result.ok and result.rows_checked > 8 and result.first_bad_seq is None


def test_no_plaintext_value_appears_in_any_audit_row(vault: Vault, ctx: AuditContext) -> None:
    workload(vault, ctx)
    with vault.engine.connect() as conn:
        rows = [str(tuple(r)) for r in conn.execute(select(AuditRecord))]
    blob = "\n".join(rows).casefold()
    for _, value in CANARIES:
        assert value.casefold() not in blob
    assert "canary" not in blob


def test_verify_detects_an_edited_row(vault: Vault, ctx: AuditContext) -> None:
    workload(vault, ctx)
    with vault.engine.begin() as conn:
        conn.execute(update(AuditRecord).where(AuditRecord.seq == 3).values(actor="someone else"))
    result = vault.verify_audit()
    assert (result.ok, result.first_bad_seq, result.rows_checked) == (False, 3, 2)


def test_verify_detects_a_deleted_row(vault: Vault, ctx: AuditContext) -> None:
    workload(vault, ctx)
    with vault.engine.begin() as conn:
        conn.execute(delete(AuditRecord).where(AuditRecord.seq == 4))
    result = vault.verify_audit()
    assert (result.ok, result.first_bad_seq, result.problem) == (False, 4, "a row is missing")


def test_verify_detects_a_truncated_tail_and_an_appended_row(vault: Vault, ctx: AuditContext) -> None:
    workload(vault, ctx)
    with vault.engine.begin() as conn:
        last = conn.execute(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)).one()
        conn.execute(delete(AuditRecord).where(AuditRecord.seq == last.seq))
    assert not vault.verify_audit().ok
    with vault.engine.begin() as conn:
        conn.execute(insert(AuditRecord).values(**{**last._asdict(), "reason": "forged"}))
    assert vault.verify_audit().problem == "the row was altered"
    with vault.engine.begin() as conn:
        conn.execute(update(AuditRecord).where(AuditRecord.seq == last.seq).values(reason=last.reason))
        forged = {**last._asdict(), "seq": last.seq + 1, "prev_hash": last.hash}
        conn.execute(insert(AuditRecord).values(**forged))
    assert vault.verify_audit().problem == "the row was altered"


def test_an_empty_log_verifies(vault: Vault) -> None:
    assert vault.verify_audit() == audit.VerifyResult(True, 0)


def test_the_head_row_tracks_the_last_seq_and_hash(vault: Vault, ctx: AuditContext) -> None:
    workload(vault, ctx)
    with vault.engine.connect() as conn:
        head = conn.execute(select(AuditHead)).one()
        last = conn.execute(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)).one()
    assert (head.seq, head.hash) == (last.seq, last.hash)


def test_query_filters_by_event_session_outcome_and_time(
    vault: Vault, ctx: AuditContext, clock: FrozenClock
) -> None:
    s = workload(vault, ctx)
    clock.advance(timedelta(minutes=5))
    later = clock.now()
    s.record([audit.PolicyLoaded(actor="proxy", files="default.yaml", sha256="0f" * 8)])
    assert [r["event"] for r in audit.query(vault.engine, AuditQuery(since=later))] == ["policy-loaded"]
    refused = list(audit.query(vault.engine, AuditQuery(event="detokenize-refused", session_id=s.session_id)))
    assert len(refused) == 1 and refused[0]["detail"].keys() == {"fingerprint"}
    blocked = list(audit.query(vault.engine, AuditQuery(outcome="blocked", tool="get")))
    assert [(r["event"], r["reason"]) for r in blocked] == [("message-blocked", "too-deep")]
    assert len(list(audit.query(vault.engine, AuditQuery(limit=2)))) == 2
    assert all(r["time"].tzinfo is not None for r in audit.query(vault.engine, AuditQuery()))


def test_a_failed_append_leaves_the_chain_intact(
    vault: Vault, session: SessionVault, ctx: AuditContext
) -> None:
    session.tokenize([("PERSON", "Bob")], ctx)
    with pytest.raises(ValueError), vault.engine.begin() as conn:
        audit.append(conn, [audit.PolicyLoaded(actor="x")], vault.clock)
        raise ValueError("the operation failed after its audit row was written")
    assert vault.verify_audit().ok
    with vault.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_events")).scalar() == 3
