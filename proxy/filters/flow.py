"""A message in flight through the stage chain."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from proxy.detect.detector import Detector
    from proxy.policy import Policy
    from proxy.session import ProxySession


class Direction(StrEnum):
    TO_CLIENT = "to-client"
    TO_BACKEND = "to-backend"


@dataclass
class Flow:
    """One JSON-RPC message's scannable payload and what it is known to be."""

    direction: Direction
    session: ProxySession
    payload: Any
    kind: str  # "request" | "notification" | "response" | "error"
    method: str | None  # the method, or for a response the method of the request it answers
    tool: str | None = None
    # Behind a multiplexer: the backend the message comes from (to the client) or goes to (to a backend);
    # None when it is fanned out to all. Without one, the session's single backend.
    backend: str | None = None
    changed: bool = False  # set by a stage that altered the payload (in place or by replacing it)
    follow_ups: list[str] = field(default_factory=list)  # notifications the proxy sends after this message
    # Toward the backend: every string holding something token-shaped, found once and shared by the filters.
    token_strings: dict[str, list[str]] | None = None
    counts: dict[str, int] = field(default_factory=dict)  # entity type -> values replaced
    # On the event loop: blocking code (the vault, Presidio) raises NeedsWorker instead of running — a guard
    # only, since a filter's `on_loop` asks before it blocks (`proxy.worker`).
    on_loop: bool = False
    request_id: Any = None  # a request's own id (a backend's request: scanned like its method name)
    # Top-level members taken out before scanning and put back after it (`proxy.request_state`): text the
    # proxy itself wrote (a sealed `requestState`, ciphertext), which holds nothing to judge.
    held: dict[str, Any] = field(default_factory=dict)

    @property
    def policy(self) -> Policy:
        """The policy governing this message: its backend's own (`veil.toml`), else the session's."""
        return self.session.policy_for(self.backend)

    @property
    def detector(self) -> Detector:
        return self.session.detector_for(self.backend)


class Stage(Protocol):
    """A scan filter: edits `flow.payload` in place of the message's params/result/error, or raises to
    block it. Called, it runs whole, blocking allowed (the chain calls it so in a worker thread). A filter
    that may block also has `on_loop(flow) -> Finish | None` (`proxy.worker`): the chain calls that instead
    on the event loop; a filter without one never blocks."""

    def __call__(self, flow: Flow) -> None: ...
