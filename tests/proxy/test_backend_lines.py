"""Backend stdout lines are parsed to Python objects with pydantic checking only the envelope: the result
must be the message the SDK's own parser builds, and what the fast path refuses is decided by the SDK's."""

from __future__ import annotations

import inspect

import mcp.client.stdio as sdk_stdio
import orjson
import pytest
from mcp.shared.message import SessionMessage

from proxy.transports.stdio import _sdk_parse_line, parse_line

LINES = [
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"a":[1,2.5,null]}}}',
    '{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":1}}',
    '{"jsonrpc":"2.0","id":"abc","result":{"content":[{"type":"text","text":"jane@acme.example"}]}}',
    '{"jsonrpc":"2.0","id":7,"error":{"code":-32000,"message":"boom","data":{"k":"v"}}}',
    '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse"}}',
    '{"jsonrpc":"2.0","id":null,"method":"ping"}',  # the SDK's quirk: a notification
    '{"jsonrpc":"2.0","id":4.5,"method":"ping"}',
    '{"jsonrpc":"2.0","id":true,"method":"ping"}',
    '{"jsonrpc":"2.0","id":1,"result":{"n":NaN}}',  # orjson refuses, the SDK accepts
    '{"jsonrpc":"2.0","id":1,"result":{"n":123456789012345678901234567890}}',
    '{"jsonrpc":"2.0","id":1,"result":{"n":-9223372036854775809,"m":18446744073709551615}}',
    '{"jsonrpc":"2.0","id":1,"result":{"f":[1e400,-0.0,1.0,1E2,5e-324,0.30000000000000004]}}',
    '{"jsonrpc":"2.0","id":1,"result":{"ctr":0.0069605568445475635,"n":1234567890123456789.5}}',
    '{"jsonrpc":"2.0","id":1,"result":{"t":"\\ud800 lone"}}',
    '{"jsonrpc":"2.0","id":1,"result":{"t":"caf\\u00e9 \\ud83d\\ude00"}}',
    '{"jsonrpc":"1.0","id":1,"result":{}}',
    '[{"jsonrpc":"2.0","method":"x"}]',
    '{"not":"json-rpc"}',
    "DEBUG: not JSON at all",
    "",
]


def _shape(item: SessionMessage | Exception) -> object:
    if isinstance(item, Exception):
        return type(item).__name__
    msg = item.message
    return (type(msg).__name__, msg.model_dump(by_alias=True, exclude_unset=True), msg.model_fields_set)


@pytest.mark.parametrize("line", LINES)
def test_a_backend_line_becomes_the_message_the_sdk_parser_builds(line):
    ours, theirs = parse_line(line), _sdk_parse_line(line)
    assert repr(_shape(ours)) == repr(_shape(theirs))
    if not isinstance(ours, Exception):
        dump = {"by_alias": True, "exclude_unset": True}
        assert ours.message.model_dump_json(**dump) == theirs.message.model_dump_json(**dump)


def test_a_report_takes_the_fast_path(monkeypatch):
    """A Search-Console-shaped result (long fractions, floats, strings) never needs the SDK's parser."""
    import proxy.transports.stdio as ours

    def refuse(line: str) -> Exception:
        raise AssertionError("took the SDK's parser")

    monkeypatch.setattr(ours, "_sdk_parse_line", refuse)
    rows = [{"ctr": 0.0069605568445475635, "position": 3.9411764705882355}] * 3
    line = orjson.dumps({"jsonrpc": "2.0", "id": 1, "result": {"structuredContent": {"rows": rows}}}).decode()
    item = parse_line(line)
    assert not isinstance(item, Exception) and item.message.result["structuredContent"]["rows"] == rows


def test_the_sdk_reader_parses_through_our_function():
    """The hook is a module attribute the SDK's stdout reader looks up per line: an SDK upgrade that
    renames or inlines it must fail here, not silently fall back to the slow parser."""
    assert sdk_stdio._parse_line is parse_line
    assert "_parse_line(line)" in inspect.getsource(sdk_stdio.stdio_client)
