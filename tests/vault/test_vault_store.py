"""The vault API the proxy uses, on SQLite and PostgreSQL."""

from __future__ import annotations

import secrets
import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, event, select, text, update
from typed_rows import audit_rows

from vault.audit import AuditContext
from vault.clock import FrozenClock
from vault.errors import (
    RefusalReason,
    SessionGone,
    SessionNotFound,
    TokenRefused,
    VaultUnavailable,
    WrongMasterKey,
)
from vault.keys import MasterKey
from vault.models import Token
from vault.store import SessionVault, TokenFilter, Vault

EMAIL = ("EMAIL_ADDRESS", "bob@example.com")
PRAGMAS = ("journal_mode", "busy_timeout", "synchronous", "foreign_keys", "secure_delete")


def refusal(session: SessionVault, tokens: list[str], ctx: AuditContext) -> RefusalReason:
    with pytest.raises(TokenRefused) as e:
        session.detokenize(tokens, ctx)
    return e.value.reason


def dump(url: str) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = ["key_versions", "sessions", "tokens", "audit_events", "audit_head"]
            return [list(conn.execute(text(f"SELECT * FROM {n} ORDER BY 1"))) for n in names]
    finally:
        engine.dispose()


def test_the_same_value_gets_the_same_token_within_a_session_and_another_across_sessions(
    vault: Vault, ctx: AuditContext
) -> None:
    a, b = vault.open_session(ctx=ctx), vault.open_session(ctx=ctx)
    first = a.tokenize([EMAIL, ("PERSON", "Bob")], ctx)
    assert a.tokenize([EMAIL], ctx) == first[:1] == [a.token_for(*EMAIL)]
    assert b.tokenize([EMAIL], ctx) != first[:1]
    assert first[0].startswith("[[EMAIL_ADDRESS:") and first[1].startswith("[[PERSON:")


@pytest.mark.parametrize(
    "value", ["bob@example.com", "Zoë 日本 🙂 \u200b", "lone \udc80 surrogate", " padded "]
)
def test_values_round_trip_through_tokenize_and_detokenize(
    session: SessionVault, ctx: AuditContext, value: str
) -> None:
    [token] = session.tokenize([("PERSON", value)], ctx)
    assert session.detokenize([token, token], ctx) == {token: value}


def test_a_token_from_another_session_is_refused(vault: Vault, ctx: AuditContext) -> None:
    a, b = vault.open_session(ctx=ctx), vault.open_session(ctx=ctx)
    [token] = b.tokenize([EMAIL], ctx)
    assert refusal(a, [token], ctx) is RefusalReason.FOREIGN_SESSION


def test_an_unknown_token_is_refused(session: SessionVault, ctx: AuditContext) -> None:
    assert refusal(session, ["[[EMAIL_ADDRESS:aaaaaaaaaaaaaaaa]]"], ctx) is RefusalReason.UNKNOWN


def test_a_malformed_token_is_refused_without_repeating_what_was_written(
    vault: Vault, session: SessionVault, ctx: AuditContext
) -> None:
    written = "[[EMAIL_ADDRESS:bob@example.com]]"
    with pytest.raises(TokenRefused) as e:
        session.detokenize([written], ctx)
    assert e.value.reason is RefusalReason.MALFORMED
    assert "bob@example.com" not in str(e.value)
    [row] = audit_rows(vault, "detokenize-refused")
    assert row.token is None and row.reason == "malformed" and "bob" not in (row.detail or "")


def test_one_refused_token_refuses_the_whole_call_and_every_refusal_is_audited(
    vault: Vault, session: SessionVault, ctx: AuditContext
) -> None:
    [good] = session.tokenize([EMAIL], ctx)
    unknown = "[[PERSON:bbbbbbbbbbbbbbbb]]"
    assert refusal(session, [good, unknown, "[[nope]]"], ctx) is RefusalReason.UNKNOWN
    assert [r.reason for r in audit_rows(vault, "detokenize-refused")] == ["unknown", "malformed"]
    assert audit_rows(vault, "token-detokenized") == []


