"""Task ids bound to the session and backend that created them (`proxy.filters.task_binding`), through the
real filter chains; task results fetched later are scanned like any result."""

from __future__ import annotations

import json
from typing import Any

import pytest

from proxy.errors import InvalidMessage
from proxy.filters import Direction, Flow, chains
from tests.proxy.test_request_state import engine  # noqa: F401  (the module's vault and detectors)

EMAIL = "jane.miller@acme-plumbing.example"


def run(session: Any, direction: Direction, payload: Any, kind: str, method: str, backend: str = "b") -> Any:
    flow = Flow(direction, session, payload, kind, method, "slow_tool")
    flow.backend = backend
    for stage in chains()[direction]:
        stage(flow)
    return flow.payload


def created(session: Any, task_id: str, backend: str = "b") -> None:
    task = {"taskId": task_id, "status": "working", "createdAt": "2026-12-06T00:00:00Z", "ttl": 60000}
    run(session, Direction.TO_CLIENT, {"task": task}, "response", "tools/call", backend)


def test_a_task_created_in_this_session_can_be_polled_and_fetched(engine):  # noqa: F811
    session = engine.open_session(backend="b", actor="test")
    created(session, "task-1")
    for method in ("tasks/get", "tasks/result", "tasks/cancel", "tasks/update"):
        assert (
            run(session, Direction.TO_BACKEND, {"taskId": "task-1"}, "request", method)["taskId"] == "task-1"
        )


def test_another_sessions_task_id_is_refused_before_it_reaches_the_backend(engine):  # noqa: F811
    alice = engine.open_session(backend="b", actor="test")
    bob = engine.open_session(backend="b", actor="test")
    created(alice, "task-of-alice")
    for method in ("tasks/get", "tasks/result", "tasks/cancel", "tasks/update"):
        with pytest.raises(InvalidMessage, match="not created in this session"):
            run(bob, Direction.TO_BACKEND, {"taskId": "task-of-alice"}, "request", method)


def test_a_task_id_from_another_backend_or_none_at_all_is_refused(engine):  # noqa: F811
    session = engine.open_session(backend="b", actor="test")
    created(session, "t-9", backend="crm")
    with pytest.raises(InvalidMessage):
        run(session, Direction.TO_BACKEND, {"taskId": "t-9"}, "request", "tasks/get", backend="mail")
    with pytest.raises(InvalidMessage):
        run(session, Direction.TO_BACKEND, {}, "request", "tasks/result")


def test_a_task_list_shows_only_this_sessions_tasks(engine):  # noqa: F811
    session = engine.open_session(backend="b", actor="test")
    created(session, "mine")
    listed = {"tasks": [{"taskId": "mine", "status": "completed"}, {"taskId": "theirs", "status": "working"}]}
    out = run(session, Direction.TO_CLIENT, listed, "response", "tasks/list")
    assert [t["taskId"] for t in out["tasks"]] == ["mine"]


def test_a_task_result_fetched_later_is_tokenized_like_any_result(engine):  # noqa: F811
    session = engine.open_session(backend="b", actor="test")
    created(session, "t-1")
    result = {"content": [{"type": "text", "text": f"Wrote to {EMAIL}"}], "isError": False}
    out = run(session, Direction.TO_CLIENT, result, "response", "tasks/result")
    status = {"taskId": "t-1", "status": "failed", "statusMessage": f"bounce from {EMAIL}"}
    polled = run(session, Direction.TO_CLIENT, status, "response", "tasks/get")
    assert EMAIL not in json.dumps(out) + json.dumps(polled) and "[[EMAIL_ADDRESS:" in json.dumps(polled)
