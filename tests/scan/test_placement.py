"""Class: a planted value anywhere the client can read it is tokenized (through the real Tokenize stage)."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.errors import InvalidMessage
from tests.scan.generators import OLD_SKIP_KEYS, emails, filler, placed

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def test_a_value_planted_at_any_depth_under_any_key_never_reaches_the_client(through):
    @SETTINGS
    @given(placed())
    def check(case):
        payload, value = case
        assert value not in through(payload)

    check()


def test_an_email_under_a_former_skip_key_is_scanned_while_its_enum_values_pass(through):
    @SETTINGS
    @given(st.sampled_from(OLD_SKIP_KEYS), emails, st.sampled_from(["ENABLED", "text", "application/json"]))
    def check(key, value, enum):
        out = json.loads(
            through(
                {"content": [], "structuredContent": {"a": {key: f"Email sent to {value}"}, "b": {key: enum}}}
            )
        )
        assert value not in json.dumps(out)
        assert out["structuredContent"]["b"] == {key: enum}

    check()


@pytest.mark.parametrize(
    "method", ["notifications/message", "notifications/progress", "sampling/createMessage"]
)
def test_a_value_in_a_backend_request_or_notification_params_is_tokenized(through, method):
    @SETTINGS
    @given(placed())
    def check(case):
        payload, value = case
        kind = "request" if "/" in method and not method.startswith("notifications") else "notification"
        assert value not in through({"params_like": payload}, method=method, kind=kind, tool=None)

    check()


def test_an_error_message_and_its_data_are_scanned_even_as_json_text(through):
    @SETTINGS
    @given(emails, st.sampled_from(["text", "json", "object"]))
    def check(value, shape):
        data = {"status": f"failed for {value}"}
        carried = json.dumps(data) if shape == "json" else data if shape == "object" else f"for {value}"
        out = through({"code": -32000, "message": f"no such user {value}", "data": carried}, kind="error")
        assert value not in out

    check()


def test_schema_defaults_enums_and_examples_in_tools_list_are_scanned_with_field_rules_on(through):
    @SETTINGS
    @given(
        emails,
        st.sampled_from(["default", "const", "enum", "examples"]),
        st.sampled_from(["email", "to", "x"]),
    )
    def check(value, position, prop):
        held = [value] if position in ("enum", "examples") else value
        tool = {
            "name": "send",
            "description": f"Sends mail (admin: {value})",
            "inputSchema": {"type": "object", "properties": {prop: {"type": "string", position: held}}},
        }
        out = json.loads(through({"tools": [tool]}, method="tools/list", tool=None))
        assert value not in json.dumps(out)
        schema = out["tools"][0]["inputSchema"]
        assert schema["type"] == "object" and list(schema["properties"]) == [prop]  # names stay

    check()


def test_a_field_rule_names_a_schema_default_that_no_detector_would_find(through):
    tool = {"name": "t", "inputSchema": {"properties": {"fullName": {"default": "Quentin Zabriskie"}}}}
    out = json.loads(through({"tools": [tool]}, method="tools/list", tool=None))
    assert out["tools"][0]["inputSchema"]["properties"]["fullName"]["default"].startswith("[[PERSON:")
    assert out["tools"][0]["name"] == "t"


def test_a_backend_request_whose_id_or_method_holds_personal_data_is_refused(through):
    @SETTINGS
    @given(emails, st.sampled_from(["id", "method"]))
    def check(value, where):
        rid, method = (f"req-{value}", "roots/list") if where == "id" else (7, f"notifications/{value}")
        with pytest.raises(InvalidMessage):
            through(None, method=method, kind="request", tool=None, request_id=rid)

    check()


def test_protocol_structure_and_plain_requests_pass_unchanged(through):
    @SETTINGS
    @given(filler, st.integers(0, 10**6))
    def check(extra, token):
        payload = {
            "progressToken": token,
            "progress": 3,
            "total": 10,
            "message": "step 3",
            "_meta": {"progressToken": "abc-def", "x": extra},
        }
        before = json.dumps(payload, ensure_ascii=False)
        assert through(payload, method="notifications/progress", kind="notification", tool=None) == before

    check()
