"""To the client, after tokenization: each listed tool's `outputSchema` accepts the tokens its results may
carry (`proxy.scan.output_schema`), so a client that validates `structuredContent` takes a tokenized
result instead of refusing it."""

from __future__ import annotations

from proxy.filters.flow import Flow
from proxy.scan.output_schema import rewrite_tools


class AcceptTokens:
    """Runs after Tokenize: the patterns it adds are the proxy's own text and are not scanned."""

    def __call__(self, flow: Flow) -> None:
        if flow.method == "tools/list" and flow.kind == "response":
            flow.changed = rewrite_tools(flow.payload) or flow.changed
