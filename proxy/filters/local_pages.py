"""First filter on a client request: the pages of budgeted results, answered by the proxy itself.

`tools/call veil_result_page {result_id, page}` and `resources/read veil://results/{id}?page=k`. The stored
result is already tokenized; it is read from this session's vault only (another session's id is unknown
here), so a page carries nothing the model could not see before. The read of the vault runs in a worker.
Such a request is never forwarded: the backend knows nothing of it. How a result is cut, stored and paged
is `proxy.budget`; the filter that cuts it is `proxy.filters.budget`.
"""

from __future__ import annotations

import anyio
import mcp_types as types

from proxy import budget
from proxy.call import Call
from proxy.chain import CONTINUE, Verdict, error_reply
from proxy.errors import to_jsonrpc_error
from proxy.session import ProxySession
from proxy.transports.wire import SessionMessage


class LocalPages:
    def __init__(self, session: ProxySession) -> None:
        self.session = session

    async def on_request(self, call: Call) -> Verdict:
        msg = call.message
        if not budget.is_page_request(msg):
            return CONTINUE
        try:
            result = await anyio.to_thread.run_sync(budget.answer_page_request, self.session, msg)
        except Exception as exc:  # a bad page number, an unknown result: the client's error, not a block
            return Verdict(answer=error_reply(msg.id, to_jsonrpc_error(exc)))
        return Verdict(answer=SessionMessage(types.JSONRPCResponse(jsonrpc="2.0", id=msg.id, result=result)))
