"""The quota filter: API quotas per tool pattern or backend, counted in the vault database.

A policy gives `quota: {per: day|hour, calls: N}` (or `rows: N`) on a tool pattern or for the whole
backend. Every `veil run` process and fleet instance on one vault database shares the count
(`vault.quotas`). A call quota is taken before the request is forwarded, after any approval (a call a
human refuses costs nothing); a row quota refuses calls once the rows returned reach it, and counts each
answer's rows (its largest list, as the response budget finds it) when the answer arrives.

When a quota's use crosses 80 % in a window the operator hears it three ways: a log line, the
`veil_quota_warnings` metric and a `quota-warned` audit row; the model's client gets an MCP logging
notification. At 100 % the call is refused with an error naming the quota, when it resets and how to raise
it; the refusal is audited (`message-blocked`, reason `QuotaExceeded`). The count is the database's: if it
cannot be read the call is refused (fail closed), like any filter error.
"""

from __future__ import annotations

import logging
from typing import Any

import anyio
import mcp_types as types
import orjson

from proxy import budget, metrics
from proxy.call import Call
from proxy.chain import CONTINUE, Pump, Verdict
from proxy.errors import QuotaExceeded
from proxy.policy import Quota
from proxy.session import ProxySession
from proxy.transports.wire import SessionMessage
from vault import audit
from vault.quotas import QuotaKey, QuotaUse

log = logging.getLogger(__name__)

WARN_AT = 0.8


class Quotas:
    def __init__(self, session: ProxySession, pump: Pump) -> None:
        self.session = session
        self.pump = pump
        # Answers whose rows are still being counted: a row quota's next check waits for them, so a
        # client's next call sees its last answer's rows (other processes' answers count when written).
        self._counting = 0
        self._counted = anyio.Event()

    def _keys(self, call: Call) -> list[QuotaKey]:
        if call.method != "tools/call" or call.tool is None:
            return []
        backend = call.backend or self.session.backend
        quotas: list[Quota] = self.session.policy_for(call.backend).quotas_for(call.tool)
        return [QuotaKey(backend, q.name, q.per, q.unit, q.limit) for q in quotas]

    async def on_request(self, call: Call) -> Verdict:
        keys = self._keys(call)
        if not keys:
            return CONTINUE
        while self._counting and any(k.unit == "rows" for k in keys):
            await self._counted.wait()
        refused, warned = await anyio.to_thread.run_sync(self._take, keys)
        for use in warned:
            await self._warn(use)
        if refused is not None:
            metrics.QUOTA_REFUSALS.labels(refused.backend, refused.quota).inc()
            log.warning(
                "call refused: quota used up",
                extra={"backend": refused.backend, "quota": refused.quota, "used": refused.used},
            )
            return Verdict(refuse=exceeded(refused))
        return CONTINUE

    def _take(self, keys: list[QuotaKey]) -> tuple[QuotaUse | None, list[QuotaUse]]:
        """Take one call of every call quota, check every row quota: (the quota that refuses, or None; the
        quotas whose warning threshold this call crossed). A refused call gives back what it took."""
        store = self.session.vault.quotas
        taken: list[QuotaKey] = []
        warned: list[QuotaUse] = []
        for key in keys:
            if key.unit == "rows":
                use = store.quota_use(key)
                ok = use.used < key.limit
            else:
                ok, use = store.take_quota(key)
            _export(use)
            if not ok:
                for back in taken:
                    _export(store.add_quota(back, -1))
                return use, []
            if key.unit == "calls":
                taken.append(key)
                if crossed(use.used - 1, use.used, key.limit):
                    warned.append(use)
        return None, warned

    def on_response(self, call: Call, msg: Any) -> None:
        """An answer to a call: its rows count toward the row quotas (in a worker: the vault blocks)."""
        keys = [k for k in self._keys(call) if k.unit == "rows"]
        if not keys or not isinstance(msg, types.JSONRPCResponse):
            return
        rows = rows_of(msg.result)
        if rows:
            self._counting += 1
            self.pump.start_soon(self._add_rows, keys, rows)

    async def _add_rows(self, keys: list[QuotaKey], rows: int) -> None:
        try:
            await self._add_each(keys, rows)
        finally:
            self._counting -= 1
            if not self._counting:
                self._counted.set()
                self._counted = anyio.Event()

    async def _add_each(self, keys: list[QuotaKey], rows: int) -> None:
        store = self.session.vault.quotas
        for key in keys:
            try:
                use = await anyio.to_thread.run_sync(store.add_quota, key, rows)
            except Exception as exc:  # the answer is delivered; the next call's check reads the database
                log.error("could not count rows against a quota", extra={"error": type(exc).__name__})
                continue
            _export(use)
            if crossed(use.used - rows, use.used, key.limit):
                await self._warn(use)

    async def _warn(self, use: QuotaUse) -> None:
        """80 %: a log line, a metric, an audit row, and a logging notification to the client."""
        metrics.QUOTA_WARNINGS.labels(use.backend, use.quota).inc()
        log.warning(
            "quota at its warning threshold",
            extra={"backend": use.backend, "quota": use.quota, "used": use.used, "limit": use.limit},
        )
        ctx = self.session.context(direction="to-client", backend=use.backend)
        event = audit.QuotaWarned.of(
            ctx, session_id=self.session.session_id, quota=use.quota, used=use.used, limit=use.limit
        )
        try:
            await anyio.to_thread.run_sync(self.session.vault.record, [event])
        except Exception as exc:
            log.error("could not audit a quota warning", extra={"error": type(exc).__name__})
        note = types.JSONRPCNotification(
            jsonrpc="2.0",
            method="notifications/message",
            params={"level": "warning", "logger": "mcp-veil", "data": warning_text(use)},
        )
        await self.pump.to_client(SessionMessage(note))


