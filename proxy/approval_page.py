"""URL-mode approvals: a local, single-use page shows the human the real values of the write being approved.

Why: a form-mode prompt passes through the tokenize direction, so the human approves tokens, not the
values the backend would receive. URL mode (MCP 2025-11-25, `elicitation/create` with `mode: "url"`) lets
the proxy send the client only a link and a value-free message; the page behind the link, served by this
process on 127.0.0.1, shows the tool, the backend and the detokenized arguments (and a dry run's preview),
none of which ever enters the client or the model's context. The client's `accept` only means the user
agreed to open the link; the approval itself is a POST from that page carrying its CSRF token.
`decline`/`cancel` from the client refuses at once. After a decision on the page (or its expiry) the client
gets `notifications/elicitation/complete`.

Why anyio's TCP listener with h11 and not uvicorn + starlette: `uvicorn.Server.serve` installs its own
SIGINT/SIGTERM handlers (they are `veil run`'s) and logs every request line — whose path holds the page's
secret — through loggers of its own; the page needs one GET and one POST per link. h11 (the HTTP/1.1 state
machine under httpx and uvicorn) parses the request, so no HTTP is hand-written; the listener runs in the
relay's task group, so it starts on first need and stops, cancelled, with the session.

Defences, each because the link is a capability: bound to 127.0.0.1 only; the path holds
`secrets.token_urlsafe(32)`; the Host header must name the server (DNS rebinding); the first GET shows the
page, a second GET burns it and refuses the call (someone else holds the link — a reload too); a POST needs
that page's CSRF token, a wrong one burns the page and refuses; after a decision or the deadline every
request gets 410 Gone. The page runs no script (CSP `default-src 'none'`), is never cached, sends no
referrer and cannot be framed.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import html
import json
import logging
import os
import secrets
import string
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import anyio
import mcp_types as types
from anyio.abc import ByteStream, SocketAttribute

from proxy.approval_prompts import GatedCall, GateIO, Verdict, _forwardable, _refused, dry_run
from proxy.policy import ApprovalRule
from proxy.transports.wire import SessionMessage
from vault import approvals as vault_approvals
from vault import audit

if TYPE_CHECKING:
    import h11  # imported by the page server when it first serves: not on the path to `initialize`

    from proxy.approvals import ApprovalGate
    from proxy.chain import Pump

log = logging.getLogger(__name__)

ENV_SWITCH = "VEIL_APPROVAL_PAGES"  # overrides the policy's approvals.mode: "1" pages on, "0" the form
HOST = "127.0.0.1"
PATH = "/approve/"
READ_SECONDS = 10.0
MAX_HEAD = 16 * 1024
MAX_BODY = 4 * 1024
KEEP_PAGES = 256  # decided pages remembered (without their values) so a replay gets 410, not 404
_ID_LETTERS = string.ascii_lowercase  # an elicitation id no detector can take for a number
_STYLE = (
    "body{font:15px/1.45 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}"
    "pre{background:#f4f4f4;padding:.75rem;white-space:pre-wrap;word-break:break-all}"
    "button{font-size:1rem;padding:.5rem 1.5rem;margin-right:1rem}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
_HEADERS = [
    (b"content-security-policy", (
        f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ).encode()),
    (b"cache-control", b"no-store"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"content-type", b"text/html; charset=utf-8"),
    (b"connection", b"close"),
]  # fmt: skip


MODES = ("auto", "url", "form")
_ON = ("1", "true", "yes", "on")
_OFF = ("0", "false", "no", "off")


def mode(policy_mode: str) -> str:
    """The policy's `approvals.mode`, overridden by `VEIL_APPROVAL_PAGES` where it is set: the switch is for
    one run (or a client known never to open links), so it wins over the file. `1` turns pages on (`form`
    becomes `auto`; `url` stays `url`, a switch meant to turn pages on must not relax a refusal); `0` turns
    them off (`form`, also over `url`). Any other value is ignored, with a warning."""
    raw = os.environ.get(ENV_SWITCH, "").strip().lower()
    if raw in _ON:
        return "url" if policy_mode == "url" else "auto"
    if raw in _OFF:
        return "form"
    if raw:
        log.warning("%s=%r is neither 1 nor 0, ignored: approvals.mode %s", ENV_SWITCH, raw[:9], policy_mode)
    return policy_mode


def client_opens_urls(capabilities: Any) -> bool:
    """Whether an initialize request's capabilities declare URL-mode elicitation."""
    elicitation = capabilities.get("elicitation") if isinstance(capabilities, dict) else None
    return isinstance(elicitation, dict) and isinstance(elicitation.get("url"), dict)


