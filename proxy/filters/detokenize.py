"""To the backend: every token becomes its real value, or the message is refused."""

from __future__ import annotations

from proxy.filters.flow import Flow
from proxy.scan.to_backend import find_token_strings, replace_tokens
from proxy.worker import Finish


class Detokenize:
    """Every detokenization reads the vault (a revocation takes effect at once), so on the event loop only
    the search for tokens runs; a message that holds one is resolved in a worker."""

    def __call__(self, flow: Flow) -> None:
        finish = self.on_loop(flow)
        if finish is not None:
            finish()

    def on_loop(self, flow: Flow) -> Finish | None:
        found = flow.token_strings
        if found is None:  # no earlier filter looked
            found = find_token_strings(flow.payload, flow.policy.max_depth)
        if not found:
            return None
        tokens = list(dict.fromkeys(t for hits in found.values() for t in hits))

        def resolve() -> None:
            values = flow.session.detokenize(tokens, flow)  # raises TokenRefused: nothing is forwarded
            flow.counts["detokenized"] = len(tokens)
            flow.payload = replace_tokens(flow.payload, values)
            flow.changed = True

        return resolve