def crossed(before: int, after: int, limit: int) -> bool:
    """Whether use went from below the warning threshold to at or above it."""
    threshold = WARN_AT * limit
    return before < threshold <= after


def _describe(use: QuotaUse) -> str:
    return f"quota {use.quota!r} of backend {use.backend!r} ({use.limit} {use.unit} per {use.per})"


def _stamp(use: QuotaUse) -> str:
    return use.resets_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def warning_text(use: QuotaUse) -> str:
    percent = int(100 * use.fraction)
    return (
        f"mcp-veil: {_describe(use)} is at {percent} % ({use.used} of {use.limit} {use.unit}); "
        f"it resets at {_stamp(use)}"
    )


def exceeded(use: QuotaUse) -> QuotaExceeded:
    """The refusal: which quota, its use, when it resets, and how to raise it."""
    if use.quota.startswith("tool:"):
        where = f"`tools: {{{use.quota[5:]!r}: {{quota: {{per: {use.per}, {use.unit}: N}}}}}}`"
    else:
        where = f"the top-level `quota: {{per: {use.per}, {use.unit}: N}}`"
    message = (
        f"mcp-veil: {_describe(use)} is used up ({use.used} of {use.limit}); it resets at {_stamp(use)}. "
        f"To raise it, set a larger N in {where} of your policy and restart the proxy; "
        f"`veil quota status` shows the use."
    )
    data = {
        "quota": use.quota, "backend": use.backend, "per": use.per, "unit": use.unit,
        "limit": use.limit, "used": use.used, "resets_at": _stamp(use),
    }  # fmt: skip
    return QuotaExceeded(message, data=data)


def rows_of(result: Any) -> int:
    """The rows of a tool result: its largest list (structuredContent, else a JSON text block); 0 if none."""
    if not isinstance(result, dict):
        return 0
    doc = result.get("structuredContent")
    if doc is None:
        for block in result.get("content") or []:
            text = block.get("text") if isinstance(block, dict) else None
            if isinstance(text, str) and text.lstrip()[:1] in ("{", "["):
                try:
                    doc = orjson.loads(text)
                except orjson.JSONDecodeError:
                    continue
                break
    target = budget.find_rows(doc)
    return len(target.rows) if target is not None else 0


def _export(use: QuotaUse) -> None:
    metrics.QUOTA_USED.labels(use.backend, use.quota, use.unit).set(use.used)
    metrics.QUOTA_LIMIT.labels(use.backend, use.quota, use.unit).set(use.limit)
