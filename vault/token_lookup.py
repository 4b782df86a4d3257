"""Reading tokens back: one session's detokenization, and why a token is refused.

Split from `vault.session_vault` (the writes) because reading has its own rules: one query for every token
of a message, read fresh each time (a revocation, expiry or shred by any process is honoured at once), the
session's row locked for reading so a concurrent shred waits, a token from another session told apart from
an unknown one, and every refusal audited in the same transaction — a malformed token only as a keyed
fingerprint, since what the model wrote may hold a value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select

from vault import audit
from vault.audit import AuditContext, AuditEvent
from vault.crypto import SessionCipher
from vault.engine import VaultBase, expired
from vault.errors import DecryptError, RefusalReason, TokenRefused
from vault.models import Session, Token
from vault.tokens import ParsedToken, parse_token

# (entity type, producing backend) -> may the receiving backend get the value?
Receiver = Callable[[str, str | None], bool]


def entity_type_of(token: str) -> str:
    """The entity type of a well-formed token, `[[TYPE:id]]`."""
    return token[2 : token.index(":")]


class TokenLookup:
    """Mixed into `SessionVault`: detokenize."""

    session_id: str
    _vault: VaultBase
    _cipher: SessionCipher

    def detokenize(
        self, tokens: Sequence[str], ctx: AuditContext, *, may_receive: Receiver | None = None
    ) -> dict[str, str]:
        """token -> value for every token, or TokenRefused for the first that cannot be honoured.

        `may_receive(entity type, producing backend)`: when given (several backends), a token whose
        producer the receiving backend may not get a value of is refused (`other-backend`).

        One query for all tokens, read fresh every call (revocation, expiry and shredding by any process
        are honoured). Audit rows are committed before anything is returned or raised.
        """
        if not tokens:
            return {}
        counts = Counter(tokens)
        parsed = {t: parse_token(t) for t in counts}
        now = self._vault.clock.now()
        with self._vault._tx() as conn:
            rows = conn.execute(self._lookup([t for t, p in parsed.items() if p])).all()
            values, refused = self._resolve(counts, parsed, rows, now, may_receive)
            if refused:
                events = [
                    self._refusal_event(ctx, t, parsed[t] is not None, counts[t], r) for t, r in refused
                ]
            else:
                events = [
                    audit.TokenDetokenized.of(
                        ctx, session_id=self.session_id, entity_type=entity_type_of(t), token=t, count=n
                    )
                    for t, n in counts.items()
                ]
            audit.append(conn, events, self._vault.clock)
        if refused:
            token, reason = refused[0]
            raise TokenRefused(token if parsed[token] else "(malformed)", reason)
        return values

    def _lookup(self, valid: list[str]) -> Any:
        """The session's state joined to every row holding one of the tokens, in any session."""
        s, t = Session.__table__, Token.__table__
        return (
            select(
                s.c.expires_at.label("session_expires_at"),
                s.c.shredded_at,
                t.c.token,
                t.c.session_id,
                t.c.ciphertext,
                t.c.revoked_at,
                t.c.expires_at,
                t.c.backend,
            )
            .select_from(s.outerjoin(t, t.c.token.in_(valid)))
            .where(s.c.id == self.session_id)
            .with_for_update(read=True, of=s)  # PostgreSQL: a concurrent shred waits for this read
        )

    def _resolve(
        self,
        counts: Counter[str],
        parsed: dict[str, ParsedToken | None],
        rows: Sequence[Row[Any]],
        now: datetime,
        may_receive: Receiver | None = None,
    ) -> tuple[dict[str, str], list[tuple[str, RefusalReason]]]:
        own = {r.token: r for r in rows if r.session_id == self.session_id}
        elsewhere = {r.token for r in rows if r.session_id is not None and r.session_id != self.session_id}
        session = rows[0] if rows else None
        values: dict[str, str] = {}
        refused: list[tuple[str, RefusalReason]] = []
        for token in counts:
            reason = self._reason(token, parsed[token], session, own.get(token), token in elsewhere, now)
            if (
                reason is None
                and may_receive is not None
                and not may_receive(entity_type_of(token), own[token].backend)
            ):
                reason = RefusalReason.OTHER_BACKEND
            if reason is None:
                row = own[token]
                try:
                    values[token] = self._cipher.open(token, row.ciphertext)
                except DecryptError:
                    reason = RefusalReason.UNDECRYPTABLE
            if reason is not None:
                refused.append((token, reason))
        return values, refused

    @staticmethod
    def _reason(
        token: str,
        parsed: ParsedToken | None,
        session: Row[Any] | None,
        row: Row[Any] | None,
        foreign: bool,
        now: datetime,
    ) -> RefusalReason | None:
        if parsed is None:
            return RefusalReason.MALFORMED
        if session is None or session.shredded_at is not None:
            return RefusalReason.SHREDDED
        if expired(session.session_expires_at, now):
            return RefusalReason.SESSION_EXPIRED
        if row is None:
            return RefusalReason.FOREIGN_SESSION if foreign else RefusalReason.UNKNOWN
        if row.revoked_at is not None:
            return RefusalReason.REVOKED
        if expired(row.expires_at, now):
            return RefusalReason.EXPIRED
        return None

    def _refusal_event(
        self, ctx: AuditContext, token: str, well_formed: bool, count: int, reason: RefusalReason
    ) -> AuditEvent:
        if well_formed:
            return audit.DetokenizeRefused.of(
                ctx,
                session_id=self.session_id,
                entity_type=entity_type_of(token),
                token=token,
                count=count,
                outcome="error" if reason is RefusalReason.UNDECRYPTABLE else "refused",
                reason=reason.value,
            )
        # What the model wrote may hold a value: record only a keyed fingerprint of it.
        fingerprint = self._cipher.fingerprint(b"malformed", token)
        return audit.DetokenizeRefused.of(
            ctx,
            session_id=self.session_id,
            count=count,
            outcome="refused",
            reason=reason.value,
            fingerprint=fingerprint,
        )
