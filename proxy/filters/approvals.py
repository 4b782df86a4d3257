"""The approvals filter: a `tools/call` that needs a human's approval pauses here, then continues.

`proxy.approvals.ApprovalGate` decides which calls need approval and how the human is asked; this filter
hooks it into the chain. A gated call waits in a task of its own (other messages keep flowing) and, once
approved, resumes the chain at the next filter (limits/timeout) with the parameters the gate returned;
declined, timed out, withdrawn by the client or failed (a vault or audit error), it is refused. The gate's
own requests (elicitation prompts to the client, dry runs at the backend) carry ids with `ID_PREFIX`: their
answers are consumed here and never forwarded.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import mcp_types as types

from proxy.approval_prompts import ID_PREFIX
from proxy.approvals import ApprovalGate
from proxy.call import Call, Outcome
from proxy.chain import CONTINUE, Chain, Pump, Verdict
from proxy.policy import ApprovalRule
from proxy.transports.wire import ServerMessageMetadata, SessionMessage

log = logging.getLogger(__name__)


class Approvals:
    def __init__(self, chain: Chain, pump: Pump) -> None:
        self.chain = chain
        self.pump = pump
        self.gate = ApprovalGate(chain.session)
        # Calls waiting for a human: their scope, and how a front ends an unanswered one.
        self._gated: dict[Any, tuple[anyio.CancelScope, Callable[[], Awaitable[None]] | None]] = {}
        # The proxy's own requests, by id, in each direction: their answers are consumed here.
        self._own_to_client: dict[Any, Any] = {}
        self._own_to_backend: dict[Any, Any] = {}

    async def on_request(self, call: Call) -> Verdict:
        if call.method == "initialize":
            self.gate.learn_initialize(call.message.params)
        real = call.outgoing.params if isinstance(call.outgoing, types.JSONRPCRequest) else None
        if call.tool is None or real is None:
            return CONTINUE
        rule = self.gate.needs_gate(real)
        if rule is None and not self.gate.needs_hints(real):
            return CONTINUE
        scope = anyio.CancelScope()
        self._gated[call.id] = (scope, call.on_unanswered)
        self.pump.start_soon(self._wait, scope, rule, call, real)
        return Verdict(pause=True)

    def on_response(self, call: Call, msg: Any) -> None:
        """A tools/list result declares the backend's tool hints (read-only, destructive)."""
        if call.method == "tools/list" and isinstance(msg, types.JSONRPCResponse):
            self.gate.learn_tools(msg.result)

    async def _wait(self, scope: anyio.CancelScope, rule: ApprovalRule | None, call: Call, real: Any) -> None:
        with scope:
            try:
                if rule is None:  # first learn what the backend declares about its tools
                    await self.gate.fetch_hints(self, real.get("_meta"))
                    rule = self.gate.needs_gate(real)
                if rule is None:
                    self._gated.pop(call.id, None)
                    await self.pump.resume(call)
                    return
                gated = self.gate.call_of(call.id, call.message.params or {}, real)
                try:
                    verdict = await self.gate.decide(rule, gated, real, self)
                except anyio.get_cancelled_exc_class():
                    with anyio.CancelScope(shield=True):  # withdrawn by the client while waiting
                        await self.gate.withdrawn(call.id)
                    call.ended = Outcome("cancelled")
                    self.pump.end(call)
                    raise
            except Exception as exc:  # a vault or audit failure: the call does not happen
                self._gated.pop(call.id, None)
                await self.pump.refuse(call, exc)
                return
            self._gated.pop(call.id, None)
            if verdict.error is not None:
                await self.pump.refuse(call, verdict.error)
            elif verdict.result is not None:
                reply = types.JSONRPCResponse(jsonrpc="2.0", id=call.id, result=verdict.result)
                call.ended = Outcome("ok")
                await self.pump.to_client(SessionMessage(reply))
                self.pump.end(call)
            else:
                call.outgoing = call.message.model_copy(update={"params": verdict.params})
                await self.pump.resume(call)

    async def withdraw(self, request_id: Any) -> bool:
        """The client cancelled a request: True if it was waiting here (it never reached the backend, so
        there is nothing to tell it)."""
        waiting = self._gated.pop(request_id, None)
        if waiting is None:
            return False
        waiting[0].cancel()
        if waiting[1] is not None:
            await waiting[1]()
        return True

    def answered(self, msg: types.JSONRPCResponse | types.JSONRPCError, *, by_client: bool) -> None:
        """An answer to one of the proxy's own requests: handed to its waiter. One nobody waits for (a replay,
        a late or invented answer) is dropped."""
        waiter = (self._own_to_client if by_client else self._own_to_backend).pop(msg.id, None)
        if waiter is not None:
            waiter.send_nowait(msg)
        elif by_client:
            log.warning("an answer to no pending approval prompt; dropped")

    # ------------------------------------------------------------------ GateIO
    async def ask_client(self, method: str, params: dict[str, Any], timeout: float, related: Any) -> Any:
        msg = await self._ask(self.pump.to_client, self._own_to_client, method, params, timeout, related)
        if isinstance(msg, types.JSONRPCError):
            return None  # the client could not show it: not an approval
        return msg.result

    async def ask_backend(self, method: str, params: dict[str, Any], timeout: float) -> Any:
        msg = await self._ask(self.pump.to_backend, self._own_to_backend, method, params, timeout, None)
        if isinstance(msg, types.JSONRPCError):
            return None, msg.error
        return msg.result, None

    async def to_client(self, payload: Any, kind: str, method: str, tool: str | None) -> Any:
        return await self.chain.to_client(payload, kind, method, tool)

    async def _ask(
        self,
        send_to: Callable[[SessionMessage], Awaitable[None]],
        waiters: dict[Any, Any],
        method: str,
        params: dict[str, Any],
        timeout: float,
        related: Any,
    ) -> Any:
        request_id = ID_PREFIX + secrets.token_hex(8)
        send, receive = anyio.create_memory_object_stream[Any](1)
        waiters[request_id] = send
        request = types.JSONRPCRequest(jsonrpc="2.0", id=request_id, method=method, params=params)
        metadata = ServerMessageMetadata(related_request_id=related) if related is not None else None
        try:
            await send_to(SessionMessage(request, metadata=metadata))
            with anyio.fail_after(timeout):
                return await receive.receive()
        except TimeoutError:
            note = types.JSONRPCNotification(
                jsonrpc="2.0",
                method="notifications/cancelled",
                params={"requestId": request_id, "reason": "mcp-veil: no answer in time"},
            )
            await send_to(SessionMessage(note, metadata=metadata))
            raise
        finally:
            waiters.pop(request_id, None)
            send.close()
            receive.close()
