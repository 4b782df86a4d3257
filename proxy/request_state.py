"""A backend's `requestState` (protocol 2026-07-28), sealed on its way to the client and opened on its way
back.

An input-required result carries an opaque `requestState` that the client must echo, byte-exact, when it
retries the request. The backend may put anything there — the partial arguments, a customer record — and
scanning it would break it: a token in place of a value is no longer the backend's bytes. So the proxy
neither scans nor forwards it as it is: it seals it with AES-GCM under a key derived from the session's
data key (`vault.crypto.SessionCipher.seal_state`), bound to the session and to the backend that issued it,
and the client sees only `veil-state.1.<base64url>`. On the retry the sealed state is opened and the
backend gets its own bytes back. A state the proxy did not issue, one from another session or for another
backend, or one altered by a single bit, refuses the request (fail closed, nothing reaches the backend).

A state the proxy issues itself (an approval's, `proxy.approvals`) passes the same way, bound to no
backend (`""`); the approval gate checks it after it is opened.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

from proxy.errors import InvalidMessage
from vault.errors import DecryptError

if TYPE_CHECKING:
    from proxy.session import ProxySession

FIELD = "requestState"
PREFIX = "veil-state.1."
_PROXY_BINDING = ""  # states the proxy issues itself


def seal(session: ProxySession, backend: str | None, state: str) -> str:
    """The sealed form of a backend's `state`, as the client sees it."""
    blob = session.vault.seal_state(backend or _PROXY_BINDING, state)
    return PREFIX + base64.urlsafe_b64encode(blob).decode("ascii").rstrip("=")


def open_sealed(session: ProxySession, backend: str | None, sealed: object) -> str:
    """The state as the backend issued it; InvalidMessage (value-free) if this session did not seal it for
    this backend (or for the proxy itself)."""
    if type(sealed) is not str or not sealed.startswith(PREFIX):
        raise _refused()
    body = sealed[len(PREFIX) :]
    try:
        blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise _refused() from None
    # Only the form `seal` writes: a last character that differs in its unused bits decodes to the same
    # bytes, so without this an altered state could still open (harmless, but no longer "echoed unchanged").
    if base64.urlsafe_b64encode(blob).decode("ascii").rstrip("=") != body:
        raise _refused()
    bindings = [backend or _PROXY_BINDING] + ([_PROXY_BINDING] if backend else [])
    for binding in bindings:
        try:
            return session.vault.open_state(binding, blob)
        except DecryptError:
            continue
    raise _refused()


def _refused() -> InvalidMessage:
    return InvalidMessage(
        "mcp-veil refused this request: its requestState was not issued by mcp-veil in this session for "
        "this backend (echo the requestState of the input-required result unchanged)",
        data={"reason": "request-state"},
    )
