"""`make eval`, by class of input: leaks per class on the default install (no extra policy).

Every class of tests/classes (placement, numbers, normalized views, encoded layers, blobs, parser
differentials, known values laundered, names, over-redaction, and the control) is drawn from a seeded
generator and pushed through the product's to-client stage chain as the default install loads it; a
sample of every class, plus values in message ids and method names, also goes through a real
`python -m proxy run -- <hostile backend>` subprocess. A leak: a planted value readable by the client in
any normalized or decoded view. Seeded and deterministic; `VEIL_EVAL_CLASS_N` cases per class (default
600), `VEIL_EVAL_WIRE_N` per class through the subprocess (default 20; 0 skips it).

Run alone: `python -m benchmarks.eval_classes`.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from random import Random
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 20261204


def chain_tallies(n: int, seed: int = SEED) -> tuple[dict[str, Any], float]:
    from tests.classes.catalog import CLASSES, seeded
    from tests.classes.harness import ChainHarness, Tally, default_engine

    engine = default_engine()
    tallies: dict[str, Any] = {}
    t0 = time.perf_counter()
    for cls in CLASSES:
        # A session per class: values one class plants are known values for every later message of its
        # session (by design: a client's name in a URL is the client's name), which would read as another
        # class's over-redaction or hide its leaks.
        harness = ChainHarness(engine)
        tally = tallies[cls] = Tally()
        for case in seeded(cls, n, seed):
            tally.add(harness.run(case))
    engine.vault.close()
    return tallies, time.perf_counter() - t0


def wire_tallies(n: int, seed: int = SEED) -> tuple[dict[str, Any], float]:
    from tests.classes.catalog import CLASSES, seeded
    from tests.classes.harness import Tally
    from tests.classes.wire import envelope, run_veil

    rng = Random(seed)
    cases = [c for cls in CLASSES for c in seeded(cls, n, seed + 1)] + [envelope(rng) for _ in range(n)]
    t0 = time.perf_counter()
    tallies: dict[str, Any] = {}
    for out in run_veil(cases, timeout=600):
        tallies.setdefault(out.case.cls, Tally()).add(out)
    return tallies, time.perf_counter() - t0


def render(console: Any, title: str, tallies: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for col in (
        "class",
        "cases",
        "values",
        "leaked",
        "leak %",
        "leaky cases",
        "fail-closed",
        "over-redaction",
    ):
        table.add_column(col, justify="left" if col == "class" else "right")
    for cls, t in tallies.items():
        leak_pct = 100 * t.leaks / t.values if t.values else 0.0
        over = f"{100 * t.altered / t.survivors:.1f} % ({t.altered}/{t.survivors})" if t.survivors else "-"
        table.add_row(
            cls,
            f"{t.cases:,}",
            f"{t.values:,}",
            f"{t.leaks:,}",
            f"{leak_pct:.1f}",
            str(t.leaky_cases),
            str(t.blocked),
            over,
        )
    console.print(table)
    for cls, t in tallies.items():
        if t.leaks:
            kinds = ", ".join(f"{k} {v}/{t.by_kind[k]}" for k, v in sorted(t.leaks_by_kind.items()))
            labels = ", ".join(f"{k} {v}" for k, v in t.labels.most_common(8))
            console.print(f"  {cls}: leaked by kind: {kinds}; where/how: {labels}", soft_wrap=True)
        if t.altered:
            what = ", ".join(f"{k} {v}" for k, v in t.altered_labels.most_common())
            console.print(f"  {cls}: altered: {what}", soft_wrap=True)
    for cls in ("names-text", "names-fields"):
        t = tallies.get(cls)
        if t is not None and t.values:
            console.print(
                f"person names ({cls}) with the default install: recall {1 - t.leaks / t.values:.3f} "
                f"({t.values - t.leaks}/{t.values})"
            )


def bars_met(tallies: dict[str, Any]) -> bool:
    """Zero structured leaks in every class, ≤ 5 % of person names (DESIGN §6), nothing over-redacted."""
    for cls, t in tallies.items():
        if cls.startswith("names"):
            if t.values and t.leaks / t.values > 0.05:
                return False
        elif t.leaks or t.altered:
            return False
    return True


def report(console: Any) -> bool:
    n = int(os.environ.get("VEIL_EVAL_CLASS_N", "600"))
    wire_n = int(os.environ.get("VEIL_EVAL_WIRE_N", "20"))
    tallies, seconds = chain_tallies(n)
    render(
        console,
        f"leaks by class, default install, to-client chain ({n} cases per class, {seconds:.0f} s)",
        tallies,
    )
    ok = bars_met(tallies)
    if wire_n:
        wired, wire_seconds = wire_tallies(wire_n)
        render(
            console,
            f"the same classes through a real `veil run` ({wire_n} per class, {wire_seconds:.0f} s)",
            wired,
        )
        ok = ok and bars_met(wired)
    return ok


def main() -> None:
    from rich.console import Console

    console = Console(width=max(Console().width, 120))
    ok = report(console)
    console.print("[green]class bars met[/]" if ok else "[red]a class bar was missed[/]")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
