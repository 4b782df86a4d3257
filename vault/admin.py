"""The operator's verbs on sessions and tokens (`veil sessions|tokens ...`): listings, shredding,
revocation, purging. Listings are value-free: tokens, entity types, counts and times.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, or_, select, tuple_, update

from vault import audit
from vault.audit import AuditEvent
from vault.crypto import token_hmac_key
from vault.engine import VaultBase, unavailable
from vault.errors import DecryptError, SessionNotFound
from vault.models import Session, StoredResult, Token
from vault.tokens import derive_token


@dataclass(frozen=True)
class SessionInfo:
    id: str
    name: str | None
    created_at: datetime
    expires_at: datetime | None
    closed_at: datetime | None
    shredded_at: datetime | None
    kek_version: int
    token_count: int


@dataclass(frozen=True)
class TokenInfo:
    token: str
    session_id: str
    entity_type: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    backend: str | None


@dataclass(frozen=True)
class SessionDetail:
    """`veil sessions show`: the listing row plus counts per entity type and the data key's use count."""

    info: SessionInfo
    by_entity_type: dict[str, int]
    revoked: int
    dek_uses: int


@dataclass(frozen=True)
class TokenFilter:
    """Filters for listing tokens; every field given narrows the result. `session` is an id or a name."""

    token: str | None = None
    session: str | None = None
    entity_type: str | None = None
    since: datetime | None = None
    before: datetime | None = None
    include_revoked: bool = True
    limit: int | None = None


