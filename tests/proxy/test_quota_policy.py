"""Quotas in policy files: `quota: {per: day|hour, calls: N}` or `rows: N`, per tool pattern or backend."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from proxy.errors import PolicyError
from proxy.filters.quota import crossed, exceeded, rows_of
from proxy.policy import Quota, load_policy
from vault.quotas import QuotaUse, window_of


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"version: 1\nname: {name}\n{body}")
    return path


def test_a_tool_pattern_quota_and_a_backend_quota_both_govern_a_matching_call(tmp_path):
    policy = load_policy(
        [
            write(
                tmp_path,
                "q",
                "quota: {per: day, calls: 1000}\ntools:\n  'search_*':\n    quota: {per: hour, rows: 50}\n",
            )
        ]
    )
    assert policy.quotas_for("search_ads") == [
        Quota("backend", "day", "calls", 1000),
        Quota("tool:search_*", "hour", "rows", 50),
    ]
    assert policy.quotas_for("list_accounts") == [Quota("backend", "day", "calls", 1000)]


def test_a_later_file_replaces_a_tool_quota_and_keeps_the_other_options(tmp_path):
    first = write(tmp_path, "a", "tools:\n  get:\n    quota: {per: day, calls: 5}\n    rate_per_minute: 10\n")
    second = write(tmp_path, "b", "tools:\n  get:\n    quota: {per: hour, calls: 2}\n")
    policy = load_policy([first, second])
    assert policy.quotas_for("get") == [Quota("tool:get", "hour", "calls", 2)]
    assert policy.call_limits("get").rate_per_minute == 10


@pytest.mark.parametrize(
    ("quota", "error"),
    [
        ("{per: day, calls: 5, rows: 5}", "exactly one of 'calls' or 'rows'"),
        ("{per: day}", "exactly one of 'calls' or 'rows'"),
        ("{per: week, calls: 5}", "per"),
        ("{per: day, calls: 0}", "calls"),
        ("{per: day, calls: 5, tokens: 3}", "tokens"),
    ],
)
def test_a_malformed_quota_is_refused_naming_the_file_and_option(tmp_path, quota, error):
    path = write(tmp_path, "bad", f"tools:\n  get:\n    quota: {quota}\n")
    with pytest.raises(PolicyError, match=error) as err:
        load_policy([path])
    assert "bad.yaml" in str(err.value)


def test_the_warning_fires_once_when_use_crosses_eighty_percent():
    assert [n for n in range(1, 11) if crossed(n - 1, n, 10)] == [8]
    assert crossed(6, 12, 10) and not crossed(8, 9, 10)


def test_the_refusal_names_the_quota_its_reset_and_how_to_raise_it():
    start, reset = window_of("hour", datetime(2026, 12, 6, 14, 30, tzinfo=UTC))
    use = QuotaUse("google-ads", "tool:search_*", "hour", "calls", 100, 100, start, reset)
    exc = exceeded(use)
    assert exc.message.startswith(
        "mcp-veil: quota 'tool:search_*' of backend 'google-ads' (100 calls per hour)"
    )
    assert "used up (100 of 100)" in exc.message and "it resets at 2026-12-06T15:00:00Z" in exc.message
    assert "`tools: {'search_*': {quota: {per: hour, calls: N}}}`" in exc.message
    assert exc.data is not None and exc.data["resets_at"] == "2026-12-06T15:00:00Z"
    assert reset == start.replace(hour=15)


def test_rows_are_the_largest_list_of_the_structured_result_or_of_json_text():
    assert rows_of({"structuredContent": {"rows": [1, 2, 3], "meta": [1]}}) == 3
    assert rows_of({"content": [{"type": "text", "text": '{"results": [{"a": 1}, {"a": 2}]}'}]}) == 2
    assert rows_of({"content": [{"type": "text", "text": "no rows here"}]}) == 0
