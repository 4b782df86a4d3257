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
