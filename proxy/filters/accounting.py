"""The accounting filter: what a forwarded call cost, recorded once it is done.

Last of the call filters: the call's resource window on the backend's process tree opens as the request is
forwarded (`proxy.resources`), and when the call leaves the call table (`on_done`) an answered one becomes
its metrics and its `call-completed` audit row (`ProxySession.call_completed`); a call that ended
unanswered (cancelled, timed out, the backend gone) only closes its window, so no sampler keeps it open.
"""

from __future__ import annotations

from proxy.call import Call
from proxy.chain import CONTINUE, Verdict
from proxy.session import ProxySession


class Accounting:
    def __init__(self, session: ProxySession) -> None:
        self.session = session

    async def on_request(self, call: Call) -> Verdict:
        call.usage = self.session.usage.begin(call.backend or self.session.backend)
        return CONTINUE

    def on_done(self, call: Call) -> None:
        usage, call.usage = call.usage, None
        if call.outcome is None:
            self.session.usage.end(usage)
            return
        self.session.call_completed(
            call.method, call.tool, call.outcome, call.seconds, backend=call.backend, usage=usage
        )
