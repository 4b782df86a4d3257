"""Hypothesis strategies for the scan classes: planted values, placements, JSON texts, numbers, blobs."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

_LOWER = "abcdefghijklmnopqrstuvwxyz"

# Personal values every install detects by pattern: an email (random local part and domain).
emails = st.builds(
    lambda local, dom, tld: f"{local}@{dom}.{tld}",
    st.text(_LOWER, min_size=3, max_size=10),
    st.text(_LOWER, min_size=3, max_size=10),
    st.sampled_from(["com", "example", "org", "de", "io"]),
)

# Key names: the old skip keys, common field names and random identifiers.
OLD_SKIP_KEYS = ["status", "type", "timeZone", "mimeType", "currencyCode", "protocolVersion", "jsonrpc"]
keys = st.one_of(
    st.sampled_from([*OLD_SKIP_KEYS, "note", "message", "description", "label", "data", "_meta", "x"]),
    st.text(_LOWER + "_", min_size=1, max_size=12),
)
filler = st.one_of(
    st.integers(-1000, 1000), st.booleans(), st.none(), st.sampled_from(["ok", "ENABLED", "plumber near me"])
)


def _wrap(value: Any, path: list[tuple[str, Any]]) -> Any:
    """Nest `value` along a path of ("key", name) / ("list", position) / ("text", indent) steps."""
    for step, arg in reversed(path):
        if step == "key":
            value = {arg: value, "other": "fine"}
        elif step == "list":
            value = [*(["fine"] * arg), value]
        else:  # JSON carried inside a string, at this nesting
            value = json.dumps({"inner": value}, indent=arg)
    return value


steps = st.lists(
    st.one_of(
        st.tuples(st.just("key"), keys),
        st.tuples(st.just("list"), st.integers(0, 3)),
        st.tuples(st.just("text"), st.sampled_from([None, 2])),
    ),
    max_size=6,
)


@st.composite
def placed(draw: Any) -> tuple[Any, str]:
    """(a to-client payload of a tools/call result, the value planted in it), anywhere a client reads."""
    value = draw(emails)
    sentence = draw(st.sampled_from(["{}", "Email sent to {}", "owner: {}", "{} (primary)"])).format(value)
    where = draw(st.sampled_from(["value", "key"]))
    leaf: Any = sentence if where == "value" else {sentence: draw(filler)}
    nested = _wrap(leaf, draw(steps))
    top = draw(st.sampled_from(["content", "structured", "meta", "text"]))
    if top == "content":
        payload = {"content": [{"type": "text", "text": "ok"}, {"type": "text", "x": nested}]}
    elif top == "structured":
        payload = {"content": [], "structuredContent": {"k": nested}}
    elif top == "meta":
        payload = {"content": [], "_meta": {"k": nested}}
    else:
        payload = {"content": [{"type": "text", "text": json.dumps({"k": nested})}]}
    return payload, value