class Admin(VaultBase):
    """The session and token verbs of a Vault (mixed into vault.store.Vault)."""

    def _resolve_session(self, conn: Connection, ref: str) -> str:
        sid = conn.execute(select(Session.id).where(or_(Session.id == ref, Session.name == ref))).scalar()
        if sid is None:
            raise SessionNotFound(f"no session with id or name {ref!r}")
        return str(sid)

    def list_sessions(self) -> list[SessionInfo]:
        with self._read() as conn:
            return list(self._session_infos(conn))

    def _session_infos(self, conn: Connection, *where: Any) -> Iterator[SessionInfo]:
        counts = select(Token.session_id, func.count().label("n")).group_by(Token.session_id).subquery()
        stmt = (
            select(
                Session.id,
                Session.name,
                Session.created_at,
                Session.expires_at,
                Session.closed_at,
                Session.shredded_at,
                Session.kek_version,
                func.coalesce(counts.c.n, 0),
            )
            .outerjoin(counts, counts.c.session_id == Session.id)
            .where(*where)
            .order_by(Session.created_at, Session.id)
        )
        for row in conn.execute(stmt):
            yield SessionInfo(*row)

    def session_detail(self, session: str) -> SessionDetail:
        """One session (by id or name) with its token counts per entity type."""
        with self._read() as conn:
            sid = self._resolve_session(conn, session)
            info = next(i for i in self._session_infos(conn, Session.id == sid))
            by_type = conn.execute(
                select(Token.entity_type, func.count())
                .where(Token.session_id == sid)
                .group_by(Token.entity_type)
                .order_by(Token.entity_type)
            ).all()
            revoked = conn.execute(
                select(func.count()).where(Token.session_id == sid, Token.revoked_at.is_not(None))
            ).scalar_one()
            uses = conn.execute(select(Session.dek_uses).where(Session.id == sid)).scalar_one()
        return SessionDetail(info, {t: int(n) for t, n in by_type}, int(revoked), int(uses))

    def shred_sessions(
        self, *, actor: str, created_before: datetime, reason: str | None = None
    ) -> list[tuple[str, int]]:
        """Crypto-shred every session created before the cutoff: [(session id, tokens destroyed)]."""
        with self._read() as conn:
            ids = (
                conn.execute(
                    select(Session.id)
                    .where(Session.created_at < created_before, Session.shredded_at.is_(None))
                    .order_by(Session.created_at, Session.id)
                )
                .scalars()
                .all()
            )
        done = [(sid, self.shred_session(sid, actor=actor, reason=reason, checkpoint=False)) for sid in ids]
        if done:
            self._checkpoint()
        return done

    def shred_session(
        self, session: str, *, actor: str, reason: str | None = None, checkpoint: bool = True
    ) -> int:
        """Crypto-shred: drop the wrapped data key and delete the ciphertexts. Returns tokens destroyed."""
        with self._tx() as conn:
            sid = self._resolve_session(conn, session)
            shredded = conn.execute(
                select(Session.shredded_at).where(Session.id == sid).with_for_update()
            ).scalar()
            if shredded is not None:
                return 0
            destroyed = conn.execute(delete(Token).where(Token.session_id == sid)).rowcount
            conn.execute(delete(StoredResult).where(StoredResult.session_id == sid))
            conn.execute(
                update(Session)
                .where(Session.id == sid)
                .values(wrapped_dek=None, shredded_at=self.clock.now())
            )
            event = audit.SessionShredded(actor=actor, session_id=sid, tokens=destroyed, reason=reason)
            audit.append(conn, [event], self.clock)
        if checkpoint:
            self._checkpoint()
        return destroyed

    def _checkpoint(self) -> None:
        """Fold the WAL back into the database and truncate it, so old pages leave the -wal file."""
        if self.engine.dialect.name != "sqlite":
            return
        with self._serial, unavailable():
            raw = self.engine.raw_connection()
            try:
                raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()

    # tokens

    def list_tokens(self, filters: TokenFilter = TokenFilter()) -> list[TokenInfo]:
        stmt = select(
            Token.token,
            Token.session_id,
            Token.entity_type,
            Token.created_at,
            Token.expires_at,
            Token.revoked_at,
            Token.backend,
        ).order_by(Token.created_at, Token.id)
        with self._read() as conn:
            if filters.token is not None:
                stmt = stmt.where(Token.token == filters.token)
            if filters.session is not None:
                stmt = stmt.where(Token.session_id == self._resolve_session(conn, filters.session))
            if filters.entity_type is not None:
                stmt = stmt.where(Token.entity_type == filters.entity_type)
            if filters.since is not None:
                stmt = stmt.where(Token.created_at >= filters.since)
            if filters.before is not None:
                stmt = stmt.where(Token.created_at < filters.before)
            if not filters.include_revoked:
                stmt = stmt.where(Token.revoked_at.is_(None))
            if filters.limit is not None:
                stmt = stmt.limit(filters.limit)
            return [TokenInfo(*row) for row in conn.execute(stmt)]

    def revoke_tokens(
        self,
        *,
        actor: str,
        tokens: Sequence[str] | None = None,
        session: str | None = None,
        entity_type: str | None = None,
        since: datetime | None = None,
        before: datetime | None = None,
        values: Sequence[str] | None = None,
    ) -> int:
        """Revoke every live token matching all the filters given (at least one). Every proxy process
        sharing the vault refuses them from the moment this returns. Returns how many were revoked.

        `values`: plaintexts (never logged or stored) matched in every non-shredded session by computing
        that session's token for the value under each entity type the session holds."""
        filters = (tokens, session, entity_type, since, before, values)
        if all(f is None for f in filters):
            raise ValueError("give at least one filter (tokens, session, entity type, time range or value)")
        now = self.clock.now()
        stmt = update(Token).where(Token.revoked_at.is_(None)).values(revoked_at=now)
        if tokens is not None:
            stmt = stmt.where(Token.token.in_(list(tokens)))
        if entity_type is not None:
            stmt = stmt.where(Token.entity_type == entity_type)
        if since is not None:
            stmt = stmt.where(Token.created_at >= since)
        if before is not None:
            stmt = stmt.where(Token.created_at < before)
        with self._tx() as conn:
            if session is not None:
                stmt = stmt.where(Token.session_id == self._resolve_session(conn, session))
            if values is not None:
                pairs = self._tokens_of_values(conn, values, entity_type)
                if not pairs:
                    return 0
                stmt = stmt.where(tuple_(Token.session_id, Token.token).in_(pairs))
            revoked = conn.execute(stmt.returning(Token.token, Token.session_id, Token.entity_type)).all()
            matched_by = "value" if values is not None else None
            events = [
                audit.TokenRevoked(
                    actor=actor, session_id=sid, entity_type=et, token=tok, matched_by=matched_by
                )
                for tok, sid, et in sorted(revoked)
            ]
            audit.append(conn, events, self.clock)
        return len(revoked)

    def _tokens_of_values(
        self, conn: Connection, values: Sequence[str], entity_type: str | None
    ) -> list[tuple[str, str]]:
        """(session id, token) each value would have in each live session, for the types it holds."""
        types_stmt = select(Token.session_id, Token.entity_type, Token.backend).distinct()
        if entity_type is not None:
            types_stmt = types_stmt.where(Token.entity_type == entity_type)
        types: dict[str, set[tuple[str, str | None]]] = {}
        for sid, et, backend in conn.execute(types_stmt):
            # The single-backend token, and the one bound to the backend if several shared the session.
            types.setdefault(sid, set()).update({(et, None), (et, backend)})
        live = conn.execute(
            select(Session.id, Session.kek_version, Session.wrapped_dek).where(
                Session.wrapped_dek.is_not(None), Session.id.in_(list(types))
            )
        ).all()
        pairs: list[tuple[str, str]] = []
        for sid, version, wrapped in live:
            try:
                key = token_hmac_key(self.keyring.unwrap_dek(wrapped or b"", sid, version))
            except DecryptError:
                continue  # an unreadable data key: its tokens cannot be matched (nor detokenized)
            pairs.extend(
                (sid, derive_token(key, et, v, scope))
                for et, scope in sorted(types[sid], key=str)
                for v in values
            )
        return pairs

    def purge_expired(self, *, actor: str) -> int:
        """Delete the ciphertext of every token past its TTL and shred every session past its TTL.

        Expired values are already refused; purging makes them unrecoverable too. Returns tokens destroyed.
        """
        now = self.clock.now()
        with self._tx() as conn:
            expired = conn.execute(
                delete(Token)
                .where(Token.expires_at <= now)
                .returning(Token.token, Token.session_id, Token.entity_type)
            ).all()
            events: list[AuditEvent] = [
                audit.TokenExpired(actor=actor, session_id=sid, entity_type=et, token=tok)
                for tok, sid, et in sorted(expired)
            ]
            sessions = conn.execute(
                update(Session)
                .where(Session.expires_at <= now, Session.shredded_at.is_(None))
                .values(wrapped_dek=None, shredded_at=now)
                .returning(Session.id)
            ).scalars()
            for sid in sorted(sessions):
                destroyed = conn.execute(delete(Token).where(Token.session_id == sid)).rowcount
                events.append(
                    audit.SessionShredded(actor=actor, session_id=sid, tokens=destroyed, reason="expired")
                )
            audit.append(conn, events, self.clock)
        self._checkpoint()
        return len(expired) + sum(e.tokens for e in events if isinstance(e, audit.SessionShredded))

    def verify_audit(self) -> audit.VerifyResult:
        with self._serial, unavailable():
            return audit.verify(self.engine)
