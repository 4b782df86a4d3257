"""What earlier good starts verified, so a later start can answer the handshake before the proxy loads.

Loading the proxy — the policy's schema, SQLAlchemy and the vault, the detectors — takes most of a second,
and an MCP client starts every configured server at launch and waits for each `initialize` result (issue 17:
≤ 300 ms). The answer itself needs none of it when it is a backend answer the whole proxy already passed
through unchanged, under the same policy files, the same code and the same vault key. Like a compiler's
cache, this file records exactly that: the digest of each `initialize` result the relay's to-client chain
left unchanged in a fresh session, under a key made of

- the policy files (names and bytes) the start resolved,
- the proxy's code (each source file's size and modification time) and the installed packages (the
  site-packages directories' modification times: a detector library updated is another key),
- the vault (its URL, and a check value derived from the master key: a key that would not open the vault
  is another key; a SQLite vault that is gone or not writable is no key at all).

A start whose key and answer are both known answers at once (`proxy.early_handshake`); the chain still
processes the same exchange once loaded and must produce the same answer, else the proxy stops and the memo
is deleted. Anything else — first start, edited policy, other answer, a PostgreSQL vault (no cheap check of
the server), a named session (its known values are in the vault) — takes the usual path. The file holds
digests only, never a value or a key, and is private to `$VEIL_HOME` like the key file.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import site
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MEMO_FILE = "start-memo.json"
FORMAT = 1
MAX_ANSWERS = 32  # one per backend and policy a `$VEIL_HOME` serves, the newest kept
_PACKAGES = ("proxy", "vault")
_KEY_CHECK = b"mcp-veil start memo: the master key that opened the vault"


def start_key(policies: Iterable[Path], vault_url: str, secret: Callable[[], bytes]) -> str | None:
    """The digest naming what a start loads, or None where it cannot be checked without loading: a vault
    other than a SQLite file this process can read and write, or a master key that does not load (`secret`
    is called only once the vault file is there, so a first start creates no key here)."""
    vault = _vault_part(vault_url, secret)
    if vault is None:
        return None
    digest = hashlib.sha256(f"mcp-veil start memo {FORMAT}\n".encode())
    for path in policies:
        digest.update(b"policy\0" + os.fsencode(path) + b"\0")
        try:
            digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
        except OSError:
            return None  # the policy load will say why
    digest.update(_code_part())
    digest.update(vault)
    return digest.hexdigest()


def answer_digest(result: Any) -> str:
    """The digest of an `initialize` result as JSON, its keys in the backend's order (a record's
    judgement may read its keys in order: another order is another answer)."""
    text = json.dumps(result, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def known(home: Path, key: str, digest: str) -> bool:
    return [key, digest] in _entries(home)


def remember(home: Path, key: str, digest: str) -> None:
    """Record an answer the chain left unchanged (newest last; a concurrent writer may win: the memo is
    then one entry short, which costs one slower start)."""
    entries = [e for e in _entries(home) if e != [key, digest]] + [[key, digest]]
    path = Path(home) / MEMO_FILE
    tmp = path.with_name(f".{MEMO_FILE}.{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            json.dump({"format": FORMAT, "answers": entries[-MAX_ANSWERS:]}, out)
        os.replace(tmp, path)
    except OSError as exc:
        log.info("start memo not written", extra={"error": exc.strerror})
        with_suppressed_unlink(tmp)


def forget(home: Path) -> None:
    """Drop every entry: an early answer differed from the chain's (a bug), so none is trusted."""
    with_suppressed_unlink(Path(home) / MEMO_FILE)


def with_suppressed_unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _entries(home: Path) -> list[list[str]]:
    try:
        data = json.loads((Path(home) / MEMO_FILE).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return []
    answers = data.get("answers")
    if not isinstance(answers, list):
        return []
    return [e for e in answers if isinstance(e, list) and len(e) == 2 and all(isinstance(x, str) for x in e)]


def _vault_part(vault_url: str, secret: Callable[[], bytes]) -> bytes | None:
    prefix = "sqlite:///"
    if not vault_url.startswith(prefix) or "?" in vault_url:
        return None
    path = vault_url[len(prefix) :]
    if not path or path.startswith(":") or not os.path.isfile(path) or not os.access(path, os.R_OK | os.W_OK):
        return None
    if not os.access(os.path.dirname(os.path.abspath(path)), os.W_OK):  # SQLite's journal goes beside it
        return None
    try:
        master_secret = secret()
    except Exception:  # MasterKeyError and the like: the full start refuses with the cause
        return None
    check = hmac.new(master_secret, _KEY_CHECK, hashlib.sha256).digest()
    return b"vault\0" + vault_url.encode() + b"\0" + check


def _code_part() -> bytes:
    """Each source file of the proxy (name, size, modification time), the interpreter, and the
    site-packages directories' modification times (an install or removal there changes them)."""
    digest = hashlib.sha256(sys.version.encode())
    here = Path(__file__).resolve().parent.parent
    for package in _PACKAGES:
        for folder, dirs, files in os.walk(here / package):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".py"):
                    st = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    for folder in site.getsitepackages():
        try:
            digest.update(f"{folder}\0{os.stat(folder).st_mtime_ns}\n".encode())
        except OSError:
            continue
    return digest.digest()
