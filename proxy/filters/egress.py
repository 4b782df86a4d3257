"""To the backend, before detokenization: may this place in this message receive real values at all?

Detokenization is how data leaves. A prompt-injected model can pass a token into a tool that sends it
somewhere (an email body, a webhook URL), or into any other message that carries values to a backend (a
resource URI it reads, a prompt's arguments, a completion, an elicitation answer); the egress policy names
the argument keys that must never receive a real value — matched normalized, at any depth, on every method
(`proxy.policy.egress`) — and such a message is refused, with a clear error, audited, before any token is
resolved.
"""

from __future__ import annotations

from proxy.errors import EgressDenied
from proxy.filters.flow import Flow
from proxy.policy import egress as egress_rules
from proxy.scan.to_backend import find_token_strings


class Egress:
    def __call__(self, flow: Flow) -> None:
        payload = flow.payload
        if not isinstance(payload, dict | list):
            return
        depth = flow.policy.max_depth
        flow.token_strings = find_token_strings(payload, depth)
        if not flow.token_strings:
            return  # the common case: one walk, shared with the detokenize stage
        meta = payload.get("_meta") if isinstance(payload, dict) else None
        if meta is not None and find_token_strings(meta, depth):
            # Protocol metadata (progress tokens, trace context) never needs a real value; a token there
            # would reach the backend outside any argument the egress policy governs.
            raise EgressDenied(
                "mcp-veil refused this message: tokens are not resolved in _meta",
                data={"argument": "_meta"},
            )
        policy = flow.policy
        backend = flow.backend or flow.session.backend
        method = flow.method or ""
        tool = (flow.tool or "") if method == "tools/call" else ""
        seen: set[egress_rules.Path] = set()
        for full in egress_rules.token_paths(payload, flow.token_strings, depth):
            path = egress_rules.argument_path(method, flow.kind, payload, full)
            if path in seen:
                continue
            seen.add(path)
            if policy.egress_allows(backend, tool, path, method):
                continue
            where = egress_rules.shown(path)
            if tool:
                text = f"tool {tool!r} may not receive real values in argument {where!r}"
            else:
                text = f"{method or 'this message'} may not carry real values in {where!r}"
            raise EgressDenied(
                f"mcp-veil refused this {'call' if tool else 'message'}: {text} (egress policy)",
                data={"method": method, "tool": tool or None, "argument": where},
            )
