"""Push generated cases through the product's real to-client path and judge what the client receives.

`ChainHarness` runs the to-client stage chain (`chains()[Direction.TO_CLIENT]`) of an engine loaded as the
default install loads it (no extra policy), the way the relay runs it. `run_veil` (tests/classes/wire.py)
does the same through a real `python -m proxy run -- <hostile backend>` subprocess. Both give `Outcome`s.

A leak: a planted value (in any normalized or decoded view, case-insensitively) in what the client got.
Fail-closed: an error instead of the message (not a leak; counted). Over-redaction: a must-survive string
changed.
"""

from __future__ import annotations

import copy
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any

from tests.classes.case import Case, Survivor
from tests.classes.judge import leaked, leaves
from tests.classes.planting import Planted


@dataclass
class Outcome:
    case: Case
    received: list[Any]  # what the client got per message (None: the message was blocked)
    leaked: list[Planted] = field(default_factory=list)
    blocked: int = 0
    altered: list[Survivor] = field(default_factory=list)

    def summary(self) -> str:
        """Value-free: the class, kinds and hiding label of a case, and what went wrong."""
        bits = [self.case.describe()]
        if self.leaked:
            bits.append("leaked " + ",".join(sorted(p.kind for p in self.leaked)))
        if self.blocked:
            bits.append(f"{self.blocked} blocked")
        if self.altered:
            bits.append("altered " + ",".join(s.label for s in self.altered))
        return "; ".join(bits)


def judge(case: Case, received: list[Any]) -> Outcome:
    out = Outcome(case, received, blocked=sum(r is None for r in received))
    delivered = [r for r in received if r is not None]
    out.leaked = leaked(case.planted, delivered)
    if case.survivors:
        strings = [s for r in delivered for s in leaves(r)]
        out.altered = [s for s in case.survivors if not _survived(s, strings)]
    return out


def _survived(s: Survivor, strings: list[str]) -> bool:
    if s.gone is None:
        return any(s.text in t for t in strings)
    before, _, after = s.text.partition(s.gone)
    return any(
        before in t and after in t and t.index(before) + len(before) <= t.rindex(after) for t in strings
    )


def default_engine(home: Path | None = None) -> Any:
    """The engine a default install loads: shipped policies only, in its own data dir (the master key
    from the environment if set, else a key file created there, as on first use)."""
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    from proxy.config import Settings, default_vault_url
    from proxy.wiring import Assembly

    home = home or Path(tempfile.mkdtemp(prefix="veil-classes-"))
    return Assembly.load(Settings(home=home, vault_url=default_vault_url(home)))


class ChainHarness:
    """One session of a default engine; each case's messages go through the to-client chain in order
    (a later message sees what the session learnt from an earlier one)."""

    def __init__(self, engine: Any, backend: str = "classes") -> None:
        from proxy.filters import Direction, chains

        self.engine = engine
        # Each case is another backend's answer under one label: to tool pinning every new tools/list
        # would be a rug pull, hidden rather than scanned. Pinning has its own tests (tests/e2e).
        engine.policy.pin_tools = False
        self.session = engine.open_session(backend=backend, actor="classes")
        self.chain = chains()[Direction.TO_CLIENT]
        self._direction = Direction.TO_CLIENT

    def deliver(self, case: Case) -> list[Any]:
        from proxy.filters import Flow

        received: list[Any] = []
        for msg in case.messages:
            payload = copy.deepcopy(msg.payload)
            flow = Flow(self._direction, self.session, payload, msg.kind, msg.method, msg.tool)
            try:
                for stage in self.chain:
                    stage(flow)
            except Exception:
                received.append(None)
                continue
            received.append(flow.payload)
        return received

    def run(self, case: Case) -> Outcome:
        return judge(case, self.deliver(case))

    def run_seeded(self, build: Callable[[Random], Case], seed: int, n: int) -> list[Outcome]:
        """`n` cases of one generator from one seed, in this session."""
        rng = Random(seed)
        return [self.run(build(rng)) for _ in range(n)]

    def run_each(self, build: Callable[[Random], Case], seed: int, n: int) -> list[Outcome]:
        """`n` cases of one generator from one seed, a session each: a value one case tokenized would be
        found again in the next as the session's known value, which is that mechanism's doing, not the
        class's."""
        rng = Random(seed)
        return [ChainHarness(self.engine).run(build(rng)) for _ in range(n)]


def untouched(build: Callable[[Random], Case], seed: int, n: int) -> Iterator[Outcome]:
    """The yardstick: `n` cases judged on what they send, nothing tokenized (every planted value must show,
    every survivor stay)."""
    rng = Random(seed)
    for _ in range(n):
        case = build(rng)
        yield judge(case, [m.payload for m in case.messages])


@dataclass
class Tally:
    """Per-class figures: cases, planted values, leaked values, blocked messages, survivors altered."""

    cases: int = 0
    values: int = 0
    leaks: int = 0
    leaky_cases: int = 0
    blocked: int = 0
    survivors: int = 0
    altered: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    leaks_by_kind: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)  # hiding labels of leaky cases
    altered_labels: Counter[str] = field(default_factory=Counter)  # what the altered survivors were
    examples: list[str] = field(default_factory=list)

    def add(self, out: Outcome) -> None:
        self.cases += 1
        self.values += len(out.case.planted)
        self.leaks += len(out.leaked)
        self.leaky_cases += bool(out.leaked)
        self.blocked += out.blocked
        self.survivors += len(out.case.survivors)
        self.altered += len(out.altered)
        self.by_kind.update(p.kind for p in out.case.planted)
        self.leaks_by_kind.update(p.kind for p in out.leaked)
        self.altered_labels.update(s.label for s in out.altered)
        if out.leaked or out.altered:
            self.labels[":".join(out.case.label.split("@")[0].split(":")[:2])] += 1
            if len(self.examples) < 6:
                self.examples.append(out.summary())
