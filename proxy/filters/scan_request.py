"""The egress and detokenize filters on a client request, as one call filter.

They are scan filters (`proxy.filters.egress`, `proxy.filters.detokenize`: functions of a `Flow`, run by
the chain on the loop or in a worker); this filter runs them over the request and keeps the result as the
message the backend gets (`Call.outgoing`), the real values the approval gate judges and the limits count.
A refused request is answered with its error here: the chain has audited it already.
"""

from __future__ import annotations

from proxy.call import Call
from proxy.chain import CONTINUE, Chain, Verdict, error_reply
from proxy.errors import to_jsonrpc_error
from proxy.filters.flow import Direction


class ScanRequest:
    def __init__(self, chain: Chain) -> None:
        self.chain = chain

    async def on_request(self, call: Call) -> Verdict:
        msg = call.message
        out = await self.chain.scan(msg, Direction.TO_BACKEND, "request", msg.method, call.tool, call=call)
        if isinstance(out, Exception):
            return Verdict(answer=error_reply(msg.id, to_jsonrpc_error(out)))
        call.outgoing = out.message
        return CONTINUE
