"""The limits filter: per-tool concurrency and rate limits, and every call's timeout.

The last guardrail before a request is forwarded (only accounting follows): a slot of the call limiter
(`proxy.limits`) is taken here and freed by `on_done` when the call leaves the call table, whatever ended
it. The deadline starts here too, after any approval wait: the timeout measures the backend, and ends when
the backend's answer comes in (`on_response`; a timeout firing while that answer is scanned would send the
client a second answer). `watch` is the housekeeping loop that answers an overdue call with an error and
tells the backend `notifications/cancelled`.
"""

from __future__ import annotations

import math
import time
from typing import Any

import anyio
import mcp_types as types

from proxy.call import Call, CallTable, Outcome
from proxy.chain import CONTINUE, Pump, Verdict
from proxy.errors import CallTimedOut
from proxy.limits import CallLimiter, CallRefused
from proxy.session import ProxySession
from proxy.transports.wire import SessionMessage

HOUSEKEEPING_SECONDS = 0.1


class Limits:
    def __init__(self, session: ProxySession) -> None:
        self.session = session
        self.limiter = CallLimiter(session.policy)

    async def on_request(self, call: Call) -> Verdict:
        call.started = time.monotonic()
        tool, backend = call.tool, call.backend
        if tool is not None:
            try:
                self.limiter.acquire(tool, backend)
            except CallRefused as exc:
                return Verdict(refuse=exc)
            call.holds_slot = True
        call.deadline = call.started + self.session.policy.call_limits(tool).timeout_seconds
        return CONTINUE

    def on_response(self, call: Call, msg: Any) -> None:
        """Answered in time: the call timeout is the backend's, no longer running (the scan of the answer
        has its own detection budget)."""
        call.deadline = math.inf

    def on_done(self, call: Call) -> None:
        """The call left the table (answered, cancelled, timed out, the backend gone): its slot is free."""
        if call.holds_slot and call.tool is not None:
            call.holds_slot = False
            self.limiter.release(call.tool, call.backend)

    async def watch(self, calls: CallTable, pump: Pump) -> None:
        """Every 0.1 s: buffered audit rows are written; an overdue call gets its error, the backend a
        `notifications/cancelled`, and a front that ends unanswered requests itself is told."""
        while True:
            await anyio.sleep(HOUSEKEEPING_SECONDS)
            if self.session.calls_due():
                await anyio.to_thread.run_sync(self.session.flush_calls)
            for call in calls.overdue(time.monotonic(), lambda c: Outcome.refused(_timed_out(c))):
                await pump.refuse(call, _timed_out(call))
                cancel = types.JSONRPCNotification(
                    jsonrpc="2.0",
                    method="notifications/cancelled",
                    params={"requestId": call.id, "reason": "mcp-veil: call timeout"},
                )
                await pump.to_backend(SessionMessage(cancel))
                if call.on_unanswered is not None:
                    await call.on_unanswered()


def _timed_out(call: Call) -> CallTimedOut:
    seconds = call.deadline - call.started
    return CallTimedOut(
        f"mcp-veil: the backend did not answer within {seconds:g} s; the call was cancelled",
        data={"timeout_seconds": seconds},
    )
