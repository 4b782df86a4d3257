import base64
import json

import pytest

from proxy.errors import DetectionFailed, LimitExceeded
from proxy.policy import load_policy
from proxy.scan.to_backend import find_token_strings, replace_tokens
from proxy.scan.to_client import ToClientWalker


@pytest.fixture(scope="module")
def policy():
    policy = load_policy()
    policy.activate_packs(["list_sites", "search"])  # the packs apply to backends with their tools
    return policy


def fake_tokens(plan):
    return {fv: f"[[{fv[0]}:{i:016d}]]" for i, fv in enumerate(plan.field_values)}


def test_key_rules_pick_values_whatever_their_content(policy):
    payload = {
        "content": [],
        "structuredContent": {"accounts": [{"customerId": 1234567890, "descriptiveName": "Zed"}]},
    }
    w = ToClientWalker(policy, policy.rules_for_tool("list_accounts"))
    plan = w.collect(payload)
    assert set(plan.field_values) == {("GOOGLE_ADS_CUSTOMER_ID", "1234567890"), ("ACCOUNT_NAME", "Zed")}
    assert w.apply(plan, fake_tokens(plan), {})
    account = payload["structuredContent"]["accounts"][0]
    assert account["customerId"].startswith("[[GOOGLE_ADS_CUSTOMER_ID:")
    assert account["descriptiveName"].startswith("[[ACCOUNT_NAME:")


def test_json_inside_text_is_scanned_per_leaf_and_keeps_its_layout(policy):
    inner = {"contacts": [{"email": "a@b.example", "note": "hi"}]}
    payload = {"content": [{"type": "text", "text": json.dumps(inner, indent=2)}]}
    w = ToClientWalker(policy, policy.rules_for_tool("crm_search"))
    plan = w.collect(payload)
    assert ("EMAIL_ADDRESS", "a@b.example") in plan.field_values
    assert w.apply(plan, fake_tokens(plan), {})
    text = payload["content"][0]["text"]
    assert "\n" in text and "a@b.example" not in text
    assert json.loads(text)["contacts"][0]["note"] == "hi"


def test_an_unchanged_message_is_left_exactly_as_it_came(policy):
    payload = {"content": [{"type": "text", "text": '{"clicks":3}'}], "isError": False}
    w = ToClientWalker(policy, policy.rules_for_tool("x"))
    plan = w.collect(payload)
    before = json.dumps(payload)
    assert not w.apply(plan, {}, {})
    assert json.dumps(payload) == before


def test_object_keys_are_scanned_and_rewritten(policy):
    payload = {"byEmail": {"jane@acme.example": {"visits": 3}}}
    w = ToClientWalker(policy, None)
    plan = w.collect(payload)
    assert "jane@acme.example" in plan.keys
    assert w.apply(plan, {}, {"jane@acme.example": "[[EMAIL_ADDRESS:aaaaaaaaaaaaaaaa]]"})
    assert payload == {"byEmail": {"[[EMAIL_ADDRESS:aaaaaaaaaaaaaaaa]]": {"visits": 3}}}


def test_structured_paths_apply_only_inside_the_structured_result(policy):
    payload = {
        "structuredContent": {"siteEntry": [{"siteUrl": "https://a.example/", "permissionLevel": "x"}]}
    }
    w = ToClientWalker(policy, policy.rules_for_tool("list_sites"))
    assert ("SITE_URL", "https://a.example/") in w.collect(payload).field_values


def test_nesting_past_the_limit_is_refused(policy):
    deep: object = "x"
    for _ in range(policy.max_depth + 5):
        deep = [deep]
    with pytest.raises(LimitExceeded, match="nesting"):
        ToClientWalker(policy, None).collect({"a": deep})


def test_schemas_in_descriptive_results_are_not_treated_as_values(policy):
    from proxy.scan.to_client import key_rules_apply

    assert not key_rules_apply("tools/list")
    assert key_rules_apply("tools/call")


def test_tokens_are_found_anywhere_and_replaced_inside_longer_strings():
    t = "[[EMAIL_ADDRESS:abcdefghijklmnop]]"
    payload = {"name": "send", "arguments": {"to": t, "body": f"Write to {t} today", t: [t]}}
    found = find_token_strings(payload, 50)
    assert set(found) == {t, f"Write to {t} today"}
    out = replace_tokens(payload, {t: "jane@acme.example"})
    assert out["arguments"] == {
        "to": "jane@acme.example",
        "body": "Write to jane@acme.example today",
        "jane@acme.example": ["jane@acme.example"],
    }
    assert out["name"] == "send"


