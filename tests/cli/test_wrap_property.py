"""The wrap edit, by class: any server map, in any layout a client or a person writes (indentation,
comments, trailing commas, unknown keys with any JSON value), wraps to the expected entries, keeps the rest,
never puts a header value on the command line, and unwraps to the very same bytes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.wrap import edit, jsonc

VEIL = "/usr/local/bin/veil"
WRAP_DIR = Path("/nonexistent/veil-home/wrap")
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
name = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,15}", fullmatch=True)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6,
)
extras = st.dictionaries(
    st.sampled_from(["disabled", "autoApprove", "cwd", "timeout", "dev", "x-custom"]), json_value, max_size=3
)
envs = st.none() | st.dictionaries(name, text, max_size=3)
stdio = st.builds(
    lambda c, a, e, x: {**x, "command": c, "args": a, **({"env": e} if e is not None else {})},
    text.filter(bool), st.lists(text, max_size=4), envs, extras,
)  # fmt: skip
header_name = st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,12}", fullmatch=True)
secret = text.map(lambda t: "s3cr3t:" + t)  # a header value: a credential, whatever it holds
# Header maps, including names of one spelling in two cases (`Q`, `q`): each keeps its own value.
header_maps = st.dictionaries(header_name, secret, max_size=2) | st.builds(
    lambda n, a, b: {n: a, n.swapcase(): b}, header_name, secret, secret
)
http = st.builds(
    lambda u, h, x: {**x, "type": "http", "url": u, **({"headers": h} if h else {})},
    text.map(lambda t: "https://mcp.example/" + t), header_maps, extras,
)  # fmt: skip
server_maps = st.dictionaries(text.filter(bool), st.one_of(stdio, http), min_size=1, max_size=4)


@st.composite
def layouts(draw: st.DrawFn, value: Any) -> str:
    """`value` written as JSONC with drawn indentation, comments and trailing commas."""
    step = draw(st.sampled_from(["", " ", "  ", "    ", "\t"]))
    comments = draw(st.booleans())
    trailing = draw(st.booleans())

    def render(v: Any, depth: int) -> str:
        if isinstance(v, dict) and v:
            pad, close = ("\n" + step * (depth + 1), "\n" + step * depth) if step else (" ", " ")
            items = []
            for k, x in v.items():
                commented = comments and step and draw(st.booleans())
                note = f"// {k[:5]!r}\n{step * (depth + 1)}" if commented else ""
                items.append(f"{pad}{note}{json.dumps(k)}: {render(x, depth + 1)}")
            return "{" + ",".join(items) + ("," if trailing else "") + close + "}"
        return json.dumps(v)

    return render(value, 0) + "\n"


@settings(max_examples=150, deadline=None)
@given(data=st.data(), servers=server_maps, key=st.sampled_from(["mcpServers", "servers"]))
def test_any_server_map_wraps_as_expected_and_unwraps_to_the_same_bytes(
    data: st.DataObject, servers: dict[str, Any], key: str
) -> None:
    doc = {"before": 1, key: servers, "after": {"k": [1, 2]}}
    original = data.draw(layouts(doc))
    config = Path("/nonexistent/client/mcp.json")
    out = edit.wrap(original, config, VEIL, WRAP_DIR)
    wrapped = jsonc.parse(out.text).value
    assert wrapped["before"] == 1 and wrapped["after"] == {"k": [1, 2]}
    for server, entry in servers.items():
        new = wrapped[key][server]
        assert new["command"] == VEIL and new["args"][0] == "run"
        for extra in set(entry) - {"command", "args", "env", "url", "headers", "type"}:
            assert new[extra] == entry[extra]
        if "url" in entry:
            assert new["args"][1:3] == ["--url", entry["url"]]
            for value in entry.get("headers", {}).values():
                assert value in new["env"].values()
                assert all(value not in a for a in new["args"])
        else:
            assert new["args"][new["args"].index("--") + 1 :] == [entry["command"], *entry["args"]]
            assert new.get("env") == entry.get("env")
    assert edit.wrap(out.text, config, VEIL, WRAP_DIR).text == out.text  # idempotent
    back = edit.unwrap(out.text, config, out.records, WRAP_DIR)
    assert back.text == original
    rebuilt = jsonc.parse(edit.unwrap(out.text, config, {}, WRAP_DIR).text).value  # without the record
    kept = {s: {k: v for k, v in e.items() if k != "env" or v or "url" not in e} for s, e in servers.items()}
    assert rebuilt[key] == kept
