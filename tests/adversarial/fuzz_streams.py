"""Hypothesis strategies for JSON-RPC traffic in both directions through the relay, and the rule checked on
every script: the relay ends on its own within a bound, raises nothing, puts no canary on the client side
and forwards no token to the backend.

A script is a list of steps: a message from the backend (requests, notifications, responses to the client's
ids, errors; every string may hide a canary), a message from the client (requests with forged tokens,
cancellations of ids in flight, answers to the backend's ids), an exception item from either side's parser,
or a disconnect of either side. Shared by tests/adversarial/test_stream_fuzz.py and `make soak`.
"""

from __future__ import annotations

import json
import string
from typing import Any

import anyio
import mcp_types as types
from adv_harness import CANARIES, dump, error, leaks_in, notification, raw_relay, request, response
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from proxy.scan.to_backend import ENCODED_TOKEN_LIKE_RE
from proxy.session import ProxySession
from vault.tokens import TOKEN_LIKE_RE

IDS = st.one_of(st.integers(0, 6), st.sampled_from(["a", "b", ""]))
SURROGATES = st.sampled_from(["\ud800", "\udfff", "\udbff\udc00"[0], "x\udc80y"])
SMALL_TEXT = st.one_of(st.text(max_size=30), st.text(alphabet=string.printable, max_size=30), SURROGATES)
# Huge strings now and then (one draw in ~16): past the detector's 20,000-character chunk.
HUGE = st.integers(0, 8_000).map(lambda n: "ab " * n)
TEXT = st.one_of(*[SMALL_TEXT] * 15, HUGE)
# Separators a canary is delimited by: two characters or more, so no recognizer joins it to junk digits.
SEPARATORS = st.sampled_from([" ; ", "\n\n", " | ", " — ", "\t\t", " (", ") "])


@st.composite
def canary_text(draw: st.DrawFn) -> str:
    pre, post = draw(TEXT), draw(TEXT)
    c = draw(st.sampled_from(sorted(CANARIES)))
    return f"{pre}{draw(SEPARATORS)}{c}{draw(SEPARATORS)}{post}"


STRINGS = st.one_of(TEXT, canary_text(), st.sampled_from(sorted(CANARIES)))


def _json_values(leaf_strings: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.none(), st.booleans(), st.integers(-(2**63), 2**63), st.floats(allow_nan=False), leaf_strings
    )
    return st.recursive(
        leaves,
        lambda kids: st.one_of(
            st.lists(kids, max_size=4),
            st.dictionaries(leaf_strings, kids, max_size=4),
        ),
        max_leaves=8,
    )


JSON = _json_values(STRINGS)
# JSON carried inside a text string, and JSON inside JSON inside text.
EMBEDDED = st.one_of(JSON.map(json.dumps), JSON.map(lambda v: json.dumps({"inner": json.dumps(v)})))
PAYLOAD_STRINGS = st.one_of(STRINGS, EMBEDDED)
PARAMS = st.dictionaries(PAYLOAD_STRINGS, _json_values(PAYLOAD_STRINGS), max_size=4)

METHODS = st.sampled_from(
    [
        "tools/call",
        "notifications/message",
        "notifications/progress",
        "notifications/resources/updated",
        "sampling/createMessage",
        "elicitation/create",
        "roots/list",
        "x-vendor/unknown",
        "",
        "$/veil/oversize",
    ]
)


@st.composite
def tool_result(draw: st.DrawFn) -> dict[str, Any]:
    blocks = draw(
        st.lists(
            st.one_of(
                st.builds(lambda t: {"type": "text", "text": t}, PAYLOAD_STRINGS),
                st.builds(
                    lambda t: {"type": "resource", "resource": {"uri": "crm://x", "text": t}}, PAYLOAD_STRINGS
                ),
            ),
            max_size=3,
        )
    )
    result: dict[str, Any] = {"content": blocks}
    if draw(st.booleans()):
        result["structuredContent"] = draw(st.dictionaries(STRINGS, JSON, max_size=3))
    return result


BACKEND_STEP = st.one_of(
    st.builds(lambda i, m, p: ("b", request(i, m, p)), IDS, METHODS, PARAMS),
    st.builds(lambda m, p: ("b", notification(m, p)), METHODS, PARAMS),
    st.builds(lambda i, r: ("b", response(i, r)), IDS, st.one_of(tool_result(), PARAMS)),
    st.builds(lambda i, c, m, d: ("b", error(i, c, m, d)), IDS, st.integers(-33000, 0), STRINGS, JSON),
)

