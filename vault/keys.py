"""Where the master secret comes from.

Order: `$VEIL_MASTER_KEY` (base64), `$VEIL_MASTER_KEY_FILE` (a file holding base64), else `master.key` in the
data dir, created on first use with mode 0600. Never from a command-line argument (it would show in `ps`).
Errors name the source, never the key.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from vault.errors import MasterKeyError

MIN_KEY_BYTES = 32
KEY_FILE_NAME = "master.key"
DEFAULT_VAULT_NAME = "vault.db"  # the default SQLite vault beside the key file (proxy.config)


@dataclass(frozen=True)
class MasterKey:
    """The master secret and a human description of where it came from (for error messages)."""

    secret: bytes = field(repr=False)
    source: str


def load_master_key(home: Path, env: Mapping[str, str] = os.environ) -> MasterKey:
    if env.get("VEIL_MASTER_KEY"):
        source = "$VEIL_MASTER_KEY"
        return MasterKey(_decode(env["VEIL_MASTER_KEY"], source), source)
    if env.get("VEIL_MASTER_KEY_FILE"):
        path = Path(env["VEIL_MASTER_KEY_FILE"]).expanduser()
        source = f"$VEIL_MASTER_KEY_FILE ({path})"
        return MasterKey(_decode(_read(path, source), source), source)
    path = Path(home).expanduser() / KEY_FILE_NAME
    source = f"key file {path}"
    if not path.exists():
        existing = path.with_name(DEFAULT_VAULT_NAME)
        if existing.exists():  # a new key would not open it: refuse rather than leave a useless key file
            raise MasterKeyError(
                f"no master key: {source} is missing but the vault {existing} exists; restore the key "
                "file or set $VEIL_MASTER_KEY / $VEIL_MASTER_KEY_FILE (nothing was changed)"
            )
        _create_key_file(path, source)
    return MasterKey(_decode(_read(path, source), source), source)


def _decode(text: str, source: str) -> bytes:
    try:
        secret = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise MasterKeyError(f"the master key from {source} is not valid base64") from None
    if len(secret) < MIN_KEY_BYTES:
        raise MasterKeyError(f"the master key from {source} is shorter than {MIN_KEY_BYTES} bytes")
    return secret


def _read(path: Path, source: str) -> str:
    try:
        return path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) else "not ASCII"
        raise MasterKeyError(f"cannot read the master key from {source}: {reason}") from None


def _create_key_file(path: Path, source: str) -> None:
    """Write a fresh key to a private temp file, then link it into place.

    The link is atomic and fails if another process won the race, so a concurrent reader never sees a
    half-written key and two processes never end up with different keys.
    """
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(base64.b64encode(secrets.token_bytes(MIN_KEY_BYTES)).decode("ascii") + "\n")
                f.flush()
                os.fsync(f.fileno())
            with contextlib.suppress(FileExistsError):  # another process created it first: use theirs
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as e:
        raise MasterKeyError(f"cannot create the master key {source}: {e.strerror}") from None
