"""One client connection's view of the proxy: policy, detector, its vault session and known values."""

from __future__ import annotations

import getpass
import logging
from collections.abc import Iterable, Sequence

from proxy.config import parse_duration
from proxy.detect.detector import Detector
from proxy.detect.known import KnownValues
from proxy.policy import Policy
from proxy.stages.base import Flow
from vault import audit
from vault.store import SessionVault

log = logging.getLogger(__name__)


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
        for (entity, value), _token in vault.known_values().items():
            if policy.propagates(entity):
                self.known.add(value, entity)

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
    ) -> audit.AuditContext:
        return audit.AuditContext(
            actor=self.actor,
            backend=self.backend,
            direction=flow.direction.value if flow else direction,
            method=flow.method if flow else method,
            tool=flow.tool if flow else tool,
        )

    def learn(self, values: Iterable[tuple[str, str]]) -> None:
        """Make values findable inside any later text (known-value propagation)."""
        for entity, value in values:
            if self.policy.propagates(entity):
                self.known.add(value, entity)

    def tokenize(self, items: Sequence[tuple[str, str]], flow: Flow) -> list[str]:
        tokens = self.vault.tokenize(items, self.context(flow), ttl=self.token_ttls or None)
        self.learn(items)
        return tokens

    def detokenize(self, tokens: Sequence[str], flow: Flow) -> dict[str, str]:
        return self.vault.detokenize(tokens, self.context(flow))

    def close(self) -> None:
        try:
            self.vault.close(self.context())
        except Exception as exc:
            log.error("could not record the end of the session", extra={"error": type(exc).__name__})

    def record_blocked(self, *, direction: str, method: str | None, tool: str | None, reason: str) -> None:
        """Audit a blocked message; a failure to audit is logged (the message is already blocked)."""
        try:
            ctx = self.context(direction=direction, method=method, tool=tool)
            self.vault.record(
                [audit.MessageBlocked.of(ctx, session_id=self.session_id, outcome="blocked", reason=reason)]
            )
        except Exception as exc:
            log.error("could not audit a blocked message", extra={"error": type(exc).__name__})
