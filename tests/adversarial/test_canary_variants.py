"""Canaries hidden the ways a backend can hide them (see canary_variants.py for what is required and why),
through the real tokenize stage and a real SQLite vault: zero reach the client.

`VEIL_CANARY_CASES` sets the number of cases (CI: every variant with every canary, 200 in all; `make soak`
runs 10,000).
"""

from __future__ import annotations

import json

import pytest
from adv_harness import CANARIES, leaks_in, size, tally
from canary_variants import cases, client_view

from proxy.filters import Direction, Flow, chains

N = size(200, 10_000, "VEIL_CANARY_CASES")


@pytest.fixture
def session(engine):
    s = engine.open_session(backend="canaries", actor="test")
    yield s
    s.close()


def to_client(session, result, tool="crm_lookup"):
    flow = Flow(Direction.TO_CLIENT, session, result, "response", "tools/call", tool)
    for stage in chains()[Direction.TO_CLIENT]:
        stage(flow)
    return flow.payload


def test_no_canary_reaches_the_client_wherever_the_backend_hides_it(session):
    leaks: list[tuple[str, str]] = []
    tried = 0
    for name, result, hidden in cases(N):
        out = to_client(session, result)
        tried += len(hidden)
        leaks += [(name, c) for c in leaks_in(client_view(out), hidden)]
    tally(canaries=tried, leaks=len(leaks))
    assert leaks == []


def test_a_value_under_a_personal_data_key_keeps_its_patched_embedded_json(session):
    """Regression (found by the stream fuzzer): a key that is itself personal data, holding JSON inside
    text that also needed patching, got its old key written back with the patched text."""
    text = json.dumps({"+44 20 7946 0321": json.dumps({"inner": json.dumps({"1": "203.0.113.77"})})})
    out = to_client(session, {"content": [{"type": "text", "text": text}]})
    record = json.loads(out["content"][0]["text"])
    assert len(record) == 1 and leaks_in(client_view(out)) == []
    [(key, value)] = record.items()
    assert key.startswith("[[PHONE_NUMBER:") and "[[IP_ADDRESS:" in value


@pytest.mark.parametrize("joiner", ["\u200b", "\u200d", "\ufeff", "\u2060"])
def test_an_invisible_character_glued_to_a_value_does_not_hide_it(session, joiner):
    values = [c for c in CANARIES if not c.startswith("customers/")]
    text = " ".join(f"{joiner}{c}{joiner}" for c in values)
    out = to_client(session, {"content": [{"type": "text", "text": text}]})
    assert leaks_in(client_view(out), values) == []


def test_a_value_split_across_content_blocks_never_reaches_the_client_whole(session):
    """Not required: fragments (a bare local part, a bare domain) are not personal data alone and pass.
    What is pinned: no single string the client receives holds the whole value."""
    result = {
        "content": [
            {"type": "text", "text": "reply to jane.miller"},
            {"type": "text", "text": "@acme-plumbing.example"},
        ]
    }
    out = to_client(session, result)
    assert all("jane.miller@acme-plumbing.example" not in block["text"] for block in out["content"])


def test_a_whole_value_in_one_block_is_replaced_even_when_another_block_splits_it(session):
    result = {
        "content": [
            {"type": "text", "text": "jane.miller@"},
            {"type": "text", "text": "acme-plumbing.example wrote from jane.miller@acme-plumbing.example"},
        ]
    }
    out = to_client(session, result)
    assert "jane.miller@acme-plumbing.example" not in client_view(out)
