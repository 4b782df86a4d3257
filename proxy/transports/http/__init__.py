"""HTTP on both sides: a Streamable HTTP front with its own session map, and HTTP backends.

Front. The SDK's `StreamableHTTPSessionManager` drives a low-level `Server`; a proxy has none, so this
module keeps its own map of `Mcp-Session-Id` → one `StreamableHTTPServerTransport`, one vault session and
one backend connection, pumped by the relay. Session ids are 128-bit random hex. A session ends on the
client's DELETE, after `idle_timeout` seconds with no request in flight, or when its backend goes away;
its backend (a subprocess, an HTTP session) is closed with it. Requests without a session id must be an
`initialize` (400 otherwise); an unknown or ended session id is 404, as the spec says. Each session keeps
a bounded store of the events it sent, so a client that lost a stream resumes it with `Last-Event-ID`.
Protocol 2026-07-28 requests (self-contained POSTs, no session id) are served by a lane per client
credential: one vault session and backend connection, with proxy-unique request ids.

Back. `backend_http(spec)` connects to a Streamable HTTP server (`streamable_http_client` with no cap on
SSE event size: a 5 MB result passes) or a legacy SSE server. Its headers come from the operator's
configuration only. A backend that cannot be reached answers each request with a JSON-RPC error at once
(the next request tries again); it never hangs the client.
"""

from proxy.transports.http.asgi import json_error, new_session_id
from proxy.transports.http.backend import (
    BackendOpener,
    HttpBackend,
    backend_http,
    guess_transport,
    parse_header,
)
from proxy.transports.http.lanes import SessionEvents
from proxy.transports.http.sessions import HttpSessions, SessionOpener, answer_without_backend

__all__ = [
    "BackendOpener",
    "HttpBackend",
    "HttpSessions",
    "SessionEvents",
    "SessionOpener",
    "answer_without_backend",
    "backend_http",
    "guess_transport",
    "json_error",
    "new_session_id",
    "parse_header",
]
