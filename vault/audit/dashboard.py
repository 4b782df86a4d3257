"""`veil top`'s figures, per backend and tool, read from the shared vault database: every `veil run`
process and fleet instance writes its `call-completed` rows there, so the dashboard shows them all.

Per (backend, tool) over a window: calls, success rate, average and p95 latency, the backend's memory
during calls (average and maximum of each call's peak process-tree RSS) and CPU time, values tokenized
(the `replaced` counts of `tokenize-summary` rows), calls refused (`message-blocked` toward the backend),
and the use of the API quota that governs the tool. Everything here is counts, durations and names the
audit log already holds: no value.
"""

from __future__ import annotations

import fnmatch
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select

from vault.models import AuditRecord
from vault.quotas import QuotaUse

_EVENTS = ("call-completed", "tokenize-summary", "message-blocked")


@dataclass
class ToolUsage:
    """One row of `veil top`: a tool (or, for other requests, `(method)`) on a backend."""

    backend: str
    tool: str
    calls: int = 0
    ok: int = 0
    refused: int = 0
    values_tokenized: int = 0
    avg_ms: float | None = None
    p95_ms: float | None = None
    mem_avg_bytes: int | None = None
    mem_max_bytes: int | None = None
    cpu_ms: float | None = None  # CPU time of the backend's tree during these calls, in all
    quota: str | None = None  # the quota governing this tool, if one was counted: its name
    quota_used: int | None = None
    quota_limit: int | None = None
    _ms: list[float] = field(default_factory=list, repr=False)
    _mem: list[int] = field(default_factory=list, repr=False)
    _cpu: list[float] = field(default_factory=list, repr=False)

    @property
    def success_rate(self) -> float | None:
        return self.ok / self.calls if self.calls else None

    def as_dict(self) -> dict[str, object]:
        out = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        out["success_rate"] = None if self.success_rate is None else round(self.success_rate, 4)
        return out


def usage(engine: Engine, since: datetime, quotas: Sequence[QuotaUse] = ()) -> list[ToolUsage]:
    """The dashboard's rows for audit rows at or after `since`, with `quotas` (the current windows'
    counts) joined to the tools they govern."""
    a = AuditRecord
    stmt = select(
        a.event, a.backend, a.tool, a.method, a.outcome, a.direction, a.duration_ms, a.payload
    ).where(a.time >= since, a.event.in_(_EVENTS))
    rows: dict[tuple[str, str], ToolUsage] = {}
    with engine.connect().execution_options(veil_begin="DEFERRED") as conn:
        for event, backend, tool, method, outcome, direction, ms, payload in conn.execute(stmt):
            if tool is None and event != "call-completed":
                continue  # values tokenized outside a tool call, blocked notifications: not a tool's figures
            name = tool or f"({method or 'other'})"
            row = rows.setdefault((backend or "", name), ToolUsage(backend or "", name))
            fields = _fields(payload)
            if event == "call-completed":
                row.calls += 1
                row.ok += outcome == "ok"
                if ms is not None:
                    row._ms.append(float(ms))
                peak, cpu = fields.get("peak_rss_bytes"), fields.get("cpu_ms")
                if isinstance(peak, int):
                    row._mem.append(peak)
                if isinstance(cpu, int | float):
                    row._cpu.append(float(cpu))
            elif event == "tokenize-summary":
                replaced = fields.get("replaced")
                row.values_tokenized += replaced if isinstance(replaced, int) else 0
            elif direction == "to-backend":  # message-blocked: a request refused before the backend
                row.refused += 1
    for row in rows.values():
        _summarize(row)
        _join_quota(row, quotas)
    return sorted(rows.values(), key=lambda r: (r.backend, r.tool))


def _fields(payload: str | None) -> dict[str, object]:
    if not payload:
        return {}
    try:
        found = json.loads(payload)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _summarize(row: ToolUsage) -> None:
    if row._ms:
        ms = sorted(row._ms)
        row.avg_ms = round(sum(ms) / len(ms), 3)
        row.p95_ms = round(ms[max(0, math.ceil(0.95 * len(ms)) - 1)], 3)
    if row._mem:
        row.mem_avg_bytes = sum(row._mem) // len(row._mem)
        row.mem_max_bytes = max(row._mem)
    if row._cpu:
        row.cpu_ms = round(sum(row._cpu), 3)


def _join_quota(row: ToolUsage, quotas: Sequence[QuotaUse]) -> None:
    """The fullest quota governing the row's tool: a tool pattern's that matches it, or the backend's."""
    best: QuotaUse | None = None
    for q in quotas:
        if q.backend != row.backend:
            continue
        pattern = q.quota.removeprefix("tool:")
        governs = q.quota == "backend" and not row.tool.startswith("(")
        governs = governs or (q.quota.startswith("tool:") and fnmatch.fnmatchcase(row.tool, pattern))
        if governs and (best is None or q.fraction > best.fraction):
            best = q
    if best is not None:
        row.quota, row.quota_used, row.quota_limit = best.quota, best.used, best.limit
