"""To the backend, before detokenization: may this argument of this tool receive real values at all?

Detokenization is how data leaves. A prompt-injected model can pass a token into a tool that sends it
somewhere (an email body, a webhook URL); the egress policy names the arguments that must never receive a
real value, and such a call is refused — with a clear error, audited — before any token is resolved.
"""

from __future__ import annotations

from typing import Any

from proxy.errors import EgressDenied
from proxy.stages.base import Flow
from proxy.walk import find_token_strings


class Egress:
    name = "egress"

    def __call__(self, flow: Flow) -> None:
        if not isinstance(flow.payload, dict):
            return
        flow.token_strings = find_token_strings(flow.payload, flow.policy.max_depth)
        if not flow.token_strings:
            return  # the common case: one walk, shared with the detokenize stage
        meta = flow.payload.get("_meta")
        if meta is not None and find_token_strings(meta, flow.policy.max_depth):
            # Protocol metadata (progress tokens, trace context) never needs a real value; a token there
            # would reach the backend outside any argument the egress policy governs.
            raise EgressDenied(
                "mcp-veil refused this message: tokens are not resolved in _meta",
                data={"argument": "_meta"},
            )
        if flow.method != "tools/call" or flow.tool is None:
            return
        arguments: Any = flow.payload.get("arguments")
        if not isinstance(arguments, dict):
            return
        policy = flow.policy
        depth = policy.max_depth
        for name, value in arguments.items():
            if find_token_strings(value, depth) and not policy.egress_allows(
                flow.backend or flow.session.backend, flow.tool, str(name)
            ):
                raise EgressDenied(
                    f"mcp-veil refused this call: tool {flow.tool!r} may not receive real values "
                    f"in argument {str(name)!r} (egress policy)",
                    data={"tool": flow.tool, "argument": str(name)},
                )
