"""The tool-pinning filters: a `tools/list` answer shows only tools whose definition is the pinned one,
and a call of a tool hidden for a changed definition is refused (see `proxy.tool_pins`)."""

from __future__ import annotations

from proxy.filters.flow import Direction, Flow


class PinTools:
    """To the client, first of all: fingerprint the backend's own definitions, hide the changed ones."""

    def __call__(self, flow: Flow) -> None:
        if (
            flow.direction is not Direction.TO_CLIENT
            or flow.kind != "response"
            or flow.method != "tools/list"
            or not flow.policy.pin_tools
        ):
            return
        if isinstance(flow.payload, dict) and flow.session.tool_pins.screen(flow.payload, flow):
            flow.changed = True


class RefuseChangedTools:
    """To the backend, first of all: a call of a tool this session hid is refused (audited as blocked)."""

    def __call__(self, flow: Flow) -> None:
        if flow.kind == "request" and flow.method == "tools/call" and flow.policy.pin_tools:
            flow.session.tool_pins.check_call(flow)
