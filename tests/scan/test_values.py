"""Classes: JSON texts read one way and forwarded another; numbers and the context of their key."""

import json

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.scan.generators import emails

SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _texts(out: str) -> list[str]:
    return [c["text"] for c in json.loads(out)["content"]]


def test_a_json_text_with_duplicate_keys_reaches_the_client_as_the_document_that_was_scanned(through):
    @SETTINGS
    @given(emails, st.sampled_from(["email", "note", "status", "x"]), st.sampled_from(["", " ", "\n  "]))
    def check(value, key, ws):
        text = "{" + ws + f'"{key}":"decoy",{ws}"{key}":"{value}",{ws}"{key}":"ok"' + ws + "}"
        (sent,) = _texts(through({"content": [{"type": "text", "text": text}]}))
        assert value not in sent
        # Every parser reads the forwarded text alike: it has no duplicate key left.
        assert sent.count(f'"{key}"') == 1

    check()


def test_text_a_parser_could_read_differently_is_scanned_as_raw_characters(through):
    @SETTINGS
    @given(
        emails,
        st.sampled_from(
            [
                '{{"a": NaN, "b": "{}"}}',
                '\ufeff{{"b": "{}"}}',
                '{{"b": "x"}} {}',
                '{{"b": 1, /* {} */ "c": 2}}',
                '{{"b": "{}", }}',
            ]
        ),
    )
    def check(value, template):
        (sent,) = _texts(through({"content": [{"type": "text", "text": template.format(value)}]}))
        assert value not in sent

    check()


def test_a_text_that_only_parses_equal_to_structured_content_is_rewritten_to_its_serialization(through):
    @SETTINGS
    @given(emails)
    def check(value):
        structured = {"rows": [{"note": "safe", "n": 1}]}
        # Equal once parsed (last duplicate wins), not byte-identical: a first-wins parser reads the value.
        text = '{"rows":[{"note":' + json.dumps(f"write {value}") + ',"note":"safe","n":1}]}'
        payload = {"content": [{"type": "text", "text": text}], "structuredContent": structured}
        out = json.loads(through(payload))
        assert value not in json.dumps(out)
        assert out["content"][0]["text"] == orjson.dumps(out["structuredContent"]).decode()

    check()


CONTEXT_KEYS = [
    "customer",
    "cid",
    "clientId",
    "customerNumber",
    "ssn",
    "card",
    "cardNumber",
    "tel",
    "phone",
    "mobilePhone",
    "accountNumber",
    "account",
]


def _digits_for(key: str, draw_int: int) -> int:
    k = key.lower()
    if "ssn" in k:
        return 100_000_000 + draw_int % 899_999_999
    if "card" in k:
        return 4_000_000_000_000_000 + draw_int
    return 2_000_000_000 + draw_int % 7_999_999_999  # ten digits: phone, customer, account


def test_a_bare_digit_run_beside_a_key_that_names_it_is_tokenized_as_number_or_string(through):
    @SETTINGS
    @given(st.sampled_from(CONTEXT_KEYS), st.integers(0, 10**9), st.booleans(), st.booleans())
    def check(key, n, as_string, nested):
        number = _digits_for(key, n)
        value = str(number) if as_string else number
        plural = n % 2 == 0  # a list under the plural key takes the same context
        record = {key: {"id": value}} if nested else {f"{key}s": [value, "n/a"]} if plural else {key: value}
        out = through({"content": [], "structuredContent": {"rows": [record, {"clicks": 3}]}})
        assert str(number) not in out

    check()


def test_a_google_ads_customer_id_object_is_tokenized_from_any_tool(through):
    out = json.loads(
        through(
            {"content": [], "structuredContent": {"customer": {"id": 1234567890, "n": 3}}},
            tool="some_other_tool",
        )
    )
    assert out["structuredContent"]["customer"]["id"].startswith("[[GOOGLE_ADS_CUSTOMER_ID:")


def test_a_luhn_valid_card_number_stored_as_a_json_number_becomes_a_token_string(through):
    out = json.loads(through({"content": [], "structuredContent": {"x": 4111111111111111}}))
    assert out["structuredContent"]["x"].startswith("[[CREDIT_CARD:")


METRIC_KEYS = [
    "clicks",
    "impressions",
    "costMicros",
    "ctr",
    "averageCpc",
    "conversions",
    "year",
    "position",
    "totalCustomers",
    "customerCount",
    "phoneCount",
    "accountBudgetMicros",
]


def test_metric_numbers_years_and_floats_stay_numbers(through):
    @SETTINGS
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(METRIC_KEYS),
                st.one_of(st.integers(0, 10**13), st.floats(0, 1e9, allow_nan=False)),
            ),
            min_size=1,
            max_size=6,
        ),
        st.integers(1, 40),
    )
    def check(pairs, rows):
        data = {
            "rows": [dict(pairs) for _ in range(rows)],
            "year": 2024,
            "status": "ENABLED",
            "type": "SEARCH",
        }
        payload = {
            "content": [{"type": "text", "text": orjson.dumps(data).decode()}],
            "structuredContent": data,
        }
        before = json.dumps(payload, ensure_ascii=False)
        assert through(payload) == before

    check()


def test_json_a_parser_accepts_but_others_read_differently_is_forwarded_in_its_canonical_form(through):
    @SETTINGS
    @given(
        emails,
        st.sampled_from(
            [
                '{{"\\u006eote": "{v}", "note": "ok"}}',  # escaped key: a duplicate once unescaped
                '{{"note": "{e}"}}',  # the value written with \\u escapes
                '{{"n": 123456789012345678901234567890, "note": "{v}"}}',  # past 64 bits
                '[{{"note": "x"}}, {{"note": "{v}", "note": "ok"}}]',
            ]
        ),
    )
    def check(value, template):
        escaped = "".join(f"\\u{ord(c):04x}" for c in value)
        text = template.format(v=value, e=escaped)
        (sent,) = _texts(through({"content": [{"type": "text", "text": text}]}))
        assert value not in sent and escaped not in sent
        assert sent == orjson.dumps(orjson.loads(sent)).decode()  # nothing left to read another way

    check()
