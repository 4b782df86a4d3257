"""Zero structured-PII leaks on a seeded corpus, through the real tokenize stage and a real vault."""

import json
import os

import pytest

from proxy.filters import Direction, Flow, chains
from tests.corpus import make_corpus

N = int(os.environ.get("VEIL_CORPUS_SIZE", "400"))


@pytest.fixture
def session(engine):
    return engine.open_session(backend="corpus", actor="test")


def test_no_canary_reaches_the_client_in_a_seeded_corpus(session):
    chain = chains()[Direction.TO_CLIENT]
    leaks: list[tuple[int, str, str]] = []
    for i, case in enumerate(make_corpus(N)):
        flow = Flow(Direction.TO_CLIENT, session, case.result, "response", "tools/call", "crm_lookup")
        for stage in chain:
            stage(flow)
        out = json.dumps(flow.payload, ensure_ascii=False)
        leaks.extend((i, kind, value) for value, kind in case.canaries.items() if value in out)
    assert leaks == []


def test_numbers_and_enums_in_the_corpus_come_through_unchanged(session):
    case = make_corpus(1, seed=99)[0]
    record = case.result.get("structuredContent") or json.loads(
        case.result["content"][-1].get("text") or "{}"
    )
    flow = Flow(Direction.TO_CLIENT, session, case.result, "response", "tools/call", "crm_lookup")
    for stage in chains()[Direction.TO_CLIENT]:
        stage(flow)
    if "structuredContent" in flow.payload:
        out = flow.payload["structuredContent"]
        assert (
            out["status"] == record["status"]
            and out["clicks"] == record["clicks"]
            and out["id"] == record["id"]
        )
