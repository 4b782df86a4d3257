"""A call filter, first of all: with `catalog: search`, a `veil_call_tool {name, arguments}` request becomes
the `tools/call` of the tool it names, before any other filter sees it.

The list shows only the search and call tools (`proxy.catalog`), so a client that lets its model call only
listed tools still reaches every tool through `veil_call_tool`. Rewritten here, first, the call is the named
tool's in every respect that follows: its policy, the backend it is routed to, egress, detokenization,
approvals, quotas, the audit rows, and the first result carrying its definition. Its arguments go through as
they came (the backend validates them, as it does for a direct call); the request's other parameters (its
`_meta` with a progress token) stay. In any other catalog mode `veil_call_tool` is not the proxy's and is
forwarded like any name.
"""

from __future__ import annotations

from typing import Any

from proxy.call import Call
from proxy.catalog import CALL_TOOL
from proxy.chain import CONTINUE, Verdict, error_reply
from proxy.envelope import tool_of
from proxy.errors import LocalRequestError, to_jsonrpc_error
from proxy.session import ProxySession


class CallThroughCatalog:
    def __init__(self, session: ProxySession) -> None:
        self.session = session

    async def on_request(self, call: Call) -> Verdict:
        msg = call.message
        if msg.method != "tools/call" or not isinstance(msg.params, dict):
            return CONTINUE
        if msg.params.get("name") != CALL_TOOL or self.session.catalog_mode() != "search":
            return CONTINUE
        try:
            params = _inner_params(msg.params)
        except LocalRequestError as exc:  # the client's error: answered, nothing forwarded
            return Verdict(answer=error_reply(msg.id, to_jsonrpc_error(exc)))
        inner = msg.model_copy(update={"params": params})
        call.message = inner
        call.tool = tool_of(self.session, inner)
        call.backend = self.session.backend_of(inner, "to-backend")
        return CONTINUE


def _inner_params(outer: dict[str, Any]) -> dict[str, Any]:
    """The params of the call `veil_call_tool` stands for; LocalRequestError naming what is wrong."""
    args = outer.get("arguments")
    if not isinstance(args, dict):
        raise LocalRequestError(f"mcp-veil: {CALL_TOOL} takes an object of arguments: name, arguments")
    name, arguments = args.get("name"), args.get("arguments", {})
    if not isinstance(name, str) or not name:
        raise LocalRequestError(f"mcp-veil: {CALL_TOOL} needs `name`, the tool to call")
    if name == CALL_TOOL:
        raise LocalRequestError(f"mcp-veil: {CALL_TOOL} cannot call itself")
    if not isinstance(arguments, dict):
        raise LocalRequestError(f"mcp-veil: {CALL_TOOL}: `arguments` must be an object (the tool's)")
    unknown = sorted(set(args) - {"name", "arguments"})
    if unknown:
        raise LocalRequestError(
            f"mcp-veil: {CALL_TOOL} takes `name` and `arguments`; {unknown[0]!r} belongs inside `arguments`"
        )
    rest = {k: v for k, v in outer.items() if k not in ("name", "arguments")}
    return {**rest, "name": name, "arguments": arguments}
