"""`veil wrap` and `veil unwrap`: put the proxy in front of every server of an MCP client's config.

Without a FILE, the usual places of Claude Desktop, Claude Code, Cursor and VS Code are searched. Each
change is shown as a unified diff (stdout) before the file is written; the file is backed up beside itself
first (`FILE.veil-backup-<time>`, owner-only). `--dry-run` shows the diff and writes nothing.
"""

from __future__ import annotations

import difflib
import os
import shutil
import sys
from pathlib import Path

import click

from proxy.config import data_dir
from proxy.wrap import edit, locations
from proxy.wrap.jsonc import JsoncError


def _files(given: tuple[str, ...]) -> list[Path]:
    if given:
        return [Path(p) for p in given]
    found = locations.found(Path.home(), Path.cwd(), os.environ)
    if not found:
        looked = "\n  ".join(str(p) for p in locations.candidates(Path.home(), Path.cwd(), os.environ))
        raise click.ClickException(f"no MCP client config found (give its path); looked at:\n  {looked}")
    return found


def _default_veil() -> str:
    """The absolute path of `veil`: desktop clients do not start servers with the shell's PATH."""
    me = Path(sys.argv[0])
    if me.name == "veil" and me.is_file():
        return str(me.resolve())
    return shutil.which("veil") or "veil"


def _show(config: Path, old: str, new: str, label: str) -> None:
    diff = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), str(config), f"{config} ({label})"
    )
    for line in diff:
        click.echo(line, nl=not line.endswith("\n"))


def _read(config: Path) -> str:
    try:
        return edit.read_text(config)
    except OSError as exc:
        raise click.ClickException(f"cannot read {config}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise click.ClickException(f"{config} is not UTF-8 text") from None


dry_run_option = click.option("--dry-run", is_flag=True, help="Show the diff only; write nothing.")
server_option = click.option(
    "--server", "only", multiple=True, metavar="NAME", help="Only this server (repeatable; default: all)."
)


@click.command("wrap")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@dry_run_option
@server_option
@click.option("--veil", "veil_path", metavar="PATH", help="The veil command to write (default: this one).")
def wrap(files: tuple[str, ...], dry_run: bool, only: tuple[str, ...], veil_path: str | None) -> None:
    """Put `veil run` in front of every server of MCP client configs (FILE…, or the usual places).

    \b
    stdio servers:  "command": "npx", "args": [...]   ->  veil run [--policy P] -- npx ...
    HTTP servers:   "url": URL, "headers": {...}      ->  veil run --url URL --header 'Name: ${VAR}'
    A server's env stays in the config; its variable names go into a generated policy
    ($VEIL_HOME/wrap/policies/) so they pass the proxy's scrubbed environment. Run it again: wrapped servers
    are left alone. `veil unwrap` puts every server back.
    """
    wrap_dir = data_dir() / "wrap"
    veil = veil_path or _default_veil()
    state = edit.WrapState(wrap_dir)
    for config in _files(files):
        old = _read(config)
        try:
            out = edit.wrap(old, config, veil, wrap_dir, only)
        except JsoncError as exc:
            raise click.ClickException(f"{config}: not JSON: {exc}") from None
        _finish(config, old, out, "wrapped", dry_run)
        if dry_run or out.text == old:
            continue
        for path, text in out.policies.items():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            click.echo(f"policy for its env: {path}", err=True)
        state.update(config, out.records, [])


@click.command("unwrap")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@dry_run_option
@server_option
def unwrap(files: tuple[str, ...], dry_run: bool, only: tuple[str, ...]) -> None:
    """Take `veil run` away from the servers `veil wrap` put it in front of (FILE…, or the usual places).

    An entry as wrap left it gets its original text back exactly; one edited since is rebuilt from its
    arguments (the note says which)."""
    wrap_dir = data_dir() / "wrap"
    state = edit.WrapState(wrap_dir)
    for config in _files(files):
        old = _read(config)
        try:
            out = edit.unwrap(old, config, state.for_config(config), wrap_dir, only)
        except JsoncError as exc:
            raise click.ClickException(f"{config}: not JSON: {exc}") from None
        _finish(config, old, out, "unwrapped", dry_run)
        if dry_run or out.text == old:
            continue
        state.update(config, {}, out.used)
        for path in out.removed_policies:
            path.unlink(missing_ok=True)


def _finish(config: Path, old: str, out: edit.Outcome, label: str, dry_run: bool) -> None:
    for note in out.notes:
        click.echo(f"{config}: {note}", err=True)
    if out.text == old:
        click.echo(f"{config}: nothing to change", err=True)
        return
    _show(config, old, out.text, label)
    if dry_run:
        click.echo(f"{config}: dry run, nothing written", err=True)
        return
    saved = edit.backup(config)
    edit.replace_text(config, out.text)
    click.echo(f"{config}: {label} (backup: {saved})", err=True)
