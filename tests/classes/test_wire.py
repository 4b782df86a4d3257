"""A sample of every class, and values in message ids and method names, through a real `veil run`."""

from __future__ import annotations

from random import Random

import pytest

from tests.classes.catalog import CLASSES, seeded
from tests.classes.wire import envelope, run_veil

pytestmark = pytest.mark.e2e


def test_a_sample_of_every_class_through_a_real_veil_run_leaks_nothing() -> None:
    cases = [c for cls in sorted(CLASSES) for c in seeded(cls, 6, seed=7)]
    rng = Random(7)
    cases += [envelope(rng) for _ in range(6)]
    outcomes = run_veil(cases)
    assert len(outcomes) >= len(cases) - 6  # initialize cases beyond the first are left out
    bad = [o.summary() for o in outcomes if o.leaked or o.altered]
    assert bad == []
