"""A token is no value: wherever one sits in a message toward the client (an approval prompt quoting the
model's arguments, a backend echoing one), under a field rule's key, in a `"key": "value"` pair written in
text, in a list under such a key, it reaches the client as the same token, never a token of a token."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vault.tokens import TOKEN_RE

RULE_KEYS = ["email", "phone", "fullName", "contactEmail", "customer_id", "emails"]
PLACES = ["field", "keyed-text", "list", "sentence", "elicitation"]


def _token_of(through: Any, n: int) -> str:
    out = through({"content": [{"type": "text", "text": f"Reply to r.vance{n}@acme-{n % 13}.example today"}]})
    (token,) = TOKEN_RE.findall(out)
    return f"[[{token[0]}:{token[1]}]]"


def _place(place: str, key: str, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    if place == "field":
        return {"content": [], "structuredContent": {key: token}}, {}
    if place == "list":
        return {"content": [], "structuredContent": {key: [token, token]}}, {}
    if place == "keyed-text":
        text = json.dumps({key: token, "note": "as sent"}, indent=2)
        return {"content": [{"type": "text", "text": f"Arguments:\n{text}"}]}, {}
    if place == "sentence":
        return {"content": [{"type": "text", "text": f"{key}: {token} was updated"}]}, {}
    text = f'Approve?\n  "{key}": "{token}"\n'
    params = {"mode": "form", "message": text, "requestedSchema": {"type": "object", "properties": {}}}
    return params, {"method": "elicitation/create", "kind": "request", "tool": None}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(0, 10**6), key=st.sampled_from(RULE_KEYS), place=st.sampled_from(PLACES))
def test_a_session_token_anywhere_reaches_the_client_as_the_same_token(through, n, key, place) -> None:
    token = _token_of(through, n)
    payload, kwargs = _place(place, key, token)
    out = through(payload, **kwargs)
    found = {f"[[{e}:{i}]]" for e, i in TOKEN_RE.findall(out)}
    assert found == {token}, out
    assert not re.search(r"\[\[[A-Z_]+:\[\[", out)