def test_a_revoked_token_is_refused_and_stays_revoked_when_its_value_is_tokenized_again(
    vault_url: str, master: MasterKey, vault: Vault, ctx: AuditContext
) -> None:
    session = vault.open_session(name="desk", ctx=ctx)
    [token] = session.tokenize([EMAIL], ctx)
    assert vault.revoke_tokens(actor="admin", tokens=[token]) == 1
    assert refusal(session, [token], ctx) is RefusalReason.REVOKED
    assert session.tokenize([EMAIL], ctx) == [token]
    other = Vault.open(vault_url, master)  # no cache there: the value goes through the upsert again
    try:
        assert other.open_session(name="desk", ctx=ctx).tokenize([EMAIL, ("PERSON", "x")], ctx)[0] == token
    finally:
        other.close()
    assert refusal(session, [token], ctx) is RefusalReason.REVOKED
    [row] = audit_rows(vault, "token-revoked")
    assert (row.token, row.actor) == (token, "admin")


def test_revocation_by_another_process_is_honoured_on_the_next_call(
    vault_url: str, master: MasterKey, vault: Vault, ctx: AuditContext
) -> None:
    named = vault.open_session(name="desk", ctx=ctx)
    [token] = named.tokenize([EMAIL], ctx)
    assert named.detokenize([token], ctx) == {token: EMAIL[1]}
    other = Vault.open(vault_url, master)
    try:
        assert other.revoke_tokens(actor="admin", session="desk") == 1
    finally:
        other.close()
    assert refusal(named, [token], ctx) is RefusalReason.REVOKED


def test_an_expired_token_is_refused(session: SessionVault, ctx: AuditContext, clock: FrozenClock) -> None:
    [token] = session.tokenize([EMAIL], ctx, ttl=timedelta(hours=1))
    assert session.detokenize([token], ctx) == {token: EMAIL[1]}
    clock.advance(timedelta(hours=2))
    assert refusal(session, [token], ctx) is RefusalReason.EXPIRED


def test_an_expired_session_is_refused_and_a_new_one_takes_its_name(
    vault: Vault, ctx: AuditContext, clock: FrozenClock
) -> None:
    old = vault.open_session(name="desk", ttl=timedelta(days=1), ctx=ctx)
    [token] = old.tokenize([EMAIL], ctx)
    clock.advance(timedelta(days=2))
    assert refusal(old, [token], ctx) is RefusalReason.SESSION_EXPIRED
    with pytest.raises(SessionGone):
        old.tokenize([("PERSON", "new value")], ctx)
    new = vault.open_session(name="desk", ttl=timedelta(days=1), ctx=ctx)
    assert new.session_id != old.session_id
    assert new.tokenize([EMAIL], ctx) != [token]
    assert {s.name for s in vault.list_sessions() if s.id == old.session_id} == {None}


def test_resuming_a_session_by_name_gives_the_same_tokens_and_known_values(
    vault_url: str, master: MasterKey, vault: Vault, ctx: AuditContext
) -> None:
    first = vault.open_session(name="claude-desktop", ctx=ctx)
    tokens = first.tokenize([EMAIL, ("PERSON", "Zoë \ud800")], ctx)
    again = Vault.open(vault_url, master)  # a restarted process
    try:
        resumed = again.open_session(name="claude-desktop", ctx=ctx)
        assert resumed.session_id == first.session_id
        assert resumed.known_values() == {EMAIL: tokens[0], ("PERSON", "Zoë \ud800"): tokens[1]}
        assert resumed.tokenize([EMAIL], ctx) == tokens[:1]
        assert resumed.detokenize(tokens, ctx) == {tokens[0]: EMAIL[1], tokens[1]: "Zoë \ud800"}
    finally:
        again.close()
    assert [r.reason for r in audit_rows(vault, "session-opened")] == ["created", "resumed"]