FORGED = st.one_of(
    st.builds(lambda s: f"[[EMAIL_ADDRESS:{s}]]", st.text("abcdefghijklmnopqrstuvwxyz234567", max_size=20)),
    st.builds(lambda s: f"%5B%5BPHONE_NUMBER%3A{s}%5D%5D", st.text("abcdefgh2345", max_size=18)),
    st.sampled_from(["[[", "]]", "[[X:]]", "[[a:b]]", "[[EMAIL_ADDRESS:aaaaaaaaaaaaaaaa]]"]),
)
CLIENT_STRINGS = st.one_of(TEXT, FORGED, st.builds(lambda a, f: f"{a} {f}", TEXT, FORGED))
CLIENT_JSON = _json_values(CLIENT_STRINGS)
CLIENT_STEP = st.one_of(
    st.builds(
        lambda i, name, args: ("c", request(i, "tools/call", {"name": name, "arguments": args})),
        IDS,
        st.sampled_from(["echo", "fetch_page", "send"]),
        st.dictionaries(st.sampled_from(["text", "url", "webhook", "q"]), CLIENT_JSON, max_size=3),
    ),
    st.builds(
        lambda i, m, p: ("c", request(i, m, p)), IDS, METHODS, st.dictionaries(CLIENT_STRINGS, CLIENT_JSON)
    ),
    st.builds(lambda i: ("c", notification("notifications/cancelled", {"requestId": i})), IDS),
    st.builds(
        lambda i, r: ("c", response(i, r)), IDS, st.dictionaries(CLIENT_STRINGS, CLIENT_JSON, max_size=3)
    ),
    st.builds(lambda i, m: ("c", error(i, -1, m)), IDS, CLIENT_STRINGS),
)


class _Envelope(BaseModel):
    jsonrpc: str


def _validation_error() -> ValidationError:
    try:
        _Envelope.model_validate_json(b"{not json")
    except ValidationError as exc:
        return exc
    raise AssertionError("unreachable")


CONTROL = st.sampled_from(
    [
        ("cx", None),
        ("bx", None),
        ("cv", None),
        ("close-client", None),
        ("close-backend", None),
        ("pause", None),
    ]
)
STEP = st.one_of(BACKEND_STEP, BACKEND_STEP, CLIENT_STEP, CLIENT_STEP, CONTROL)
SCRIPTS = st.lists(STEP, min_size=1, max_size=10)

STEP_BOUND = 30.0  # seconds a whole script may take, disconnects and drains included


def _tokens_toward_backend(messages: list[Any]) -> list[str]:
    """Token-shaped strings in what reached the backend, except the proxy's own refusal errors (which name
    the refused token and nothing else)."""
    found = []
    for m in messages:
        msg = m.message
        if isinstance(msg, types.JSONRPCError) and msg.error.message.startswith("mcp-veil"):
            continue
        text = dump(msg)
        found += [t.group(0) for t in TOKEN_LIKE_RE.finditer(text)]
        found += [t.group(0) for t in ENCODED_TOKEN_LIKE_RE.finditer(text)]
    return found


async def run_script(session: ProxySession, script: list[tuple[str, Any]]) -> list[str]:
    """Play a script through a fresh relay on `session`; returns the canaries that reached the client.
    Raises on a hang (TimeoutError), an exception out of the relay, or a token forwarded to the backend."""
    with anyio.fail_after(STEP_BOUND):
        async with raw_relay(session) as ends:
            for kind, item in script:
                if kind == "b":
                    await ends.backend(item)
                elif kind == "c":
                    await ends.client(item)
                elif kind == "cx":
                    await ends.client(ValueError("unparseable line"))
                elif kind == "cv":
                    await ends.client(_validation_error())
                elif kind == "bx":
                    await ends.backend(ValueError("unparseable line"))
                elif kind == "close-client":
                    await ends.client_send.aclose()
                elif kind == "close-backend":
                    await ends.backend_send.aclose()
                else:
                    await anyio.sleep(0.001)
        leaked = [c for m in ends.to_client for c in leaks_in(dump(m))]
        tokens = _tokens_toward_backend(ends.to_backend)
        assert not tokens, f"tokens forwarded to the backend: {tokens[:3]}"
        return leaked