@dataclass(eq=False)
class Page:
    """One approval page. Its secrets and real values are kept out of its repr (logs, tracebacks)."""

    token: str = field(repr=False)
    csrf: str = field(repr=False)
    tool: str
    backend: str
    call_hash: str
    deadline: float
    arguments: Any = field(repr=False, default=None)
    preview: str | None = field(repr=False, default=None)
    shown: bool = False
    outcome: str | None = None  # approve | deny | mismatch | expired | refused | gone
    decided: anyio.Event = field(default_factory=anyio.Event, repr=False)

    def settle(self, outcome: str) -> None:
        """The first outcome wins; the real values are dropped with it."""
        if self.outcome is None:
            self.outcome = outcome
            self.arguments = self.preview = None
            self.decided.set()


class PageServer:
    """The pages of one session, and the listener that serves them (started on first need)."""

    def __init__(self) -> None:
        self.port: int | None = None
        self._pages: dict[str, Page] = {}
        self._lock = anyio.Lock()

    async def ensure(self, pump: Pump) -> None:
        async with self._lock:
            if self.port is None:
                listener = await anyio.create_tcp_listener(local_host=HOST, local_port=0)
                self.port = int(listener.extra(SocketAttribute.local_port))
                pump.start_soon(self._serve, listener)

    async def _serve(self, listener: Any) -> None:
        try:
            async with listener:
                await listener.serve(self._connection)
        finally:
            self.port = None
            for page in self._pages.values():
                page.settle("gone")

    def issue(self, call: GatedCall, backend: str, timeout: float, preview: str | None) -> Page:
        decided = [t for t, p in self._pages.items() if p.outcome is not None]
        for token in decided[: max(0, len(decided) - KEEP_PAGES)]:
            del self._pages[token]
        page = Page(
            secrets.token_urlsafe(32),
            secrets.token_urlsafe(32),
            call.tool,
            backend,
            call.call_hash,
            time.monotonic() + timeout,
            call.real_arguments,
            preview,
        )
        self._pages[page.token] = page
        return page

    def url(self, page: Page) -> str:
        """`localhost`, not the address: an IP address in a message toward the client is tokenized."""
        return f"http://localhost:{self.port}{PATH}{page.token}"

    # ------------------------------------------------------------------ HTTP
    async def _connection(self, stream: ByteStream) -> None:
        """One request per connection. Nothing a peer sends may end the relay's task group: any failure
        closes this connection only (and is logged without the request)."""
        try:
            await self._exchange(stream)
        except Exception as exc:
            log.warning("approval page: request failed", extra={"error": type(exc).__name__})

    async def _exchange(self, stream: ByteStream) -> None:
        import h11

        async with stream:
            conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD)
            try:
                with anyio.fail_after(READ_SECONDS):
                    request, body = await _read(conn, stream)
            except (TimeoutError, h11.ProtocolError, anyio.EndOfStream, anyio.BrokenResourceError, _TooLarge):
                return  # unreadable: closed without an answer
            status, text = self._answer(request, body)
            reason = {200: b"OK", 403: b"Forbidden", 404: b"Not Found", 410: b"Gone"}.get(status, b"Error")
            data = text.encode("utf-8")
            headers = [*_HEADERS, (b"content-length", str(len(data)).encode())]
            out = conn.send(h11.Response(status_code=status, headers=headers, reason=reason)) or b""
            out += (conn.send(h11.Data(data=data)) or b"") + (conn.send(h11.EndOfMessage()) or b"")
            with contextlib.suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
                await stream.send(out)

    def _answer(self, request: h11.Request, body: bytes) -> tuple[int, str]:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in request.headers}
        origins = (f"{HOST}:{self.port}", f"localhost:{self.port}")
        if headers.get("host") not in origins:
            return 400, _note("Bad request", "This page is served to this computer only.")
        target = request.target.decode("latin-1")
        page = self._pages.get(target[len(PATH) :]) if target.startswith(PATH) else None
        if page is None:
            return 404, _note("Not found", "No approval waits at this address.")
        if page.outcome is None and time.monotonic() > page.deadline:
            page.settle("expired")
        if page.outcome is not None:
            return 410, _note("Gone", "This approval page was already used, or has expired.")
        if request.method == b"GET":
            if page.shown:  # a second viewer holds the link: nobody gets to approve
                page.settle("mismatch")
                return 410, _note("Gone", "This page was already opened once; the call is refused.")
            page.shown = True
            return 200, _render(page)
        if request.method != b"POST":
            return 400, _note("Bad request", "Use the buttons on the page.")
        origin = headers.get("origin")
        form = parse_qs(body.decode("utf-8", "replace"), max_num_fields=4)
        csrf = (form.get("csrf") or [""])[0]
        decision = (form.get("decision") or [""])[0]
        own = origin is None or origin == "null" or origin.removeprefix("http://") in origins
        if not (page.shown and own and hmac.compare_digest(csrf.encode(), page.csrf.encode())):
            page.settle("mismatch")
            return 403, _note(
                "Refused", "This request did not come from the approval page; the call is refused."
            )
        if decision not in ("approve", "deny"):
            page.settle("mismatch")
            return 400, _note("Refused", "No decision was given; the call is refused.")
        page.settle(decision)
        if decision == "approve":
            return 200, _note("Approved", "The call runs once, exactly as shown. You can close this page.")
        return 200, _note("Denied", "The call was refused; nothing was sent. You can close this page.")