def test_known_values_grow_as_values_are_tokenized(session: SessionVault, ctx: AuditContext) -> None:
    assert session.known_values() == {}
    [token] = session.tokenize([EMAIL], ctx)
    session.tokenize([EMAIL], ctx)
    assert session.known_values() == {EMAIL: token}


def test_a_wrong_master_key_is_refused_naming_its_source_and_the_database_is_untouched(
    vault_url: str, vault: Vault, ctx: AuditContext
) -> None:
    vault.open_session(name="desk", ctx=ctx).tokenize([EMAIL], ctx)
    vault.close()
    before = dump(vault_url)
    wrong = MasterKey(secrets.token_bytes(32), "key file /home/me/.local/share/veil/master.key")
    with pytest.raises(WrongMasterKey) as e:
        Vault.open(vault_url, wrong)
    assert "key file /home/me/.local/share/veil/master.key" in str(e.value)
    assert dump(vault_url) == before


def test_a_ciphertext_moved_to_another_row_is_refused_as_undecryptable(
    vault: Vault, ctx: AuditContext
) -> None:
    a, b = vault.open_session(ctx=ctx), vault.open_session(ctx=ctx)
    ta, ta2 = a.tokenize([EMAIL, ("PERSON", "Alice")], ctx)
    [tb] = b.tokenize([EMAIL], ctx)
    with vault.engine.begin() as conn:
        stolen = conn.execute(select(Token.ciphertext).where(Token.token == ta2)).scalar_one()
        conn.execute(update(Token).where(Token.token == ta).values(ciphertext=stolen))
        theirs = conn.execute(select(Token.ciphertext).where(Token.token == tb)).scalar_one()
        conn.execute(update(Token).where(Token.token == ta2).values(ciphertext=theirs))
    assert refusal(a, [ta], ctx) is RefusalReason.UNDECRYPTABLE
    assert refusal(a, [ta2], ctx) is RefusalReason.UNDECRYPTABLE
    rows = audit_rows(vault, "detokenize-refused")
    assert [(r.reason, r.outcome) for r in rows] == [("undecryptable", "error")] * 2


