"""Class: a sensitive number (card, phone, SSN, customer ID) in any JSON position and any numeric encoding
never reaches the client, and the message still validates against the MCP types.

One generator draws the value's kind, its position (a context key's value, a list item under it, a generic
child `{"ssn": {"value": n}}`, a known value anywhere: a plain value, a list, `_meta`, a log message's
`data`; a protocol field: error code, progress, completion total, resource size, cancelled request id,
sampling maxTokens) and its encoding (integer, float with an integral value, exponent, negative, numeric
string), and a carrier (structuredContent, or JSON written in a text block with the number's literal as
drawn). The real to-client chain (Tokenize, Budget) of a default engine judges; `tests.classes.judge`
reads what the client got every way a reader could.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

import mcp.types as types
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.errors import InvalidMessage, LimitExceeded
from proxy.filters import Direction, Flow, chains
from tests.classes.judge import leaked
from tests.classes.planting import Planted, digits_needle, luhn_complete

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# ------------------------------------------------------------------------------------------ generators
@st.composite
def sensitive(draw: Any) -> tuple[str, str]:
    """(kind, digits) of a personal number a JSON number can hold (no leading zero)."""
    kind = draw(st.sampled_from(["card", "phone", "ssn", "customer-id"]))
    if kind == "card":
        prefix = draw(st.sampled_from(["4", "51", "55"]))
        body = prefix + "".join(str(draw(st.integers(0, 9))) for _ in range(15 - len(prefix)))
        return kind, luhn_complete(body)
    if kind == "phone":
        area = draw(st.sampled_from(["415", "212", "312", "646"]))
        return kind, f"{area}{draw(st.integers(200, 999))}{draw(st.integers(0, 9999)):04d}"
    if kind == "ssn":
        return (
            kind,
            f"{draw(st.integers(100, 665))}{draw(st.integers(1, 99)):02d}{draw(st.integers(1, 9999)):04d}",
        )
    return kind, f"{draw(st.integers(1, 9))}{draw(st.integers(0, 10**9 - 1)):09d}"


# Keys that give a bare digit run its meaning, spelled every way keys are (the field rules' normalization).
CONTEXT_KEYS = {
    "card": ["card", "cardNumber", "cc", "pan", "credit_card", "creditCardNo"],
    "phone": ["tel", "phone", "mobile", "fax", "phone_number", "telephone"],
    "ssn": ["ssn", "SSN", "social_security_number", "socialSecurityNumber", "social-security-no"],
    "customer-id": ["customer", "cid", "customerId", "customer_id", "clientCustomer"],
}
ENCODINGS = ["int", "float", "exponent", "EXPONENT", "negative", "string"]
DATA_POSITIONS = [
    "context",
    "context-list",
    "context-child",
    "context-list-child",
    "known-value",
    "known-list",
    "known-meta",
]


def literal(digits: str, encoding: str) -> str:
    """The number as a JSON text writes it."""
    if encoding == "float":
        return digits + ".0"
    if encoding in ("exponent", "EXPONENT"):
        mantissa = digits[0] + "." + (digits[1:].rstrip("0") or "0")
        return f"{mantissa}{'e' if encoding == 'exponent' else 'E'}{len(digits) - 1}"
    if encoding == "negative":
        return "-" + digits
    if encoding == "string":
        return f'"{digits}"'
    return digits


def value(digits: str, encoding: str) -> Any:
    """The number as a parser hands it to the proxy."""
    return json.loads(literal(digits, encoding))


_SLOT = "\x00slot\x00"


@dataclass
class NumberCase:
    kind: str
    digits: str
    position: str
    encoding: str
    carrier: str
    key: str
    payload: Any
    method: str = "tools/call"
    msg_kind: str = "response"

    @property
    def planted(self) -> Planted:
        return Planted(self.kind, self.digits, digits_needle(self.digits))


@st.composite
def data_cases(draw: Any) -> NumberCase:
    kind, digits = draw(sensitive())
    position = draw(st.sampled_from(DATA_POSITIONS))
    encoding = draw(st.sampled_from(ENCODINGS))
    key = draw(st.sampled_from(CONTEXT_KEYS[kind]))
    plain = draw(st.sampled_from(["note", "ref", "value", "x", "rowKey"]))
    generic = draw(st.sampled_from(["id", "number", "value", "no"]))
    record: Any = {
        "context": {key: _SLOT},
        "context-list": {key: ["fine", _SLOT]},
        "context-child": {key: {generic: _SLOT}},
        "context-list-child": {key: [{generic: _SLOT, "label": "main"}]},
        "known-value": {plain: _SLOT},
        "known-list": {plain: [1, _SLOT, "ok"]},
        "known-meta": {"rows": [{"clicks": 3}], "_meta": {plain: _SLOT}},
    }[position]
    for _ in range(draw(st.integers(0, 3))):  # any depth
        record = {draw(st.sampled_from(["data", "results", "item", "payload"])): record, "status": "ok"}
    carrier = draw(st.sampled_from(["structured", "json-text", "log-data"]))
    if carrier == "log-data":  # notifications/message: its `data` is any JSON
        payload = {"level": "info", "logger": "backend", "data": _fill(record, value(digits, encoding))}
        return NumberCase(
            kind, digits, position, encoding, carrier, key, payload, "notifications/message", "notification"
        )
    if carrier == "structured":
        payload = {
            "content": [{"type": "text", "text": "done"}],
            "structuredContent": _fill(record, value(digits, encoding)),
        }
    else:
        text = json.dumps(record).replace(json.dumps(_SLOT), literal(digits, encoding))
        payload = {"content": [{"type": "text", "text": text}]}
    return NumberCase(kind, digits, position, encoding, carrier, key, payload)


def _fill(node: Any, v: Any) -> Any:
    if isinstance(node, dict):
        return {k: _fill(x, v) for k, x in node.items()}
    if isinstance(node, list):
        return [_fill(x, v) for x in node]
    return v if node == _SLOT else node


# A protocol field the MCP schema types as a number: (method, kind of message, payload builder, model).
PROTOCOL_FIELDS: dict[str, tuple[str, str, Any, Any]] = {
    "error.code": (
        "tools/call",
        "error",
        lambda n: {"code": int(n), "message": "backend failed"},
        types.ErrorData,
    ),
    "progress.progress": (
        "notifications/progress",
        "notification",
        lambda n: {"progressToken": "t1", "progress": n, "total": 10, "message": "working"},
        types.ProgressNotificationParams,
    ),
    "progress.total": (
        "notifications/progress",
        "notification",
        lambda n: {"progressToken": "t1", "progress": 1, "total": n},
        types.ProgressNotificationParams,
    ),
    "completion.total": (
        "completion/complete",
        "response",
        lambda n: {"completion": {"values": ["a"], "total": int(n), "hasMore": True}},
        types.CompleteResult,
    ),
    "resource.size": (
        "resources/list",
        "response",
        lambda n: {"resources": [{"uri": "file:///r", "name": "r", "size": int(n)}]},
        types.ListResourcesResult,
    ),
    "cancelled.requestId": (
        "notifications/cancelled",
        "notification",
        lambda n: {"requestId": int(n), "reason": "gone"},
        types.CancelledNotificationParams,
    ),
    "sampling.maxTokens": (
        "sampling/createMessage",
        "request",
        lambda n: {
            "messages": [{"role": "user", "content": {"type": "text", "text": "hi"}}],
            "maxTokens": int(n),
        },
        types.CreateMessageRequestParams,
    ),
}


@st.composite
def protocol_cases(draw: Any) -> tuple[NumberCase, Any]:
    kind, digits = draw(sensitive())
    field = draw(st.sampled_from(sorted(PROTOCOL_FIELDS)))
    method, msg_kind, build, model = PROTOCOL_FIELDS[field]
    encoding = draw(st.sampled_from(["int", "float", "exponent", "negative"]))
    payload = build(value(digits, encoding))  # int-typed fields take int(); progress keeps the float
    case = NumberCase(kind, digits, field, encoding, "protocol", "", payload, method, msg_kind)
    return case, model


# ---------------------------------------------------------------------------------------------- runner
@pytest.fixture(scope="module")
def deliver(engine: Any) -> Any:
    """`deliver(payload, method, kind)`: what the client receives (None: the message was refused)."""
    session = engine.open_session(backend="numbers", actor="test")
    chain = chains()[Direction.TO_CLIENT]

    def run(
        payload: Any, method: str = "tools/call", kind: str = "response", tool: str | None = "lookup"
    ) -> Any:
        flow = Flow(Direction.TO_CLIENT, session, copy.deepcopy(payload), kind, method, tool)
        try:
            for stage in chain:
                stage(flow)
        except InvalidMessage:
            return None
        return flow.payload

    return run


def teach(deliver: Any, kind: str, digits: str) -> None:
    """An earlier result names the value (a context key): from then on it is a known value of the session."""
    out = deliver({"content": [], "structuredContent": {CONTEXT_KEYS[kind][0]: digits}})
    assert digits not in json.dumps(out)


# ----------------------------------------------------------------------------------------------- tests
def test_a_sensitive_number_in_any_data_position_and_encoding_never_reaches_the_client(deliver: Any) -> None:
    @SETTINGS
    @given(data_cases())
    def check(case: NumberCase) -> None:
        if case.position.startswith("known"):
            teach(deliver, case.kind, case.digits)
        out = deliver(case.payload, case.method, case.msg_kind)
        assert out is not None, "a data position is tokenized, never refused"
        assert not leaked([case.planted], out), (case.position, case.encoding, case.carrier, case.key)
        model = types.LoggingMessageNotificationParams if case.carrier == "log-data" else types.CallToolResult
        model.model_validate(out)

    check()


def test_a_sensitive_number_in_a_protocol_field_refuses_the_message_and_never_retypes_it(
    deliver: Any,
) -> None:
    @SETTINGS
    @given(protocol_cases())
    def check(drawn: tuple[NumberCase, Any]) -> None:
        case, model = drawn
        teach(deliver, case.kind, case.digits)
        out = deliver(case.payload, case.method, case.msg_kind)
        # Refused (the relay answers with a value-free JSON-RPC error, or drops a notification): never
        # forwarded with the number retyped into a token string the client's SDK would reject.
        assert out is None, (case.position, case.encoding, model.__name__)

    check()


def test_an_ordinary_protocol_number_passes_unchanged(deliver: Any) -> None:
    @SETTINGS
    @given(st.sampled_from(sorted(PROTOCOL_FIELDS)), st.integers(1_000_000, 99_999_999))
    def check(field: str, n: int) -> None:
        method, msg_kind, build, model = PROTOCOL_FIELDS[field]
        payload = build(n)
        out = deliver(payload, method, msg_kind)
        assert out == payload
        model.model_validate(out)

    check()


def test_a_backend_request_whose_numeric_id_is_personal_is_refused(engine: Any) -> None:
    session = engine.open_session(backend="numbers-id", actor="test")
    flow = Flow(
        Direction.TO_CLIENT,
        session,
        {"content": [], "structuredContent": {"tel": "4155550142"}},
        "response",
        "tools/call",
        "x",
    )
    for stage in chains()[Direction.TO_CLIENT]:
        stage(flow)
    request = Flow(Direction.TO_CLIENT, session, {}, "request", "roots/list", None)
    request.request_id = 4155550142
    with pytest.raises(InvalidMessage):
        for stage in chains()[Direction.TO_CLIENT]:
            stage(request)


def test_an_integer_beyond_64_bits_is_refused(deliver: Any) -> None:
    @SETTINGS
    @given(
        st.integers(2**63, 2**80) | st.integers(-(2**80), -(2**63) - 1),
        st.sampled_from(["x", "tel", "ref", "costMicros", "clicks"]),  # metric keys too
        st.sampled_from(["row", "rows", "list", "protocol"]),
    )
    def check(n: int, key: str, where: str) -> None:
        payload: Any = {
            "row": {"content": [], "structuredContent": {"data": {key: n, "name": "x"}}},
            "rows": {
                "content": [],
                "structuredContent": {"rows": [{key: n + i, "q": "a"} for i in range(40)]},
            },
            "list": {"content": [], "structuredContent": {key: [1, n]}},
            "protocol": {"content": [{"type": "resource_link", "uri": "file:///a", "name": "a", "size": n}]},
        }[where]
        with pytest.raises(LimitExceeded):
            deliver(payload)

    check()
