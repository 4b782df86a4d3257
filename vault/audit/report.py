"""The figures of a compliance report (`veil audit report`), gathered from the audit log alone.

Value-free by construction: the audit log holds tokens, entity types, counts, reasons and keyed
fingerprints, never a value, and this module reads only the columns it counts by (time, event, entity
type, tool, backend, reason, count and a few typed integer fields) — not even the tokens. It needs the
database only, not the master key, so an auditor can produce it. Rendering lives in `proxy.report`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine

from vault.audit.chain import VerifyResult, verify
from vault.audit.query import AuditQuery, query

# What the report counts, per section: every other event stays out of it.
ACTIVITY_EVENTS = (
    "token-created", "token-detokenized", "detokenize-refused", "message-blocked", "token-revoked",
    "token-expired", "session-shredded", "approval-requested", "approval-granted", "approval-denied",
    "approval-expired", "session-opened",
)  # fmt: skip
KEY_EVENTS = ("key-version-created", "key-rotated", "key-retired")
REFUSAL_EVENTS = ("detokenize-refused", "message-blocked", "approval-denied", "approval-expired")
APPROVAL_OUTCOMES = {
    "approval-requested": "requested",
    "approval-granted": "granted",
    "approval-denied": "denied",
    "approval-expired": "expired",
}


@dataclass(frozen=True)
class KeyEvent:
    """One key-management event: a version created (and why), a rotation, a retirement."""

    time: datetime
    event: str
    version: int | None
    detail: str


@dataclass
class ReportData:
    """Everything a report shows. Keys are entity types, tool names, backend labels and reasons — the
    vocabulary the audit log already carries — and values are counts."""

    since: datetime | None
    until: datetime | None
    backend: str | None
    session: str | None
    generated: datetime
    chain: VerifyResult
    tokenized_by_day: dict[date, Counter[str]] = field(default_factory=dict)
    detokenized_by_tool: Counter[str] = field(default_factory=Counter)
    refusals: Counter[tuple[str, str]] = field(default_factory=Counter)  # (event, reason)
    revocations: Counter[str] = field(default_factory=Counter)  # per entity type
    expired: Counter[str] = field(default_factory=Counter)
    shreds: Counter[str] = field(default_factory=Counter)  # sessions shredded, per reason
    shredded_tokens: int = 0
    approvals: Counter[str] = field(default_factory=Counter)  # requested / granted / denied / expired
    sessions_opened: int = 0
    backends: Counter[str] = field(default_factory=Counter)  # rows per backend label
    key_events: list[KeyEvent] = field(default_factory=list)
    rows_read: int = 0

    @property
    def tokenized_by_type(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for day in self.tokenized_by_day.values():
            total.update(day)
        return total


def gather(
    engine: Engine,
    *,
    since: datetime | None,
    until: datetime | None,
    now: datetime,
    backend: str | None = None,
    session_id: str | None = None,
) -> ReportData:
    """Read the period's rows (for one backend or session if given) and verify the whole chain.

    Key events are vault-wide (no session, no backend): they are read for the period whatever the filter.
    """
    data = ReportData(since, until, backend, session_id, now, verify(engine))
    scoped = AuditQuery(
        since=since, until=until, backend=backend, session_id=session_id, events=ACTIVITY_EVENTS,
        oldest_first=True,
    )  # fmt: skip
    for row in query(engine, scoped):
        data.rows_read += 1
        _count(data, row)
    for row in query(engine, AuditQuery(since=since, until=until, events=KEY_EVENTS, oldest_first=True)):
        data.rows_read += 1
        data.key_events.append(_key_event(row))
    return data


def _count(data: ReportData, row: dict[str, Any]) -> None:
    event, fields = row["event"], row.get("fields") or {}
    entity = row.get("entity_type") or "?"
    raw = row.get("count")
    count = raw if isinstance(raw, int) else 1
    if row.get("backend"):
        data.backends[row["backend"]] += 1
    if event == "token-created" and isinstance(row.get("time"), datetime):
        data.tokenized_by_day.setdefault(row["time"].date(), Counter())[entity] += 1
    elif event == "token-detokenized":
        data.detokenized_by_tool[row.get("tool") or "(no tool)"] += count
    elif event == "token-revoked":
        data.revocations[entity] += 1
    elif event == "token-expired":
        data.expired[entity] += 1
    elif event == "session-shredded":
        data.shreds[row.get("reason") or "(none given)"] += 1
        data.shredded_tokens += int(fields.get("tokens") or 0)
    elif event == "session-opened":
        data.sessions_opened += 1
    if event in REFUSAL_EVENTS:
        data.refusals[(event, row.get("reason") or "(none given)")] += count
    if event in APPROVAL_OUTCOMES:
        data.approvals[APPROVAL_OUTCOMES[event]] += 1


def _key_event(row: dict[str, Any]) -> KeyEvent:
    fields = row.get("fields") or {}
    event = row["event"]
    if event == "key-version-created":
        version, detail = fields.get("version"), f"created ({fields.get('reason') or 'rotate'})"
    elif event == "key-rotated":
        version = fields.get("to_version")
        detail = f"{int(fields.get('rewrapped') or 0)} session keys rewrapped"
    else:
        version, detail = fields.get("version"), "retired"
    return KeyEvent(row["time"], event, version if isinstance(version, int) else None, detail)
