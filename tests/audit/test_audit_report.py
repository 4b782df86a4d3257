"""`veil audit report` on the seeded story (plus a key rotation and approvals): it counts what the log
holds, carries no value, says when the chain is broken, and its HTML draws its charts in headless
Chromium with no error and no request beyond the file itself."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from audit_story import CANARIES, START
from chromium import CHROMIUM, Chromium
from click.testing import Result

from proxy.report.svg import PALETTE
from vault import audit
from vault.audit import AuditContext
from vault.audit.report import gather
from vault.clock import FrozenClock
from vault.keys import load_master_key
from vault.store import Vault, create_vault_engine

SINCE = (START - timedelta(days=1)).isoformat()
UNTIL = (START + timedelta(days=3)).isoformat()


@pytest.fixture
def story_home(seeded_home: tuple[Path, dict[str, Any]], veil: Callable[..., Result]) -> Path:
    """The story, a `veil keys rotate`, and an approval granted and one denied on the next day."""
    home, _ = seeded_home
    assert veil("keys", "rotate").exit_code == 0
    clock = FrozenClock(START + timedelta(days=1))
    vault = Vault.open(f"sqlite:///{home / 'vault.db'}", load_master_key(home), clock=clock)
    try:
        ctx = AuditContext("os:alice", "google-ads-mcp", "to-backend", "tools/call", "update_budget")
        s = vault.open_session(name="approvals", ctx=ctx)
        s.record(
            [
                audit.ApprovalRequested.of(ctx, session_id=s.session_id, reason="elicitation", approval="a1"),
                audit.ApprovalGranted.of(ctx, session_id=s.session_id, reason="accept", approval="a1"),
                audit.ApprovalRequested.of(ctx, session_id=s.session_id, reason="elicitation", approval="a2"),
                audit.ApprovalDenied.of(
                    ctx, session_id=s.session_id, outcome="refused", reason="decline", approval="a2"
                ),
            ]
        )
    finally:
        vault.close()
    return home


def test_the_report_counts_what_the_audit_log_holds(story_home: Path) -> None:
    engine = create_vault_engine(f"sqlite:///{story_home / 'vault.db'}")
    try:
        data = gather(engine, since=START - timedelta(days=1), until=None, now=datetime.now(UTC))
    finally:
        engine.dispose()
    assert data.chain.ok and data.chain.rows_checked > 20
    assert data.tokenized_by_type == {
        "GOOGLE_ADS_CUSTOMER_ID": 2, "ACCOUNT_NAME": 1, "EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1, "PERSON": 1,
    }  # fmt: skip
    assert list(data.tokenized_by_day) == [START.date()]
    assert data.detokenized_by_tool == {"get_campaign_metrics": 1, "update_contact": 2}
    assert data.refusals[("detokenize-refused", "foreign-session")] == 1
    assert data.refusals[("message-blocked", "message-too-large")] == 1
    assert data.refusals[("approval-denied", "decline")] == 1
    assert data.revocations == {"EMAIL_ADDRESS": 1}
    assert data.shreds and data.shredded_tokens == 1
    assert data.approvals == {"requested": 2, "granted": 1, "denied": 1}
    assert [k.event for k in data.key_events] == ["key-version-created", "key-rotated"]


def test_a_report_for_one_backend_leaves_the_others_out(story_home: Path) -> None:
    engine = create_vault_engine(f"sqlite:///{story_home / 'vault.db'}")
    try:
        data = gather(engine, since=None, until=None, now=datetime.now(UTC), backend="search-console-mcp")
    finally:
        engine.dispose()
    assert data.tokenized_by_type == {"PERSON": 1}
    assert not data.detokenized_by_tool and set(data.backends) == {"search-console-mcp"}


def test_html_and_markdown_are_written_with_every_section_and_no_value(
    story_home: Path, veil: Callable[..., Result], tmp_path: Path
) -> None:
    html, md = tmp_path / "report.html", tmp_path / "report.md"
    result = veil(
        "audit", "report", "--since", SINCE, "--until", UNTIL, "--html", str(html), "--markdown", str(md)
    )
    assert result.exit_code == 0, result.output
    page, text = html.read_text(), md.read_text()
    headings = ("Values tokenized per entity type", "Detokenizations per tool", "Refusals and why",
                "Revocations and expiries", "Sessions shredded", "Approvals", "Key versions")  # fmt: skip
    for heading in headings:
        assert heading in page and f"## {heading}" in text
    assert "Audit hash chain" in page and "**OK:" in text and "| update_contact | 2 |" in text
    assert (
        page.count("<svg") == 4
        and "<script" not in page
        and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    )
    for value in CANARIES.values():
        assert value not in page and value not in text and value not in result.output


def test_markdown_goes_to_stdout_with_a_dash(story_home: Path, veil: Callable[..., Result]) -> None:
    result = veil("audit", "report", "--since", SINCE, "--markdown", "-")
    assert result.exit_code == 0 and result.stdout.startswith("# mcp-veil compliance report")


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        ((), "--html FILE and/or --markdown FILE"),
        (("--until", "2020-01-01", "--markdown", "-"), "ends before"),
    ],
)
def test_a_report_without_an_output_or_with_an_empty_period_is_refused(
    story_home: Path, veil: Callable[..., Result], args: tuple[str, ...], complaint: str
) -> None:
    result = veil("audit", "report", *args)
    assert result.exit_code == 2 and complaint in result.output


def test_a_tampered_log_is_reported_broken_and_the_command_fails(
    story_home: Path, veil: Callable[..., Result], tmp_path: Path
) -> None:
    with sqlite3.connect(story_home / "vault.db") as db:
        db.execute("UPDATE audit_events SET actor = 'os:mallory' WHERE seq = 12")
    html = tmp_path / "report.html"
    result = veil("audit", "report", "--since", SINCE, "--html", str(html))
    assert result.exit_code == 1 and "audit chain BROKEN at seq 12" in result.output
    assert "class='chain broken'" in html.read_text() and "BROKEN at seq 12" in html.read_text()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_the_html_report_renders_its_charts_in_headless_chromium_without_errors(
    story_home: Path, veil: Callable[..., Result], tmp_path: Path
) -> None:
    from PIL import Image

    html = tmp_path / "report.html"
    assert veil("audit", "report", "--since", SINCE, "--until", UNTIL, "--html", str(html)).exit_code == 0
    with Chromium() as browser:
        browser.open(html)
        charts = browser.boxes("svg.chart")
        bars = browser.boxes("svg.chart rect.bar")
        chain = browser.boxes("#chain")
        shots = [browser.screenshot(box) for box in charts]
        (tmp_path / "report.png").write_bytes(
            browser.screenshot({"x": 0, "y": 0, "width": 1100, "height": 900})
        )
    assert browser.page.errors == []
    assert browser.page.requests == [html.resolve().as_uri()]  # nothing fetched but the file
    assert len(charts) == 4 and all(b["width"] > 300 and b["height"] > 40 for b in charts)
    assert len(bars) >= 3 + 2 + 3 + 2  # types stacked in one day, two tools, three reasons, two outcomes
    assert chain and chain[0]["height"] > 10
    bar_colors = {tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in PALETTE}
    for png in shots:  # each chart's own pixels: bars drawn in the palette's colors, not an empty frame
        image = Image.open(io.BytesIO(png)).convert("RGB")
        colors = image.getcolors(maxcolors=1 << 16) or []
        bars_painted = sum(n for n, rgb in colors if rgb in bar_colors)
        assert bars_painted > 0.03 * image.width * image.height, "a chart drew no bars"


def test_the_figures_are_the_same_on_sqlite_and_postgresql(vault_url: str) -> None:
    from vault import migrate

    engine = create_vault_engine(vault_url)
    try:
        migrate.upgrade(engine)
        clock = FrozenClock(START)
        ctx = AuditContext("os:a", "crm", "to-client", "tools/call", "get_contact")
        back = AuditContext("os:a", "crm", "to-backend", "tools/call", "send_mail")
        for day in range(3):
            with engine.begin() as conn:
                audit.append(
                    conn,
                    [
                        audit.TokenCreated.of(
                            ctx,
                            session_id="s",
                            entity_type="PERSON",
                            token=f"[[PERSON:{'a' * 15}{'bcd'[day]}]]",
                        ),
                        audit.TokenDetokenized.of(back, session_id="s", entity_type="PERSON", count=day + 1),
                        audit.DetokenizeRefused.of(back, session_id="s", outcome="refused", reason="revoked"),
                    ],
                    clock,
                )
            clock.advance(timedelta(days=1))
        data = gather(engine, since=START, until=START + timedelta(days=2), now=START + timedelta(days=3))
    finally:
        engine.dispose()
    assert data.chain.ok and data.chain.rows_checked == 9
    assert {d.isoformat(): dict(c) for d, c in data.tokenized_by_day.items()} == {
        START.date().isoformat(): {"PERSON": 1},
        (START + timedelta(days=1)).date().isoformat(): {"PERSON": 1},
    }
    assert data.detokenized_by_tool == {"send_mail": 3} and data.refusals == {
        ("detokenize-refused", "revoked"): 2
    }
