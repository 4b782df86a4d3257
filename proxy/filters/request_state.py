"""The `requestState` filters (`proxy.request_state`): to the client, a result's state is sealed and held
out of scanning (`HoldRequestState`, first) and put back after it (`ReturnHeld`, after tokenize); to the
backend, a request's sealed state is opened (`OpenRequestState`, last: egress and detokenize see only the
sealed text, which holds no token)."""

from __future__ import annotations

from proxy.filters.flow import Flow
from proxy.request_state import FIELD, open_sealed, seal


class HoldRequestState:
    def __call__(self, flow: Flow) -> None:
        payload = flow.payload
        if flow.kind != "response" or type(payload) is not dict or type(payload.get(FIELD)) is not str:
            return
        flow.held[FIELD] = seal(flow.session, flow.backend, payload.pop(FIELD))
        flow.changed = True


class ReturnHeld:
    def __call__(self, flow: Flow) -> None:
        if flow.held and type(flow.payload) is dict:
            flow.payload.update(flow.held)
            flow.held.clear()
            flow.changed = True


class OpenRequestState:
    def __call__(self, flow: Flow) -> None:
        payload = flow.payload
        if flow.kind != "request" or type(payload) is not dict or FIELD not in payload:
            return
        payload[FIELD] = open_sealed(flow.session, flow.backend, payload[FIELD])
        flow.changed = True
