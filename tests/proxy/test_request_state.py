"""`requestState` sealing (`proxy.request_state`) through the real filter chains: a backend's state leaves
as ciphertext bound to the session and backend, comes back as the backend's exact bytes, and anything else
— another session's state, another backend's, an altered or invented one — refuses the request."""

from __future__ import annotations

import base64
import json
import os
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

from proxy.errors import InvalidMessage
from proxy.filters import Direction, Flow, chains
from proxy.request_state import PREFIX

STATE = '{"email": "jane.miller@acme-plumbing.example", "n": 4155550134, "x": "caf\\u00e9\t"}'


@pytest.fixture(scope="module")
def engine() -> Iterator[Any]:
    home = tempfile.mkdtemp(prefix="veil-state-")
    old = {k: os.environ.get(k) for k in ("VEIL_HOME", "VEIL_MASTER_KEY")}
    os.environ["VEIL_HOME"] = home
    os.environ["VEIL_MASTER_KEY"] = base64.b64encode(os.urandom(32)).decode()
    from proxy.config import Settings
    from proxy.wiring import Assembly

    eng = Assembly.load(Settings.resolve())
    yield eng
    eng.vault.close()
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def run(session: Any, direction: Direction, payload: Any, kind: str, backend: str | None = None) -> Any:
    flow = Flow(direction, session, payload, kind, "tools/call", "update_contact")
    flow.backend = backend
    for stage in chains()[direction]:
        stage(flow)
    return flow.payload


def input_required(state: str = STATE) -> dict[str, Any]:
    ask = {"mode": "form", "message": "Update jane.miller@acme-plumbing.example?", "requestedSchema": {}}
    return {
        "resultType": "input_required",
        "inputRequests": {"confirm": {"method": "elicitation/create", "params": ask}},
        "requestState": state,
    }


def retry(state: Any) -> dict[str, Any]:
    return {"name": "update_contact", "arguments": {}, "requestState": state}


def test_the_client_gets_a_sealed_state_and_tokenized_input_requests(engine):
    session = engine.open_session(backend="b", actor="test")
    out = run(session, Direction.TO_CLIENT, input_required(), "response")
    sealed = out["requestState"]
    assert sealed.startswith(PREFIX) and "jane" not in json.dumps(out) and "4155550134" not in sealed
    assert out["inputRequests"]["confirm"]["params"]["message"].startswith("Update [[EMAIL_ADDRESS:")
    assert out["resultType"] == "input_required"


def test_the_backend_gets_its_state_back_byte_for_byte(engine):
    session = engine.open_session(backend="b", actor="test")
    sealed = run(session, Direction.TO_CLIENT, input_required(), "response")["requestState"]
    assert run(session, Direction.TO_BACKEND, retry(sealed), "request")["requestState"] == STATE


def test_the_same_state_sealed_twice_looks_different_to_the_client(engine):
    session = engine.open_session(backend="b", actor="test")
    one = run(session, Direction.TO_CLIENT, input_required(), "response")["requestState"]
    two = run(session, Direction.TO_CLIENT, input_required(), "response")["requestState"]
    assert one != two  # a fresh nonce each time: equal states are not linkable


def test_a_state_from_another_session_is_refused(engine):
    alice = engine.open_session(backend="b", actor="test")
    bob = engine.open_session(backend="b", actor="test")
    sealed = run(alice, Direction.TO_CLIENT, input_required(), "response")["requestState"]
    with pytest.raises(InvalidMessage, match="not issued by mcp-veil in this session") as err:
        run(bob, Direction.TO_BACKEND, retry(sealed), "request")
    assert "jane" not in str(err.value) and sealed not in str(err.value)


def test_a_state_sealed_for_one_backend_is_refused_by_another(engine):
    session = engine.open_session(backend="b", actor="test")
    sealed = run(session, Direction.TO_CLIENT, input_required(), "response", backend="crm")["requestState"]
    assert (
        run(session, Direction.TO_BACKEND, retry(sealed), "request", backend="crm")["requestState"] == STATE
    )
    with pytest.raises(InvalidMessage):
        run(session, Direction.TO_BACKEND, retry(sealed), "request", backend="mail")


@pytest.mark.parametrize("forged", ["plain backend text", PREFIX + "AAAA", PREFIX + "!!", 42, None, ""])
def test_an_invented_state_is_refused(engine, forged):
    session = engine.open_session(backend="b", actor="test")
    with pytest.raises(InvalidMessage):
        run(session, Direction.TO_BACKEND, retry(forged), "request")


@pytest.mark.parametrize("where", ["first", "middle", "last"])
@pytest.mark.parametrize("by", [1, 2, 32])
def test_a_state_altered_by_one_character_is_refused(engine, where, by):
    """Anywhere in the sealed body, also in a last character's unused bits (`A` and `B` can decode alike)."""
    session = engine.open_session(backend="b", actor="test")
    sealed = run(session, Direction.TO_CLIENT, input_required(), "response")["requestState"]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    at = {"first": len(PREFIX), "middle": (len(PREFIX) + len(sealed)) // 2, "last": len(sealed) - 1}[where]
    other = alphabet[(alphabet.index(sealed[at]) ^ by) % 64]
    with pytest.raises(InvalidMessage):
        run(session, Direction.TO_BACKEND, retry(sealed[:at] + other + sealed[at + 1 :]), "request")


def test_a_request_without_a_state_passes_untouched(engine):
    session = engine.open_session(backend="b", actor="test")
    params = {"name": "update_contact", "arguments": {"id": "c-1"}}
    assert run(session, Direction.TO_BACKEND, dict(params), "request") == params
