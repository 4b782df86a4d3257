"""The audit story: a vault seeded with a small, deterministic agency scenario (used by the audit tests,
docs/audit.md and its generator).

Times UTC, Monday 2026-11-23: alice reviews client Acme's Google Ads account (an old session of hers is
later shredded), bob reads Search Console, the model replays a token from another session and makes one up,
a message is blocked, carol revokes Acme's contact email and shreds the old session. Every real value
below is a canary: none may appear in the audit table, in CLI output or in docs/audit.md.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from vault import audit
from vault.audit import AuditContext
from vault.clock import FrozenClock
from vault.errors import TokenRefused
from vault.store import Vault

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CUSTOMER_ID = "123-456-7890"
CANARIES = {
    "GOOGLE_ADS_CUSTOMER_ID": CUSTOMER_ID,
    "ACCOUNT_NAME": "Acme Widgets Canary GmbH",
    "EMAIL_ADDRESS": "jane.canary@acme-widgets.example",
    "PHONE_NUMBER": "+1 415 555 0142",
    "PERSON": "Jane Canary",
}


def deterministic_randomness(monkeypatch: pytest.MonkeyPatch) -> None:
    """Session ids and data keys from counters, so tokens and hashes in docs/audit.md are stable."""
    import vault.store

    ids = itertools.count(1)
    deks = itertools.count(1)
    monkeypatch.setattr(
        vault.store.secrets, "token_hex", lambda n=16: hashlib.sha256(b"%d" % next(ids)).hexdigest()[: 2 * n]
    )
    monkeypatch.setattr(vault.store, "new_dek", lambda: next(deks).to_bytes(32, "big"))


def seed(vault: Vault, clock: FrozenClock) -> dict[str, Any]:
    """Write the story through the vault API (as the proxy would); return the session ids and tokens."""
    tick = lambda minutes=1: clock.advance(timedelta(minutes=minutes))  # noqa: E731
    ads = AuditContext(actor="os:alice", backend="google-ads-mcp")
    sc = AuditContext(actor="os:bob", backend="search-console-mcp")

    def call(ctx: AuditContext, tool: str, direction: str) -> AuditContext:
        return AuditContext(ctx.actor, ctx.backend, direction, "tools/call", tool)

    old = vault.open_session(name="last-week", ctx=ads)
    old.tokenize(
        [("GOOGLE_ADS_CUSTOMER_ID", CUSTOMER_ID)], call(ads, "list_accessible_customers", "to-client")
    )
    tick(5)
    monday = vault.open_session(name="acme-monday", ctx=ads)
    tick()
    to_client = call(ads, "list_accessible_customers", "to-client")
    tokens = monday.tokenize(
        [
            ("GOOGLE_ADS_CUSTOMER_ID", CUSTOMER_ID),
            ("ACCOUNT_NAME", CANARIES["ACCOUNT_NAME"]),
            ("EMAIL_ADDRESS", CANARIES["EMAIL_ADDRESS"]),
            ("PHONE_NUMBER", CANARIES["PHONE_NUMBER"]),
            ("ACCOUNT_NAME", CANARIES["ACCOUNT_NAME"]),
        ],
        to_client,
    )
    monday.record([audit.CallCompleted.of(to_client, session_id=monday.session_id, duration_ms=41.2)])
    tick(3)
    to_backend = call(ads, "get_campaign_metrics", "to-backend")
    monday.detokenize([tokens[0]], to_backend)
    monday.record([audit.CallCompleted.of(to_backend, session_id=monday.session_id, duration_ms=230.5)])
    tick(2)
    monday.detokenize([tokens[0], tokens[2]], call(ads, "update_contact", "to-backend"))
    monday.record(
        [
            audit.CallCompleted.of(
                call(ads, "update_contact", "to-backend"), session_id=monday.session_id, duration_ms=88
            )
        ]
    )
    tick(30)
    review = vault.open_session(name="sc-review", ctx=sc)
    sc_ctx = call(sc, "search_analytics", "to-client")
    review.tokenize([("PERSON", CANARIES["PERSON"])], sc_ctx)
    review.record([audit.CallCompleted.of(sc_ctx, session_id=review.session_id, duration_ms=612.0)])
    tick(2)
    # The model replays Monday's customer-ID token in Bob's session: refused, and recorded.
    replay = call(sc, "search_analytics", "to-backend")
    with pytest.raises(TokenRefused):
        review.detokenize([tokens[0]], replay)
    review.record(
        [audit.CallCompleted.of(replay, session_id=review.session_id, outcome="refused", duration_ms=1.4)]
    )
    tick()
    with pytest.raises(TokenRefused):  # a made-up token: only a keyed fingerprint is kept
        review.detokenize(["[[EMAIL_ADDRESS:" + CANARIES["EMAIL_ADDRESS"] + "]]"], replay)
    tick()
    review.record(
        [
            audit.MessageBlocked.of(
                call(sc, "search_analytics", "to-client"),
                session_id=review.session_id,
                outcome="blocked",
                reason="message-too-large",
            )
        ]
    )
    tick(60)
    vault.revoke_tokens(actor="os:carol", tokens=[tokens[2]])
    tick()
    vault.shred_session("last-week", actor="os:carol")
    tick()
    return {"old": old.session_id, "monday": monday.session_id, "review": review.session_id, "tokens": tokens}
