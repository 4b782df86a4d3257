"""One client connection's view of the proxy: policy, detector, its vault session and known values."""

from __future__ import annotations

import getpass
import hashlib
import logging
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from proxy import metrics
from proxy.catalog import ToolCatalog
from proxy.config import parse_duration
from proxy.detect.known import KnownValues
from proxy.policy import Policy
from proxy.resources import UsageBook, Window
from proxy.tool_pins import ToolPinning
from proxy.worker import NeedsWorker
from vault import audit
from vault.store import SessionVault

if TYPE_CHECKING:
    from proxy.backend_config import BackendsConfig
    from proxy.detect.detector import Detector
    from proxy.mux import Mux

log = logging.getLogger(__name__)

# `call-completed` audit rows are written in batches, off the path of the answer they record.
CALL_BATCH = 32
CALL_FLUSH_SECONDS = 1.0
CALL_BUFFER_MAX = 10_000  # call-completed rows kept while the vault is unreachable; older ones dropped
_NAMES_MEMO_MAX = 1024  # screened tool/method names remembered per session (names come from the model)


class Flow(Protocol):
    """What the session needs to know of the message it works for (a `proxy.filters.flow.Flow` is one).
    Named here so the session does not import the filters that use it."""

    @property
    def direction(self) -> StrEnum: ...

    @property
    def backend(self) -> str | None: ...

    @property
    def method(self) -> str | None: ...

    @property
    def tool(self) -> str | None: ...

    @property
    def on_loop(self) -> bool: ...


def os_actor() -> str:
    try:
        return f"os:{getpass.getuser()}"
    except (KeyError, OSError):
        return "os:unknown"


