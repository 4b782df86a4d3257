"""Key versions: use limits below the GCM nonce budget, resumable rotation, and retirement."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from typed_rows import audit_rows

from vault.audit import AuditContext
from vault.clock import FrozenClock
from vault.errors import KeyBudgetExhausted, KeyVersionInUse
from vault.keys import MasterKey
from vault.models import KeyVersion, Session
from vault.store import KEY_USE_LIMIT, Vault

EMAIL = ("EMAIL_ADDRESS", "bob@example.com")


def events(vault: Vault, name: str) -> list[Any]:
    return list(audit_rows(vault, name))


def test_the_default_use_limit_is_far_below_the_gcm_nonce_budget() -> None:
    assert KEY_USE_LIMIT <= 2**30 < 2**32


def test_a_key_version_at_its_use_limit_is_replaced_by_a_new_one_automatically(
    vault_url: str, master: MasterKey, clock: FrozenClock, ctx: AuditContext
) -> None:
    vault = Vault.open(vault_url, master, clock=clock, key_use_limit=3)
    try:
        sessions = [vault.open_session(ctx=ctx) for _ in range(7)]
        status = vault.key_status()
        assert [(k.version, k.use_count) for k in status] == [(1, 3), (2, 3), (3, 1)]
        assert [k.current for k in status] == [False, False, True]
        assert all(k.retired_at is None for k in status)  # older versions still decrypt
        tokens = [s.tokenize([EMAIL], ctx)[0] for s in sessions]
        reopened = Vault.open(vault_url, master, key_use_limit=3)
        try:
            for s, token in zip(sessions, tokens, strict=True):
                assert s.detokenize([token], ctx) == {token: EMAIL[1]}
        finally:
            reopened.close()
        assert [e.reason for e in events(vault, "key-version-created")] == ["use-limit", "use-limit"]
    finally:
        vault.close()


def test_a_session_whose_data_key_reached_its_use_limit_refuses_new_values_but_serves_old_ones(
    vault_url: str, master: MasterKey, ctx: AuditContext
) -> None:
    vault = Vault.open(vault_url, master, key_use_limit=2)
    try:
        s = vault.open_session(ctx=ctx)
        tokens = s.tokenize([EMAIL, ("PERSON", "Bob")], ctx)
        with pytest.raises(KeyBudgetExhausted, match="use limit"):
            s.tokenize([("PERSON", "Carol")], ctx)
        assert s.tokenize([EMAIL], ctx) == tokens[:1]  # already stored: no new encryption
        assert s.detokenize(tokens, ctx) == {tokens[0]: EMAIL[1], tokens[1]: "Bob"}
        assert vault.session_detail(s.session_id).dek_uses == 2
    finally:
        vault.close()


def test_rotation_rewraps_every_live_session_and_old_versions_keep_decrypting_until_retired(
    vault_url: str, master: MasterKey, vault: Vault, ctx: AuditContext
) -> None:
    named = vault.open_session(name="desk", ctx=ctx)
    [token] = named.tokenize([EMAIL], ctx)
    others = [vault.open_session(ctx=ctx) for _ in range(4)]
    vault.shred_session(others[0].session_id, actor="admin")
    seen: list[tuple[int, int]] = []
    result = vault.rotate_keys(actor="admin", batch_size=2, progress=lambda d, t: seen.append((d, t)))
    assert (result.version, result.rewrapped, result.resumed) == (2, 4, False)
    assert seen == [(0, 4), (2, 4), (4, 4)]
    assert {(k.version, k.sessions, k.current, k.rotating) for k in vault.key_status()} == {
        (1, 0, False, False),
        (2, 4, True, False),
    }
    vault.retire_key(1, actor="admin")
    assert vault.key_status()[0].retired_at is not None
    reopened = Vault.open(vault_url, master)
    try:
        assert reopened.open_session(name="desk", ctx=ctx).detokenize([token], ctx) == {token: EMAIL[1]}
    finally:
        reopened.close()
    assert [e.actor for e in events(vault, "key-retired")] == ["admin"]


def test_an_interrupted_rotation_resumes_on_the_same_version(vault: Vault, ctx: AuditContext) -> None:
    for _ in range(5):
        vault.open_session(ctx=ctx)

    def interrupt(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        vault.rotate_keys(actor="admin", batch_size=2, progress=interrupt)
    [_, pending] = vault.key_status()
    assert pending.rotating and pending.sessions == 2
    with pytest.raises(KeyVersionInUse):
        vault.retire_key(1, actor="admin")
    result = vault.rotate_keys(actor="admin", batch_size=2)
    assert (result.version, result.rewrapped, result.resumed) == (2, 3, True)
    assert [k.version for k in vault.key_status()] == [1, 2]
    assert not vault.key_status()[1].rotating
    assert len(events(vault, "key-rotated")) == 1
    assert vault.rotate_keys(actor="admin").version == 3  # a finished rotation is not resumed


def test_retiring_a_version_still_needed_refuses_and_names_the_sessions(
    vault_url: str, master: MasterKey, ctx: AuditContext
) -> None:
    vault = Vault.open(vault_url, master, key_use_limit=1)
    try:
        old = vault.open_session(name="yesterday", ctx=ctx)
        vault.open_session(ctx=ctx)  # version 1 is full: this one is wrapped under version 2
        with pytest.raises(KeyVersionInUse) as e:
            vault.retire_key(1, actor="admin")
        assert old.session_id in str(e.value) and "yesterday" in str(e.value)
        assert e.value.sessions == [f"{old.session_id} (yesterday)"]
        with pytest.raises(KeyVersionInUse):
            vault.retire_key(2, actor="admin")
        with pytest.raises(ValueError, match="no key version 9"):
            vault.retire_key(9, actor="admin")
        vault.shred_session("yesterday", actor="admin")
        vault.retire_key(1, actor="admin")
        vault.retire_key(1, actor="admin")  # idempotent
        with vault.engine.connect() as conn:
            retired = conn.execute(select(KeyVersion.version).where(KeyVersion.retired_at.is_not(None)))
            assert list(retired.scalars()) == [1]
            assert conn.execute(select(Session.kek_version).where(Session.name.is_(None))).scalar() == 2
    finally:
        vault.close()


def test_the_current_version_cannot_be_retired_even_when_no_session_needs_it(vault: Vault) -> None:
    with pytest.raises(ValueError, match="current"):
        vault.retire_key(1, actor="admin")


def test_a_new_session_is_never_wrapped_under_a_retired_version(vault: Vault, ctx: AuditContext) -> None:
    vault.rotate_keys(actor="admin")
    vault.retire_key(1, actor="admin")
    s = vault.open_session(ctx=ctx)
    assert vault.session_detail(s.session_id).info.kek_version == 2


def test_rotation_skips_and_names_a_session_whose_wrapped_key_is_damaged(
    vault: Vault, ctx: AuditContext
) -> None:
    from sqlalchemy import update

    good, bad = vault.open_session(ctx=ctx), vault.open_session(ctx=ctx)
    with vault.engine.begin() as conn:
        conn.execute(update(Session).where(Session.id == bad.session_id).values(wrapped_dek=b"\x00" * 60))
    result = vault.rotate_keys(actor="admin", batch_size=1)
    assert (result.rewrapped, result.unreadable) == (1, [bad.session_id])
    with pytest.raises(KeyVersionInUse, match=bad.session_id):
        vault.retire_key(1, actor="admin")
    assert vault.session_detail(good.session_id).info.kek_version == 2
