"""API quota counts in the vault database (SQLite and PostgreSQL): exact under concurrency, per window."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from vault.clock import FrozenClock
from vault.keys import MasterKey
from vault.quotas import QuotaKey, current_quotas, window_of
from vault.store import Vault

KEY = QuotaKey("crm", "tool:search", "hour", "calls", 50)


def test_a_window_is_the_calendar_hour_or_day_in_utc_and_resets_at_its_end():
    now = datetime(2026, 3, 4, 15, 42, 7, tzinfo=UTC)
    hour = now.replace(minute=0, second=0)
    assert window_of("hour", now) == (hour, hour.replace(hour=16))
    assert window_of("day", now)[1] == datetime(2026, 3, 5, tzinfo=UTC)
    with pytest.raises(ValueError, match="hour or day"):
        window_of("week", now)


def test_calls_are_taken_up_to_the_limit_and_then_refused(vault: Vault):
    taken = [vault.take_quota(QuotaKey("crm", "backend", "day", "calls", 3)) for _ in range(5)]
    assert [ok for ok, _ in taken] == [True, True, True, False, False]
    assert [use.used for _, use in taken] == [1, 2, 3, 3, 3]


def test_threads_on_two_vault_handles_take_exactly_the_limit(vault_url: str, master: MasterKey):
    """Two Vault objects (two engines, as two processes have) and eight threads race for 50 calls."""
    clock = FrozenClock()
    handles = [Vault.open(vault_url, master, clock=clock) for _ in range(2)]
    results: list[bool] = []
    lock = threading.Lock()

    def worker(v: Vault) -> None:
        for _ in range(10):
            ok, _use = v.take_quota(KEY)
            with lock:
                results.append(ok)

    threads = [threading.Thread(target=worker, args=(handles[i % 2],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert results.count(True) == 50 and results.count(False) == 30
        assert handles[0].quota_use(KEY).used == 50
    finally:
        for v in handles:
            v.close()


def test_a_new_window_starts_from_zero_and_status_shows_only_current_windows(vault: Vault, clock):
    for _ in range(50):
        vault.take_quota(KEY)
    assert vault.take_quota(KEY)[0] is False
    clock.advance(timedelta(hours=1))
    ok, use = vault.take_quota(KEY)
    assert ok and use.used == 1 and use.resets_at == datetime(2026, 1, 1, 2, tzinfo=UTC)
    [current] = current_quotas(vault.engine, clock.now())
    assert (current.quota, current.used, current.limit) == ("tool:search", 1, 50)


def test_rows_are_added_whatever_the_limit_and_a_refund_gives_a_call_back(vault: Vault):
    rows = QuotaKey("crm", "backend", "day", "rows", 10)
    assert vault.add_quota(rows, 6).used == 6
    assert vault.add_quota(rows, 6).used == 12  # the rows were returned: counted even over the limit
    calls = QuotaKey("crm", "tool:create", "day", "calls", 1)
    assert vault.take_quota(calls)[0]
    assert vault.add_quota(calls, -1).used == 0
    assert vault.take_quota(calls)[0]