def test_values_already_stored_cost_no_database_round_trip(
    vault: Vault, session: SessionVault, ctx: AuditContext
) -> None:
    session.tokenize([EMAIL], ctx)
    statements: list[str] = []
    event.listen(vault.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    assert session.tokenize([EMAIL, EMAIL], ctx) == [session.token_for(*EMAIL)] * 2
    assert statements == []


def test_tokenize_writes_one_created_row_per_new_token_and_one_summary_per_call(
    vault: Vault, session: SessionVault, ctx: AuditContext
) -> None:
    session.tokenize([EMAIL, EMAIL, ("PERSON", "Bob"), ("PERSON", "Ann")], ctx)
    created = audit_rows(vault, "token-created")
    assert sorted(r.entity_type for r in created) == ["EMAIL_ADDRESS", "PERSON", "PERSON"]
    assert {(r.tool, r.backend, r.direction, r.actor) for r in created} == {
        ("get", "crm", "to-client", "test")
    }
    [summary] = audit_rows(vault, "tokenize-summary")
    assert summary.count == 4 and summary.detail == '{"EMAIL_ADDRESS":2,"PERSON":2}'
    with vault.engine.connect() as conn:
        assert conn.execute(select(Token.backend).distinct()).scalars().all() == ["crm"]


def test_a_successful_detokenize_is_audited_once_per_distinct_token(
    vault: Vault, session: SessionVault, ctx: AuditContext
) -> None:
    t1, t2 = session.tokenize([EMAIL, ("PERSON", "Bob")], ctx)
    session.detokenize([t1, t2, t1], ctx)
    rows = audit_rows(vault, "token-detokenized")
    assert sorted((r.token, r.count) for r in rows) == sorted([(t1, 2), (t2, 1)])


def test_a_detokenize_whose_audit_write_fails_returns_nothing(
    vault: Vault, session: SessionVault, ctx: AuditContext
) -> None:
    [token] = session.tokenize([EMAIL], ctx)
    with vault.engine.begin() as conn:
        conn.execute(text("DROP TABLE audit_events"))
    with pytest.raises(VaultUnavailable) as e:
        session.detokenize([token], ctx)
    assert EMAIL[1] not in str(e.value) and e.value.__cause__ is None


def test_a_tokenize_whose_audit_write_fails_stores_nothing(
    vault: Vault, session: SessionVault, ctx: AuditContext
) -> None:
    with vault.engine.begin() as conn:
        conn.execute(text("DROP TABLE audit_events"))
    with pytest.raises(VaultUnavailable):
        session.tokenize([EMAIL], ctx)
    assert vault.list_tokens() == []
    statements: list[str] = []
    event.listen(vault.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with pytest.raises(VaultUnavailable):  # not cached: the next call tries the database again
        session.tokenize([EMAIL], ctx)
    assert statements


def test_opening_without_upgrade_refuses_a_schema_that_is_not_at_head(
    master: MasterKey, tmp_path: Any
) -> None:
    with pytest.raises(VaultUnavailable, match="veil db upgrade"):
        Vault.open(f"sqlite:///{tmp_path}/v.db", master, upgrade=False)
    Vault.open(f"sqlite:///{tmp_path}/v.db", master).close()
    Vault.open(f"sqlite:///{tmp_path}/v.db", master, upgrade=False).close()


def test_an_unreachable_database_raises_vault_unavailable(master: MasterKey, tmp_path: Any) -> None:
    with pytest.raises(VaultUnavailable, match="unavailable"):
        Vault.open(f"sqlite:///{tmp_path}/missing/dir/vault.db", master)
    with pytest.raises(VaultUnavailable, match="unavailable"):
        Vault.open("postgresql://nobody@127.0.0.1:1/none", master)


def test_shredding_a_session_makes_its_values_unrecoverable(
    vault_url: str, master: MasterKey, vault: Vault, ctx: AuditContext
) -> None:
    session = vault.open_session(name="desk", ctx=ctx)
    [token] = session.tokenize([EMAIL], ctx)
    other = Vault.open(vault_url, master)
    try:
        assert other.shred_session("desk", actor="admin") == 1
        assert other.shred_session("desk", actor="admin") == 0
    finally:
        other.close()
    assert refusal(session, [token], ctx) is RefusalReason.SHREDDED
    with pytest.raises(SessionGone):
        session.tokenize([("PERSON", "someone new")], ctx)
    [info] = vault.list_sessions()
    assert info.shredded_at is not None and info.token_count == 0
    assert vault.open_session(name="desk", ctx=ctx).session_id != session.session_id
    [row] = audit_rows(vault, "session-shredded")
    assert (row.session_id, row.count, row.actor) == (session.session_id, 1, "admin")
    with pytest.raises(SessionNotFound):
        vault.shred_session("no such session", actor="admin")


def test_tokens_are_listed_and_revoked_by_session_entity_type_and_time(
    vault: Vault, ctx: AuditContext, clock: FrozenClock
) -> None:
    a, b = vault.open_session(name="a", ctx=ctx), vault.open_session(ctx=ctx)
    a.tokenize([EMAIL, ("PERSON", "Bob")], ctx)
    clock.advance(timedelta(hours=1))
    cutoff = clock.now()
    b.tokenize([EMAIL, ("PERSON", "Bob")], ctx)
    assert len(vault.list_tokens()) == 4
    assert {t.session_id for t in vault.list_tokens(TokenFilter(session="a"))} == {a.session_id}
    assert len(vault.list_tokens(TokenFilter(entity_type="PERSON", since=cutoff))) == 1
    assert vault.revoke_tokens(actor="admin", entity_type="PERSON", before=cutoff) == 1
    assert vault.revoke_tokens(actor="admin", session=b.session_id) == 2
    assert vault.revoke_tokens(actor="admin", session=b.session_id) == 0
    assert len(vault.list_tokens(TokenFilter(include_revoked=False))) == 1
    with pytest.raises(ValueError):
        vault.revoke_tokens(actor="admin")


def test_key_rotation_rewraps_data_keys_and_sessions_keep_working(
    vault_url: str, master: MasterKey, vault: Vault, ctx: AuditContext
) -> None:
    s = vault.open_session(name="desk", ctx=ctx)
    [token] = s.tokenize([EMAIL], ctx)
    assert vault.rotate_keys(actor="admin").version == 2
    assert {i.kek_version for i in vault.list_sessions()} == {2}
    reopened = Vault.open(vault_url, master)
    try:
        resumed = reopened.open_session(name="desk", ctx=ctx)
        assert resumed.detokenize([token], ctx) == {token: EMAIL[1]}
        assert reopened.open_session(ctx=ctx).session_id in {i.id for i in reopened.list_sessions()}
    finally:
        reopened.close()
    [row] = audit_rows(vault, "key-rotated")
    assert row.count == 1 and row.detail == '{"resumed":0,"to_version":2}'


def test_closing_a_session_is_audited_and_a_named_one_can_still_be_resumed(
    vault: Vault, ctx: AuditContext
) -> None:
    s = vault.open_session(name="desk", ctx=ctx)
    [token] = s.tokenize([EMAIL], ctx)
    s.close(ctx)
    assert vault.list_sessions()[0].closed_at is not None
    assert vault.open_session(name="desk", ctx=ctx).detokenize([token], ctx) == {token: EMAIL[1]}
    assert len(audit_rows(vault, "session-closed")) == 1


def test_an_in_memory_sqlite_vault_serves_several_threads(master: MasterKey, ctx: AuditContext) -> None:
    vault = Vault.open("sqlite://", master)
    session = vault.open_session(ctx=ctx)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            [t] = session.tokenize([("PERSON", f"p{i}")], ctx)
            assert session.detokenize([t], ctx) == {t: f"p{i}"}
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert vault.verify_audit().ok
    vault.close()


def test_purging_destroys_expired_tokens_and_shreds_expired_sessions(
    vault: Vault, ctx: AuditContext, clock: FrozenClock
) -> None:
    short = vault.open_session(name="short", ttl=timedelta(hours=1), ctx=ctx)
    short.tokenize([EMAIL, ("PERSON", "Bob")], ctx)
    long = vault.open_session(ctx=ctx)
    [brief, lasting] = long.tokenize([("PERSON", "Ann")], ctx, ttl=timedelta(minutes=5)) + long.tokenize(
        [("PERSON", "Eve")], ctx
    )
    clock.advance(timedelta(hours=2))
    assert vault.purge_expired(actor="cron") == 3
    assert [t.token for t in vault.list_tokens()] == [lasting]
    assert refusal(short, [short.token_for(*EMAIL)], ctx) is RefusalReason.SHREDDED
    assert refusal(long, [brief], ctx) is RefusalReason.UNKNOWN
    assert [(r.token, r.actor) for r in audit_rows(vault, "token-expired")] == [(brief, "cron")]
    [shredded] = audit_rows(vault, "session-shredded")
    assert (shredded.session_id, shredded.count, shredded.reason) == (short.session_id, 2, "expired")
    assert vault.purge_expired(actor="cron") == 0
    assert vault.verify_audit().ok


@pytest.mark.parametrize(("durability", "synchronous"), [("normal", 1), ("full", 2)])
def test_sqlite_connections_use_wal_a_busy_timeout_and_the_chosen_durability(
    tmp_path: Any, master: MasterKey, durability: str, synchronous: int
) -> None:
    vault = Vault.open(f"sqlite:///{tmp_path}/v.db", master, durability=durability)
    with vault.engine.connect() as conn:
        pragma = {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in PRAGMAS}
    vault.close()
    assert pragma == {
        "journal_mode": "wal",
        "busy_timeout": 5000,
        "synchronous": synchronous,
        "foreign_keys": 1,
        "secure_delete": 1,
    }
