"""logfmt lines on a backend's stderr, through what the stderr path uses (`StderrFilter` reading a pipe,
`redactor` with the default policy's detector), 150 seeded cases each (`logfmt_cases.py`).

Figures at the time of writing, before → after: keyed lines in one batch 6 → 0, each line alone 7 → 0,
lines cut at `MAX_LINE_CHARS` 3 → 0 (a bare value under a key rule's key: `keyed_text._BARE`); ordinary
metrics lines altered 3 → 0 (`bytes=4040659019`: an `=40` before a number is no quoted-printable `@`).
"""

from __future__ import annotations

from random import Random
from typing import Any

import pytest

from proxy.transports import backend_stderr
from proxy.transports.backend_stderr import MAX_LINE_CHARS, redactor
from tests.classes.logfmt_cases import cut_line, keyed_line, metrics_line, shown
from tests.proxy.test_backend_stderr_classes import _through, stderr_session

N = 150


@pytest.fixture(scope="module")
def session() -> Any:
    return stderr_session()


@pytest.fixture
def unhurried(monkeypatch: pytest.MonkeyPatch) -> None:
    """All cases arrive as one batch: the per-batch detection budget is not what these tests measure."""
    monkeypatch.setattr(backend_stderr, "DETECTION_SECONDS", 600.0)


def _leaks(cases: list[tuple[str, list[Any]]], written: list[str]) -> list[str]:
    assert len(written) == len(cases)
    return [
        out[-200:]
        for (_, values), out in zip(cases, written, strict=True)
        if any(shown(v, out) for v in values)
    ]


def test_a_logfmt_line_naming_values_by_key_rules_is_written_without_them(
    session: Any, unhurried: None
) -> None:
    rng = Random(20261295)
    keys = session.policy.rules_for_tool(None).keys
    cases = [keyed_line(rng, keys) for _ in range(N)]
    leaks = _leaks(cases, _through(redactor(session), [line for line, _ in cases]))
    assert leaks == [], f"{len(leaks)}/{N} logfmt lines keep a keyed value: {leaks[:3]}"


def test_each_logfmt_line_alone_in_its_batch_is_written_without_its_values(
    session: Any, unhurried: None
) -> None:
    rng = Random(20261296)
    keys = session.policy.rules_for_tool(None).keys
    cases = [keyed_line(rng, keys) for _ in range(N)]
    scrub = redactor(session)
    written = [_through(scrub, [line])[0] for line, _ in cases]
    leaks = _leaks(cases, written)
    assert leaks == [], f"{len(leaks)}/{N} logfmt lines keep a keyed value: {leaks[:3]}"


def test_a_logfmt_line_cut_at_the_limit_keeps_none_of_its_keyed_values(session: Any, unhurried: None) -> None:
    rng = Random(20261297)
    keys = session.policy.rules_for_tool(None).keys
    cases = [cut_line(rng, keys, MAX_LINE_CHARS) for _ in range(N)]
    assert all(len(line) > MAX_LINE_CHARS for line, _ in cases)
    leaks = _leaks(cases, _through(redactor(session), [line for line, _ in cases]))
    assert leaks == [], f"{len(leaks)}/{N} cut logfmt lines keep a keyed value: {leaks[:3]}"


def test_an_ordinary_logfmt_metrics_line_is_written_as_it_came(session: Any, unhurried: None) -> None:
    rng = Random(20261298)
    lines = [metrics_line(rng) for _ in range(N)]
    written = _through(redactor(session), lines)
    changed = [out for line, out in zip(lines, written, strict=True) if out != "[backend] " + line]
    assert changed == [], f"{len(changed)}/{N} metrics lines altered: {changed[:3]}"