class _TooLarge(Exception):
    pass


async def _read(conn: h11.Connection, stream: ByteStream) -> tuple[h11.Request, bytes]:
    import h11

    request: h11.Request | None = None
    body = b""
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            conn.receive_data(await stream.receive(65536))
        elif isinstance(event, h11.Request):
            request = event
        elif isinstance(event, h11.Data):
            body += bytes(event.data)
            if len(body) > MAX_BODY:
                raise _TooLarge
        elif isinstance(event, h11.EndOfMessage) and request is not None:
            return request, body
        else:
            raise anyio.EndOfStream


def _render(page: Page) -> str:
    e = html.escape
    args = json.dumps(page.arguments, indent=2, sort_keys=True, ensure_ascii=False)
    preview = f"<h2>Dry run</h2><pre>{e(page.preview)}</pre>" if page.preview is not None else ""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>mcp-veil: approve this call?'
        f"</title><style>{_STYLE}</style></head><body><main><h1>Approve this call?</h1>"
        "<p>These are the real values the backend would receive. The model only ever saw tokens.</p>"
        f"<p>Tool: <b>{e(page.tool)}</b><br>Backend: <b>{e(page.backend)}</b><br>"
        f"Call: <code>{e(page.call_hash[:16])}</code></p>"
        f'<h2>Arguments</h2><pre id="arguments">{e(args)}</pre>{preview}'
        f'<form method="post"><input type="hidden" name="csrf" value="{e(page.csrf)}">'
        '<button type="submit" name="decision" value="approve">Approve</button>'
        '<button type="submit" name="decision" value="deny">Deny</button></form>'
        "<p>Approve runs it once, exactly as shown. This page works once: reloading it refuses the call."
        "</p></main></body></html>"
    )


def _note(title: str, text: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>mcp-veil: {title}</title>'
        f"<style>{_STYLE}</style></head><body><main><h1>{title}</h1><p>{text}</p></main></body></html>"
    )