def test_text_and_gzipped_blobs_are_decoded_scanned_and_re_encoded(policy):
    import base64
    import gzip

    text_blob = base64.b64encode(b"contact jane@acme.example").decode()
    gz_blob = base64.b64encode(gzip.compress(b"contact jane@acme.example")).decode()
    image = base64.b64encode(b"\x89PNG jane@acme.example").decode()
    payload = {
        "contents": [
            {"uri": "a", "mimeType": "text/plain", "blob": text_blob},
            {"uri": "b", "mimeType": "application/gzip", "blob": gz_blob},
            {"uri": "c", "mimeType": "image/png", "blob": image},
        ]
    }
    w = ToClientWalker(policy, None)
    plan = w.collect(payload)
    assert "contact jane@acme.example" in plan.texts
    assert w.apply(plan, {}, {"contact jane@acme.example": "contact [[EMAIL_ADDRESS:aaaaaaaaaaaaaaaa]]"})
    a, b, c = payload["contents"]
    assert base64.b64decode(a["blob"]) == b"contact [[EMAIL_ADDRESS:aaaaaaaaaaaaaaaa]]"
    assert gzip.decompress(base64.b64decode(b["blob"])) == b"contact [[EMAIL_ADDRESS:aaaaaaaaaaaaaaaa]]"
    assert c["blob"] == image  # opaque binary is not text


def test_a_gzip_bomb_is_refused_not_inflated(policy):
    import base64
    import gzip

    from proxy.policy import Policy

    small = Policy(sources=[], max_message_bytes=10_000)
    bomb = base64.b64encode(gzip.compress(b"a" * 1_000_000)).decode()
    with pytest.raises(LimitExceeded, match="expands"):
        ToClientWalker(small, None).collect({"contents": [{"mimeType": "application/gzip", "blob": bomb}]})


def test_percent_encoded_tokens_in_urls_are_found_and_replaced_encoded():
    t = "[[EMAIL_ADDRESS:abcdefghijklmnop]]"
    url = "https://crm.example/find?q=%5B%5BEMAIL_ADDRESS%3Aabcdefghijklmnop%5D%5D&x=1"
    found = find_token_strings({"uri": url}, 10)
    assert found == {url: [t]}
    out = replace_tokens({"uri": url}, {t: "jane+x@acme.example"})
    assert out["uri"] == "https://crm.example/find?q=jane%2Bx%40acme.example&x=1"


def test_a_patched_string_is_replaced_wherever_it_was_scanned_and_nowhere_else(policy):
    """Strings in plain containers are located again at patch time: every scanned occurrence changes (in
    lists, nested objects, blobs, under a skipped key when the value is not enum-shaped), while the same
    string under a field rule or an object key that is not renamed stays as it came."""
    email = "jane@acme.example"
    token = "[[EMAIL_ADDRESS:aaaaaaaaaaaaaaaa]]"
    blob = base64.b64encode(f"note {email}".encode()).decode()
    payload = {
        "rows": [
            {"keys": [email, "other", email], "note": email, "status": email, "n": 1},
            {"keys": [email], "nested": {"deep": [[email]]}, "type": email},
        ],
        "email": "bob@acme.example",  # a key rule: the field token, not the text patch
        "contents": [{"mimeType": "text/plain", "blob": blob}],
        "by": {"unrelated": email},
    }
    w = ToClientWalker(policy, policy.rules_for_tool("x"))
    plan = w.collect(payload)
    assert email in plan.texts and "other" in plan.texts
    changed = w.apply(plan, fake_tokens(plan), {email: token, f"note {email}": f"note {token}"})
    assert changed
    first, second = payload["rows"]
    # Under `status`/`type` (skip keys) an email is no enum: scanned (it used to pass, a leak).
    assert first == {"keys": [token, "other", token], "note": token, "status": token, "n": 1}
    assert second == {"keys": [token], "nested": {"deep": [[token]]}, "type": token}
    assert payload["email"].startswith("[[EMAIL_ADDRESS:") and payload["email"] != token
    assert base64.b64decode(payload["contents"][0]["blob"]).decode() == f"note {token}"
    assert payload["by"] == {"unrelated": token}


def test_strings_under_a_path_rule_are_located_one_by_one_and_patched(policy):
    payload = {
        "structuredContent": {
            "siteEntry": [{"siteUrl": "https://a.example/", "note": "call jane@acme.example"}],
            "other": ["call jane@acme.example"],
        }
    }
    w = ToClientWalker(policy, policy.rules_for_tool("list_sites"))
    plan = w.collect(payload)
    assert "call jane@acme.example" in plan.texts
    new = "call [[EMAIL_ADDRESS:aaaaaaaaaaaaaaaa]]"
    assert w.apply(plan, fake_tokens(plan), {"call jane@acme.example": new})
    sc = payload["structuredContent"]
    assert sc["siteEntry"][0]["note"] == new and sc["other"] == [new]
    assert sc["siteEntry"][0]["siteUrl"].startswith("[[SITE_URL:")


