"""Adversarial suite fixtures: the proxy engine and in-memory relay of tests/proxy, reused as they are."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.proxy.conftest import engine, proxied

__all__ = ["engine", "proxied"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
