"""The guardrails, one module each, and the scan filters' order per direction.

A scan filter has one signature, `filter(flow) -> None`, and edits `flow.payload` in place of the message's
params/result/error. A filter that raises fails the message closed: the relay answers with a JSON-RPC error
(or drops a notification) and records `message-blocked`; nothing is forwarded unscanned. The call filters
(local pages, approvals, quotas, limits, accounting) act on a whole `Call`; `proxy.chain` runs both kinds,
and `proxy.filters.request_order` lists the call filters in order. A scan filter that may block has an
`on_loop` half besides (`proxy.worker`).
"""

from __future__ import annotations

from proxy.filters.budget import ResponseBudget
from proxy.filters.cache_scope import PrivateWhenTokenized
from proxy.filters.catalog import CompactCatalog
from proxy.filters.detokenize import Detokenize
from proxy.filters.egress import Egress
from proxy.filters.flow import Direction, Flow, Stage
from proxy.filters.output_schemas import AcceptTokens
from proxy.filters.request_state import HoldRequestState, OpenRequestState, ReturnHeld
from proxy.filters.split_values import MendSplitValues
from proxy.filters.task_binding import BoundTaskIds, LearnTaskIds
from proxy.filters.tokenize import Tokenize
from proxy.filters.tool_pins import PinTools, RefuseChangedTools


def chains() -> dict[Direction, list[Stage]]:
    """The scan filters' order: to the backend egress before detokenize (a refused message never resolves
    a token), to the client tokenize before budget (a stored page holds tokens only). Tool pinning comes
    first each way: it fingerprints the backend's own definitions, and a refused call resolves nothing. A
    tool's output schema is widened for tokens after tokenize (its token pattern is the proxy's own text),
    and a tokenized cacheable result made private (its tokens belong to this session). A result's
    `requestState` is sealed and held out of scanning, and opened last on its way back
    (`proxy.request_state`). Task ids are learnt before anything is scanned and checked after detokenize
    (`task_binding`): the backend's real ids. The compact catalog comes after the schemas are widened (it
    keeps the definitions as the client would have had them in full). A value cut across text blocks is made
whole in one block just before tokenize (`split_values`)."""
    return {
        Direction.TO_CLIENT: [
            PinTools(),
            LearnTaskIds(),
            HoldRequestState(),
            MendSplitValues(),
            Tokenize(),
            ReturnHeld(),
            AcceptTokens(),
            CompactCatalog(),
            PrivateWhenTokenized(),
            ResponseBudget(),
        ],
        Direction.TO_BACKEND: [
            RefuseChangedTools(),
            Egress(),
            Detokenize(),
            OpenRequestState(),
            BoundTaskIds(),
        ],
    }


__all__ = ["Direction", "Flow", "Stage", "chains"]
