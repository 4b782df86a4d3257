"""The audit events of tool pinning (OWASP MCP03, "rug pulls"), in a module of their own beside
`events.py`, which holds the rest (each event joins `EVENT_TYPES` as it is defined).

A tool's `fingerprint` is keyed with a key derived from the master secret (see `vault.tool_pins`), so a
row confirms no guessed definition; `flags` come from a fixed vocabulary (`unicode-tags`, `invisible`,
`bidi`, `name-collision`). The backend and tool name are in the envelope. No field holds definition text.
"""

from __future__ import annotations

from dataclasses import dataclass

from vault.audit.events import AuditEvent, Legacy


@dataclass(frozen=True, kw_only=True)
class _ToolEvent(AuditEvent):
    legacy = Legacy(reason="reason", detail=("fingerprint", "flags"))
    reason: str | None = None
    fingerprint: str | None = None
    flags: str | None = None


@dataclass(frozen=True, kw_only=True)
class ToolPinned(_ToolEvent):
    """A backend's tool was seen for the first time: its definition's `fingerprint` is now the pinned one."""

    name = "tool-pinned"


@dataclass(frozen=True, kw_only=True)
class ToolChanged(_ToolEvent):
    """A pinned tool's definition changed (`fingerprint`: the new one): the tool is hidden from clients, and
    calls of it refused, until an operator approves it."""

    name = "tool-changed"


@dataclass(frozen=True, kw_only=True)
class ToolApproved(_ToolEvent):
    """`veil tools approve`: the tool's new definition (`fingerprint`) is the approved one; `actor` is the
    operator."""

    name = "tool-approved"


@dataclass(frozen=True, kw_only=True)
class ToolReported(_ToolEvent):
    """Something about a tool's definition an operator should see (`flags`): invisible or Unicode-tag
    characters, or a name another backend also uses. Reported once per definition."""

    name = "tool-reported"


