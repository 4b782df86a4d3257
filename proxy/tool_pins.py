"""Tool pinning for one session: which of a backend's listed tools the client may see and call.

Every `tools/list` answer passes `ToolPinning.screen` before anything else touches it, so the fingerprint
is of the backend's own definition (tokens differ per session). A tool seen before with the same
definition passes without a database round trip; a new one is pinned; a changed one (mid-session after
`notifications/tools/list_changed`, or on another day) is taken out of the list and its calls refused
until an operator approves it (`veil tools approve`). Invisible and Unicode-tag characters in a
definition, and a name another backend also lists, are reported: logged (value-free) and audited.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from proxy.backend_config import SEPARATOR
from proxy.errors import ToolNotApproved
from proxy.worker import NeedsWorker
from vault import tool_pins
from vault.audit import AuditContext

if TYPE_CHECKING:
    from proxy.filters.flow import Flow
    from proxy.session import ProxySession

log = logging.getLogger(__name__)

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def hidden_characters(definition: Any) -> tuple[str, ...]:
    """What a definition hides from a human reading it: `unicode-tags` (U+E0000–U+E007F, text only a model
    reads), `bidi` (direction overrides) or `invisible` (zero-width, other format characters, variation
    selectors), in any string or key."""
    found: set[str] = set()
    for text in _strings(definition):
        if text.isascii():
            continue
        for ch in text:
            code = ord(ch)
            if 0xE0000 <= code <= 0xE007F:
                found.add("unicode-tags")
            elif ch in _BIDI:
                found.add("bidi")
            elif unicodedata.category(ch) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
                found.add("invisible")
    return tuple(sorted(found))


def _strings(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for k, v in item.items():
                if isinstance(k, str):
                    yield k
                stack.append(v)
        elif isinstance(item, list):
            stack.extend(item)


class ToolPinning:
    """The pin state one session has seen: definitions known to be pinned, and the tools it hid."""

    def __init__(self, session: ProxySession) -> None:
        self.session = session
        self._pinned: dict[tuple[str, str], bytes] = {}  # (backend, tool) -> canonical definition
        self._hidden: dict[tuple[str, str], dict[str, Any]] = {}  # (backend, tool) -> changed definition

    def screen(self, result: dict[str, Any], flow: Flow) -> bool:
        """Take the tools whose definition is not the pinned one out of a `tools/list` result; whether it
        changed. Asks the vault about definitions not seen pinned yet (blocking)."""
        seen = self.unpinned(result, flow)
        if seen:
            if flow.on_loop:
                raise NeedsWorker("tool pins")
            self._observe(seen)
        return self.hide(result, flow)

    def unpinned(self, result: dict[str, Any], flow: Flow) -> list[tool_pins.SeenTool]:
        """The definitions in a `tools/list` result this session has not seen pinned (no I/O)."""
        tools = result.get("tools")
        if not isinstance(tools, list):
            return []
        seen: list[tool_pins.SeenTool] = []
        for entry in tools:
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                continue
            backend, local = self._where(entry["name"], flow)
            definition = {k: v for k, v in entry.items() if k != "name"}
            if self._pinned.get((backend, local)) == tool_pins.canonical(definition):
                continue
            seen.append(tool_pins.SeenTool(backend, local, definition, hidden_characters(entry)))
        return seen

    def observe(self, seen: list[tool_pins.SeenTool]) -> None:
        """Record definitions with the vault (blocking): pinned, or hidden as changed."""
        self._observe(seen)

    def hide(self, result: dict[str, Any], flow: Flow) -> bool:
        """Take the tools this session hid out of the result (no I/O); whether any was."""
        tools = result.get("tools")
        if not isinstance(tools, list) or not self._hidden:
            return False
        hide = {
            i
            for i, entry in enumerate(tools)
            if isinstance(entry, dict)
            and isinstance(entry.get("name"), str)
            and self._where(entry["name"], flow) in self._hidden
        }
        if not hide:
            return False
        result["tools"] = [t for i, t in enumerate(tools) if i not in hide]
        return True

    def hidden(self, flow: Flow) -> bool:
        """Whether the tool a call names was hidden by this session (no I/O): `check_call` asks the vault."""
        return flow.tool is not None and (flow.backend or self.session.backend, flow.tool) in self._hidden

    def check_call(self, flow: Flow) -> None:
        """ToolNotApproved for a call of a tool this session hid, unless it has been approved since."""
        if flow.tool is None:
            return
        where = (flow.backend or self.session.backend, flow.tool)
        definition = self._hidden.get(where)
        if definition is None:
            return
        if flow.on_loop:
            raise NeedsWorker("tool pins")
        if tool_pins.approved(self.session.vault.vault, where[0], where[1], definition):
            self._hidden.pop(where, None)
            self._pinned[where] = tool_pins.canonical(definition)
            return
        raise ToolNotApproved(
            "mcp-veil refused this call: the tool's definition changed since it was approved; an operator "
            "must review it (`veil tools diff`) and approve it (`veil tools approve`)",
            data={"reason": "tool-changed"},
        )

    def _observe(self, seen: list[tool_pins.SeenTool]) -> None:
        ctx = AuditContext(actor=self.session.actor, backend=self.session.backend)
        states = tool_pins.observe(
            self.session.vault.vault, seen, session_id=self.session.session_id, ctx=ctx
        )
        for s in seen:
            where = (s.backend, s.tool)
            if states.get(where) == tool_pins.APPROVED:
                self._pinned[where] = tool_pins.canonical(s.definition)
                self._hidden.pop(where, None)
            else:
                self._hidden[where] = dict(s.definition)
                log.warning(
                    "a tool's definition changed since it was pinned; hidden until `veil tools approve`",
                    extra={"backend": s.backend, "tool": self.session.safe_name(s.tool)},
                )
            if s.flags:
                log.warning(
                    "a tool's definition holds characters a human cannot see",
                    extra={"backend": s.backend, "tool": self.session.safe_name(s.tool), "flags": s.flags},
                )

    def _where(self, name: str, flow: Flow) -> tuple[str, str]:
        """(backend, the backend's own tool name) of a listed tool."""
        if self.session.mux is not None and SEPARATOR in name:
            backend, local = name.split(SEPARATOR, 1)
            return backend, local
        return flow.backend or self.session.backend, name