def test_a_list_mixing_strings_and_containers_is_patched_in_both(policy):
    email = "jane@acme.example"
    token = "[[EMAIL_ADDRESS:aaaaaaaaaaaaaaaa]]"
    payload = {"items": [email, {"note": email}, [email, 3], 4.5, None], "other": ["x", "y"]}
    w = ToClientWalker(policy, None)
    plan = w.collect(payload)
    assert w.apply(plan, {}, {email: token})
    assert payload == {"items": [token, {"note": token}, [token, 3], 4.5, None], "other": ["x", "y"]}


def _report(rows: int, email: str) -> dict:
    return {
        "structuredContent": {
            "rows": [
                {
                    "keys": [f"plumber {i % 7}" if i % 5 else f"mail {email}", f"https://a.example/{i % 3}"],
                    "clicks": i,
                    "ctr": i / 7,
                    "label": None if i % 4 else "top",
                }
                for i in range(rows)
            ]
        }
    }


def test_a_long_list_of_records_is_walked_column_by_column_and_patched_like_any_list(policy, monkeypatch):
    import proxy.scan.to_client as walk

    email, token = "jane@acme.example", "[[EMAIL_ADDRESS:aaaaaaaaaaaaaaaa]]"
    calls = []
    original = ToClientWalker._plain_rows
    monkeypatch.setattr(
        ToClientWalker, "_plain_rows", lambda self, *a: calls.append(original(self, *a)) or calls[-1]
    )
    payload = _report(100, email)
    w = ToClientWalker(policy, None)
    plan = w.collect(payload)
    assert calls == [True]
    assert {f"mail {email}", "plumber 1", "https://a.example/2", "top"} <= set(plan.texts)
    assert {"keys", "clicks", "ctr", "label"} <= set(plan.keys)
    assert w.apply(plan, {}, {f"mail {email}": f"mail {token}"})
    rows = payload["structuredContent"]["rows"]
    assert [r["keys"][0] for r in rows if "mail" in r["keys"][0]] == [f"mail {token}"] * 20
    assert rows[1] == {"keys": ["plumber 1", "https://a.example/1"], "clicks": 1, "ctr": 1 / 7, "label": None}
    monkeypatch.setattr(walk, "_ROWS", 10**9)
    assert ToClientWalker(policy, None).collect(_report(100, email)).size == plan.size


def _rows_strategy():
    """Lists of 30-40 records: mostly report-shaped (strings, lists of strings, numbers, nulls, keys
    missing from some rows), some with what the column walk leaves to the row walk (a nested object, a
    string that may be JSON, a key a rule names or skips, a blob)."""
    from hypothesis import strategies as st

    text = st.sampled_from(["plumber", "jane@acme.example", "x", "", "café 😀"])
    awkward_text = st.sampled_from(['{"email": "bob@b.example"}', " lead", "[1]"])
    scalar = st.one_of(st.none(), st.integers(-5, 5), st.floats(allow_nan=False), st.booleans())
    leaf = st.one_of(text, scalar)
    value = st.one_of(leaf, st.lists(leaf, max_size=3))
    awkward = st.one_of(awkward_text, st.dictionaries(st.sampled_from(["a", "b"]), leaf), st.lists(value))
    plain_keys = st.sampled_from(["query", "keys", "clicks", "note", "tags"])
    row = st.dictionaries(plain_keys, value, max_size=4)
    odd_row = st.dictionaries(st.sampled_from(["query", "email", "blob", "tags"]), st.one_of(value, awkward))
    rows = st.lists(row, min_size=30, max_size=40)
    uniform = st.builds(lambda r, n: [dict(r) for _ in range(n)], row, st.integers(30, 40))
    spoiled = st.builds(lambda r, odd, i: [*r[:i], odd, *r[i:]], rows, odd_row, st.integers(0, 30))
    return st.one_of(rows, uniform, spoiled)


def test_the_column_walk_scans_and_patches_exactly_as_the_row_walk(policy):
    """Whatever the rows hold, walking them column by column (or falling back to the row walk) gives the
    same strings to scan, keys, field values and size, and the same patched payload."""
    import copy

    from hypothesis import given, settings

    import proxy.scan.to_client as walk

    @settings(max_examples=300, deadline=None)
    @given(_rows_strategy())
    def check(rows):
        results = []
        for threshold in (walk._ROWS, 10**9):
            walk_rows, walk._ROWS = walk._ROWS, threshold
            try:
                payload = {"structuredContent": {"rows": copy.deepcopy(rows)}}
                w = ToClientWalker(policy, None)
                plan = w.collect(payload)
                patched = {t: f"<{t}>" for t in plan.texts}
                try:
                    w.apply(plan, fake_tokens(plan), patched)
                    outcome = json.dumps(payload)
                except DetectionFailed:  # a blob read two ways, patched in both (every text is patched here)
                    outcome = "refused"
            finally:
                walk._ROWS = walk_rows
            results.append((set(plan.texts), set(plan.keys), dict(plan.field_values), plan.size, outcome))
        assert results[0] == results[1]

    check()
