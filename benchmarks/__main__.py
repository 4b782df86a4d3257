"""Run every benchmark and print one table. `python -m benchmarks [--quick]`."""

from __future__ import annotations

import importlib
import sys

from rich.console import Console
from rich.table import Table


def main() -> None:
    quick = "--quick" in sys.argv
    from benchmarks import proxy_bench

    sections: list[tuple[str, list[tuple[str, float, str]]]] = [
        ("proxy: small call", proxy_bench.small_call(200 if quick else 1000)),
        ("proxy: 25,000-row Search Console response", proxy_bench.large_response()),
        ("proxy: 25,000-row Google Ads-shaped report (distinct ids)", proxy_bench.ads_response()),
    ]
    from benchmarks import startup_bench

    sections.append(
        ("start to initialize result (veil run vs the bare backend)", startup_bench.run(3 if quick else 7))
    )
    for name, module in (
        ("http", "benchmarks.http_bench"),
        ("vault", "benchmarks.vault_bench"),
        ("audit", "benchmarks.audit_bench"),
    ):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError:
            continue
        sections.append((name, mod.run()))

    console = Console()
    for title, rows in sections:
        table = Table(title=title, title_justify="left")
        table.add_column("measure")
        table.add_column("value", justify="right")
        table.add_column("unit")
        for measure, value, unit in rows:
            table.add_row(measure, f"{value:,.2f}", unit)
        console.print(table)
    console.print("[dim]Ratios are from this run on this machine; absolute times vary with load.[/]")


if __name__ == "__main__":
    main()
