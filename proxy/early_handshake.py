"""The handshake answered while the proxy is still loading, when an earlier start proved the answer.

`veil run` starts its backend first and loads the rest of the proxy (the policy's schema, the MCP SDK's
types, SQLAlchemy, the vault: most of a second) in a worker thread. Meanwhile `HandshakeFront` reads the
client's first line; if it is an `initialize` request without a token in it, the front forwards it to the
backend itself and reads the backend's answer. When `proxy.start_memo` knows that answer — the same
policy files, code and vault key, and a result the whole to-client chain once left unchanged in a fresh
session — the front writes it to the client at once: the start the client waits for is the interpreter,
the CLI and the backend, not the proxy's load.

Nothing skips the chain. Everything the front read is handed to the relay (`Exchange`): the client's
bytes go back in front of its stdin, the backend's in front of its stdout, and the relay processes the
`initialize` exchange as ever (audit, approvals, the session's protocol state) — its copy to the backend
and its answer to the client are only not sent twice (`Replay`). If the chain's answer differs from the one
the client got, the memo is deleted and the proxy stops (`EarlyAnswerMismatch`). If the answer is not
known, the relay's own answer is sent, and remembered when the chain left it unchanged.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import anyio
from anyio.abc import Process

from proxy import start_memo

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_FIRST_LINE = 1 << 16  # an `initialize` request is small; a longer first line takes the usual path
_REQUEST_FIELDS = frozenset({"jsonrpc", "id", "method", "params"})
_TOKEN_OPEN = "[["  # every vault token starts so (`vault.tokens.TOKEN_RE`): a request holding one is not ours


class EarlyAnswerMismatch(RuntimeError):
    """The chain's answer to `initialize` is not the one the front already sent: stop (and trust no memo)."""


@dataclass
class Exchange:
    """What the front read and wrote, for the relay to take over."""

    client_bytes: bytes = b""  # read from stdin, the first line included (the relay reads it again)
    backend_bytes: bytes = b""  # read from the backend's stdout, the answer included
    request_id: int | str | None = None
    forwarded: bool = False  # the client's `initialize` line was written to the backend
    answered: dict[str, Any] | None = None  # the message the client was sent, if the front answered
    answer: dict[str, Any] | None = None  # the backend's answer as it came (digest source for the memo)
    key: str | None = None  # `start_memo.start_key`, None where no memo applies

    def unanswered(self) -> bytes:
        """The client's bytes no answer was written for (what a refusal still has to read)."""
        return self.client_bytes.partition(b"\n")[2] if self.answered is not None else self.client_bytes


