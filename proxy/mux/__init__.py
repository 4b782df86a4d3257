"""Several backends as one: a virtual backend for the relay.

The relay sees one (read, write) stream pair, as with a single backend, so its filters, limits and
in-flight bookkeeping stay as they are. Behind it, each named backend keeps its own connection:

- the client's handshake (`initialize`, or `server/discover` in 2026-07-28) is sent to every backend and
  answered with the union of their capabilities, the oldest protocol version any of them chose (the
  versions they all support, for `server/discover`) and one instructions section per backend;
- tools and prompts are namespaced `backend__name`; resources keep their URIs and are routed by the URI
  learned from `resources/list` and `resources/templates/list` (URIs then stay valid in links and text);
- list methods are fanned out and merged; the cursor the client sees maps each backend to its own cursor;
- request ids and progress tokens are rewritten per backend both ways, so two backends may use the same
  ids; a backend's own requests (sampling, elicitation, roots) get ids of the proxy's, and the client's
  answers go back to the backend that asked;
- a backend that exits fails its own pending requests; the others keep working.

Every message toward the client carries its backend's name (`Origin` metadata) so its values are
tokenized as that backend's; `target()` tells which backend a message toward the backends goes to.
"""

from proxy.mux.core import Mux, Streams, multiplexed
from proxy.mux.routing import (
    ACKED,
    BY_URI,
    HANDSHAKES,
    LIST_KEYS,
    METHOD_NOT_FOUND,
    NAMED,
    Origin,
    RouteError,
    Routes,
)

__all__ = [
    "ACKED",
    "BY_URI",
    "HANDSHAKES",
    "LIST_KEYS",
    "METHOD_NOT_FOUND",
    "NAMED",
    "Mux",
    "Origin",
    "RouteError",
    "Routes",
    "Streams",
    "multiplexed",
]
