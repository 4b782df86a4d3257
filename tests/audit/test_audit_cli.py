"""`veil audit`: verify, checkpoint, query (filters, formats, paging, --value-stdin), stats, prune, and the
errors a compliance user meets."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from audit_story import CUSTOMER_ID
from click.testing import Result

Veil = Callable[..., Result]
Story = tuple[Path, dict[str, Any]]


def events(result: Result) -> list[str]:
    return [json.loads(line)["event"] for line in result.stdout.splitlines()]


def test_verify_on_an_empty_log_succeeds_and_says_so(veil_home: Path, veil: Veil) -> None:
    assert veil("db", "upgrade").exit_code == 0
    result = veil("audit", "verify")
    assert result.exit_code == 0 and "audit log is empty" in result.stdout


def test_verify_without_a_vault_is_a_clear_error(veil_home: Path, veil: Veil) -> None:
    result = veil("audit", "verify")
    assert result.exit_code == 1 and "no vault at" in result.stderr


def test_verify_reports_the_rows_and_head(seeded_home: Story, veil: Veil) -> None:
    result = veil("audit", "verify")
    assert result.exit_code == 0
    assert result.stdout.startswith("audit chain OK: 25 rows verified (seq 1–25), head 25:")


def test_an_edited_row_fails_verify_loudly_naming_its_seq(seeded_home: Story, veil: Veil) -> None:
    home, _ = seeded_home
    with sqlite3.connect(home / "vault.db") as db:
        db.execute("UPDATE audit_events SET actor = 'os:mallory' WHERE seq = 24")
    result = veil("audit", "verify")
    assert result.exit_code == 1
    assert "audit chain BROKEN at seq 24: the row was altered (23 rows before it verified)" in result.stderr
    assert veil("audit", "checkpoint").exit_code == 1  # no head of a broken chain is handed out


def test_a_corrupted_row_fails_verify_but_query_returns_every_other_row(
    seeded_home: Story, veil: Veil
) -> None:
    home, _ = seeded_home
    with sqlite3.connect(home / "vault.db") as db:
        db.execute("UPDATE audit_events SET time = 'garbage' WHERE seq = 11")
    bad = veil("audit", "verify")
    assert bad.exit_code == 1 and "seq 11: the row is corrupted" in bad.stderr
    rows = veil("audit", "query", "--json")
    assert rows.exit_code == 0 and len(rows.stdout.splitlines()) == 25
    assert "row seq 11 is corrupted (time)" in rows.stderr
    table = veil("audit", "query", "--event", "token-detokenized")
    assert table.exit_code == 0 and "garbage" in table.stdout


def test_checkpoint_then_verify_against_it_catches_a_truncated_tail(seeded_home: Story, veil: Veil) -> None:
    home, _ = seeded_home
    cp = veil("audit", "checkpoint").stdout.strip()
    assert cp.startswith("25:") and len(cp) == 3 + 64
    ok = veil("audit", "verify", "--checkpoint", cp)
    assert ok.exit_code == 0 and "checkpoint 25 matches" in ok.stdout
    with sqlite3.connect(home / "vault.db") as db:
        db.execute("DELETE FROM audit_events WHERE seq > 20")
        db.execute("UPDATE audit_head SET seq = 20, hash = (SELECT hash FROM audit_events WHERE seq = 20)")
    assert veil("audit", "verify").exit_code == 0
    bad = veil("audit", "verify", "--checkpoint", cp)
    assert bad.exit_code == 1 and "BROKEN at seq 21" in bad.stderr and "removed from the tail" in bad.stderr


def test_a_malformed_checkpoint_is_a_usage_error(seeded_home: Story, veil: Veil) -> None:
    result = veil("audit", "verify", "--checkpoint", "25-abc")
    assert result.exit_code == 2 and "expected SEQ:HASH" in result.stderr


def test_query_is_newest_first_by_default_and_oldest_first_on_request(seeded_home: Story, veil: Veil) -> None:
    newest = [json.loads(line)["seq"] for line in veil("audit", "query", "--json").stdout.splitlines()]
    assert newest == list(range(25, 0, -1))
    oldest = veil("audit", "query", "--json", "--oldest-first", "--limit", "3").stdout.splitlines()
    assert [json.loads(line)["seq"] for line in oldest] == [1, 2, 3]


def test_query_filters_narrow_the_rows(seeded_home: Story, veil: Veil) -> None:
    _, story = seeded_home
    q: Callable[..., list[str]] = lambda *a: events(veil("audit", "query", "--json", *a))  # noqa: E731
    assert q("--event", "token-revoked") == ["token-revoked"]
    assert set(q("--event", "token-*")) == {"token-created", "token-detokenized", "token-revoked"}
    assert q("--outcome", "blocked") == ["message-blocked"]
    assert q("--tool", "update_contact", "--event", "token-detokenized") == ["token-detokenized"] * 2
    assert set(q("--backend", "search-console-mcp")) >= {"detokenize-refused", "message-blocked"}
    assert q("--session", story["review"], "--event", "session-opened") == ["session-opened"]
    assert q("--session", "sc-review") == q("--session", story["review"])
    assert q("--entity-type", "PHONE_NUMBER") == ["token-created"]
    assert q("--token", story["tokens"][2]) == ["token-revoked", "token-detokenized", "token-created"]
    assert q("--since", "2026-11-23T10:00:00Z") == ["session-shredded", "token-revoked"]
    assert q("--since", "2026-11-23T09:41", "--until", "2026-11-23T09:42") == [
        "call-completed", "tokenize-summary", "token-created", "session-opened",
    ]  # fmt: skip
    assert q("--since", "24h") == []  # the story happened in 2026-11-23, long before "now" minus a day


def test_paging_by_offset_and_cursor_covers_every_row_once(seeded_home: Story, veil: Veil) -> None:
    first = veil("audit", "query", "--json", "--limit", "10")
    assert "more rows may follow: add --cursor 16" in first.stderr
    second = veil("audit", "query", "--json", "--limit", "10", "--cursor", "16")
    by_offset = veil("audit", "query", "--json", "--limit", "10", "--offset", "10")
    assert second.stdout == by_offset.stdout
    seqs = [json.loads(line)["seq"] for line in second.stdout.splitlines()]
    assert seqs == list(range(15, 5, -1))


def test_csv_output_has_a_header_and_one_line_per_row(seeded_home: Story, veil: Veil) -> None:
    rows = list(
        csv.DictReader(io.StringIO(veil("audit", "query", "--csv", "--event", "tokenize-summary").stdout))
    )
    assert len(rows) == 3 and rows[0]["event"] == "tokenize-summary"
    assert json.loads(rows[0]["detail"]) == {"PERSON": 1}
    assert rows[0]["session_name"] == "sc-review"


def test_value_stdin_finds_the_sessions_that_saw_a_value(seeded_home: Story, veil: Veil) -> None:
    result = veil("audit", "query", "--json", "--value-stdin", "--entity-type", "GOOGLE_ADS_CUSTOMER_ID",
                  stdin=CUSTOMER_ID + "\n")  # fmt: skip
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {(r["session_name"], r["event"]) for r in rows} == {
        ("acme-monday", "token-created"), ("acme-monday", "token-detokenized"),
        ("sc-review", "detokenize-refused"),
    }  # fmt: skip
    assert "searched in 2 sessions; 1 shredded" in result.stderr
    assert CUSTOMER_ID not in result.stdout + result.stderr
    untyped = veil("audit", "query", "--json", "--value-stdin", stdin=CUSTOMER_ID)
    assert untyped.stdout == result.stdout
    assert veil("audit", "query", "--json", "--value-stdin", stdin="999-999-9999").stdout == ""


def test_value_stdin_needs_a_value_and_the_right_master_key(
    seeded_home: Story, veil: Veil, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = veil("audit", "query", "--value-stdin", stdin="")
    assert empty.exit_code == 2 and "stdin is empty" in empty.stderr
    monkeypatch.setenv("VEIL_MASTER_KEY", "b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktb3RoZXI=")
    wrong = veil("audit", "query", "--value-stdin", stdin=CUSTOMER_ID)
    assert wrong.exit_code == 1 and "master key" in wrong.stderr and CUSTOMER_ID not in wrong.stderr


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (("--since", "last tuesday"), "invalid time 'last tuesday': use an ISO 8601 time"),
        (("--until", "2026-13-45"), "invalid time '2026-13-45'"),
        (("--event", "aproval-*"), "valid events: approval-denied, approval-expired, approval-granted"),
        (("--event", "token-creatd"), "unknown event 'token-creatd'"),
        (("--outcome", "maybe"), "'maybe' is not one of 'blocked', 'error', 'ok', 'refused'"),
        (("--entity-type", "email"), "upper-case letters"),
        (("--json", "--csv"), "choose one of --json and --csv"),
        (("--limit", "-1"), "-1 is not in the range x>=0"),
    ],
)
def test_malformed_filters_are_usage_errors_listing_what_is_valid(
    seeded_home: Story, veil: Veil, args: tuple[str, ...], expect: str
) -> None:
    result = veil("audit", "query", *args)
    assert result.exit_code == 2, result.output
    assert expect in result.stderr


def test_stats_summarize_each_tool_and_backend(seeded_home: Story, veil: Veil) -> None:
    rows = {
        (r["tool"], r["backend"]): r
        for r in map(json.loads, veil("audit", "stats", "--json").stdout.splitlines())
    }
    listing = rows[("list_accessible_customers", "google-ads-mcp")]
    assert listing["tokenized"] == {
        "ACCOUNT_NAME": 1,
        "EMAIL_ADDRESS": 1,
        "GOOGLE_ADS_CUSTOMER_ID": 2,
        "PHONE_NUMBER": 1,
    }
    assert (listing["calls"], listing["replaced"]) == (1, 6)
    assert listing["p50_ms"] == pytest.approx(41.2, rel=0.05)  # read from 10%-wide buckets
    assert rows[("update_contact", "google-ads-mcp")]["detokenized"] == 2
    sc = rows[("search_analytics", "search-console-mcp")]
    assert (sc["calls"], sc["refused"], sc["blocked"]) == (2, 2, 1)
    assert (sc["p50_ms"], sc["p95_ms"]) == (pytest.approx(1.4, rel=0.05), pytest.approx(612, rel=0.05))
    table = veil("audit", "stats")
    assert table.exit_code == 0 and "search_analytics" in table.stdout


def test_prune_keeps_the_chain_verifiable_and_is_itself_audited(seeded_home: Story, veil: Veil) -> None:
    result = veil("audit", "prune", "--before", "2026-11-23T09:40:00Z")
    assert result.exit_code == 0 and "pruned 15 rows; the kept chain starts at seq 16" in result.stdout
    verify = veil("audit", "verify")
    assert verify.exit_code == 0 and "11 rows verified (seq 16–26)" in verify.stdout
    [pruned] = [
        json.loads(line)
        for line in veil("audit", "query", "--json", "--event", "audit-pruned").stdout.splitlines()
    ]
    assert pruned["count"] == 15 and pruned["actor"].startswith("os:")


def test_prune_refuses_a_chain_that_does_not_verify(seeded_home: Story, veil: Veil) -> None:
    home, _ = seeded_home
    with sqlite3.connect(home / "vault.db") as db:
        db.execute("UPDATE audit_events SET reason = 'x' WHERE seq = 3")
    result = veil("audit", "prune", "--before", "2026-11-24")
    assert result.exit_code == 1 and "refusing to prune" in result.stderr
    assert "BROKEN at seq 3" in veil("audit", "verify").stderr  # the evidence is still there


def test_an_outdated_schema_is_a_clear_error(veil_home: Path, veil: Veil) -> None:
    veil_home.mkdir(parents=True)
    sqlite3.connect(veil_home / "vault.db").close()
    result = veil("audit", "query")
    assert result.exit_code == 1 and "veil db upgrade" in result.stderr


def test_every_command_works_on_both_engines(
    vault_url: str,
    vault: Any,
    clock: Any,
    master: Any,
    veil_home: Path,
    veil: Veil,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import base64

    from audit_story import seed

    story = seed(vault, clock)
    monkeypatch.setenv("VEIL_MASTER_KEY", base64.b64encode(master.secret).decode())
    at = ("--vault", vault_url)
    assert "25 rows verified" in veil("audit", "verify", *at).stdout
    cp = veil("audit", "checkpoint", *at).stdout.strip()
    found = veil("audit", "query", *at, "--json", "--value-stdin", stdin=CUSTOMER_ID)
    assert {json.loads(line)["session_id"] for line in found.stdout.splitlines()} == {
        story["monday"], story["review"],
    }  # fmt: skip
    refused = veil(
        "audit", "query", *at, "--json", "--event", "detokenize-refused", "--event", "message-blocked"
    )
    assert [json.loads(line)["seq"] for line in refused.stdout.splitlines()] == [23, 22, 20]
    assert "search_analytics" in veil("audit", "stats", *at).stdout
    assert "pruned 15 rows" in veil("audit", "prune", *at, "--before", "2026-11-23T09:40Z").stdout
    assert veil("audit", "verify", *at, "--checkpoint", cp).exit_code == 0
