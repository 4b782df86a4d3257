"""Wiring for `veil run`: settings → policy, vault, detector → one session → the relay over stdio."""

from __future__ import annotations

import gc
import logging
import os
import shutil
import signal
import threading
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, cast

import anyio
from anyio.abc import Process

from proxy.backend_config import BackendsConfig, header_values
from proxy.background_detector import BackgroundDetector, check_ner_installed
from proxy.config import Settings
from proxy.early_handshake import Exchange, Replay
from proxy.errors import BackendUnavailable
from proxy.isolation import ISOLATION_UNAVAILABLE, IsolationUnavailable
from proxy.policy import Policy, load_policy
from proxy.policy.sources import policy_files
from proxy.relay import Relay, RelayStats, Streams
from proxy.sandbox import SandboxSpec
from proxy.session import ProxySession, os_actor
from proxy.transports import wire
from proxy.transports.backend_stderr import OPENING
from proxy.transports.no_backend import answer_without_backend
from proxy.transports.restarting import restarting_backend
from proxy.transports.stdio import backend_process, client_front
from vault import audit
from vault.keys import load_master_key
from vault.store import Vault

if TYPE_CHECKING:
    from proxy.detect.detector import Detector
    from proxy.transports.http import HttpBackend

log = logging.getLogger(__name__)

# How long a proxy whose backend could not start keeps answering the client before it exits.
DEAD_BACKEND_GRACE = 5.0
# How long the handshake has the process to itself before the detectors start loading anyway.
HANDSHAKE_HEAD_START = 2.0


@dataclass
class Assembly:
    """What is loaded once per process and shared by its sessions: policy, detectors, vault. (Not called
    `Engine`: the vault's SQLAlchemy engine is one, and the two were easy to mix up in code and in talk.)"""

    settings: Settings
    policy: Policy
    detector: Detector
    vault: Vault
    own: dict[str, tuple[Policy, Detector]] = field(default_factory=dict)  # per-backend policies, loaded
    background: bool = False  # detectors load in a thread (see BackgroundDetector)

    @classmethod
    def load(cls, settings: Settings, *, background: bool = False, policy: Policy | None = None) -> Assembly:
        """Policy (unless given, loaded already), detector and vault. `background`: the detector loads in a
        thread once `start_loading` is called (the CLI: the handshake is answered meanwhile); else it is
        loaded here."""
        policy = policy or load_policy(settings.policies)  # PolicyError names file, line and option
        if background:
            check_ner_installed(policy)  # refused at start, not on the first message
            detector = background_detector(policy, on_ready=_tune_gc)
        else:
            detector = _checked_detector(policy)
            _tune_gc()
        os.makedirs(settings.home, mode=0o700, exist_ok=True)
        master = load_master_key(settings.home)
        vault = Vault.open(settings.vault_url, master, durability=settings.durability)
        return cls(settings, policy, detector, vault, background=background)

    def start_loading(self) -> None:
        """Start building the detectors in the background (the relay answers inert messages meanwhile)."""
        for detector in (self.detector, *(d for _, d in self.own.values())):
            if isinstance(detector, BackgroundDetector):
                detector.start()

    def backend_policies(self, config: BackendsConfig) -> dict[str, tuple[Policy, Detector]]:
        """The policy and detector of each backend that names its own policy files (loaded once)."""
        for spec in config.backends:
            if spec.policy and spec.name not in self.own:
                files = policy_files(spec.policy, self.settings.home, defaults=self.settings.default_policies)
                policy = load_policy(files)  # PolicyError names file, line and option
                self.own[spec.name] = (policy, self._detector(policy))
        return {s.name: self.own[s.name] for s in config.backends if s.policy}

    def _detector(self, policy: Policy) -> Detector:
        if self.background:
            check_ner_installed(policy)
            return background_detector(policy)
        return _checked_detector(policy)

    def open_session(self, *, backend: str, actor: str | None = None) -> ProxySession:
        actor = actor or os_actor()
        ctx = audit.AuditContext(actor=actor, backend=backend, direction=None, method=None, tool=None)
        sv = self.vault.open_session(name=self.settings.session_name, ttl=self.settings.session_ttl, ctx=ctx)
        return ProxySession(self.policy, self.detector, sv, backend=backend, actor=actor)


def _checked_detector(policy: Policy) -> Detector:
    """A detector built here and now, after its self-test (DetectorSelfTestFailed refuses the start)."""
    from proxy.detect.detector import Detector
    from proxy.detect.self_test import self_test

    detector = Detector(policy)
    self_test(detector)
    return detector


