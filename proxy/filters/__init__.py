"""The guardrails, one module each, and the scan filters' order per direction.

A scan filter has one signature, `filter(flow) -> None`, and edits `flow.payload` in place of the message's
params/result/error. A filter that raises fails the message closed: the relay answers with a JSON-RPC error
(or drops a notification) and records `message-blocked`; nothing is forwarded unscanned. The call filters
(local pages, approvals, limits, flood) act on a whole `Call`; `proxy.chain` runs both kinds, and the relay
lists the call filters in `REQUEST_ORDER`.
"""

from __future__ import annotations

from proxy.filters.budget import ResponseBudget
from proxy.filters.detokenize import Detokenize
from proxy.filters.egress import Egress
from proxy.filters.flow import Direction, Flow, Stage
from proxy.filters.tokenize import Tokenize


def chains() -> dict[Direction, list[Stage]]:
    """The scan filters' order: to the backend egress before detokenize (a refused message never resolves
    a token), to the client tokenize before budget (a stored page holds tokens only)."""
    return {
        Direction.TO_CLIENT: [Tokenize(), ResponseBudget()],
        Direction.TO_BACKEND: [Egress(), Detokenize()],
    }


__all__ = ["Direction", "Flow", "Stage", "chains"]
