"""The operator commands (`tokens`, `sessions`, `keys`, `audit`) never create a vault or a master key; a
token that is not there is not revoked "successfully"; `audit query` reads in a 100-column terminal."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from proxy.cli import cli
from proxy.cli.audit_table import print_table, short_token
from vault.audit import AuditContext
from vault.keys import load_master_key
from vault.store import Vault
from vault.tokens import ID_LENGTH

CTX = AuditContext(actor="test", backend="crm")
# Every read-only or administrative command of the four groups: none may leave anything behind.
OPERATOR_COMMANDS = [
    ("tokens", "list"),
    ("tokens", "show", "[[EMAIL_ADDRESS:aaaaaaaaaaaaaaaa]]"),
    ("tokens", "revoke", "--session", "desk"),
    ("sessions", "list"),
    ("sessions", "show", "desk"),
    ("sessions", "shred", "--name", "desk", "--yes"),
    ("keys", "status"),
    ("keys", "rotate"),
    ("keys", "retire", "1"),
    ("audit", "query"),
    ("audit", "stats"),
    ("audit", "verify"),
    ("audit", "checkpoint"),
    ("audit", "prune", "--before", "1d"),
    ("quota", "status"),
    ("top", "--once"),
    ("top", "--json"),
]


def veil(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


@pytest.fixture
def filled(veil_home: Path) -> Iterator[Vault]:
    veil_home.mkdir(mode=0o700, parents=True)
    v = Vault.open(f"sqlite:///{veil_home / 'vault.db'}", load_master_key(veil_home))
    try:
        yield v
    finally:
        v.close()


@pytest.mark.parametrize("args", OPERATOR_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_an_operator_command_without_a_vault_names_veil_home_and_creates_nothing(
    args: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "not-the-proxy-home"
    monkeypatch.setenv("VEIL_HOME", str(home))
    for name in ("VEIL_MASTER_KEY", "VEIL_MASTER_KEY_FILE", "VEIL_VAULT_URL"):
        monkeypatch.delenv(name, raising=False)
    result = veil(*args)
    assert result.exit_code != 0
    assert "no vault at" in result.stderr and f"VEIL_HOME={home}" in result.stderr
    assert not home.exists()  # no data dir, no vault, no master key


def test_without_veil_home_the_error_says_it_is_unset_and_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VEIL_HOME", raising=False)
    monkeypatch.delenv("VEIL_VAULT_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    result = veil("tokens", "list")
    assert result.exit_code != 0 and "VEIL_HOME is not set" in result.stderr
    assert not (tmp_path / "xdg").exists()


def test_a_vault_without_its_key_file_is_refused_without_making_a_new_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("VEIL_HOME", str(home))
    monkeypatch.setenv("VEIL_MASTER_KEY", base64.b64encode(b"k" * 32).decode())
    home.mkdir()
    Vault.open(f"sqlite:///{home / 'vault.db'}", load_master_key(home)).close()
    monkeypatch.delenv("VEIL_MASTER_KEY")
    result = veil("sessions", "list")
    assert result.exit_code != 0 and "master key" in result.stderr
    assert not (home / "master.key").exists()


def test_revoking_a_token_that_is_not_in_the_vault_fails_and_revokes_nothing(filled: Vault) -> None:
    s = filled.open_session(name="desk", ctx=CTX)
    (real,) = s.tokenize([("EMAIL_ADDRESS", "jane@example.com")], CTX)
    absent = "[[EMAIL_ADDRESS:" + "a" * ID_LENGTH + "]]"
    result = veil("tokens", "revoke", real, absent)
    assert result.exit_code != 0 and absent in result.stderr and "nothing revoked" in result.stderr
    live = [json.loads(line) for line in veil("tokens", "list", "--json").stdout.splitlines()]
    assert [t["state"] for t in live] == ["live"]
    assert veil("tokens", "revoke", real).exit_code == 0


def test_audit_query_fits_100_columns_and_json_keeps_every_field(filled: Vault) -> None:
    s = filled.open_session(name="a-rather-long-session-name", ctx=CTX)
    tokens = s.tokenize([("GOOGLE_ADS_CUSTOMER_ID", "123-456-7890"), ("EMAIL_ADDRESS", "x@example.com")], CTX)
    rows = [json.loads(line) for line in veil("audit", "query", "--json").stdout.splitlines()]
    assert rows and {"actor", "backend", "method", "detail", "hash", "token"} <= set(rows[0])
    assert set(tokens) <= {r["token"] for r in rows}
    out = _render(rows)
    assert max(len(line) for line in out.splitlines()) <= 100
    for token in tokens:
        assert short_token(token, None) in out  # whole on its line, never cut with an ellipsis
    assert "method" in out.splitlines()[0]
    piped = veil("audit", "query").stdout  # not a terminal: the wide layout, tokens whole
    assert all(token in piped for token in tokens) and "method" in piped.splitlines()[0]


@settings(max_examples=50, deadline=None)
@given(
    entity=st.from_regex(r"[A-Z][A-Z0-9_]{0,30}", fullmatch=True),
    ident=st.text("abcdefghijklmnopqrstuvwxyz234567", min_size=ID_LENGTH, max_size=ID_LENGTH),
    method=st.sampled_from(["tools/call", "resources/read", "prompts/get", "notifications/message"]),
    tool=st.text("abcdefghijklmnopqrstuvwxyz_", min_size=0, max_size=60),
)
def test_any_audit_row_renders_in_100_columns_with_its_token_short_form_intact(
    entity: str, ident: str, method: str, tool: str
) -> None:
    token = f"[[{entity}:{ident}]]"
    row = {
        "seq": 123456, "time": "2026-12-04T18:00:00", "event": "detokenize-refused", "method": method,
        "tool": tool, "session_id": "0123456789abcdef", "session_name": None, "token": token,
        "entity_type": entity, "count": 1, "outcome": "refused", "reason": "foreign-session",
    }  # fmt: skip
    out = _render([row])
    assert max(len(line) for line in out.splitlines()) <= 100
    assert f"{entity}:{ident[:8]}" in out


def _render(rows: list[dict[str, object]]) -> str:
    from datetime import datetime

    for r in rows:
        if isinstance(r["time"], str):
            r["time"] = datetime.fromisoformat(str(r["time"]))
    buf = io.StringIO()
    print_table(rows, Console(file=buf, width=100, soft_wrap=False, highlight=False))
    return buf.getvalue()
