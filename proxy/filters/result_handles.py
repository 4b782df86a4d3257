"""A call filter before the request scan: a stored result's handle in a tool's argument becomes its rows.

Only arguments the tool's policy names in `accepts_results` take a handle; any other is refused, as is an
unknown or expired one, before anything reaches the backend (`HandleRefused`, audited as a blocked
message). The rows put in are the stored, tokenized ones: the request scan after this filter applies the
egress policy and detokenizes them like any token the model wrote, so the backend gets real values that
never entered the model's context. Each handle used is audited once (`result-handed`, with its row count).
How handles look and are found: `proxy.result_handles`.
"""

from __future__ import annotations

from typing import Any

import anyio

from proxy.call import Call
from proxy.chain import CONTINUE, Verdict
from proxy.result_handles import HandleRefused, find_handles, handle, stored_rows, substitute
from proxy.session import ProxySession
from vault import audit
from vault.errors import ResultUnavailable


class ResultHandles:
    def __init__(self, session: ProxySession) -> None:
        self.session = session

    async def on_request(self, call: Call) -> Verdict:
        msg = call.message
        if msg.method != "tools/call" or not isinstance(msg.params, dict):
            return CONTINUE
        arguments = msg.params.get("arguments")
        found = list(find_handles(arguments))
        if not found or not isinstance(arguments, dict):
            return CONTINUE
        accepts = self.session.policy_for(call.backend).accepts_results(call.tool)
        for argument, _ in found:
            if argument not in accepts:
                raise HandleRefused(
                    f"mcp-veil: tool {msg.params.get('name')!r} does not accept a stored result in argument "
                    f"{argument!r} (a policy's tools.<tool>.accepts_results names the arguments that do)"
                )
        rows_of = await anyio.to_thread.run_sync(self._load, call, found)
        params: dict[str, Any] = {**msg.params, "arguments": substitute(arguments, rows_of)}
        call.message = msg.model_copy(update={"params": params})
        return CONTINUE

    def _load(self, call: Call, found: list[tuple[str, str]]) -> dict[str, list[Any]]:
        """The rows of each handle's result (a worker: the vault blocks), each use audited."""
        rows_of: dict[str, list[Any]] = {}
        for _argument, result_id in found:
            if result_id in rows_of:
                continue
            try:
                rows_of[result_id] = stored_rows(self.session.load_result(result_id))
            except ResultUnavailable:
                raise HandleRefused(
                    f"mcp-veil: the result handle {handle(result_id)} is unknown, has expired or belongs "
                    "to another session"
                ) from None
        ctx = self.session.context(
            direction="to-backend", method=call.method, tool=call.tool, backend=call.backend
        )
        argument_of: dict[str, str] = {}
        for argument, result_id in found:
            argument_of.setdefault(result_id, argument)
        events = [
            audit.ResultHanded.of(
                ctx,
                session_id=self.session.session_id,
                result_id=rid,
                rows=len(rows),
                argument=argument_of[rid],
            )
            for rid, rows in rows_of.items()
        ]
        self.session.vault.record(events)
        return rows_of
