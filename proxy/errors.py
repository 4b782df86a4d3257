"""The proxy's error tree and the one function that maps any failure to a JSON-RPC error.

Every message here is value-free: it may name a token, an entity type, a method or a limit, never payload
text, and never an exception's repr (which could quote a value).
"""

from __future__ import annotations

from typing import Any

from vault.errors import TokenRefused, VaultError, VaultUnavailable, WrongMasterKey

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
# Implementation-defined band -32000..-32019.
BACKEND_UNAVAILABLE = -32003
TOKEN_REFUSED = -32004
MESSAGE_BLOCKED = -32005
VAULT_UNAVAILABLE = -32006
EGRESS_DENIED = -32007
RATE_LIMITED = -32008
CALL_TIMEOUT = -32009
APPROVAL_REFUSED = -32010
QUOTA_EXCEEDED = -32011
STARTUP_REFUSED = -32015
TOOL_NOT_APPROVED = -32016


class ProxyError(Exception):
    """Base of failures the proxy reports to the client itself."""

    code = INTERNAL_ERROR

    def __init__(self, message: str, *, data: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.data = data


class InvalidMessage(ProxyError):
    code = INVALID_REQUEST


class LocalRequestError(ProxyError):
    """A request the proxy answers itself (a page of a stored result, a query of one) with bad arguments:
    the client's error, not a blocked message."""

    code = INVALID_PARAMS


class LimitExceeded(ProxyError):
    """Over the size or depth limit: refused, never forwarded."""

    code = MESSAGE_BLOCKED


def blocked(reason: str) -> LimitExceeded:
    """A message refused for what it carries: every scanner's refusal in one wording, value-free."""
    return LimitExceeded(f"mcp-veil blocked this message: {reason}")


def check_depth(depth: int, limit: int) -> None:
    """The nesting limit, as every walker checks it: `depth` levels below the payload's root."""
    if depth > limit:
        raise blocked(f"nesting deeper than the limit of {limit}")


def check_size(size: int, limit: int) -> None:
    """The size limit, as the walkers count it: the text a message carries, in characters."""
    if size > limit:
        raise blocked(f"larger than the limit of {limit} bytes")


class LineTooLong(LimitExceeded):
    """A backend line over the message size limit, discarded unread. `request_id`: the id its envelope
    names, where one could be read off its first or last bytes, so that request is answered at once."""

    def __init__(self, request_id: Any = None) -> None:
        super().__init__(
            "mcp-veil blocked this message: the backend's line is larger than the message size limit",
            data={"limit": "max_message_bytes"},
        )
        self.request_id = request_id


class LineUnparsable(ProxyError):
    """A backend line that is not valid JSON-RPC, but whose envelope names the request it answers (read off
    the line without trusting the rest): that request is answered with this error at once, instead of
    waiting for its call timeout. The line itself is never echoed."""

    code = MESSAGE_BLOCKED

    def __init__(self, request_id: Any = None) -> None:
        super().__init__(
            "mcp-veil blocked this message: the backend's answer is not valid JSON-RPC",
            data={"reason": "unparsable backend answer"},
        )
        self.request_id = request_id


class DetectionFailed(ProxyError):
    """A detector raised or ran out of its budget; the message is blocked (fail closed)."""

    code = MESSAGE_BLOCKED


class DetectionBudgetExceeded(DetectionFailed):
    """Detection ran past the message's budget (`limits.detection_seconds`): blocked, never forwarded
    unscanned."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            "mcp-veil blocked this message: scanning it took longer than the detection budget of "
            f"{seconds:g} s (limits.detection_seconds)",
            data={"limit": "detection_seconds", "seconds": seconds},
        )


class EgressDenied(ProxyError):
    """A token was passed to an argument the egress policy keeps real values out of."""

    code = EGRESS_DENIED


class CallTimedOut(ProxyError):
    """The backend did not answer within the call's timeout; the call was cancelled at the backend."""

    code = CALL_TIMEOUT


class ApprovalRefused(ProxyError):
    """A call that needs a human's approval did not get it: declined, cancelled, timed out, answered with
    something that does not match the request, or nobody could be asked. Never forwarded."""

    code = APPROVAL_REFUSED


class ToolNotApproved(ProxyError):
    """A call of a tool whose definition changed since it was pinned, and has not been approved again
    (`veil tools approve`): never forwarded."""

    code = TOOL_NOT_APPROVED


class QuotaExceeded(ProxyError):
    """A call over an API quota of the policy (`proxy.filters.quota`); the message names the quota, when it
    resets and how to raise it."""

    code = QUOTA_EXCEEDED


class BackendUnavailable(ProxyError):
    code = BACKEND_UNAVAILABLE


class DetectorSelfTestFailed(Exception):
    """A detector found nothing in its canary, or raised on it (proxy/detect/self_test.py): nothing may be
    scanned with it. The message names the recognizer and the entity type, never a canary's text."""


class PolicyError(Exception):
    """A policy file is invalid; names the file, the line and the option."""


class ConfigError(PolicyError):
    """A `veil.toml` is invalid; names the file and the option."""


def to_jsonrpc_error(exc: BaseException) -> dict[str, Any]:
    """The `error` member for any exception: a fixed, value-free message per type."""
    if isinstance(exc, TokenRefused):
        return {
            "code": TOKEN_REFUSED,
            "message": f"mcp-veil refused token {exc.token}: {_REFUSAL_TEXT[exc.reason.value]}",
            "data": {"token": exc.token, "reason": exc.reason.value},
        }
    if isinstance(exc, ProxyError):
        err: dict[str, Any] = {"code": exc.code, "message": exc.message}
        if exc.data is not None:
            err["data"] = exc.data
        return err
    if isinstance(exc, VaultUnavailable | WrongMasterKey):
        return {
            "code": VAULT_UNAVAILABLE,
            "message": "mcp-veil blocked this message: the vault is unavailable",
        }
    if isinstance(exc, VaultError):
        return {"code": VAULT_UNAVAILABLE, "message": "mcp-veil blocked this message: vault error"}
    return {"code": INTERNAL_ERROR, "message": "mcp-veil blocked this message: internal error"}


_REFUSAL_TEXT = {
    "malformed": "it is not a well-formed mcp-veil token",
    "unknown": "no such token in this session",
    "foreign-session": "it belongs to another session",
    "other-backend": "it stands for another backend's data, which this backend may not receive",
    "revoked": "it has been revoked",
    "expired": "it has expired",
    "session-expired": "its session has expired",
    "shredded": "its session has been shredded",
    "undecryptable": "its stored value failed authentication",
}
