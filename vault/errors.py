"""The vault's error tree.

Messages are value-free by construction: they may name a token, an entity type, a session id or a key
source, never a plaintext value. The proxy maps these to JSON-RPC errors in one place (proxy/errors.py).
"""

from __future__ import annotations

from enum import StrEnum


class VaultError(Exception):
    """Base class of every vault failure."""


class VaultUnavailable(VaultError):
    """The database cannot be reached, is locked past the busy timeout, read-only or full."""


class WrongMasterKey(VaultError):
    """The master key does not open this vault; nothing was touched."""

    def __init__(self, source: str) -> None:
        super().__init__(f"the master key from {source} does not open this vault")
        self.source = source


class MasterKeyError(VaultError):
    """The master key could not be read or is malformed."""


class DecryptError(VaultError):
    """One opaque error for every authenticated-decryption failure (wrong key, moved or edited row)."""

    def __init__(self) -> None:
        super().__init__("ciphertext failed authentication")


class RefusalReason(StrEnum):
    MALFORMED = "malformed"
    UNKNOWN = "unknown"
    FOREIGN_SESSION = "foreign-session"
    OTHER_BACKEND = "other-backend"
    REVOKED = "revoked"
    EXPIRED = "expired"
    SESSION_EXPIRED = "session-expired"
    SHREDDED = "shredded"
    UNDECRYPTABLE = "undecryptable"


class TokenRefused(VaultError):
    """A token the client sent cannot be turned back into a value; the message must not be forwarded."""

    def __init__(self, token: str, reason: RefusalReason) -> None:
        super().__init__(f"token {token} refused: {reason.value}")
        self.token = token
        self.reason = reason


class KeyBudgetExhausted(VaultError):
    """A session's data key has encrypted as many values as its nonce budget allows: start a new session."""

    def __init__(self, session_id: str) -> None:
        super().__init__(f"session {session_id} has reached its data key's use limit; start a new session")
        self.session_id = session_id


class KeyVersionInUse(VaultError):
    """`retire` refused: sessions still have their data key wrapped under this version."""

    def __init__(self, version: int, sessions: list[str]) -> None:
        shown = ", ".join(sessions[:10]) + (f" and {len(sessions) - 10} more" if len(sessions) > 10 else "")
        super().__init__(
            f"key version {version} is still needed by {len(sessions)} session(s): {shown}; "
            "run `veil keys rotate` first"
        )
        self.version = version
        self.sessions = sessions


class SessionNotFound(VaultError):
    """No session with that id or name."""


class SessionGone(VaultError):
    """The session was shredded or has expired: nothing more can be tokenized into it."""

    def __init__(self, session_id: str, reason: RefusalReason) -> None:
        super().__init__(f"session {session_id} cannot be used: {reason.value}")
        self.session_id = session_id
        self.reason = reason


class ResultUnavailable(VaultError):
    """A stored result (paging) that does not exist, has expired, or belongs to another session."""

    def __init__(self, result_id: str) -> None:
        super().__init__(f"stored result {result_id} is unknown, expired or not this session's")
        self.result_id = result_id


class ApprovalNotPending(VaultError):
    """`veil approvals approve|deny` on an approval that is unknown, already decided or past its deadline."""

    def __init__(self, approval_id: str, status: str) -> None:
        super().__init__(f"approval {approval_id} is {status}, not pending")
        self.approval_id = approval_id
        self.status = status


class ToolNotPending(VaultError):
    """`veil tools approve` on a tool that is unknown, has no changed definition waiting, or whose waiting
    definition is not the one the operator reviewed."""