class ProxySession:
    def __init__(
        self, policy: Policy, detector: Detector, vault: SessionVault, *, backend: str, actor: str
    ) -> None:
        self.policy = policy
        self.detector = detector
        self.vault = vault
        self.backend = backend
        self.actor = actor
        # Per-entity token lifetimes from the policy (`entities: {PERSON: {ttl: 30d}}`); others never expire.
        self.token_ttls = {e: parse_duration(spec.ttl) for e, spec in policy.entities.items() if spec.ttl}
        self.known = KnownValues()
        self._calls: list[audit.AuditEvent] = []
        self._calls_lock = threading.Lock()
        self._calls_flushed = time.monotonic()
        # Screened names and per-call metric children, worked out once per name (every answer needs them).
        self._safe_names: dict[str, tuple[int, str]] = {}  # name -> (known values then, screened name)
        self._call_metrics: dict[tuple[str | None, str, str, str], tuple[Any, Any]] = {}
        self.offers_page_tool = False  # set once a budgeted result was stored for paging
        self.usage = UsageBook()  # the backends' process trees, sampled (proxy.resources)
        self.catalog = ToolCatalog()  # full tool definitions behind a compact tools/list (proxy.catalog)
        # Several backends behind one front (`veil.toml`): each value's token is bound to its backend.
        self.mux: Mux | None = None
        self.backends: BackendsConfig | None = None
        self._own: Mapping[str, tuple[Policy, Detector]] = {}  # backend -> its own policy and detector
        self.tool_pins = ToolPinning(self)  # which listed tools the client may see (proxy/tool_pins.py)
        self._record_policy()
        for (entity, value), _token in vault.known_values().items():
            if policy.propagates(entity):
                self.known.add(value, entity)

    def _record_policy(self) -> None:
        """`policy-loaded`: which policy files governed this session, and a digest of their content."""
        digest = hashlib.sha256()
        for source in self.policy.sources:
            try:
                digest.update(Path(source).read_bytes())
            except OSError:
                digest.update(source.encode())
        detail = {
            "files": ", ".join(Path(s).name for s in self.policy.sources),
            "sha256": digest.hexdigest()[:16],
        }
        self.vault.record([audit.PolicyLoaded.of(self.context(), session_id=self.session_id, detail=detail)])

    def bind_backends(
        self, mux: Mux, config: BackendsConfig, own: Mapping[str, tuple[Policy, Detector]] | None = None
    ) -> None:
        """Multiplexed mode: tokens are minted per backend and detokenized only toward their own backend
        (or where `[[share]]` allows); `own`: the backends with a policy of their own."""
        self.mux = mux
        self.backends = config
        self._own = own or {}

    def catalog_mode(self) -> str:
        """The catalog mode, "full", "compact" or "search", from a policy's `catalog` or the veil.toml's; of
        two that differ, the one that keeps more out of the client's context (search, then compact)."""
        modes = {self.policy.catalog, self.backends.catalog if self.backends is not None else None}
        return next((m for m in ("search", "compact") if m in modes), "full")

    def compact_catalog(self) -> bool:
        """The backends' tools are listed short (compact) or not at all (search): their full definitions
        come on request and with each tool's first result."""
        return self.catalog_mode() != "full"

    def policy_for(self, backend: str | None) -> Policy:
        own = self._own.get(backend) if backend is not None else None
        return own[0] if own is not None else self.policy

    def detector_for(self, backend: str | None) -> Detector:
        own = self._own.get(backend) if backend is not None else None
        return own[1] if own is not None else self.detector

    def backend_of(self, msg: Any, direction: str, origin: Any = None) -> str | None:
        """The backend a message comes from (to the client) or goes to (to a backend)."""
        if self.mux is None:
            return self.backend
        if direction == "to-client":
            return getattr(origin, "backend", None)
        return self.mux.target(msg)

    def local_tool(self, name: str | None) -> str | None:
        """The backend's own name of a tool (policies name those), without the multiplexer's namespace."""
        return self.mux.local_tool(name) if self.mux is not None else name

    @property
    def session_id(self) -> str:
        return self.vault.session_id

    def context(
        self,
        flow: Flow | None = None,
        *,
        direction: str | None = None,
        method: str | None = None,
        tool: str | None = None,
        backend: str | None = None,
    ) -> audit.AuditContext:
        """Who and where, for audit rows: method and tool names are screened like any model input."""
        if flow is not None and self.mux is not None:
            backend = flow.backend or "(all)"
        return audit.AuditContext(
            actor=self.actor,
            backend=backend or self.backend,
            direction=flow.direction.value if flow else direction,
            method=self.safe_name(flow.method if flow else method),
            tool=self.safe_name(flow.tool if flow else tool),
        )

    def learn(self, values: Iterable[tuple[str, str]]) -> None:
        """Make values findable inside any later text (known-value propagation)."""
        for entity, value in values:
            if self.policy.propagates(entity):
                self.known.add(value, entity)

    def tokenize(self, items: Sequence[tuple[str, str]], flow: Flow) -> list[str]:
        """Tokens for (entity, value) pairs. On the event loop, only values this process has stored before
        (no I/O); anything new raises NeedsWorker and is tokenized from a worker thread."""
        if flow.on_loop:
            stored = self.stored_tokens(items, flow)
            if stored is None:
                raise NeedsWorker("tokenize")  # the guard: a filter asks `stored_tokens` first
            return stored
        with metrics.VAULT_SECONDS.labels("tokenize").time():
            tokens = self.vault.tokenize(
                items, self.context(flow), ttl=self.token_ttls or None, scope=self._scope(flow)
            )
        self._tokenized(items, flow)
        return tokens

    def stored_tokens(self, items: Sequence[tuple[str, str]], flow: Flow) -> list[str] | None:
        """Tokens for (entity, value) pairs this process has stored before (no I/O: it may run on the event
        loop), or None if any pair is new (then `tokenize`, from a worker)."""
        with metrics.VAULT_SECONDS.labels("tokenize").time():
            tokens = self.vault.stored_tokens(items, self._scope(flow))
        if tokens is not None:
            self._tokenized(items, flow)
        return tokens

    def _tokenized(self, items: Sequence[tuple[str, str]], flow: Flow) -> None:
        self.learn(items)
        for entity, _value in items:
            metrics.TOKENIZED.labels(flow.backend or self.backend, entity).inc()

    def detokenize(self, tokens: Sequence[str], flow: Flow) -> dict[str, str]:
        if flow.on_loop:  # every detokenization reads the vault (revocations take effect at once)
            raise NeedsWorker("detokenize")
        with metrics.VAULT_SECONDS.labels("detokenize").time():
            values = self.vault.detokenize(tokens, self.context(flow), may_receive=self._receiver(flow))
        metrics.DETOKENIZED.labels(flow.backend or self.backend).inc(len(tokens))
        return values

    def _scope(self, flow: Flow) -> str | None:
        """Multiplexed: the producing backend, which the token is derived from and bound to. A message
        with no single origin (the proxy's own merged answers) is scoped to no backend and so detokenizes
        toward none, unless shared with every backend."""
        if self.mux is None:
            return None
        return flow.backend or "(all)"

    def _receiver(self, flow: Flow) -> Any:
        """Multiplexed: may a token of this entity type, produced by that backend, go to this message's?"""
        if self.mux is None or self.backends is None:
            return None
        config, consumer = self.backends, flow.backend
        return lambda entity, producer: config.shares_token(entity, producer, consumer)

    def store_result(self, text: str, ttl: timedelta, flow: Flow) -> str:
        if flow.on_loop:
            raise NeedsWorker("store_result")
        return self.vault.store_result(text, ttl, self.context(flow))

    def load_result(self, result_id: str) -> str:
        return self.vault.load_result(result_id)

    def safe_name(self, name: str | None) -> str | None:
        """A tool or method name as it may appear in audit rows and metric labels: the name comes from the
        model, so one that holds personal data is recorded as `(redacted)`."""
        if name is None:
            return None
        known = len(self.known)  # values are only ever added: a verdict holds while the count stands
        hit = self._safe_names.get(name)
        if hit is not None and hit[0] == known:
            return hit[1]
        try:
            safe = "(redacted)" if len(name) > 128 or self.detector.detect([name], self.known) else name
        except Exception:  # the detectors failed (a self-test): a name that cannot be screened is hidden
            return "(redacted)"
        if len(self._safe_names) < _NAMES_MEMO_MAX:
            self._safe_names[name] = (known, safe)
        return safe

    def call_completed(
        self,
        method: str,
        tool: str | None,
        outcome: str,
        seconds: float,
        *,
        backend: str | None = None,
        usage: Window | None = None,
    ) -> None:
        """One answered request: a metric now, a `call-completed` audit row in the next batch (written by the
        relay's housekeeping loop, never on the path of an answer). `backend`: the one that answered, behind
        a multiplexer; `usage`: the call's window on the backend's process tree (peak memory, CPU time)."""
        ctx = self.context(direction="to-client", method=method, tool=tool, backend=backend)
        labels = (ctx.backend, ctx.method or "", ctx.tool or "", outcome)
        children = self._call_metrics.get(labels)
        if children is None:
            children = (metrics.CALLS.labels(*labels), metrics.CALL_SECONDS.labels(*labels[:3]))
            if len(self._call_metrics) < _NAMES_MEMO_MAX:
                self._call_metrics[labels] = children
        children[0].inc()
        children[1].observe(seconds)
        cost = self.usage.end(usage)
        if cost is not None:
            metrics.CALL_PEAK_MEMORY.labels(ctx.backend, ctx.tool or "").observe(cost.peak_rss_bytes)
            metrics.CALL_CPU.labels(ctx.backend, ctx.tool or "").observe(cost.cpu_seconds)
        event = audit.CallCompleted.of(
            ctx,
            session_id=self.session_id,
            outcome=outcome,
            duration_ms=seconds * 1000,
            peak_rss_bytes=cost.peak_rss_bytes if cost else None,
            cpu_ms=round(cost.cpu_seconds * 1000, 3) if cost else None,
        )
        with self._calls_lock:
            self._calls.append(event)

    def calls_due(self) -> bool:
        """Whether buffered `call-completed` rows should be written now (the relay asks off the hot path)."""
        with self._calls_lock:
            return bool(self._calls) and (
                len(self._calls) >= CALL_BATCH or time.monotonic() - self._calls_flushed > CALL_FLUSH_SECONDS
            )

    def flush_calls(self) -> None:
        """Write the buffered `call-completed` rows. If the vault is unreachable (a database restart) they
        stay buffered for the next flush, up to CALL_BUFFER_MAX; the session goes on either way."""
        with self._calls_lock:
            batch, self._calls = self._calls, []
            self._calls_flushed = time.monotonic()
        if not batch:
            return
        try:
            self.vault.record(batch)
        except Exception as exc:
            with self._calls_lock:
                kept = (batch + self._calls)[-CALL_BUFFER_MAX:]
                dropped = len(batch) + len(self._calls) - len(kept)
                self._calls = kept
            log.error(
                "could not audit completed calls; kept for the next attempt",
                extra={"error": type(exc).__name__, "count": len(batch), "dropped": dropped},
            )

    def close(self) -> None:
        self.flush_calls()
        try:
            self.vault.close(self.context())
        except Exception as exc:
            log.error("could not record the end of the session", extra={"error": type(exc).__name__})

    def record_blocked(self, *, direction: str, method: str | None, tool: str | None, reason: str) -> None:
        """Audit a blocked message; a failure to audit is logged (the message is already blocked)."""
        metrics.BLOCKED.labels(self.backend, direction, reason).inc()
        try:
            ctx = self.context(direction=direction, method=method, tool=tool)
            self.vault.record(
                [audit.MessageBlocked.of(ctx, session_id=self.session_id, outcome="blocked", reason=reason)]
            )
        except Exception as exc:
            log.error("could not audit a blocked message", extra={"error": type(exc).__name__})
