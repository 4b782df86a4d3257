"""What every class test asserts, and the hypothesis settings they share."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

from tests.classes.case import Case
from tests.classes.harness import ChainHarness, Outcome

# Seeded and deterministic; no shrinking (a leaking case is described value-free in the assertion, and
# shrinking a class that leaks everywhere would cost minutes). VEIL_CLASSES_SCALE scales every test.
_BASE = settings(
    derandomize=True,
    database=None,
    deadline=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=(HealthCheck.too_slow, HealthCheck.function_scoped_fixture),
)

_SCALE = float(os.environ.get("VEIL_CLASSES_SCALE", "1"))


def class_settings(max_examples: int) -> settings:
    return settings(_BASE, max_examples=max(1, int(max_examples * _SCALE)))


def assert_clean(outcome: Outcome) -> None:
    """No planted value readable by the client, no must-survive string changed."""
    assert not outcome.leaked, f"leak: {outcome.summary()}"
    assert not outcome.altered, f"over-redaction: {outcome.summary()}"


def assert_no_leak(chain: ChainHarness, case: Case) -> None:
    assert_clean(chain.run(case))
