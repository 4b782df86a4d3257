"""Messages toward the client, serialized once with orjson instead of the SDK's pydantic serialization,
and written by the sender itself.

The SDK's stdio writer calls `model_dump_json` on every message: pydantic walks the whole payload again,
about as long as a plain orjson parse+serialize of it (a fifth of the proxy's time on a 5 MB result). The
payload of a request, notification or response is a plain dict (`params`/`result` are typed `dict[str,
Any]`), so the envelope is built from the fields that were set (the SDK's `exclude_unset`) and orjson
writes the lot. Whatever orjson will not write exactly as pydantic does goes to the SDK's serializer: an
integer past 64 bits, a lone surrogate, a non-string key, a subclass, a date, an error message (small, and
its `data` is a model of its own).

orjson reserves about 14 bytes per character of a string before escaping it, so the large text block of a
result (a 5 MB report carried as JSON text) would cost a peak of ~70 MB: such a block is encoded by
pydantic-core (the SDK's encoder, exact-size output) and embedded as an `orjson.Fragment`.
"""

from __future__ import annotations

import select
from typing import Any

import anyio
import mcp_types as types
import orjson
import pydantic_core

from proxy.transports.wire import SessionMessage

_LARGE_TEXT = 1 << 16  # characters
_PLAIN_ENVELOPES = (types.JSONRPCRequest, types.JSONRPCNotification, types.JSONRPCResponse)
# Anything but plain JSON types is refused (TypeError) rather than written in orjson's own way.
_STRICT = orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def dump_message(message: Any) -> bytes:
    """The message's JSON text, byte for byte what `model_dump_json(by_alias=True, exclude_unset=True)`
    gives (UTF-8 encoded, no newline)."""
    if type(message) in _PLAIN_ENVELOPES:
        fields_set = message.model_fields_set
        envelope = {name: getattr(message, name) for name in type(message).model_fields if name in fields_set}
        try:
            if type(message) is types.JSONRPCResponse:
                envelope["result"] = _large_texts_encoded(envelope["result"])
            return orjson.dumps(envelope, option=_STRICT)
        except (TypeError, ValueError):  # orjson.JSONEncodeError; pydantic-core on a lone surrogate
            pass
    return message.model_dump_json(by_alias=True, exclude_unset=True).encode("utf-8")


def _large_texts_encoded(result: dict[str, Any]) -> dict[str, Any]:
    """`result` with each large `content[i].text` pre-encoded (a shallow copy; the message is not touched)."""
    content = result.get("content")
    if type(content) is not list or not any(
        type(block) is dict and type(block.get("text")) is str and len(block["text"]) > _LARGE_TEXT
        for block in content
    ):
        return result
    blocks = [
        {**block, "text": orjson.Fragment(pydantic_core.to_json(block["text"]))}
        if type(block) is dict and type(block.get("text")) is str and len(block["text"]) > _LARGE_TEXT
        else block
        for block in content
    ]
    return {**result, "content": blocks}


def _write_line(out: Any, data: bytes) -> None:
    out.write(data)
    out.flush()


def _fits_now(out: Any, size: int) -> bool:
    """Whether a write of `size` bytes to `out` cannot block: a line of at most PIPE_BUF bytes into a pipe
    that has room (select), as every small answer is. Anything else goes through a worker thread."""
    if size > select.PIPE_BUF:
        return False
    try:
        return bool(select.select([], [out.fileno()], [], 0)[1])
    except (OSError, ValueError):
        return False


class LineSender:
    """The write end of a stdio wire: `send` serializes a SessionMessage (`dump_message`) and puts it on the
    wire as one line from the sender's own task (no writer task, no stream hand-off). A wire that is gone
    ends as `anyio.BrokenResourceError`, a send after `aclose` as `anyio.ClosedResourceError`: what a
    memory stream's sender would get. Subclasses say how a line is written."""

    def __init__(self) -> None:
        self._closed = False

    async def _write(self, data: bytes) -> None:
        raise NotImplementedError

    async def send(self, item: SessionMessage | Any) -> None:
        if self._closed:
            raise anyio.ClosedResourceError
        message = item.message if isinstance(item, SessionMessage) else item
        try:
            await self._write(dump_message(message) + b"\n")
        except (anyio.ClosedResourceError, anyio.BrokenResourceError, OSError) as exc:
            self._closed = True  # the peer closed its end (EPIPE), or the wire is gone
            raise anyio.BrokenResourceError from exc

    async def aclose(self) -> None:
        self._closed = True

    def close(self) -> None:
        self._closed = True

    async def __aenter__(self) -> LineSender:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class LineWriter(LineSender):
    """Toward the client, into a binary file: a small line into a pipe with room is written at once; a
    write that could block runs in a worker thread, so a client that stops reading never stalls the event
    loop (later sends wait their turn, in the order they were made)."""

    def __init__(self, out: Any) -> None:
        super().__init__()
        self._out = out
        self._turn = anyio.Lock(fast_acquire=True)

    async def _write(self, data: bytes) -> None:
        async with self._turn:
            if self._closed:
                raise anyio.ClosedResourceError
            if _fits_now(self._out, len(data)):
                _write_line(self._out, data)
            else:
                await anyio.to_thread.run_sync(_write_line, self._out, data)
