"""Tasks: a task id is bound to the session and backend that created it.

A task-augmented request (2025-11-25, and the 2026-07-28 tasks extension) answers with a task id; its
result is fetched later (`tasks/get`, `tasks/result`, `tasks/list`, `tasks/update`, `tasks/cancel`). Those
results are scanned like any result (they pass the same to-client filters). What this module adds is the
binding: behind `veil serve` several sessions may share one backend, and a task id guessed or copied from
another session would fetch that session's results — tokenized for the asker, but still another person's
data. So the proxy learns each task id from the result that created it (`LearnTaskIds`, first toward the
client: the backend's real id, before any scan), refuses a task request naming an id this session did not
get from that backend (`BoundTaskIds`, last toward the backend: the real id, after detokenize), and keeps a
`tasks/list` result to the session's own tasks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from proxy.errors import InvalidMessage
from proxy.filters.flow import Flow

if TYPE_CHECKING:
    from proxy.session import ProxySession

TASK_METHODS = frozenset({"tasks/get", "tasks/result", "tasks/cancel", "tasks/update"})
_MAX_TASKS = 10_000  # per session; the oldest are forgotten first

_known: WeakKeyDictionary[ProxySession, dict[tuple[str, str], None]] = WeakKeyDictionary()


def _ids(session: ProxySession) -> dict[tuple[str, str], None]:
    ids = _known.get(session)
    if ids is None:
        ids = _known[session] = {}
    return ids


def _task_id(node: Any) -> str | None:
    task_id = node.get("taskId") if type(node) is dict else None
    return task_id if type(task_id) is str else None


class LearnTaskIds:
    def __call__(self, flow: Flow) -> None:
        payload = flow.payload
        if flow.kind != "response" or type(payload) is not dict:
            return
        backend = flow.backend or ""
        if (task_id := _task_id(payload.get("task"))) is not None:  # a task was created
            ids = _ids(flow.session)
            ids[(backend, task_id)] = None
            while len(ids) > _MAX_TASKS:
                del ids[next(iter(ids))]
        elif flow.method == "tasks/list" and type(tasks := payload.get("tasks")) is list:
            ids = _ids(flow.session)
            kept = [t for t in tasks if (backend, _task_id(t)) in ids]
            if len(kept) != len(tasks):
                payload["tasks"] = kept
                flow.changed = True


class BoundTaskIds:
    def __call__(self, flow: Flow) -> None:
        if flow.kind != "request" or flow.method not in TASK_METHODS:
            return
        task_id = _task_id(flow.payload)
        if task_id is None or (flow.backend or "", task_id) not in _ids(flow.session):
            raise InvalidMessage(
                "mcp-veil refused this request: the task was not created in this session by this backend",
                data={"reason": "unknown-task"},
            )
