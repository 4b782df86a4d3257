"""Master key loading: env var, key file, first-use creation; errors name the source, never the key."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from vault.errors import MasterKeyError
from vault.keys import load_master_key


def b64(n: int) -> str:
    return base64.b64encode(bytes(range(n))).decode()


def test_the_environment_variable_wins_over_a_key_file(tmp_path: Path) -> None:
    key_file = tmp_path / "k"
    key_file.write_text(b64(40))
    key = load_master_key(tmp_path, {"VEIL_MASTER_KEY": b64(32), "VEIL_MASTER_KEY_FILE": str(key_file)})
    assert key.secret == bytes(range(32))
    assert key.source == "$VEIL_MASTER_KEY"


def test_a_key_file_named_by_the_environment_is_read(tmp_path: Path) -> None:
    key_file = tmp_path / "k"
    key_file.write_text(b64(48) + "\n")
    key = load_master_key(tmp_path / "home", {"VEIL_MASTER_KEY_FILE": str(key_file)})
    assert key.secret == bytes(range(48))
    assert str(key_file) in key.source
    assert not (tmp_path / "home").exists()


def test_a_private_key_file_is_created_on_first_use_and_reused(tmp_path: Path) -> None:
    home = tmp_path / "veil"
    first = load_master_key(home, {})
    second = load_master_key(home, {})
    assert first.secret == second.secret and len(first.secret) == 32
    assert stat.S_IMODE((home / "master.key").stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert first.source == f"key file {home / 'master.key'}"
    assert [p.name for p in home.iterdir()] == ["master.key"]


@pytest.mark.parametrize("bad", ["not base64!!", base64.b64encode(b"short").decode()])
def test_a_malformed_key_is_refused_naming_the_source_but_not_the_key(tmp_path: Path, bad: str) -> None:
    with pytest.raises(MasterKeyError) as e:
        load_master_key(tmp_path, {"VEIL_MASTER_KEY": bad})
    assert "$VEIL_MASTER_KEY" in str(e.value)
    assert bad not in str(e.value)


def test_a_missing_key_file_is_reported_with_its_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(MasterKeyError, match="nope"):
        load_master_key(tmp_path, {"VEIL_MASTER_KEY_FILE": str(missing)})


def test_the_key_is_not_in_its_repr(tmp_path: Path) -> None:
    key = load_master_key(tmp_path, {"VEIL_MASTER_KEY": b64(32)})
    assert b64(32) not in repr(key) and "secret" not in repr(key)


def test_a_missing_key_file_beside_an_existing_vault_is_refused_and_not_recreated(tmp_path: Path) -> None:
    (tmp_path / "vault.db").write_bytes(b"SQLite format 3\x00")
    with pytest.raises(MasterKeyError, match="missing but the vault") as e:
        load_master_key(tmp_path, {})
    assert str(tmp_path / "master.key") in str(e.value)
    assert not (tmp_path / "master.key").exists()
