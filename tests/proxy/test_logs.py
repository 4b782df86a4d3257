"""Logs are value-free: a library's log call cannot carry a value through its arguments or a traceback."""

import json
import logging

from proxy.logs import JsonFormatter


def record(name: str, msg: str, *args: object, exc: BaseException | None = None, **extra: object):
    exc_info = (type(exc), exc, None) if exc else None
    rec = logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, exc_info)
    rec.__dict__.update(extra)
    return rec


def test_a_library_record_keeps_its_template_and_drops_arguments_tracebacks_and_extras():
    exc = ValueError("input_value='jane@acme.example'")
    line = JsonFormatter().format(
        record(
            "mcp.client.stdio", "Failed to parse %s", "jane@acme.example", exc=exc, line="jane@acme.example"
        )
    )
    out = json.loads(line)
    assert "jane@acme.example" not in line
    assert out["event"] == "Failed to parse %s" and out["error"] == "ValueError"


def test_our_records_keep_their_value_free_extras():
    out = json.loads(JsonFormatter().format(record("proxy.relay", "message blocked", reason="EgressDenied")))
    assert out["event"] == "message blocked" and out["reason"] == "EgressDenied"