def background_detector(policy: Policy, on_ready: Callable[[], None] | None = None) -> Detector:
    """A detector that loads in the background once started (`Assembly.start_loading`): it has
    `Detector.detect`'s behaviour, answering at once only what it provably answers alike before loading."""
    return cast("Detector", BackgroundDetector(policy, start=False, on_ready=on_ready))


def _tune_gc() -> None:
    """Move the long-lived heap (Presidio, spaCy, SQLAlchemy) out of the collector's sight, and collect
    less often: a large tool result creates hundreds of thousands of short-lived objects, and full
    collections over the frozen heap were a third of its processing time."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def backend_label(command: Sequence[str]) -> str:
    """A short, value-free name for the backend: the executable and, for interpreters, the module."""
    exe = os.path.basename(command[0])
    if exe.startswith("python") and len(command) > 2 and command[1] == "-m":
        return command[2]
    if exe in ("npx", "uvx", "node") and len(command) > 1:
        rest = [a for a in command[1:] if not a.startswith("-")]
        return rest[0] if rest else exe
    return exe


def backend_opener(
    command: Sequence[str] = (),
    http: HttpBackend | None = None,
    sandbox: SandboxSpec | None = None,
    label: str | None = None,
    process: Process | None = None,
    prefix: bytes = b"",
) -> tuple[str, AbstractAsyncContextManager[Streams]]:
    """(label, connection) for a subprocess backend (in the policy's sandbox; `process` if it was started
    already), or an HTTP one with `http`. `label`: the backend's name (a `veil.toml` backend's), else one
    derived from the command. `prefix`: what was read from a started `process`'s stdout already."""
    if http is not None:
        from proxy.transports.http import backend_http  # the HTTP stack: imported for HTTP backends only

        return http.label, backend_http(http)
    label = label or backend_label(command)
    if sandbox is not None and sandbox.on_exit == "restart":
        return label, _restarting(command, sandbox, label)
    return label, backend_process(command, sandbox, label, process, prefix)


@asynccontextmanager
async def _restarting(command: Sequence[str], sandbox: SandboxSpec, label: str) -> AsyncIterator[Streams]:
    if shutil.which(command[0]) is None:  # fail at once, as without restarts
        raise FileNotFoundError(2, "No such file or directory", command[0])
    async with restarting_backend(lambda: backend_process(command, sandbox, label)) as streams:
        yield streams


def mux_label(config: BackendsConfig) -> str:
    """The session's backend label in multiplexed mode; each message's own backend is in its audit row."""
    return ("mux:" + ",".join(config.names()))[:200]


def mux_openers(
    config: BackendsConfig, sandbox: SandboxSpec, own: Mapping[str, tuple[Policy, Detector]] | None = None
) -> dict[str, AbstractAsyncContextManager[Streams]]:
    """One connection per configured backend: a subprocess (the policy's sandbox — its own policy's, if
    it has one — plus its `env`) or HTTP. ValueError names a header whose environment variable is missing."""
    from proxy.transports.http import HttpBackend, backend_http, guess_transport

    openers: dict[str, AbstractAsyncContextManager[Streams]] = {}
    own = own or {}
    for spec in config.backends:
        if spec.url is not None:
            kind = guess_transport(spec.url) if spec.transport == "auto" else spec.transport
            http = HttpBackend(url=spec.url, transport=kind, headers=header_values(spec))  # type: ignore[arg-type]
            openers[spec.name] = backend_http(http)
        else:
            base = own[spec.name][0].sandbox if spec.name in own else sandbox
            sb = replace(base, extra_env={**base.extra_env, **spec.env})
            openers[spec.name] = backend_opener(spec.command, None, sb, spec.name)[1]
    return openers


@asynccontextmanager
async def multiplexed_backends(
    engine: Assembly, config: BackendsConfig, session: ProxySession | None = None
) -> AsyncIterator[Streams]:
    """The configured backends as one, with the session's tokens bound to their backends and each
    backend's messages under its own policy, if it has one."""
    from proxy.mux import Mux, multiplexed

    session = session or OPENING.get()
    if session is None:
        raise RuntimeError("multiplexed backends need the session they serve")
    mux = Mux(config.names())
    own = engine.backend_policies(config)
    session.bind_backends(mux, config, own)
    async with multiplexed(mux, mux_openers(config, engine.policy.sandbox, own)) as streams:
        yield streams


