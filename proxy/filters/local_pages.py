"""First filter on a client request: the pages of budgeted results, answered by the proxy itself.

`proxy.local` knows the two forms (the `veil_result_page` tool, the `veil://results/` resource); the read
of the vault runs in a worker. Such a request is never forwarded: the backend knows nothing of it.
"""

from __future__ import annotations

import anyio
import mcp_types as types
from mcp.shared.message import SessionMessage

from proxy import local
from proxy.call import Call
from proxy.chain import CONTINUE, Verdict, error_reply
from proxy.errors import to_jsonrpc_error
from proxy.session import ProxySession


class LocalPages:
    def __init__(self, session: ProxySession) -> None:
        self.session = session

    async def on_request(self, call: Call) -> Verdict:
        msg = call.message
        if not local.handles(msg):
            return CONTINUE
        try:
            result = await anyio.to_thread.run_sync(local.answer, self.session, msg)
        except Exception as exc:  # a bad page number, an unknown result: the client's error, not a block
            return Verdict(answer=error_reply(msg.id, to_jsonrpc_error(exc)))
        return Verdict(answer=SessionMessage(types.JSONRPCResponse(jsonrpc="2.0", id=msg.id, result=result)))
