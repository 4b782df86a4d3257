"""The one signal between the event loop and a worker thread.

Scanning a small message takes microseconds on the event loop; the vault and Presidio take milliseconds
and block. Code that would block while running on the loop raises `NeedsWorker` before it changed
anything, and the chain (`proxy.chain`) runs that filter and the rest of the message's filters in a worker
thread. It lives in a module of its own, importing nothing, so the detectors, the session and the filters
can all raise it without importing each other.
"""

from __future__ import annotations


class NeedsWorker(Exception):
    """Raised on the event loop (`Flow.on_loop`) by work that would wait on the vault or run Presidio."""