async def run_stdio(
    engine: Assembly,
    command: Sequence[str] = (),
    *,
    http: HttpBackend | None = None,
    backends: BackendsConfig | None = None,
    process: Process | None = None,
    exchange: Exchange | None = None,
) -> int:
    """Relay stdin/stdout to a backend subprocess (`process`, if `early_backend` started it already; or,
    with `http`, an HTTP backend; with `backends`, the backends of a `veil.toml` as one). Returns the
    process exit code. `exchange`: what the early handshake's front read and wrote (`proxy.early_handshake`),
    taken over here."""
    if backends is not None:
        label = mux_label(backends)
        session = engine.open_session(backend=label)
        opener: AbstractAsyncContextManager[Streams] = multiplexed_backends(engine, backends, session)
        command = command or [backends.names()[0]]  # named in the error if no backend starts
    else:
        prefix = exchange.backend_bytes if exchange is not None else b""
        label, opener = backend_opener(command, http, engine.policy.sandbox, process=process, prefix=prefix)
        session = engine.open_session(backend=label)
    OPENING.set(session)
    relay = Relay(session)
    replay = Replay(exchange, engine.settings.home) if exchange is not None else None
    pending = exchange.client_bytes if exchange is not None else b""
    try:
        async with client_front(engine.policy.max_message_bytes, pending) as client:
            try:
                async with opener as backend, anyio.create_task_group() as tg:
                    if replay is not None:
                        client, backend = replay.client(client), replay.backend(backend)
                    tg.start_soon(_stop_on_signal, tg.cancel_scope, relay.stats)
                    tg.start_soon(_load_after_handshake, engine, relay.stats)
                    await relay.run(client, backend)
                    tg.cancel_scope.cancel()
            except IsolationUnavailable as exc:
                log.error(exc.message, extra={"backend": label})
                await _answer_then_close(client, exc.message)
                return ISOLATION_UNAVAILABLE
            except BackendUnavailable as exc:
                log.error("backend unreachable", extra={"backend": label})
                await _answer_then_close(client, "mcp-veil: " + exc.message.removeprefix("mcp-veil: "))
                return 69
            except OSError as exc:
                log.error(
                    "backend could not be started", extra={"command": command[0], "error": exc.strerror}
                )
                await _answer_then_close(
                    client, f"mcp-veil: the backend command {command[0]!r} could not be started"
                )
                return 127
    finally:
        await anyio.to_thread.run_sync(session.close)
    return _exit_code(relay.stats)


async def _load_after_handshake(engine: Assembly, stats: RelayStats) -> None:
    """Start loading the detectors once the first answer is on its way to the client (or after
    HANDSHAKE_HEAD_START seconds): the loader is CPU-bound Python and would share the GIL — and on a busy
    machine the CPU — with the handshake. A message that needs the detectors sooner starts them itself."""
    with anyio.move_on_after(HANDSHAKE_HEAD_START):
        while stats.to_client == 0:
            await anyio.sleep(0.005)
    gc.enable()  # off for the start (`proxy.cli.run`)
    engine.start_loading()
    threading.Thread(target=_load_sdk_stdio, args=(engine,), name="veil-sdk-load", daemon=True).start()


def _load_sdk_stdio(engine: Assembly) -> None:
    """The SDK's stdio helpers (the backend's stop sequence) are not imported at start (transports.wire):
    imported once the detectors are loaded (messages wait for those, not for this), so that a stopping
    proxy does not spend its short grace importing them."""
    detector: object = engine.detector
    if isinstance(detector, BackgroundDetector):
        with suppress(Exception):  # detectors that failed to load: their messages are blocked, this goes on
            detector.wait()
    wire.load_sdk_stdio()


async def _stop_on_signal(scope: anyio.CancelScope, stats: RelayStats) -> None:
    """SIGTERM/SIGHUP/SIGINT end the relay; leaving the backend's context then stops the backend."""
    with anyio.open_signal_receiver(signal.SIGTERM, signal.SIGHUP, signal.SIGINT) as signals:
        async for signum in signals:
            log.warning("stopping on signal", extra={"signal": signal.Signals(signum).name})
            stats.ended_by = f"signal:{signal.Signals(signum).name}"
            scope.cancel()
            return


def _exit_code(stats: RelayStats) -> int:
    if stats.ended_by.startswith("signal:"):
        return 128 + int(getattr(signal, stats.ended_by.split(":", 1)[1]))
    if stats.backend_exited:
        log.warning("backend exited; closing the client connection")
        return 1
    return 0


async def _answer_then_close(client: Any, why: str) -> None:
    """Give the client's first request a JSON-RPC error instead of silence, then let the process exit."""
    await answer_without_backend(client, why, DEAD_BACKEND_GRACE)
    await client[1].aclose()
