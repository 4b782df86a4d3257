"""To the backend: every token becomes its real value, or the message is refused."""

from __future__ import annotations

from proxy.filters.flow import Flow
from proxy.scan.to_backend import find_token_strings, replace_tokens


class Detokenize:
    def __call__(self, flow: Flow) -> None:
        found = flow.token_strings
        if found is None:  # no earlier stage looked
            found = find_token_strings(flow.payload, flow.policy.max_depth)
        if not found:
            return
        tokens = list(dict.fromkeys(t for hits in found.values() for t in hits))
        values = flow.session.detokenize(tokens, flow)  # raises TokenRefused: nothing is forwarded
        flow.counts["detokenized"] = len(tokens)
        flow.payload = replace_tokens(flow.payload, values)
        flow.changed = True
