"""The report's sections as plain rows, shared by the HTML and the Markdown renderings so both say the
same thing: a heading, a chart's items and a table per section."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from vault.audit.report import ReportData

DAY = "%Y-%m-%d"


@dataclass(frozen=True)
class Table:
    heading: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    note: str = ""


def period(data: ReportData) -> str:
    since = data.since.strftime("%Y-%m-%d %H:%M UTC") if data.since else "the first row"
    until = data.until.strftime("%Y-%m-%d %H:%M UTC") if data.until else "now"
    scope = [f"backend {data.backend}"] if data.backend else []
    scope += [f"session {data.session}"] if data.session else []
    return f"{since} to {until}" + (f" ({', '.join(scope)})" if scope else " (all backends and sessions)")


def chain_verdict(data: ReportData) -> tuple[bool, str]:
    """What `veil audit verify` says about the whole log (not only the period)."""
    c = data.chain
    if not c.ok:
        return False, (
            f"BROKEN at seq {c.first_bad_seq}: {c.problem} ({c.rows_checked} rows before it verified)"
        )
    if c.rows_checked == 0 and c.start_seq == 1:
        return True, "OK: the audit log is empty"
    pruned = f"; rows before seq {c.start_seq} were pruned" if c.start_seq > 1 else ""
    return True, (
        f"OK: {c.rows_checked} rows verified (seq {c.start_seq}–{c.head_seq}), "
        f"head {c.head_seq}:{c.head_hash}{pruned}"
    )


def summary(data: ReportData) -> Table:
    refusals = sum(data.refusals.values())
    rows = [
        ("Values tokenized (new tokens)", str(sum(data.tokenized_by_type.values()))),
        ("Detokenizations toward backends", str(sum(data.detokenized_by_tool.values()))),
        ("Refusals (tokens, messages, approvals)", str(refusals)),
        ("Tokens revoked", str(sum(data.revocations.values()))),
        ("Tokens expired", str(sum(data.expired.values()))),
        ("Sessions opened", str(data.sessions_opened)),
        ("Sessions shredded (tokens made unrecoverable)", _shredded(data)),
        ("Approvals requested / granted / denied / expired", _approvals(data)),
        ("Key events", str(len(data.key_events))),
    ]  # fmt: skip
    return Table("Summary", ("Figure", "Count"), rows)


def _shredded(data: ReportData) -> str:
    return f"{sum(data.shreds.values())} ({data.shredded_tokens})"


def _approvals(data: ReportData) -> str:
    return " / ".join(str(data.approvals[k]) for k in ("requested", "granted", "denied", "expired"))


def tokenized_by_type(data: ReportData) -> Table:
    rows = [(name, str(n)) for name, n in data.tokenized_by_type.most_common()]
    return Table("Values tokenized per entity type", ("Entity type", "Values"), rows)


def detokenized_by_tool(data: ReportData) -> Table:
    rows = [(tool, str(n)) for tool, n in data.detokenized_by_tool.most_common()]
    return Table("Detokenizations per tool", ("Tool", "Values sent"), rows)


def refusals(data: ReportData) -> Table:
    rows = [(event, reason, str(n)) for (event, reason), n in data.refusals.most_common()]
    return Table("Refusals and why", ("Event", "Reason", "Count"), rows)


def revocations(data: ReportData) -> Table:
    types = sorted(set(data.revocations) | set(data.expired))
    rows = [(t, str(data.revocations[t]), str(data.expired[t])) for t in types]
    return Table("Revocations and expiries", ("Entity type", "Revoked", "Expired"), rows)


def shreds(data: ReportData) -> Table:
    rows = [(reason, str(n)) for reason, n in data.shreds.most_common()]
    note = f"Tokens made unrecoverable in all: {data.shredded_tokens}." if data.shreds else ""
    return Table("Sessions shredded", ("Reason", "Sessions"), rows, note)


def approvals(data: ReportData) -> Table:
    rows = [(k, str(data.approvals[k])) for k in ("requested", "granted", "denied", "expired")]
    return Table("Approvals", ("Outcome", "Count"), rows)


def key_versions(data: ReportData) -> Table:
    rows = [
        (_when(k.time), k.event, "" if k.version is None else str(k.version), k.detail)
        for k in data.key_events
    ]
    return Table("Key versions", ("Time", "Event", "Version", "What"), rows, "Vault-wide: not filtered.")


def tables(data: ReportData) -> list[Table]:
    return [
        summary(data),
        tokenized_by_type(data),
        detokenized_by_tool(data),
        refusals(data),
        revocations(data),
        shreds(data),
        approvals(data),
        key_versions(data),
    ]


def _when(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M")
