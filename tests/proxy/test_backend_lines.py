"""Backend stdout lines are parsed to Python objects with pydantic checking only the envelope: the result
must be the message the SDK's own parser builds, and what the fast path refuses is decided by the SDK's.
The reader splits the backend's stdout into lines as the SDK's reader does."""

from __future__ import annotations

import anyio
import orjson
import pytest
from mcp.shared.message import SessionMessage

from proxy.errors import LimitExceeded
from proxy.transports.backend_lines import _sdk_parse_line, parse_line
from proxy.transports.stdio import BackendMessages

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
    import proxy.transports.backend_lines as ours

    def refuse(line: str) -> Exception:
        raise AssertionError("took the SDK's parser")

    monkeypatch.setattr(ours, "_sdk_parse_line", refuse)
    rows = [{"ctr": 0.0069605568445475635, "position": 3.9411764705882355}] * 3
    line = orjson.dumps({"jsonrpc": "2.0", "id": 1, "result": {"structuredContent": {"rows": rows}}}).decode()
    item = parse_line(line)
    assert not isinstance(item, Exception) and item.message.result["structuredContent"]["rows"] == rows


@pytest.mark.parametrize("line", LINES)
def test_a_line_handed_over_as_bytes_is_parsed_as_the_same_text(line):
    ours, theirs = parse_line(line.encode("utf-8", "surrogatepass")), _sdk_parse_line(line)
    assert repr(_shape(ours)) == repr(_shape(theirs))


class Chunks:
    """A backend's stdout, as the pipe hands it over: these chunks, then end of stream."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks = list(chunks)

    async def receive(self, max_bytes: int = 65536) -> bytes:
        if not self.chunks:
            raise anyio.EndOfStream
        return self.chunks.pop(0)


def _read_all(*chunks: bytes, limit: int | None = None) -> list[SessionMessage | Exception]:
    async def main() -> list[SessionMessage | Exception]:
        return [item async for item in BackendMessages(Chunks(*chunks), limit)]  # type: ignore[arg-type]

    return anyio.run(main)


def _ids(items: list[SessionMessage | Exception]) -> list[object]:
    return [type(i).__name__ if isinstance(i, Exception) else i.message.id for i in items]


def _response(i: int, text: str = "ok") -> bytes:
    return orjson.dumps({"jsonrpc": "2.0", "id": i, "result": {"t": text}}) + b"\n"


def test_lines_split_across_chunks_and_packed_into_one_are_read_one_message_each():
    wire = b"".join(_response(i) for i in range(1, 6))
    assert _ids(_read_all(wire)) == [1, 2, 3, 4, 5]
    assert _ids(_read_all(*(wire[i : i + 7] for i in range(0, len(wire), 7)))) == [1, 2, 3, 4, 5]


def test_a_line_larger_than_a_chunk_is_read_whole():
    text = "x" * (3 * BackendMessages.CHUNK)
    wire = _response(1, text) + _response(2)
    chunks = [wire[i : i + 65536] for i in range(0, len(wire), 65536)]
    items = _read_all(*chunks)
    assert _ids(items) == [1, 2]
    assert items[0].message.result["t"] == text  # type: ignore[union-attr]


def test_bytes_that_are_not_utf8_arrive_as_replacement_characters():
    [item] = _read_all(b'{"jsonrpc":"2.0","id":1,"result":{"t":"caf\xe9 \xff"}}\n')
    assert not isinstance(item, Exception)
    assert item.message.result == {"t": "caf\ufffd \ufffd"}  # type: ignore[union-attr]


def test_a_line_that_is_not_json_rpc_is_an_exception_and_the_next_line_still_arrives():
    assert _ids(_read_all(b"DEBUG: starting\n", _response(1))) == ["ValidationError", 1]


def test_a_last_line_without_a_newline_is_dropped_at_the_end_of_the_stream():
    assert _ids(_read_all(_response(1), _response(2)[:-1])) == [1]


def test_a_line_over_the_size_limit_is_dropped_as_it_arrives_and_the_next_line_still_arrives():
    at_limit = _response(1, "x" * 100)
    limit = len(at_limit) - 1  # the line without its newline
    long = _response(2, "y" * 5000)
    chunks = [at_limit, *(long[i : i + 300] for i in range(0, len(long), 300)), _response(3)]
    items = _read_all(*chunks, limit=limit)
    assert _ids(items) == [1, "LineTooLong", 3]
    assert "size limit" in str(items[1])
    assert _ids(_read_all(long + _response(3), limit=limit)) == ["LineTooLong", 3]  # one chunk, too


def test_a_line_over_the_size_limit_never_holds_more_than_the_limit_and_a_chunk_in_memory():
    limit, chunk = 1000, 300
    long = _response(1, "y" * 20_000) + _response(2)
    seen: list[int] = []

    class Watched(Chunks):
        async def receive(self, max_bytes: int = 65536) -> bytes:
            seen.append(len(reader._buffer))
            return await super().receive(max_bytes)

    reader = BackendMessages(Watched(*(long[i : i + chunk] for i in range(0, len(long), chunk))), limit)  # type: ignore[arg-type]

    async def main() -> list[SessionMessage | Exception]:
        return [item async for item in reader]

    assert _ids(anyio.run(main)) == ["LineTooLong", 2]
    assert max(seen) <= limit + chunk


@pytest.mark.parametrize(
    ("envelope", "expected"),
    [
        (b'{"jsonrpc":"2.0","id":7,"result":{"rows":[%s]}}', 7),  # the Python SDK's key order
        (b'{"result":{"rows":[%s],"last":{"id":5}},"jsonrpc":"2.0","id":"req-\\"9"}', 'req-"9'),  # TypeScript
        (b'{"result":{"rows":[%s],"last":{"id":5}}}', None),  # no envelope id at either end
        (b'{"jsonrpc":"2.0","method":"notifications/message","params":{"data":[%s],"id":3}}', None),
    ],
)
def test_a_line_over_the_limit_names_the_request_its_envelope_answers(envelope, expected):
    line = envelope % b",".join([b'{"id":1,"q":"plumber near me"}'] * 500) + b"\n"
    chunks = [line[i : i + 1000] for i in range(0, len(line), 1000)]
    [item] = _read_all(*chunks, limit=2000)
    assert isinstance(item, LimitExceeded) and item.request_id == expected  # type: ignore[attr-defined]
