"""Waiting in tests for something to happen: poll a condition with a deadline instead of sleeping a fixed
time, so a test is as fast as the machine allows, and on a loaded machine it waits longer instead of
asserting on a state that had not been reached yet."""

from __future__ import annotations

import time
from collections.abc import Callable

import anyio

TIMEOUT = 10.0
INTERVAL = 0.01


async def wait_until(
    predicate: Callable[[], object], timeout: float = TIMEOUT, interval: float = INTERVAL
) -> None:
    """Return once `predicate()` is true, the event loop running meanwhile; AssertionError after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            name = getattr(predicate, "__qualname__", repr(predicate))
            raise AssertionError(f"still not true after {timeout} s: {name}")
        await anyio.sleep(interval)
