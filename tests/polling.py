"""Waiting in tests for something to happen: poll a condition with a deadline instead of sleeping a fixed
time, so a test is as fast as the machine allows and fails with a clear message when it is slow to happen
rather than asserting on a state that a loaded machine had not reached yet."""

from __future__ import annotations

import time
from collections.abc import Callable

import anyio

TIMEOUT = 10.0
INTERVAL = 0.01


def wait_until(predicate: Callable[[], object], timeout: float = TIMEOUT, interval: float = INTERVAL) -> None:
    """Return once `predicate()` is true; AssertionError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s: {_name(predicate)}")
        time.sleep(interval)


async def until(
    predicate: Callable[[], object], timeout: float = TIMEOUT, interval: float = INTERVAL
) -> None:
    """`wait_until` inside an event loop: the loop keeps running while the condition is polled."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s: {_name(predicate)}")
        await anyio.sleep(interval)


def _name(predicate: Callable[[], object]) -> str:
    return getattr(predicate, "__qualname__", repr(predicate))
