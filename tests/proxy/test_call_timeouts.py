"""The per-call timeout: 30 s by default, raised per tool by the shipped Google packs, overridden per tool."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proxy.policy import load_policy

_TOOL = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)


@given(_TOOL)
def test_a_tool_no_pack_names_times_out_after_30_seconds_by_default(tool):
    if "search" in tool:  # the packs' report/search tools are raised; see below
        return
    assert load_policy().call_limits(tool).timeout_seconds == 30


@pytest.mark.parametrize(
    "tool",
    ["search", "google_ads_search_stream", "list_campaigns", "search_analytics_query", "sc_search_analytics"],
)
def test_the_google_packs_give_report_and_search_tools_two_minutes(tool):
    assert load_policy().call_limits(tool).timeout_seconds == 120


def test_a_tool_timeout_replaces_the_default_and_the_strictest_matching_pattern_holds(
    tmp_path: Path,
):
    p = tmp_path / "p.yaml"
    p.write_text(
        "version: 1\nname: p\nlimits: {call_timeout_seconds: 10}\n"
        "tools:\n  'slow_*': {timeout_seconds: 300}\n  'slow_fast*': {timeout_seconds: 2}\n"
    )
    policy = load_policy([p])
    assert policy.call_limits("other").timeout_seconds == 10
    assert policy.call_limits("slow_report").timeout_seconds == 300
    assert policy.call_limits("slow_fast_one").timeout_seconds == 2
