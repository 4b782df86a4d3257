"""The real to-client chain (Tokenize, Budget) on one engine shared by a module's tests."""

import base64
import json
import os
import tempfile
from collections.abc import Callable
from typing import Any

import pytest

from proxy.filters import Direction, Flow, chains

Through = Callable[..., str]


@pytest.fixture(scope="module")
def engine() -> Any:
    home = tempfile.mkdtemp(prefix="veil-scan-")
    old = {k: os.environ.get(k) for k in ("VEIL_HOME", "VEIL_MASTER_KEY")}
    os.environ["VEIL_HOME"] = home
    os.environ["VEIL_MASTER_KEY"] = base64.b64encode(os.urandom(32)).decode()
    from proxy.config import Settings
    from proxy.wiring import Assembly

    eng = Assembly.load(Settings.resolve())
    eng.policy.budget = None
    # Every example lists other tools under one backend label; pinning would hide them (its own tests:
    # tests/e2e/test_tool_pinning_run.py), and these tests are about what the scan does to them.
    eng.policy.pin_tools = False
    yield eng
    eng.vault.close()
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="module")
def through(engine: Any) -> Through:
    """`through(payload, method=..., kind=..., tool=...)`: the payload as the client would receive it."""
    session = engine.open_session(backend="scan-tests", actor="test")

    def run(
        payload: Any,
        method: str = "tools/call",
        kind: str = "response",
        tool: str | None = "any_tool",
        request_id: Any = None,
    ) -> str:
        flow = Flow(Direction.TO_CLIENT, session, payload, kind, method, tool)
        flow.request_id = request_id
        for stage in chains()[Direction.TO_CLIENT]:
            stage(flow)
        return json.dumps(flow.payload, ensure_ascii=False)

    return run
