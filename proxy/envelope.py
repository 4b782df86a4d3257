"""What the pump reads off a message besides its payload: which request it belongs to, how it ended, what
the front could not parse, and the backend lines that are not JSON-RPC at all."""

from __future__ import annotations

import logging
import time
from typing import Any

import mcp_types as types
from pydantic import ValidationError

from proxy.approval_prompts import ID_PREFIX
from proxy.call import Call, CallTable
from proxy.errors import INVALID_REQUEST, PARSE_ERROR
from proxy.session import ProxySession
from proxy.transports.wire import ServerMessageMetadata, SessionMessage

log = logging.getLogger("proxy.relay")  # the pump's own log, wherever its helpers live

# A backend printing garbage is logged at most once per this many seconds, with a count.
GARBAGE_LOG_SECONDS = 10.0


class GarbageLines:
    """Backend lines that are not JSON-RPC and answer no request in flight: logged at most once per
    `GARBAGE_LOG_SECONDS`, with the count since the last report (a backend printing garbage on every line
    would flood the log); what is left is reported when the relay ends. Never the line itself: it may carry
    personal data."""

    def __init__(self) -> None:
        self._reported = -GARBAGE_LOG_SECONDS  # the first garbage line is reported at once
        self._lines = 0
        self._kind = ""

    def add(self, item: Exception) -> None:
        self._lines += 1
        self._kind = type(item).__name__
        if time.monotonic() - self._reported >= GARBAGE_LOG_SECONDS:
            self.report()

    def report(self) -> None:
        if not self._lines:
            return
        log.warning(
            "backend sent lines that are not JSON-RPC or are over the size limit; dropped",
            extra={"error": self._kind, "lines": self._lines},
        )
        self._reported = time.monotonic()
        self._lines = 0


def routed(out: SessionMessage, msg: types.JSONRPCMessage, calls: CallTable) -> SessionMessage:
    """Tag a backend request or notification with the client request it belongs to, so a front with one
    response stream per request (Streamable HTTP) sends it there rather than on the standalone stream. A
    progress notification names its request through its token; anything else sent while exactly one client
    request is in flight belongs to that one; otherwise it stays untagged."""
    if not isinstance(msg, types.JSONRPCRequest | types.JSONRPCNotification) or not calls:
        return out
    related: Call | None = None
    if msg.method == "notifications/progress" and isinstance(msg.params, dict):
        related = calls.by_progress_token(msg.params.get("progressToken"))
    if related is None:
        related = calls.only()
    if related is None:
        return out
    return SessionMessage(out.message, metadata=ServerMessageMetadata(related_request_id=related.id))


def activate_packs(session: ProxySession, call: Call, msg: Any) -> None:
    """A backend shows which tools it has in its tools/list result and in the calls it answers: the
    policy packs meant for those tools apply from this answer on (`Policy.activate_packs`)."""
    policy = session.policy_for(call.backend)
    if not policy.packs:
        return
    names = [call.tool] if call.tool else []
    result = getattr(msg, "result", None)
    if call.method == "tools/list" and isinstance(result, dict) and isinstance(result.get("tools"), list):
        names += [
            t["name"] for t in result["tools"] if isinstance(t, dict) and isinstance(t.get("name"), str)
        ]
    local = [n for n in map(session.local_tool, names) if n]
    for name in policy.activate_packs(local):
        log.info("policy pack applies to this backend", extra={"pack": name})


def outcome(msg: types.JSONRPCMessage, out: SessionMessage | Exception) -> str:
    """ok / error / blocked: what the client got for its request."""
    if isinstance(out, Exception):
        return "blocked"
    if isinstance(msg, types.JSONRPCError):
        return "error"
    result = getattr(msg, "result", None)
    return "error" if isinstance(result, dict) and result.get("isError") is True else "ok"


def exception_error(exc: Exception) -> dict[str, Any]:
    """What the front's parser could not turn into a message: bad JSON, a batch, an invalid envelope."""
    if isinstance(exc, ValidationError):
        errors = exc.errors(include_input=False, include_url=False)
        if errors and errors[0].get("type") == "json_invalid":
            return {"code": PARSE_ERROR, "message": "Parse error: the message is not valid JSON"}
        if _is_batch(exc):
            return {"code": INVALID_REQUEST, "message": "Invalid Request: JSON-RPC batches are not supported"}
        return {"code": INVALID_REQUEST, "message": "Invalid Request: not a JSON-RPC 2.0 message"}
    return {"code": PARSE_ERROR, "message": "Parse error: the message could not be read"}


def _is_batch(exc: ValidationError) -> bool:
    try:
        return any(e.get("type") == "model_type" and isinstance(e.get("input"), list) for e in exc.errors())
    except Exception:
        return False


def tool_of(session: ProxySession, msg: types.JSONRPCRequest) -> str | None:
    """The backend's own name of the tool a tools/call names (policies name those)."""
    name = (msg.params or {}).get("name") if msg.method == "tools/call" else None
    return session.local_tool(name) if isinstance(name, str) else None


def cancelled_id(params: dict[str, Any] | None) -> Any:
    return params.get("requestId") if params else None


def progress_token(params: dict[str, Any] | None) -> Any:
    meta = params.get("_meta") if params else None
    return meta.get("progressToken") if isinstance(meta, dict) else None


def is_own(request_id: Any) -> bool:
    return isinstance(request_id, str) and request_id.startswith(ID_PREFIX)


def call_of(session: ProxySession, msg: types.JSONRPCRequest, metadata: Any) -> Call:
    """A client request as a call: its tool, the backend it goes to, its progress token, and how a front
    that must end an unanswered request's stream itself is told."""
    call = Call(msg.id, msg.method, tool_of(session, msg), message=msg)
    call.backend = session.backend_of(msg, "to-backend")
    call.progress_token = progress_token(msg.params)
    call.on_unanswered = getattr(metadata, "on_request_unanswered", None)
    return call
