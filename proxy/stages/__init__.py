"""The stages a message passes through, in order, per direction.

Every stage has one signature, `stage(flow) -> None`, and edits `flow.payload` in place of the message's
params/result/error. A stage that raises fails the message closed: the relay answers with a JSON-RPC error
(or drops a notification) and records `message-blocked`; nothing is forwarded unscanned.
"""

from __future__ import annotations

from proxy.stages.base import Direction, Flow, Stage
from proxy.stages.budget import Budget
from proxy.stages.detokenize import Detokenize
from proxy.stages.egress import Egress
from proxy.stages.tokenize import Tokenize


def chains() -> dict[Direction, list[Stage]]:
    """The order lives here, and only here."""
    return {
        Direction.TO_CLIENT: [Tokenize(), Budget()],
        Direction.TO_BACKEND: [Egress(), Detokenize()],
    }


__all__ = ["Direction", "Flow", "Stage", "chains"]
