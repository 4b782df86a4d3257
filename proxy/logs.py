"""Structured, value-free logs on stderr (stdout is the wire in stdio mode)."""

from __future__ import annotations

import json
import logging
import sys
import time

_STANDARD = set(vars(logging.makeLogRecord({})))


_OURS = ("proxy", "vault")


class JsonFormatter(logging.Formatter):
    """One JSON line per record, and never a traceback: an exception's text can quote a value.

    Our own records carry fixed messages and value-free extras. Records of libraries (the MCP SDK, uvicorn,
    Presidio) are reduced to their message template: their arguments and extras — a line a backend sent,
    a request path, an exception — are dropped, because nobody here controls what they hold.
    """

    def format(self, record: logging.LogRecord) -> str:
        ours = record.name.split(".", 1)[0] in _OURS
        out = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + "Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage() if ours else str(record.msg),
        }
        if not ours and record.exc_info and record.exc_info[0] is not None:
            out["error"] = record.exc_info[0].__name__
        if ours:
            for key, value in vars(record).items():
                if key not in _STANDARD and not key.startswith("_"):
                    out[key] = value
        return json.dumps(out, default=str)


def configure(level: str = "WARNING") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("presidio-analyzer", "presidio_analyzer", "mcp", "httpx", "alembic"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
