"""`veil keys|sessions|tokens`: tables, --json, refusals; and revocation honoured by two live proxies."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest
from click.testing import CliRunner, Result

from proxy.cli import cli
from vault.audit import AuditContext
from vault.clock import FrozenClock, SystemClock
from vault.keys import load_master_key
from vault.store import SessionVault, Vault

ROOT = Path(__file__).resolve().parents[2]
CTX = AuditContext(actor="test", backend="crm")
CANARY = "canary-4411@example.com"


def veil(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def ok(*args: str, stdin: str | None = None) -> str:
    result = veil(*args, stdin=stdin)
    assert result.exit_code == 0, result.output
    return result.stdout


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def vault(sqlite_vault_url: str, veil_home: Path) -> Iterator[Vault]:
    v = Vault.open(sqlite_vault_url, load_master_key(veil_home))
    try:
        yield v
    finally:
        v.close()


@pytest.fixture
def desk(vault: Vault) -> tuple[SessionVault, list[str]]:
    s = vault.open_session(name="desk", ctx=CTX)
    return s, s.tokenize([("EMAIL_ADDRESS", CANARY), ("PERSON", "Jane Miller")], CTX)


def test_keys_status_shows_versions_use_counts_and_the_sessions_that_need_them(
    vault: Vault, desk: Any
) -> None:
    table = ok("keys", "status")
    assert "version" in table and "current" in table and "1 / 1,073,741,824" in table
    [row] = json_lines(ok("keys", "status", "--json"))
    assert (row["version"], row["use_count"], row["sessions"], row["current"]) == (1, 1, 1, True)


def test_keys_rotate_rewraps_every_session_then_retire_frees_the_old_version(vault: Vault, desk: Any) -> None:
    session, tokens = desk
    vault.open_session(ctx=CTX)
    refused = veil("keys", "retire", "1")
    assert refused.exit_code == 1 and "still needed by 2 session(s)" in refused.stderr
    assert f"{session.session_id} (desk)" in refused.stderr
    result = veil("keys", "rotate")
    assert result.exit_code == 0, result.output
    assert "rotated to key version 2: 2 session key(s) rewrapped" in result.stdout
    assert ok("keys", "retire", "1").strip() == "key version 1 retired"
    states = {
        r["version"]: (r["retired_at"] is not None, r["sessions"])
        for r in json_lines(ok("keys", "status", "--json"))
    }
    assert states == {1: (True, 0), 2: (False, 2)}
    assert session.detokenize(tokens, CTX)[tokens[0]] == CANARY  # the live session never noticed
    current = veil("keys", "retire", "2")
    assert current.exit_code == 1 and "key version 2 is still needed" in current.stderr


def test_sessions_list_and_show_print_tables_and_json(vault: Vault, desk: Any) -> None:
    session, _ = desk
    table = ok("sessions", "list")
    assert session.session_id in table and "desk" in table and "open" in table
    [row] = json_lines(ok("sessions", "list", "--json"))
    assert (row["id"], row["name"], row["state"], row["token_count"]) == (
        session.session_id,
        "desk",
        "open",
        2,
    )
    shown = json.loads(ok("sessions", "show", "desk", "--json"))
    assert shown["by_entity_type"] == {"EMAIL_ADDRESS": 1, "PERSON": 1} and shown["dek_uses"] == 2
    assert "EMAIL_ADDRESS" in ok("sessions", "show", session.session_id)
    missing = veil("sessions", "show", "nope")
    assert missing.exit_code == 1 and "no session with id or name 'nope'" in missing.stderr


def test_sessions_shred_by_id_by_name_and_by_age(vault: Vault, veil_home: Path) -> None:
    clock = FrozenClock(SystemClock().now() - timedelta(days=40))
    old_vault = Vault.open(f"sqlite:///{veil_home / 'vault.db'}", load_master_key(veil_home), clock=clock)
    try:
        old = old_vault.open_session(ctx=CTX)
        old.tokenize([("PERSON", "Old Timer")], CTX)
    finally:
        old_vault.close()
    by_name = vault.open_session(name="desk", ctx=CTX)
    by_id = vault.open_session(ctx=CTX)
    by_id.tokenize([("PERSON", "x"), ("PERSON", "y")], CTX)
    assert (
        ok("sessions", "shred", "--older-than", "30d").strip()
        == f"shredded {old.session_id}: 1 value(s) destroyed"
    )
    assert f"shredded {by_name.session_id} (desk): 0" in ok("sessions", "shred", "--name", "desk")
    assert f"shredded {by_id.session_id}: 2" in ok("sessions", "shred", by_id.session_id)
    assert ok("sessions", "shred", "--older-than", "30d").strip() == "no session matched"
    states = {r["id"]: r["state"] for r in json_lines(ok("sessions", "list", "--json"))}
    assert set(states.values()) == {"shredded"} and by_name.session_id in states
    assert json_lines(ok("sessions", "list", "--live", "--json")) == []
    assert veil("sessions", "shred").exit_code == 2
    assert veil("sessions", "shred", "x", "--name", "y").exit_code == 2


def test_tokens_list_and_show_never_print_a_value(vault: Vault, desk: Any) -> None:
    session, tokens = desk
    table = ok("tokens", "list")
    assert all(t in table for t in tokens) and CANARY not in table and "Jane" not in table
    rows = json_lines(ok("tokens", "list", "--json", "--entity-type", "PERSON", "--session", "desk"))
    assert [r["token"] for r in rows] == tokens[1:] and rows[0]["state"] == "live"
    assert json_lines(ok("tokens", "list", "--json", "--before", "2000-01-01")) == []
    assert len(json_lines(ok("tokens", "list", "--json", "--since", "1h"))) == 2
    [shown] = json_lines(ok("tokens", "show", tokens[0], "--json"))
    assert shown["session_id"] == session.session_id and shown["entity_type"] == "EMAIL_ADDRESS"
    assert veil("tokens", "show", "[[PERSON:aaaaaaaaaaaaaaaa]]").exit_code == 1
    assert veil("tokens", "list", "--since", "yesterday-ish").exit_code == 2


def test_tokens_revoke_by_token_session_type_and_time(vault: Vault, desk: Any) -> None:
    _session, tokens = desk
    other = vault.open_session(ctx=CTX)
    other_tokens = other.tokenize([("PERSON", "Bob"), ("PHONE_NUMBER", "+1 415 555 0134")], CTX)
    assert ok("tokens", "revoke", tokens[0]).strip() == "revoked 1 token(s)"
    assert ok("tokens", "revoke", "--entity-type", "PHONE_NUMBER").strip() == "revoked 1 token(s)"
    assert ok("tokens", "revoke", "--session", "desk").strip() == "revoked 1 token(s)"
    assert ok("tokens", "revoke", "--before", "2000-01-01").strip() == "revoked 0 token(s)"
    assert ok("tokens", "revoke", "--before", "2999-01-01T00:00Z").strip() == "revoked 1 token(s)"
    assert {r["state"] for r in json_lines(ok("tokens", "list", "--json"))} == {"revoked"}
    assert len(other_tokens) == 2
    assert veil("tokens", "revoke").exit_code == 2
    assert "not a token" in veil("tokens", "revoke", "[[PERSON:nope]]").stderr


def test_tokens_revoke_reads_values_from_stdin_and_matches_them_in_every_session(
    vault: Vault, desk: Any
) -> None:
    _session, tokens = desk
    other = vault.open_session(ctx=CTX)
    [theirs] = other.tokenize([("EMAIL_ADDRESS", CANARY.upper())], CTX)
    result = veil("tokens", "revoke", "--value-stdin", stdin=f"{CANARY}\n")
    assert result.exit_code == 0 and result.stdout.strip() == "revoked 2 token(s)"
    assert CANARY not in result.output
    revoked = {r["token"] for r in json_lines(ok("tokens", "list", "--json")) if r["state"] == "revoked"}
    assert revoked == {tokens[0], theirs}
    empty = veil("tokens", "revoke", "--value-stdin", stdin="")
    assert empty.exit_code == 2 and "stdin is empty" in empty.stderr
    assert "--value" not in {p.opts[0] for p in cli.commands["tokens"].commands["revoke"].params if p.opts}  # type: ignore[attr-defined]


def test_a_wrong_master_key_is_refused_naming_its_source_and_nothing_changes(
    vault: Vault, desk: Any, monkeypatch: pytest.MonkeyPatch, veil_home: Path
) -> None:
    before = (veil_home / "vault.db").read_bytes()
    monkeypatch.setenv("VEIL_MASTER_KEY", "bGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGxsbGw=")
    for args in (("keys", "rotate"), ("tokens", "revoke", "--session", "desk"), ("sessions", "list")):
        result = veil(*args)
        assert result.exit_code == 1 and "$VEIL_MASTER_KEY does not open this vault" in result.stderr
    assert (veil_home / "vault.db").read_bytes() == before


def test_the_commands_work_on_postgresql(pg_vault_url: str, veil_home: Path) -> None:
    v = Vault.open(pg_vault_url, load_master_key(veil_home))
    try:
        s = v.open_session(name="pg", ctx=CTX)
        [token] = s.tokenize([("EMAIL_ADDRESS", CANARY)], CTX)
    finally:
        v.close()
    assert ok("tokens", "list", "--vault", pg_vault_url, "--json").count(token) == 1
    assert "revoked 1" in ok("tokens", "revoke", "--vault", pg_vault_url, "--value-stdin", stdin=CANARY)
    assert "rotated to key version 2" in ok("keys", "rotate", "--vault", pg_vault_url)
    assert "retired" in ok("keys", "retire", "1", "--vault", pg_vault_url)
    assert "(pg): 1 value(s) destroyed" in ok("sessions", "shred", "--name", "pg", "--vault", pg_vault_url)


# --- two live proxies on one PostgreSQL vault ------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.postgres
def test_a_token_revoked_with_the_cli_is_refused_by_two_running_proxies_on_their_next_call(
    pg_vault_url: str, veil_home: Path
) -> None:
    from mcp import Client, MCPError, StdioServerParameters

    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "VEIL_HOME": str(veil_home),
        "VEIL_MASTER_KEY": os.environ["VEIL_MASTER_KEY"],
    }
    params = StdioServerParameters(
        command=sys.executable,
        args=[
            "-m",
            "proxy",
            "run",
            "--vault",
            pg_vault_url,
            "--session",
            "team",
            "--",
            sys.executable,
            "-m",
            "examples.echo_server",
        ],
        env=env,
        cwd=str(ROOT),
    )

    def text(result: Any) -> str:
        return "".join(getattr(c, "text", "") for c in result.content)

    async def scenario() -> None:
        async with Client(params, mode="legacy") as a, Client(params, mode="legacy") as b:
            who = json.loads(text(await a.call_tool("whoami", {})))
            email = who["email"]
            assert email.startswith("[[EMAIL_ADDRESS:")
            for client in (a, b):  # both proxies resume the named session: the token works in both
                echoed = await client.call_tool("echo", {"text": f"write to {email}"})
                assert not echoed.is_error and email in text(echoed)
            result = await anyio.to_thread.run_sync(
                lambda: veil("tokens", "revoke", "--vault", pg_vault_url, email)
            )
            assert result.exit_code == 0 and "revoked 1" in result.stdout, result.output
            for client in (a, b):
                with pytest.raises(MCPError, match="revoked"):
                    await client.call_tool("echo", {"text": f"write to {email}"})
            still = await b.call_tool("echo", {"text": "no tokens here"})
            assert not still.is_error

    async def bounded() -> None:
        with anyio.fail_after(90):
            await scenario()

    anyio.run(bounded)


def test_shredding_from_the_cli_leaves_no_trace_of_the_value_in_the_sqlite_files(
    vault: Vault, desk: Any, veil_home: Path
) -> None:
    from sqlalchemy import select

    from vault.models import Session, Token

    db = veil_home / "vault.db"
    with vault.engine.connect() as conn:
        secrets_on_disk = [*conn.execute(select(Token.ciphertext)).scalars()]
        secrets_on_disk.append(conn.execute(select(Session.wrapped_dek)).scalar_one())
    vault.close()  # the proxy has gone; the database files are all there is

    def files() -> bytes:
        return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists())

    assert CANARY.encode() not in files()  # only ciphertext was ever written
    assert all(s in files() for s in secrets_on_disk)  # the check below can see them
    ok("sessions", "shred", "--name", "desk")
    assert not any(s in files() for s in secrets_on_disk)
    assert CANARY.encode() not in files() and b"Jane Miller" not in files()
    assert json.loads(ok("sessions", "show", "desk", "--json"))["state"] == "shredded"


def test_an_interrupted_keys_rotate_resumes_on_the_next_run(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.progress import Progress

    for _ in range(3):
        vault.open_session(ctx=CTX)
    update = Progress.update

    def interrupt_after_one(self: Progress, task: Any, **kw: Any) -> None:
        if kw.get("completed") == 1:
            raise KeyboardInterrupt
        update(self, task, **kw)

    monkeypatch.setattr(Progress, "update", interrupt_after_one)
    first = veil("keys", "rotate", "--batch-size", "1")
    assert first.exit_code == 130 and "run `veil keys rotate` again to resume" in first.stderr
    monkeypatch.setattr(Progress, "update", update)
    assert [r["rotating"] for r in json_lines(ok("keys", "status", "--json"))] == [False, True]
    out = ok("keys", "rotate")
    assert out.strip() == "resumed rotation to key version 2: 2 session key(s) rewrapped"
    assert [r["sessions"] for r in json_lines(ok("keys", "status", "--json"))] == [0, 3]
