"""Per-entity TTLs, revocation by value, session details and bulk shredding, and a vault that goes away."""

from __future__ import annotations

import contextlib
import socket
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typed_rows import audit_rows

from vault.audit import AuditContext
from vault.clock import FrozenClock
from vault.errors import RefusalReason, SessionGone, TokenRefused, VaultUnavailable
from vault.keys import MasterKey
from vault.models import AuditRecord
from vault.store import SessionVault, Vault

EMAIL = ("EMAIL_ADDRESS", "bob@example.com")
PHONE = ("PHONE_NUMBER", "+1 415 555 0134")


def refusal(session: SessionVault, tokens: list[str], ctx: AuditContext) -> RefusalReason:
    with pytest.raises(TokenRefused) as e:
        session.detokenize(tokens, ctx)
    return e.value.reason


def test_a_per_entity_ttl_map_expires_only_the_types_it_names(
    session: SessionVault, ctx: AuditContext, clock: FrozenClock
) -> None:
    ttl = {"EMAIL_ADDRESS": timedelta(hours=1), "PERSON": None}
    email, phone, person = session.tokenize([EMAIL, PHONE, ("PERSON", "Bob")], ctx, ttl=ttl)
    clock.advance(timedelta(hours=2))
    assert refusal(session, [email], ctx) is RefusalReason.EXPIRED
    assert session.detokenize([phone, person], ctx) == {phone: PHONE[1], person: "Bob"}


def test_a_value_is_revoked_in_every_live_session_by_its_fingerprint(vault: Vault, ctx: AuditContext) -> None:
    a, b, c = (vault.open_session(ctx=ctx) for _ in range(3))
    ta = a.tokenize([EMAIL, ("PERSON", "Bob")], ctx)
    tb = b.tokenize([("EMAIL_ADDRESS", "  BOB@Example.com ")], ctx)  # the same email, normalized
    tc = c.tokenize([("PERSON", "bob@example.com")], ctx)  # the same text under another type
    assert vault.revoke_tokens(actor="admin", values=["bob@example.com"], entity_type="EMAIL_ADDRESS") == 2
    assert refusal(a, ta[:1], ctx) is RefusalReason.REVOKED
    assert refusal(b, tb, ctx) is RefusalReason.REVOKED
    assert a.detokenize(ta[1:], ctx) == {ta[1]: "Bob"}
    assert vault.revoke_tokens(actor="admin", values=["bob@example.com"]) == 1  # now c's PERSON too
    assert refusal(c, tc, ctx) is RefusalReason.REVOKED
    assert vault.revoke_tokens(actor="admin", values=["nobody@example.com"]) == 0
    with vault.engine.connect() as conn:
        rows = conn.execute(select(AuditRecord).where(AuditRecord.event == "token-revoked")).all()
        dumped = repr([tuple(r) for r in rows])
    assert len(rows) == 3 and "bob@" not in dumped.lower() and '"matched_by":"value"' in dumped


def test_a_session_shows_its_counts_per_entity_type(vault: Vault, ctx: AuditContext) -> None:
    s = vault.open_session(name="desk", ctx=ctx)
    tokens = s.tokenize([EMAIL, PHONE, ("PERSON", "Bob"), ("PERSON", "Carol")], ctx)
    vault.revoke_tokens(actor="admin", tokens=tokens[:1])
    detail = vault.session_detail("desk")
    assert detail.info.id == s.session_id and detail.info.token_count == 4
    assert detail.by_entity_type == {"EMAIL_ADDRESS": 1, "PERSON": 2, "PHONE_NUMBER": 1}
    assert (detail.revoked, detail.dek_uses) == (1, 4)


def test_sessions_older_than_a_cutoff_are_shredded_and_newer_ones_kept(
    vault: Vault, ctx: AuditContext, clock: FrozenClock
) -> None:
    old = [vault.open_session(ctx=ctx) for _ in range(2)]
    for s in old:
        s.tokenize([EMAIL], ctx)
    clock.advance(timedelta(days=10))
    cutoff = clock.now()
    young = vault.open_session(ctx=ctx)
    [token] = young.tokenize([EMAIL], ctx)
    shredded = vault.shred_sessions(actor="admin", created_before=cutoff)
    assert sorted(shredded) == sorted((s.session_id, 1) for s in old)
    assert vault.shred_sessions(actor="admin", created_before=cutoff) == []
    with pytest.raises(SessionGone):
        old[0].tokenize([("PERSON", "new")], ctx)
    assert young.detokenize([token], ctx) == {token: EMAIL[1]}


