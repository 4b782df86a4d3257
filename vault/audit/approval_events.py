"""The audit events of write approvals, in a module of their own beside `events.py`, which holds the rest.

An approval is identified by its id; the call it approves only by `call_hash`, keyed with the session's
approval key, so no row confirms a guessed argument. `reason` comes from each event's fixed vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

from vault.audit.events import AuditEvent, Legacy


@dataclass(frozen=True, kw_only=True)
class _ApprovalEvent(AuditEvent):
    """The fields every approval event has: `approval` (its id), `call_hash` (keyed with the session's
    approval key, so it confirms no guessed value) and a `reason` from the vocabulary of each event."""

    legacy = Legacy(reason="reason", detail=("approval", "call_hash"))
    reason: str | None = None
    approval: str | None = None
    call_hash: str | None = None


@dataclass(frozen=True, kw_only=True)
class ApprovalRequested(_ApprovalEvent):
    """A call to an approval-required tool is waiting for a human: `reason` says how it is asked
    (`elicitation`, `input-required`, `out-of-band`, `none`); `call_hash` is keyed with the session's
    approval key (it confirms no guessed value), `approval` is the approval's id."""

    name = "approval-requested"


@dataclass(frozen=True, kw_only=True)
class ApprovalGranted(_ApprovalEvent):
    """A human accepted: `actor` is the approver (`elicitation:<client>` or the terminal user)."""

    name = "approval-granted"


@dataclass(frozen=True, kw_only=True)
class ApprovalDenied(_ApprovalEvent):
    """Refused: `reason` is `decline`, `cancel`, `mismatch` (an answer that does not fit the request, a
    replay, altered arguments), `no-approver` (a client that cannot elicit), `withdrawn` (the client cancelled
    the waiting call) or `denied` (out of band)."""

    name = "approval-denied"


@dataclass(frozen=True, kw_only=True)
class ApprovalExpired(_ApprovalEvent):
    """Nobody answered before the approval's deadline: the call was refused."""

    name = "approval-expired"