# --------------------------------------------------------------------------- the flow
def pump_of(io: GateIO) -> Pump | None:
    """The relay behind the gate's IO (the approvals filter keeps it as `pump`): the page server needs its
    task group and the client's write side. None: no URL mode here, the form is used."""
    pump = getattr(io, "pump", None)
    ok = callable(getattr(pump, "start_soon", None)) and callable(getattr(pump, "to_client", None))
    return pump if ok else None


async def ask(
    gate: ApprovalGate, rule: ApprovalRule, call: GatedCall, real: dict[str, Any], io: GateIO
) -> Verdict | None:
    """Ask by URL; None when the link would not reach the client intact (the caller uses the form)."""
    pump = pump_of(io)
    if pump is None:
        return None
    await gate.pages.ensure(pump)
    preview = await dry_run(rule.dry_run, call, _Raw(io)) if rule.dry_run is not None else None
    backend = gate.session.backend
    page = gate.pages.issue(call, backend, rule.timeout_seconds, preview)
    eid = "veil-" + "".join(secrets.choice(_ID_LETTERS) for _ in range(24))
    message = (
        f"mcp-veil: a call of the tool {call.tool} (backend {backend}) needs your approval. Open the link to "
        f"see the exact values it would send, then approve or deny it there. Call {call.call_hash[:16]}."
    )
    url = gate.pages.url(page)
    sent = {"mode": "url", "elicitationId": eid, "url": url, "message": message}
    try:
        shown = await io.to_client(sent, "request", "elicitation/create", None)
    except BaseException:
        page.settle("gone")  # blocked: the call is refused (fail closed), the page dies
        raise
    if not isinstance(shown, dict) or (shown.get("url"), shown.get("elicitationId")) != (url, eid):
        page.settle("gone")  # a detector rewrote the link: it would lead nowhere
        return None
    approval_id = vault_approvals.new_id()
    await gate._record(audit.ApprovalRequested, call, approval_id, reason="url")
    gate._waiting[call.request_id] = (call, approval_id, False)
    try:
        answer = await io.ask_client("elicitation/create", shown, rule.timeout_seconds, call.request_id)
        action = answer.get("action") if isinstance(answer, dict) else None
        if action != "accept":  # the user would not open the link: refused at once
            page.settle("refused")
            reason = str(action) if action in ("decline", "cancel") else "mismatch"
            return await gate._conclude(call, approval_id, False, reason, _forwardable(real))
        with anyio.fail_after(max(0.0, page.deadline - time.monotonic())):
            await page.decided.wait()
    except TimeoutError:
        page.settle("expired")
    finally:
        gate._waiting.pop(call.request_id, None)
        page.settle("gone")  # withdrawn or failed: the link dies with the wait
    await _complete(io, pump, eid)
    if page.outcome == "expired":
        await gate._record(audit.ApprovalExpired, call, approval_id, outcome="refused")
        return Verdict(error=_refused(call.tool, f"nobody answered within {rule.timeout_seconds:g} s"))
    granted = page.outcome == "approve"
    reason = "accept" if granted else ("decline" if page.outcome == "deny" else "mismatch")
    return await gate._conclude(call, approval_id, granted, reason, _forwardable(real), via="url")


async def _complete(io: GateIO, pump: Pump, eid: str) -> None:
    """Tell the client the page is done (scanned like every message toward it; best effort)."""
    method = "notifications/elicitation/complete"
    try:
        params = await io.to_client({"elicitationId": eid}, "notification", method, None)
    except Exception:
        return
    note = types.JSONRPCNotification(jsonrpc="2.0", method=method, params=params)
    await pump.to_client(SessionMessage(note))


class _Raw:
    """The gate's IO without the tokenize direction, for the dry run shown on the page only: its preview
    holds real values and never goes toward the client."""

    def __init__(self, io: GateIO) -> None:
        self._io = io

    async def ask_client(self, method: str, params: dict[str, Any], timeout: float, related: Any) -> Any:
        raise NotImplementedError

    async def ask_backend(self, method: str, params: dict[str, Any], timeout: float) -> Any:
        return await self._io.ask_backend(method, params, timeout)

    async def to_client(self, payload: Any, kind: str, method: str, tool: str | None) -> Any:
        return payload
