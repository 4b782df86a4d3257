"""First filter on a client request: the pages of budgeted results, answered by the proxy itself.

`tools/call veil_result_page {result_id, page}` and `resources/read veil://results/{id}?page=k`. The stored
result is already tokenized; it is read from this session's vault only (another session's id is unknown
here), so a page carries nothing the model could not see before. The read of the vault runs in a worker.
Such a request is never forwarded: the backend knows nothing of it. How a result is cut and paged is
`proxy.budget`; the filter that cuts it is `proxy.filters.budget`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import mcp_types as types
import orjson

from proxy import budget
from proxy.call import Call
from proxy.chain import CONTINUE, Verdict, error_reply
from proxy.errors import INVALID_PARAMS, ProxyError, to_jsonrpc_error
from proxy.session import ProxySession
from proxy.transports.wire import SessionMessage
from vault.errors import ResultUnavailable

DEFAULT_PAGE_SIZE = 100  # for a stored result that does not say its page size


class LocalRequestError(ProxyError):
    code = INVALID_PARAMS


def handles(msg: types.JSONRPCRequest) -> bool:
    params = msg.params or {}
    if msg.method == "tools/call":
        return params.get("name") == budget.PAGE_TOOL
    if msg.method == "resources/read":
        uri = params.get("uri")
        return isinstance(uri, str) and uri.startswith(budget.RESULT_URI)
    return False


def answer(session: ProxySession, msg: types.JSONRPCRequest) -> dict[str, Any]:
    """The result for a request `handles` accepted; LocalRequestError with a clear message otherwise."""
    params = msg.params or {}
    if msg.method == "tools/call":
        args = params.get("arguments") or {}
        result_id, page = args.get("result_id"), args.get("page", 1)
        if not isinstance(result_id, str) or not isinstance(page, int) or isinstance(page, bool):
            raise LocalRequestError("mcp-veil: veil_result_page needs a string result_id and an integer page")
        data = _page(session, result_id, page)
        return {
            "content": [{"type": "text", "text": orjson.dumps(data).decode()}],
            "structuredContent": data,
            "isError": False,
        }
    uri = str(params.get("uri"))
    parts = urlsplit(uri)
    result_id = uri[len(budget.RESULT_URI) :].split("?", 1)[0]
    try:
        page = int(parse_qs(parts.query).get("page", ["1"])[0])
    except ValueError:
        raise LocalRequestError("mcp-veil: the page must be a number") from None
    data = _page(session, result_id, page)
    return {"contents": [{"uri": uri, "mimeType": "application/json", "text": orjson.dumps(data).decode()}]}


def _page(session: ProxySession, result_id: str, page: int) -> dict[str, Any]:
    try:
        stored = session.load_result(result_id)
    except ResultUnavailable:
        raise LocalRequestError(
            "mcp-veil: that result is unknown, has expired, or belongs to another session"
        ) from None
    try:
        return budget.page_of(stored, page, DEFAULT_PAGE_SIZE)
    except ValueError as exc:
        raise LocalRequestError(f"mcp-veil: {exc}") from None


class LocalPages:
    def __init__(self, session: ProxySession) -> None:
        self.session = session

    async def on_request(self, call: Call) -> Verdict:
        msg = call.message
        if not handles(msg):
            return CONTINUE
        try:
            result = await anyio.to_thread.run_sync(answer, self.session, msg)
        except Exception as exc:  # a bad page number, an unknown result: the client's error, not a block
            return Verdict(answer=error_reply(msg.id, to_jsonrpc_error(exc)))
        return Verdict(answer=SessionMessage(types.JSONRPCResponse(jsonrpc="2.0", id=msg.id, result=result)))
