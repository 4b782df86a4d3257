"""The tool-pinning filters: a `tools/list` answer shows only tools whose definition is the pinned one,
and a call of a tool hidden for a changed definition is refused (see `proxy.tool_pins`). On the event loop
each does what needs no vault (definitions already seen pinned, a call of a tool not hidden) and hands the
chain the vault's part when there is one."""

from __future__ import annotations

from typing import Any

from proxy.filters.flow import Direction, Flow
from proxy.worker import Finish


class PinTools:
    """To the client, first of all: fingerprint the backend's own definitions, hide the changed ones."""

    def __call__(self, flow: Flow) -> None:
        result = self._listed(flow)
        if result is not None and flow.session.tool_pins.screen(result, flow):
            flow.changed = True

    def on_loop(self, flow: Flow) -> Finish | None:
        result = self._listed(flow)
        if result is None:
            return None
        pins = flow.session.tool_pins
        seen = pins.unpinned(result, flow)
        if seen:

            def observe_then_hide() -> None:
                pins.observe(seen)
                flow.changed = pins.hide(result, flow) or flow.changed

            return observe_then_hide
        flow.changed = pins.hide(result, flow) or flow.changed
        return None

    @staticmethod
    def _listed(flow: Flow) -> dict[str, Any] | None:
        """The `tools/list` result this filter screens, or None for any other message."""
        if (
            flow.direction is not Direction.TO_CLIENT
            or flow.kind != "response"
            or flow.method != "tools/list"
            or not flow.policy.pin_tools
            or not isinstance(flow.payload, dict)
        ):
            return None
        return flow.payload


class RefuseChangedTools:
    """To the backend, first of all: a call of a tool this session hid is refused (audited as blocked)."""

    def __call__(self, flow: Flow) -> None:
        if self._applies(flow):
            flow.session.tool_pins.check_call(flow)

    def on_loop(self, flow: Flow) -> Finish | None:
        if self._applies(flow) and flow.session.tool_pins.hidden(flow):
            return lambda: flow.session.tool_pins.check_call(flow)
        return None

    @staticmethod
    def _applies(flow: Flow) -> bool:
        return flow.kind == "request" and flow.method == "tools/call" and flow.policy.pin_tools