@dataclass
class HandshakeFront:
    home: Path
    key: str
    process: Process
    exchange: Exchange = field(default_factory=Exchange)

    @classmethod
    def for_start(
        cls,
        home: Path,
        policies: list[Path],
        vault_url: str,
        secret: Callable[[], bytes],
        process: Process | None,
    ) -> HandshakeFront | None:
        """A front for this start, or None where none applies: no early backend, stdin not a pipe (a file's
        offset is shared with the relay's reader), or no memo key (`start_memo.start_key`)."""
        if process is None or process.stdin is None or process.stdout is None:
            return None
        try:
            mode = os.fstat(0).st_mode
        except OSError:
            return None
        if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
            return None
        key = start_memo.start_key(policies, vault_url, secret)
        return None if key is None else cls(home, key, process, Exchange(key=key))

    async def alongside(self, load: Callable[[], T]) -> T:
        """Run `load` in a worker thread while the front answers; when it is done the front stops waiting
        (what it read so far is in `exchange`). The thread gets short GIL turns meanwhile, so the front is
        not kept waiting by the loader's imports."""
        result: list[T] = []
        failure: list[Exception] = []
        interval = _switch_interval(0.0005)
        try:
            async with anyio.create_task_group() as tg:

                async def loading() -> None:
                    try:
                        result.append(await anyio.to_thread.run_sync(load))
                    except Exception as exc:  # raised as itself below, not inside an exception group
                        failure.append(exc)
                    tg.cancel_scope.cancel()

                tg.start_soon(loading)
                await self.answer()
                _switch_interval(interval)
        finally:
            _switch_interval(interval)
        if failure:
            raise failure[0]
        return result[0]

    async def answer(self) -> None:
        ex = self.exchange
        line = await self._client_line()
        request = _initialize_request(line)
        if line is None or request is None:
            return
        ex.request_id = request["id"]
        assert self.process.stdin is not None
        try:
            with anyio.CancelScope(
                shield=True
            ):  # written whole and marked so, or the relay would send it again
                await self.process.stdin.send(line + b"\n")
                ex.forwarded = True
        except (anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
            return  # the backend is gone: the relay finds out and answers the client
        reply = await self._backend_line()
        message = _answer_to(reply, ex.request_id)
        if message is None:
            return
        ex.answer = message
        try:
            digest = start_memo.answer_digest(message["result"])
            data = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
        except (ValueError, UnicodeError):  # a lone surrogate, NaN: the relay's own answer decides
            return
        if start_memo.known(self.home, self.key, digest):
            _write_stdout(data)
            ex.answered = message

    async def _client_line(self) -> bytes | None:
        ex = self.exchange
        while b"\n" not in ex.client_bytes:
            if len(ex.client_bytes) > MAX_FIRST_LINE:
                return None
            await anyio.wait_readable(0)
            chunk = os.read(0, 65536)
            if not chunk:
                return None
            ex.client_bytes += chunk
        return ex.client_bytes.partition(b"\n")[0]

    async def _backend_line(self) -> bytes | None:
        ex = self.exchange
        assert self.process.stdout is not None
        while b"\n" not in ex.backend_bytes:
            if len(ex.backend_bytes) > MAX_FIRST_LINE:
                return None
            try:
                ex.backend_bytes += await self.process.stdout.receive(65536)
            except (anyio.EndOfStream, anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
                return None
        return ex.backend_bytes.partition(b"\n")[0]


def _initialize_request(line: bytes | None) -> dict[str, Any] | None:
    """The client's `initialize` request, if `line` is one the front may forward as written: JSON-RPC 2.0,
    an int or string id, no batch, and no token (a token would have to be turned back into its value)."""
    if line is None:
        return None
    try:
        text = line.decode("utf-8")
        message = json.loads(text)
    except ValueError:
        return None
    if _TOKEN_OPEN in text or not isinstance(message, dict) or set(message) - _REQUEST_FIELDS:
        return None
    request_id = message.get("id")
    if message.get("jsonrpc") != "2.0" or message.get("method") != "initialize":
        return None
    if isinstance(request_id, bool) or not isinstance(request_id, (int, str)):
        return None
    return message


def _answer_to(line: bytes | None, request_id: int | str | None) -> dict[str, Any] | None:
    """The backend's line, if it is a result for `request_id` and nothing else."""
    if line is None:
        return None
    try:
        message = json.loads(line)
    except ValueError:
        return None
    if not isinstance(message, dict) or set(message) != {"jsonrpc", "id", "result"}:
        return None
    same_id = type(message["id"]) is type(request_id) and message["id"] == request_id
    if message["jsonrpc"] != "2.0" or not same_id or not isinstance(message["result"], dict):
        return None
    return message


def _write_stdout(data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(1, view) :]


def _switch_interval(seconds: float) -> float:
    import sys

    previous = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    return previous


@dataclass
class Replay:
    """The relay's side of an `Exchange`: the relay's copy of the `initialize` request is not sent to the
    backend again, and its answer is not sent to the client again but checked against the one the front
    sent. Where the front did not answer, the relay's answer goes out and, if the chain left the backend's
    answer unchanged, is remembered for the next start."""

    exchange: Exchange
    home: Path
    request_sent: bool = False
    answer_seen: bool = False

    def client(self, streams: tuple[Any, Any]) -> tuple[Any, Any]:
        read, write = streams
        return read, _Sink(write, self._to_client)

    def backend(self, streams: tuple[Any, Any]) -> tuple[Any, Any]:
        read, write = streams
        return read, _Sink(write, self._to_backend)

    def _to_backend(self, message: Any) -> bool:
        """Whether to send `message` (False: the front sent it already)."""
        ex = self.exchange
        if self.request_sent or not ex.forwarded or not _is(message, ex.request_id, "method"):
            return True
        self.request_sent = True
        from proxy.transports.client_writer import dump_message

        forwarded = json.loads(ex.client_bytes.partition(b"\n")[0])
        if json.loads(dump_message(message)) != forwarded:
            log.error("the request forwarded early differs from the chain's: stopping")
            raise EarlyAnswerMismatch("the relay's `initialize` to the backend is not the one forwarded")
        return False

    def _to_client(self, message: Any) -> bool:
        """Whether to send `message` (False: the front sent this answer already)."""
        ex = self.exchange
        if self.answer_seen or not _is(message, ex.request_id, "result", "error"):
            return True
        self.answer_seen = True
        from proxy.transports.client_writer import dump_message

        sent = json.loads(dump_message(message))
        if ex.answered is not None:
            if sent != ex.answered:
                start_memo.forget(self.home)
                log.error("the handshake answered early differs from the chain's answer: stopping")
                raise EarlyAnswerMismatch("the handshake answered early differs from the chain's answer")
            return False
        if ex.answer is not None and ex.key is not None and sent == ex.answer:
            start_memo.remember(self.home, ex.key, start_memo.answer_digest(ex.answer["result"]))
        return True


class _Sink:
    """A write stream that asks `keep` before each message."""

    def __init__(self, inner: Any, keep: Callable[[Any], bool]) -> None:
        self._inner = inner
        self._keep = keep

    async def send(self, item: Any) -> None:
        if self._keep(getattr(item, "message", item)):
            await self._inner.send(item)

    async def aclose(self) -> None:
        await self._inner.aclose()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _is(message: Any, request_id: int | str | None, *fields: str) -> bool:
    """Whether `message` carries `request_id` (same type) and one of `fields`."""
    if request_id is None or not any(hasattr(message, f) for f in fields):
        return False
    mid = getattr(message, "id", None)
    return type(mid) is type(request_id) and mid == request_id
