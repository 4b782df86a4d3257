"""Class: a budget's summary is new text no detector judged; it carries no identifier and is scanned.

Generators: rows whose identifier column (a key naming no quantity) holds identifier-sized numbers, and rows
whose metric column sums to a personal number (a Luhn-valid card, or a value the session knows). The summary
must carry none of them, through the real to-client chain with a budget on.
"""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

import mcp.types as types
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.budget import summarize
from proxy.filters import Direction, Flow, chains
from proxy.policy import Budget
from tests.classes.judge import leaked
from tests.classes.planting import Planted, digits_needle, luhn_complete

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def budgeted(engine: Any) -> Any:
    """`budgeted(rows)`: the summary the client receives for a result of these rows (100 shown at most)."""
    session = engine.open_session(backend="budget-numbers", actor="test")

    def run(rows: list[Any]) -> Any:
        engine.policy.budget = Budget(5, 10**9, timedelta(minutes=5))
        try:
            payload = {"content": [], "structuredContent": {"rows": copy.deepcopy(rows)}}
            flow = Flow(Direction.TO_CLIENT, session, payload, "response", "tools/call", "report")
            for stage in chains()[Direction.TO_CLIENT]:
                stage(flow)
        finally:
            engine.policy.budget = None
        types.CallToolResult.model_validate(flow.payload)
        note = flow.payload["content"][-1]["text"]
        return json.loads(note.split("Summary: ", 1)[1])

    return run


@given(
    st.sampled_from(["ref", "id", "accountRef", "x", "orderNo", "member"]),
    st.lists(st.integers(1_000_000, 10**12), min_size=2, max_size=30),
)
def test_an_identifier_column_gets_no_sum_and_no_extreme(key: str, ids: list[int]) -> None:
    summary = summarize([{key: i, "clicks": 1} for i in ids])
    text = json.dumps(summary)
    assert all(str(i) not in text and f"{float(i)}" not in text for i in ids)
    assert summary["columns"][key] == {"distinct": len(set(ids))}
    assert summary["columns"]["clicks"]["sum"] == len(ids)  # metrics keep their totals


def test_a_metric_column_that_sums_to_a_card_number_is_not_summed_into_the_note(budgeted: Any) -> None:
    @SETTINGS
    @given(st.data())
    def check(data: Any) -> None:
        prefix = data.draw(st.sampled_from(["4", "51", "55"]))
        body = prefix + "".join(str(data.draw(st.integers(0, 9))) for _ in range(15 - len(prefix)))
        card = luhn_complete(body)
        parts = data.draw(st.lists(st.integers(1, int(card) // 8), min_size=5, max_size=9))
        parts.append(int(card) - sum(parts))
        rows = [{"query": f"q{i}", "costMicros": p} for i, p in enumerate(parts)]
        summary = budgeted(rows)
        assert not leaked([Planted("card", card, digits_needle(card))], summary)

    check()
