"""The SQLite vault's files are private to their owner: the database, its -wal and its -shm, 0600,
whatever the process umask, and a file an older version left readable to others is narrowed."""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from vault.audit import AuditContext
from vault.keys import MasterKey
from vault.store import Vault


@pytest.fixture
def loose_umask() -> Iterator[None]:
    old = os.umask(0o002)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_its_wal_and_its_shm_are_created_0600_after_a_write(
    tmp_path: Path, master: MasterKey, ctx: AuditContext, loose_umask: None
) -> None:
    db = tmp_path / "vault.db"
    vault = Vault.open(f"sqlite:///{db}", master)
    try:
        session = vault.open_session(name="modes", ctx=ctx)
        session.tokenize([("EMAIL_ADDRESS", "jane.doe@example.com")], ctx)
        files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
        assert all(f.exists() for f in files)  # open connections keep the WAL and its index
        assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        vault.close()


@pytest.mark.parametrize("mode", [0o644, 0o664, 0o666, 0o640, 0o604, 0o660])
def test_a_database_file_left_readable_to_others_is_narrowed_on_open(
    tmp_path: Path, master: MasterKey, mode: int
) -> None:
    db = tmp_path / "vault.db"
    Vault.open(f"sqlite:///{db}", master).close()
    os.chmod(db, mode)
    Vault.open(f"sqlite:///{db}", master).close()
    assert _mode(db) == 0o600
