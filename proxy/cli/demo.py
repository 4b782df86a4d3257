"""`veil demo`: the proxy on its embedded defaults in front of the bundled example backend.

It starts `veil run` exactly as an MCP client would (a subprocess over stdio), makes a few calls a model
would make — list accounts, fetch campaigns by the token it was shown, query search analytics — and shows,
side by side, what the backend sent, what the model saw, and what the backend received back.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import anyio
import click
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from vault.tokens import TOKEN_RE

REPO_ROOT = Path(__file__).resolve().parents[2]


@click.command()
@click.option("--home", type=click.Path(file_okay=False), help="Data dir to use (default: a temporary one).")
def demo(home: str | None) -> None:
    """Show what the model sees through mcp-veil, on fake agency data."""
    console = Console()
    with tempfile.TemporaryDirectory(prefix="veil-demo-") as tmp:
        veil_home = Path(home) if home else Path(tmp) / "veil"
        trace = Path(tmp) / "backend-trace.jsonl"
        try:
            steps = anyio.run(_drive, veil_home, trace)
        except Exception as exc:
            raise click.ClickException(f"demo failed: {type(exc).__name__}: {exc}") from None
        backend_log = [json.loads(line) for line in trace.read_text().splitlines() if line.strip()]
    _render(console, steps, backend_log, veil_home)


async def _drive(veil_home: Path, trace: Path) -> list[tuple[str, dict[str, Any], Any]]:
    from mcp import Client, StdioServerParameters

    # The example backend lives in the repository's examples/ (google-ads ships a top-level `examples`
    # package too: the repository root goes first on the path).
    env = {
        **os.environ,
        "VEIL_HOME": str(veil_home),
        "VEIL_EXAMPLE_TRACE": str(trace),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("VEIL_VAULT_URL", None)
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "proxy", "run", "--", sys.executable, "-m", "examples.ads_console_server"],
        env=env,
        cwd=str(REPO_ROOT),
    )
    steps: list[tuple[str, dict[str, Any], Any]] = []
    async with Client(params, mode="legacy") as client:

        async def call(tool: str, args: dict[str, Any]) -> Any:
            result = await client.call_tool(tool, args)
            data = result.structured_content
            if data is None:
                text = "".join(getattr(c, "text", "") for c in result.content)
                try:
                    data = json.loads(text)
                except ValueError:
                    data = text
            steps.append((tool, args, data))
            return data

        accounts = await call("list_accounts", {})
        client_account = next(a for a in _rows(accounts) if not a.get("manager"))
        customer_token = client_account["customerId"]
        await call("list_campaigns", {"customer_id": customer_token})
        sites = await call("list_sites", {})
        site_token = _rows(sites)[0]["siteUrl"]
        await call(
            "search_analytics",
            {"site_url": site_token, "start_date": "2026-10-01", "end_date": "2026-10-31", "row_limit": 5},
        )
    return steps


def _rows(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return data
    for value in data.values():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return value
    raise ValueError("unexpected result shape")


def _preview(value: Any) -> Any:
    """Lists cut to their first two items, so both columns fit a screen."""
    if isinstance(value, list):
        head = [_preview(v) for v in value[:2]]
        return head + ([f"… {len(value) - 2} more"] if len(value) > 2 else [])
    if isinstance(value, dict):
        return {k: _preview(v) for k, v in value.items()}
    return value


def _highlight(value: Any) -> Text:
    raw = json.dumps(_preview(value), indent=1, ensure_ascii=False)
    text = Text(raw)
    text.highlight_regex(TOKEN_RE.pattern, "bold green")
    return text


def _render(
    console: Console,
    steps: list[tuple[str, dict[str, Any], Any]],
    backend_log: list[dict[str, Any]],
    home: Path,
) -> None:
    console.print(
        Panel.fit(
            "[bold]mcp-veil demo[/]: example Google Ads / Search Console backend behind [cyan]veil run[/]\n"
            f"vault: SQLite under {home}",
            border_style="cyan",
        )
    )
    for i, (tool, args, seen) in enumerate(steps):
        received = backend_log[i] if i < len(backend_log) else {}
        table = Table(title=f"{i + 1}. {tool}", expand=True, show_lines=False)
        table.add_column("model called with", ratio=1)
        table.add_column("backend received", ratio=1)
        table.add_row(_highlight(args), _highlight(received.get("arguments")))
        console.print(table)
        table = Table(expand=True)
        table.add_column("backend sent", ratio=1)
        table.add_column("model saw", ratio=1)
        table.add_row(_highlight(received.get("result")), _highlight(seen))
        console.print(table)
    console.print(
        "[green]Every identifier the model saw is a token; every call reached the backend with real "
        "values.[/]  Inspect the vault: [cyan]veil tokens list[/] (with VEIL_HOME set as above)."
    )
