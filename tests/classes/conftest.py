"""One default-install engine and session for the whole class suite (loading Presidio once)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.classes.harness import ChainHarness, default_engine


@pytest.fixture(scope="session")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChainHarness]:
    engine = default_engine(tmp_path_factory.mktemp("veil-classes"))
    yield ChainHarness(engine)
    engine.vault.close()


@pytest.fixture(scope="module")
def fresh(chain: ChainHarness) -> ChainHarness:
    """A session of the test module's own: a value another class's session learnt (one learns the phone
    `1000000000`) is found wherever it appears again as a known value, by design, and would read as this
    class's leak or over-redaction."""
    return ChainHarness(chain.engine)