def test_a_locked_sqlite_database_is_unavailable_then_recovers(
    tmp_path: Path, master: MasterKey, ctx: AuditContext
) -> None:
    url = f"sqlite:///{tmp_path / 'vault.db'}"
    vault = Vault.open(url, master, busy_timeout_ms=100)
    try:
        s = vault.open_session(ctx=ctx)
        [token] = s.tokenize([EMAIL], ctx)
        import sqlite3

        blocker = sqlite3.connect(tmp_path / "vault.db", isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        with pytest.raises(VaultUnavailable) as e:
            s.tokenize([("PERSON", "secret-name-7")], ctx)
        assert "locked" in str(e.value) and "secret-name-7" not in str(e.value)
        blocker.execute("ROLLBACK")
        blocker.close()
        assert s.tokenize([("PERSON", "secret-name-7")], ctx)
        assert s.detokenize([token], ctx) == {token: EMAIL[1]}
    finally:
        vault.close()


def test_a_read_only_sqlite_database_is_reported_as_unavailable_without_values(
    tmp_path: Path, master: MasterKey, ctx: AuditContext
) -> None:
    db = tmp_path / "vault.db"
    Vault.open(f"sqlite:///{db}", master).close()
    with pytest.raises(VaultUnavailable, match="readonly") as e:
        vault = Vault.open(f"sqlite:///file:{db}?mode=ro&uri=true", master)
        try:
            vault.open_session(ctx=ctx).tokenize([("PERSON", "secret-name-7")], ctx)
        finally:
            vault.close()
    assert "secret-name-7" not in str(e.value)


@pytest.mark.postgres
def test_a_read_only_postgresql_database_is_reported_as_unavailable_without_values(
    pg_schema_url: str, master: MasterKey, ctx: AuditContext
) -> None:
    Vault.open(pg_schema_url, master).close()
    ro = Vault.open(f"{pg_schema_url}%20-cdefault_transaction_read_only%3Don", master)
    try:
        with pytest.raises(VaultUnavailable, match="read-only") as e:
            ro.open_session(ctx=ctx)
        assert "secret" not in str(e.value)
    finally:
        ro.close()


class Forwarder:
    """A TCP relay to PostgreSQL that can be cut and restored: the database 'goes away' and comes back."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._socks: list[socket.socket] = []
        self._listener: socket.socket | None = None

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(OSError):  # shutdown wakes the thread blocked in accept()
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        for s in self._socks:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
        self._socks.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self._socks += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


@pytest.mark.postgres
def test_an_unreachable_postgresql_is_unavailable_then_recovers_when_it_returns(
    pg_schema_url: str, master: MasterKey, ctx: AuditContext
) -> None:
    relay = Forwarder(("127.0.0.1", 5432))
    relay.start()
    url = pg_schema_url.replace("127.0.0.1:5432", f"127.0.0.1:{relay.port}")
    vault = Vault.open(url, master)
    try:
        s = vault.open_session(ctx=ctx)
        [token] = s.tokenize([EMAIL], ctx)
        relay.stop()
        for call in (
            lambda: s.tokenize([("PERSON", "secret-name-7")], ctx),
            lambda: s.detokenize([token], ctx),
        ):
            with pytest.raises(VaultUnavailable) as e:
                call()
            assert "secret-name-7" not in str(e.value) and "bob@" not in str(e.value)
        relay.start()
        assert s.detokenize([token], ctx) == {token: EMAIL[1]}
        assert s.tokenize([("PERSON", "secret-name-7")], ctx)
        assert vault.verify_audit().ok
    finally:
        relay.stop()
        vault.close()


def test_a_row_that_fails_to_decrypt_is_refused_and_audited_while_the_rest_keeps_working(
    vault: Vault, ctx: AuditContext
) -> None:
    from sqlalchemy import update

    from vault.models import Token

    s = vault.open_session(ctx=ctx)
    bad, good = s.tokenize([EMAIL, ("PERSON", "Bob")], ctx)
    with vault.engine.begin() as conn:
        conn.execute(update(Token).where(Token.token == bad).values(ciphertext=b"\x00" * 40))
    assert refusal(s, [bad], ctx) is RefusalReason.UNDECRYPTABLE
    assert s.detokenize([good], ctx) == {good: "Bob"}
    assert s.tokenize([("PERSON", "Carol")], ctx)
    [row] = audit_rows(vault, "detokenize-refused")
    assert (row.token, row.outcome, row.reason) == (bad, "error", "undecryptable")
