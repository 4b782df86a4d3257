"""One session's view of the vault: tokenize, detokenize, stored results. This is the API the proxy calls.

Values already seen in this process cost no round trip (an in-memory map of committed tokens); everything
written to the database, and the audit rows describing it, share one transaction. Detokenizing reads the
token's state fresh every time, so a revocation, expiry or shred by any process is honoured at once.
"""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, select, update

from vault import audit
from vault.audit import AuditContext, AuditEvent
from vault.crypto import SessionCipher
from vault.engine import VaultBase, dialect_insert, expired
from vault.errors import (
    DecryptError,
    KeyBudgetExhausted,
    RefusalReason,
    ResultUnavailable,
    SessionGone,
)
from vault.models import Session, StoredResult, Token
from vault.quotas import Quotas
from vault.token_lookup import TokenLookup

TTL = timedelta | Mapping[str, timedelta | None] | None
"""A token lifetime: one for every entity type, or per entity type (types not in the map never expire)."""

class SessionVault(TokenLookup):
    """One session's view of the vault. Thread-safe: the proxy calls it from several worker threads. Writes
    (tokens, stored results, audit rows) are here; reading tokens back is `TokenLookup`'s."""

    def __init__(self, vault: VaultBase, session_id: str, name: str | None, dek: bytes) -> None:
        self.session_id = session_id
        self.name = name
        self._vault = vault
        self._cipher = SessionCipher(session_id, dek)
        self._lock = threading.Lock()
        self._stored: set[str] = set()  # tokens known to be committed: no round trip for them
        self._known: dict[tuple[str, str, str | None], str] = {}  # (entity, value, scope) -> token

    @property
    def quotas(self) -> Quotas:
        """The API quota counts of the database this session lives in (shared by every session)."""
        if not isinstance(self._vault, Quotas):
            raise TypeError("this vault keeps no quota counts")
        return self._vault

    def __repr__(self) -> str:
        return f"SessionVault(session_id={self.session_id!r}, name={self.name!r})"

    def call_hash(self, canonical: bytes) -> str:
        """HMAC-SHA256 of a call's canonical form under this session's approval key (see crypto)."""
        return self._cipher.call_hash(canonical)

    def seal_state(self, binding: str, text: str) -> bytes:
        """A backend's `requestState` sealed to this session and `binding` (see crypto). In memory."""
        return self._cipher.seal_state(binding, text)

    def open_state(self, binding: str, blob: bytes) -> str:
        """A sealed `requestState` opened; DecryptError if another session or binding sealed it."""
        return self._cipher.open_state(binding, blob)

    @property
    def vault(self) -> VaultBase:
        return self._vault

    def token_for(self, entity_type: str, value: str, scope: str | None = None) -> str:
        """The token a value gets in this session (from backend `scope`, if several). Pure and in memory."""
        return self._cipher.token_for(entity_type, value, scope)

    def known_values(self) -> dict[tuple[str, str], str]:
        """(entity type, value) -> a token for every value this session holds (a copy)."""
        with self._lock:
            return {(entity, value): token for (entity, value, _scope), token in self._known.items()}

    def _load_known(self) -> None:
        """On resume: decrypt the session's values so the detector can find them again in text."""
        stmt = select(Token.token, Token.entity_type, Token.ciphertext, Token.backend).where(
            Token.session_id == self.session_id
        )
        with self._vault._read() as conn:
            rows = conn.execute(stmt).all()
        known: dict[tuple[str, str, str | None], str] = {}
        for token, entity_type, ciphertext, backend in rows:
            try:
                value = self._cipher.open(token, ciphertext)
            except DecryptError:
                continue  # a tampered row cannot be known; detokenizing it is refused and audited
            scope = None if self.token_for(entity_type, value) == token else backend
            known[(entity_type, value, scope)] = token
        with self._lock:
            self._known.update(known)
            self._stored.update(known.values())

    def issued(self, token: str) -> bool:
        """Whether this session holds `token` (issued here, or loaded on resume). In memory."""
        with self._lock:
            return token in self._stored

    def stored_tokens(self, items: Sequence[tuple[str, str]], scope: str | None = None) -> list[str] | None:
        """Tokens for pairs this process has already committed or looked up, in order, with no round trip
        and no audit row (as `tokenize` gives them); None if any pair still needs the database."""
        with self._lock:
            tokens = [self._known.get((entity, value, scope)) for entity, value in items]
        return None if None in tokens else tokens  # type: ignore[return-value]

    def tokenize(
        self,
        items: Sequence[tuple[str, str]],
        ctx: AuditContext,
        *,
        ttl: TTL = None,
        scope: str | None = None,
    ) -> list[str]:
        """Tokens for (entity type, value) pairs, in order. New values are encrypted and stored, with
        their audit rows, in one transaction; values already stored cost no round trip. A revoked token
        stays revoked: re-tokenizing its value returns the same token.

        `ttl`: how long a new token stays usable — one timedelta for all, or a map entity type -> timedelta
        (the policy's per-entity `ttl`; types absent or None never expire). A token's expiry is fixed when
        it is first stored.

        `scope`: the backend the values came from when several share the session; the tokens are
        derived from it and record it (`Token.backend`), so detokenizing can be bound to it."""
        keys = [(entity, value, scope) for entity, value in items]
        with self._lock:  # values seen before in this process: no HMAC, no round trip
            tokens: list[str | None] = [self._known.get(key) for key in keys]
        derived = {i: self.token_for(*items[i], scope) for i, token in enumerate(tokens) if token is None}
        new: dict[str, tuple[str, str]] = {}
        with self._lock:
            for i, token in derived.items():
                tokens[i] = token
                if token not in self._stored:
                    new.setdefault(token, items[i])
        if new:
            self._store(new, items, ctx, ttl)
        done = [t for t in tokens if t is not None]
        with self._lock:  # only after commit: the caches hold committed tokens only
            self._stored.update(new)
            self._known.update(zip(keys, done, strict=True))
        return done

    def _store(
        self,
        new: dict[str, tuple[str, str]],
        items: Sequence[tuple[str, str]],
        ctx: AuditContext,
        ttl: TTL,
    ) -> None:
        vault, sid = self._vault, self.session_id
        now = vault.clock.now()

        def expiry(entity_type: str) -> datetime | None:
            lifetime = ttl.get(entity_type) if isinstance(ttl, Mapping) else ttl
            return now + lifetime if lifetime is not None else None

        rows = [
            {
                "session_id": sid,
                "token": token,
                "entity_type": entity_type,
                "ciphertext": self._cipher.seal(token, value),
                "created_at": now,
                "expires_at": expiry(entity_type),
                "backend": ctx.backend,
            }
            for token, (entity_type, value) in sorted(new.items())  # one lock order across processes
        ]
        with vault._tx() as conn:
            self._check_usable(conn, now, len(rows))
            stmt = (
                dialect_insert(conn)(Token)
                .on_conflict_do_nothing(index_elements=["session_id", "token"])
                .returning(Token.token)
            )
            created = sorted(conn.execute(stmt, rows).scalars())
            if created:
                conn.execute(
                    update(Session).where(Session.id == sid).values(dek_uses=Session.dek_uses + len(created))
                )
            events: list[AuditEvent] = [
                audit.TokenCreated.of(ctx, session_id=sid, entity_type=new[t][0], token=t) for t in created
            ]
            per_type = Counter(entity_type for entity_type, _ in items)
            events.append(
                audit.TokenizeSummary.of(ctx, session_id=sid, replaced=len(items), by_type=dict(per_type))
            )
            audit.append(conn, events, vault.clock)

    def _check_usable(self, conn: Connection, now: datetime, encryptions: int) -> None:
        """Lock the session row so a concurrent shred waits for this write, then check it, including the
        data key's use budget (each stored value is one more random GCM nonce under it)."""
        row = conn.execute(
            select(Session.shredded_at, Session.expires_at, Session.dek_uses)
            .where(Session.id == self.session_id)
            .with_for_update()
        ).first()
        if row is None or row.shredded_at is not None:
            raise SessionGone(self.session_id, RefusalReason.SHREDDED)
        if expired(row.expires_at, now):
            raise SessionGone(self.session_id, RefusalReason.SESSION_EXPIRED)
        if row.dek_uses + encryptions > self._vault.key_use_limit:
            raise KeyBudgetExhausted(self.session_id)

    def store_result(self, text: str, ttl: timedelta, ctx: AuditContext) -> str:
        """Keep a full tokenized result for paging; returns its id. Encrypted under the session's key and
        bound to the session and the id, like a token's value."""
        result_id = secrets.token_hex(16)
        now = self._vault.clock.now()
        with self._vault._tx() as conn:
            self._check_usable(conn, now, 1)
            conn.execute(
                update(Session).where(Session.id == self.session_id).values(dek_uses=Session.dek_uses + 1)
            )
            conn.execute(
                insert(StoredResult).values(
                    id=result_id,
                    session_id=self.session_id,
                    ciphertext=self._cipher.seal("result:" + result_id, text),
                    created_at=now,
                    expires_at=now + ttl,
                )
            )
            audit.append(
                conn,
                [audit.ResultStored.of(ctx, session_id=self.session_id, size=len(text), result_id=result_id)],
                self._vault.clock,
            )
        return result_id

    def load_result(self, result_id: str) -> str:
        """A stored result of this session; ResultUnavailable if unknown, expired, or not this session's."""
        with self._vault._read() as conn:
            row = conn.execute(
                select(StoredResult.ciphertext, StoredResult.expires_at).where(
                    StoredResult.id == result_id, StoredResult.session_id == self.session_id
                )
            ).first()
        if row is None or row.expires_at <= self._vault.clock.now():
            raise ResultUnavailable(result_id)
        try:
            return self._cipher.open("result:" + result_id, row.ciphertext)
        except DecryptError:
            raise ResultUnavailable(result_id) from None

    def record(self, events: Sequence[AuditEvent]) -> None:
        """Append standalone audit events (message-blocked, policy-loaded, ...) in their own transaction."""
        with self._vault._tx() as conn:
            audit.append(conn, events, self._vault.clock)

    def close(self, ctx: AuditContext) -> None:
        """Mark the session closed (the connection ended). A named session can still be resumed."""
        with self._vault._tx() as conn:
            conn.execute(
                update(Session).where(Session.id == self.session_id).values(closed_at=self._vault.clock.now())
            )
            audit.append(conn, [audit.SessionClosed.of(ctx, session_id=self.session_id)], self._vault.clock)
