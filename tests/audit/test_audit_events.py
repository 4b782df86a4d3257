"""Typed audit events: each declares its own fields, and every field reaches `veil audit query`'s output."""

from __future__ import annotations

import pytest

from vault import audit
from vault.audit.events import COLUMN_FIELDS

CTX = audit.AuditContext(
    actor="os:alice", backend="crm", direction="to-client", method="tools/call", tool="get"
)


@pytest.mark.parametrize("name", sorted(audit.EVENT_TYPES))
def test_every_declared_field_has_a_column_or_a_legacy_place(name: str) -> None:
    """The table and CSV columns (count, reason, detail) stay complete for every event type."""
    cls = audit.EVENT_TYPES[name]
    m = cls.legacy
    placed = {*COLUMN_FIELDS, m.reason, m.count if isinstance(m.count, str) else None}
    placed |= {m.detail} if isinstance(m.detail, str) else set(m.detail or ())
    assert set(cls.field_names()) <= placed, name


def test_an_event_keeps_its_own_fields_and_the_legacy_view_is_derived_from_them() -> None:
    event = audit.ResultStored.of(CTX, session_id="s" * 32, result_id="f" * 32, size=52_000)
    assert event.payload() == {"result_id": "f" * 32, "size": 52_000}
    assert audit.ResultStored.to_legacy(event.payload()) == {
        "count": 52_000,
        "reason": "f" * 32,
        "detail": None,
    }
    assert event.total() == 52_000


def test_legacy_keywords_go_to_the_field_they_stand_for_or_are_refused() -> None:
    summary = audit.TokenizeSummary.of(CTX, count=3, detail={"PERSON": 3})
    assert (summary.replaced, summary.by_type) == (3, {"PERSON": 3})
    approval = audit.ApprovalDenied.of(
        CTX, reason="mismatch", detail={"approval": "a" * 32, "call_hash": "0f"}
    )
    assert (approval.reason, approval.approval, approval.call_hash) == ("mismatch", "a" * 32, "0f")
    with pytest.raises(ValueError, match="no field"):
        audit.SessionClosed.of(CTX, reason="anything")
    with pytest.raises(ValueError, match="no field"):
        audit.DetokenizeRefused.of(CTX, detail={"value": "bob@example.com"})
