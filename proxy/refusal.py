"""A proxy that cannot start tells the client why.

A desktop MCP client shows a server that exits at once as "Connection closed" and hides its stderr in a
log file, so a bad policy, an unreadable vault or a wrong master key looked like a crash. Instead the proxy
answers the client's first request (`initialize`, `server/discover`, anything) with a JSON-RPC error that
names the cause and the fix, then exits non-zero. The messages are value-free: they name files, lines,
options and environment variables, never payload text or a secret.

Standard library only (no MCP SDK, no vault): a refusal must not depend on what failed to load.
"""

from __future__ import annotations

import json
import os
import select
import sys
import time
from typing import Any, BinaryIO

from proxy.errors import STARTUP_REFUSED, ConfigError, DetectorSelfTestFailed, PolicyError
from vault.errors import MasterKeyError, VaultError, VaultUnavailable, WrongMasterKey

# How long a refusing proxy waits for the client's first request before it exits anyway.
STDIO_GRACE_SECONDS = 10.0
HTTP_GRACE_SECONDS = 60.0


class StartupRefused(Exception):
    """The proxy cannot start; `message` names the cause and the fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def explain(exc: BaseException) -> str | None:
    """The cause and the fix of a start-up failure, value-free; None for an exception that is not one."""
    if isinstance(exc, StartupRefused):
        return exc.message
    if isinstance(exc, DetectorSelfTestFailed):
        return (
            f"{exc}. Fix the policy's `detection:` (an NER pipeline must be a trained one, e.g. "
            "en_core_web_sm), then restart the server."
        )
    if isinstance(exc, ConfigError):
        return f"invalid config: {exc}. Fix the config file (docs/backends.md) and restart the server."
    if isinstance(exc, PolicyError):
        return (
            f"invalid policy: {exc}. Fix the policy file (`veil policy check FILE` shows every problem) "
            "and restart the server."
        )
    if isinstance(exc, WrongMasterKey):
        return (
            f"{exc}; refusing to start (nothing was changed). Fix: give the key this vault was created with "
            "(VEIL_MASTER_KEY or VEIL_MASTER_KEY_FILE), or point VEIL_HOME / --vault at another vault."
        )
    if isinstance(exc, MasterKeyError):
        return f"{exc}. Fix VEIL_MASTER_KEY or VEIL_MASTER_KEY_FILE (a base64 32-byte key), then restart."
    if isinstance(exc, VaultUnavailable):
        return (
            f"vault unavailable: {exc}. Fix: make the vault reachable and readable by this user "
            "(VEIL_HOME, --vault or VEIL_VAULT_URL), then restart the server."
        )
    if isinstance(exc, VaultError):
        return f"vault error: {exc}. Fix the vault (`veil db upgrade` applies its migrations), then restart."
    if isinstance(exc, ValueError):
        return f"invalid option: {exc}. Fix the server's command line in the client's config."
    return None


def error_response(request_id: Any, message: str) -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": request_id,
        "error": {"code": STARTUP_REFUSED, "message": f"mcp-veil could not start: {message}"},
    }


def request_id_of(line: bytes | str) -> tuple[bool, Any]:
    """(whether the line is a JSON-RPC request, its id). A batch answers for its first request."""
    try:
        msg = json.loads(line)
    except ValueError:
        return False, None
    if isinstance(msg, list):
        msg = next((m for m in msg if isinstance(m, dict) and "id" in m and "method" in m), None)
    if isinstance(msg, dict) and "method" in msg and "id" in msg:
        return True, msg["id"]
    return False, None


def refuse_stdio(
    message: str,
    stdin: BinaryIO | None = None,
    stdout: BinaryIO | None = None,
    grace: float = STDIO_GRACE_SECONDS,
    pending: bytes = b"",
) -> None:
    """Answer the first request on stdin with the refusal (notifications are read and ignored), then
    return; also on end of input or after `grace` seconds without a request. `pending`: bytes read from
    stdin already (the early handshake's front), read first."""
    sys.stderr.write(f"veil: could not start: {message}\n")
    sys.stderr.flush()
    inp = stdin or sys.stdin.buffer
    out = stdout or sys.stdout.buffer
    try:
        fd = inp.fileno()
    except (OSError, ValueError):  # not a file (an in-memory stream): read it as it comes
        for line in inp:
            if _answered(line, message, out):
                return
        return
    end = time.monotonic() + grace
    buffered = pending
    while b"\n" in buffered:
        line, buffered = buffered.split(b"\n", 1)
        if _answered(line, message, out):
            return
    while (left := end - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return
        chunk = os.read(fd, 65536)
        if not chunk:
            return
        buffered += chunk
        while b"\n" in buffered:
            line, buffered = buffered.split(b"\n", 1)
            if _answered(line, message, out):
                return
        buffered = buffered[-(1 << 20) :]  # a huge line is not a request we can answer anyway


def _answered(line: bytes, message: str, out: BinaryIO) -> bool:
    is_request, request_id = request_id_of(line)
    if is_request:
        out.write(json.dumps(error_response(request_id, message)).encode() + b"\n")
        out.flush()
    return is_request


def exit_code(exc: BaseException) -> int:
    """The exit code of a refusal: 2 for a bad option (as click's usage errors), else 1."""
    return 2 if isinstance(exc, ValueError) and not isinstance(exc, VaultError) else 1


def refuse_http(message: str, host: str, port: int, grace: float = HTTP_GRACE_SECONDS) -> None:
    """`veil serve` that cannot start: every HTTP request is answered with the refusal as a JSON-RPC error
    (status 503) until the first JSON-RPC request has been answered or `grace` seconds have passed."""
    import socket
    from http.server import BaseHTTPRequestHandler, HTTPServer

    sys.stderr.write(f"veil: could not start: {message}\n")
    sys.stderr.flush()
    answered = False

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, request_id: Any) -> None:
            body = json.dumps(error_response(request_id, message)).encode()
            self.send_response(503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            nonlocal answered
            length = min(int(self.headers.get("Content-Length") or 0), 4 * 1024 * 1024)
            is_request, request_id = request_id_of(self.rfile.read(length))
            self._answer(request_id)
            answered = answered or is_request

        def do_GET(self) -> None:
            self._answer(None)

        def do_DELETE(self) -> None:
            self._answer(None)

        def log_message(self, format: str, *args: Any) -> None:
            return  # request lines may hold a client's query string: not logged

    class Server(HTTPServer):
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

    try:
        server = Server((host, port), Handler)
    except OSError:
        return  # nothing can be told over HTTP; stderr has the cause
    server.timeout = 0.2
    end = time.monotonic() + grace
    with server:
        while not answered and time.monotonic() < end:
            server.handle_request()
