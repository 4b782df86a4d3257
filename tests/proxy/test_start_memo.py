"""The start memo's key names everything a start loads, and the memo file holds digests only."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from proxy import start_memo

SECRET = b"k" * 32


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, list[Path], str]:
    home = tmp_path / "home"
    home.mkdir()
    vault = home / "vault.db"
    vault.write_bytes(b"")
    policy = tmp_path / "p.yaml"
    policy.write_text("version: 1\nname: p\n")
    return home, [policy], f"sqlite:///{vault}"


def key(policies: list[Path], url: str, secret: bytes = SECRET) -> str | None:
    return start_memo.start_key(policies, url, lambda: secret)


def test_the_key_is_the_same_for_the_same_start(setup):
    _home, policies, url = setup
    assert key(policies, url) is not None
    assert key(policies, url) == key(policies, url)


def test_another_policy_text_another_policy_file_or_another_master_key_is_another_key(setup, tmp_path):
    _home, policies, url = setup
    before = key(policies, url)
    policies[0].write_text("version: 1\nname: p\nallow_list: [x]\n")
    assert key(policies, url) != before
    extra = tmp_path / "q.yaml"
    extra.write_text("version: 1\nname: q\n")
    assert key([*policies, extra], url) not in (before, key(policies, url))
    assert key(policies, url, b"w" * 32) != key(policies, url)


def test_a_changed_source_file_of_the_proxy_is_another_key(setup):
    _home, policies, url = setup
    before = key(policies, url)
    source = Path(start_memo.__file__)
    st = source.stat()
    try:
        os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        assert key(policies, url) != before
    finally:
        os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert key(policies, url) == before


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://veil@127.0.0.1/veil",  # no cheap check of a server: the full start decides
        "sqlite:///{missing}",  # a first start: no vault yet
        "sqlite:///{vault}?mode=ro",
        "sqlite://",  # in memory
    ],
)
def test_no_key_where_the_vault_cannot_be_checked_without_loading(setup, tmp_path, url):
    home, policies, _url = setup
    called: list[int] = []

    def secret() -> bytes:
        called.append(1)
        return SECRET

    url = url.format(missing=tmp_path / "none" / "vault.db", vault=home / "vault.db")
    assert start_memo.start_key(policies, url, secret) is None
    assert called == []  # no master key is read (or created) for a vault that is not there


def test_no_key_for_a_vault_that_is_not_writable_or_a_master_key_that_does_not_load(setup):
    home, policies, url = setup
    (home / "vault.db").chmod(0o400)
    try:
        if os.geteuid() != 0:  # root writes anyway
            assert key(policies, url) is None
    finally:
        (home / "vault.db").chmod(0o600)

    def broken() -> bytes:
        raise ValueError("not base64")

    assert start_memo.start_key(policies, url, broken) is None


def test_a_remembered_answer_is_known_under_its_key_only(setup):
    home, policies, url = setup
    k = key(policies, url)
    assert k is not None
    answer = {"protocolVersion": "2025-06-18", "serverInfo": {"name": "weather", "version": "1"}}
    digest = start_memo.answer_digest(answer)
    assert not start_memo.known(home, k, digest)
    start_memo.remember(home, k, digest)
    assert start_memo.known(home, k, digest)
    assert not start_memo.known(home, "0" * 64, digest)
    reordered = {"serverInfo": answer["serverInfo"], "protocolVersion": "2025-06-18"}
    assert not start_memo.known(home, k, start_memo.answer_digest(reordered))  # key order is part of it
    start_memo.forget(home)
    assert not start_memo.known(home, k, digest)


def test_the_memo_file_is_private_holds_digests_only_and_keeps_the_newest_entries(setup):
    home, policies, url = setup
    k = key(policies, url)
    assert k is not None
    for n in range(start_memo.MAX_ANSWERS + 5):
        start_memo.remember(home, k, start_memo.answer_digest({"serverInfo": {"name": f"server-{n}"}}))
    path = home / start_memo.MEMO_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert "server-" not in text and SECRET.decode() not in text
    entries = json.loads(text)["answers"]
    assert len(entries) == start_memo.MAX_ANSWERS
    newest = start_memo.answer_digest({"serverInfo": {"name": f"server-{start_memo.MAX_ANSWERS + 4}"}})
    assert entries[-1] == [k, newest]
    assert not start_memo.known(home, k, start_memo.answer_digest({"serverInfo": {"name": "server-0"}}))


@pytest.mark.parametrize(
    "content", ["", "{", "[]", '{"format": 2, "answers": []}', '{"format": 1, "answers": [1, [2]]}']
)
def test_a_damaged_memo_file_knows_nothing_and_is_replaced_on_the_next_good_start(setup, content):
    home, policies, url = setup
    k = key(policies, url)
    assert k is not None
    (home / start_memo.MEMO_FILE).write_text(content)
    digest = start_memo.answer_digest({})
    assert not start_memo.known(home, k, digest)
    start_memo.remember(home, k, digest)
    assert start_memo.known(home, k, digest)
