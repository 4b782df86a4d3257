"""`veil demo`: the proxy on its embedded defaults in front of the bundled example backend.

It starts `veil run` exactly as an MCP client would (a subprocess over stdio), makes a few calls a model
would make — list accounts, fetch campaigns by the token it was shown, query search analytics — and shows,
side by side, what the backend sent, what the model saw, and what the backend received back.
"""

from __future__ import annotations

import json
import os
import shlex
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

from proxy.shipped import EXAMPLES_ROOT
from vault.tokens import TOKEN_RE


@click.command()
@click.option(
    "--keep",
    "--home",
    "keep",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Keep the demo's vault in DIR (its VEIL_HOME) to inspect it afterwards; default: a temporary one.",
)
def demo(keep: str | None) -> None:
    """Show what the model sees through mcp-veil, on fake agency data."""
    console = Console()
    with tempfile.TemporaryDirectory(prefix="veil-demo-") as tmp:
        veil_home = Path(keep).resolve() if keep else Path(tmp) / "veil"
        traces = {name: Path(tmp) / f"{name}.jsonl" for name in BACKENDS}
        try:
            steps = anyio.run(_drive, veil_home, traces)
        except Exception as exc:
            raise click.ClickException(f"demo failed: {type(exc).__name__}: {exc}") from None
        logs = {
            name: [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
            for name, path in traces.items()
            if path.exists()
        }
    _render(console, steps, logs, veil_home if keep else None)


# The reference backends, each built on the library real servers use, offline on recorded-shape fixtures.
BACKENDS = {
    "google-ads": "examples.google_ads_server",
    "search-console": "examples.search_console_server",
}
Step = tuple[str, str, dict[str, Any], Any]  # backend, tool, arguments, what the model saw


async def _drive(veil_home: Path, traces: dict[str, Path]) -> list[Step]:
    from mcp import Client, StdioServerParameters

    steps: list[Step] = []
    for name, module in BACKENDS.items():
        # The example backends ship with the proxy (proxy/shipped.py finds them, installed or in a
        # checkout); google-ads installs a top-level `examples` package too, so ours goes first on the
        # path. Offline: no credentials are read. The cwd is a temporary directory: nothing depends on it.
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GOOGLE_")},
            "VEIL_HOME": str(veil_home),
            "VEIL_EXAMPLE_TRACE": str(traces[name]),
            "VEIL_EXAMPLE_MODE": "offline",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(EXAMPLES_ROOT), os.environ.get("PYTHONPATH")])),
        }
        env.pop("VEIL_VAULT_URL", None)
        params = StdioServerParameters(
            command=sys.executable,
            args=["-m", "proxy", "run", "--", sys.executable, "-m", module],
            env=env,
            cwd=str(traces[name].parent),
        )
        async with Client(params, mode="legacy") as client:

            async def call(tool: str, args: dict[str, Any], backend: str = name) -> Any:
                result = await client.call_tool(tool, args)
                data = result.structured_content
                if data is None:
                    text = "".join(getattr(c, "text", "") for c in result.content)
                    try:
                        data = json.loads(text)
                    except ValueError:
                        data = text
                steps.append((backend, tool, args, data))
                return data

            if name == "google-ads":
                accounts = await call("list_customer_clients", {})
                client_account = next(
                    r["customerClient"] for r in _rows(accounts) if not r["customerClient"].get("manager")
                )
                await call("list_campaigns", {"customer_id": client_account["id"]})
            else:
                sites = await call("list_sites", {})
                site = _rows(sites)[0]["siteUrl"]
                await call(
                    "search_analytics_query",
                    {"site_url": site, "start_date": "2026-10-01", "end_date": "2026-10-31", "row_limit": 5},
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
    console: Console, steps: list[Step], logs: dict[str, list[dict[str, Any]]], kept: Path | None
) -> None:
    where = f"SQLite under {kept} (kept)" if kept else "SQLite in a temporary directory, removed at the end"
    console.print(
        Panel.fit(
            "[bold]mcp-veil demo[/]: the Google Ads and Search Console reference backends behind "
            "[cyan]veil run[/]\n"
            f"vault: {where}",
            border_style="cyan",
        )
    )
    seen_per_backend: dict[str, int] = {}
    for i, (backend, tool, args, seen) in enumerate(steps):
        n = seen_per_backend.get(backend, 0)
        seen_per_backend[backend] = n + 1
        log = logs.get(backend, [])
        received = log[n] if n < len(log) else {}
        table = Table(title=f"{i + 1}. {backend}: {tool}", expand=True, show_lines=False)
        table.add_column("model called with", ratio=1)
        table.add_column("backend received", ratio=1)
        table.add_row(_highlight(args), _highlight(received.get("arguments")))
        console.print(table)
        table = Table(expand=True)
        table.add_column("backend sent", ratio=1)
        table.add_column("model saw", ratio=1)
        table.add_row(_highlight(received.get("result")), _highlight(seen))
        console.print(table)
    console.print(_closing(steps, kept))


def _closing(steps: list[Step], kept: Path | None) -> str:
    """The summary, computed from what was shown: which kinds of value the model saw as tokens, and what
    stayed readable on purpose."""
    seen = json.dumps([s[3] for s in steps], ensure_ascii=False)
    kinds = sorted({m.group(1) for m in TOKEN_RE.finditer(seen)})
    summary = (
        f"[green]The model saw tokens ({', '.join(kinds) or 'none'}) where the backends sent those values, "
        "and every call reached the backend with the real values.[/] The sites' own page URLs and the "
        "search queries stayed readable by design: they are the public pages the model is asked about, "
        "not personal data (policies/search-console.yaml says why)."
    )
    if kept is None:
        return summary + "\nThe vault was temporary: [cyan]veil demo --keep DIR[/] keeps it for inspection."
    env = f"VEIL_HOME={shlex.quote(str(kept))}"
    return summary + f"\nInspect the vault: [cyan]{env} veil tokens list[/], [cyan]{env} veil audit query[/]"
