"""`veil audit report`: the compliance report for a period, as one self-contained HTML file and/or
Markdown. It needs only the database (no master key) and reads only the audit log, so it is value-free."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from proxy.cli.common import TIME, TIME_HELP, vault_options
from vault.clock import SYSTEM_CLOCK

DEFAULT_SINCE = "30d"


@click.command("report")
@vault_options
@click.option(
    "--since", type=TIME, default=DEFAULT_SINCE, show_default=True, help=f"Period start: {TIME_HELP}."
)
@click.option("--until", type=TIME, help="Period end (same forms as --since); default now.")
@click.option("--backend", metavar="NAME", help="Only this backend's rows (its label, as in `audit query`).")
@click.option("--session", "session_ref", metavar="ID|NAME", help="Only this session's rows.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), help="Write HTML here.")
@click.option(
    "--markdown",
    "md_path",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write Markdown here ('-' for stdout).",
)
def report_cmd(
    vault: str | None,
    since: datetime,
    until: datetime | None,
    backend: str | None,
    session_ref: str | None,
    html_path: Path | None,
    md_path: Path | None,
) -> None:
    """A compliance report: values tokenized per entity type over time, detokenizations per tool,
    refusals and why, revocations, shreds, approvals, key versions, and the hash chain's verification.

    Exits non-zero (after writing the report, which says so) when the audit chain is broken.
    """
    from proxy.cli.audit_cmds import _engine
    from proxy.report import render_html, render_markdown
    from vault import audit
    from vault.audit.report import gather

    if html_path is None and md_path is None:
        raise click.UsageError("say where to write it: --html FILE and/or --markdown FILE (or -)")
    if until is not None and until <= since:
        raise click.BadParameter("the period ends before it starts", param_hint="--until")
    with _engine(vault) as engine:
        session_id = audit.resolve_session(engine, session_ref) if session_ref else None
        data = gather(
            engine, since=since, until=until, now=SYSTEM_CLOCK.now(), backend=backend, session_id=session_id
        )
    written = []
    for path, text in ((html_path, render_html), (md_path, render_markdown)):
        if path is None:
            continue
        if str(path) == "-":
            click.echo(text(data), nl=False)
            continue
        try:
            path.write_text(text(data), encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write {path}: {exc.strerror}") from None
        written.append(str(path))
    if written:
        click.echo(f"report written: {', '.join(written)} ({data.rows_read} audit rows)", err=True)
    if not data.chain.ok:
        raise click.ClickException(
            f"audit chain BROKEN at seq {data.chain.first_bad_seq}: {data.chain.problem} (the report says so)"
        )
