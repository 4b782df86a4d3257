"""Schema-valid tokens end to end: the Python SDK client, talking to `veil run` in front of a real stdio
server whose tool declares a strict `outputSchema` (`typed_output_backend.py`: an `integer`, a `pattern`,
a `format: email`, a `maxLength`, an `enum`), validates and accepts the tokenized result, in both protocol
eras; straight to the server it gets the real values, which the proxy never shows."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import anyio
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from mcp import Client

from vault.tokens import TOKEN_RE

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
BACKEND = [sys.executable, str(Path(__file__).with_name("typed_output_backend.py"))]
sys.path.insert(0, str(Path(__file__).parent))
from typed_output_backend import OUTPUT_SCHEMA, RECORD  # noqa: E402


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_the_python_sdk_client_accepts_a_tokenized_result_of_a_strictly_typed_tool(veil_stdio, mode):
    with anyio.fail_after(60):
        async with Client(veil_stdio(BACKEND), mode=mode) as client:
            listed = (await client.list_tools()).tools[0]
            result = await client.call_tool("contact", {})  # the SDK validates structuredContent here
            era = client.protocol_version
    assert era == ("2025-11-25" if mode == "legacy" else "2026-07-28")
    assert not result.is_error
    got = result.structured_content
    for key in ("customerId", "email", "phone", "name", "owner"):
        assert TOKEN_RE.fullmatch(got[key]), key
    assert all(TOKEN_RE.fullmatch(v) for v in got["cc"]) and got["status"] == "active"
    shown = json.dumps(got) + json.dumps(listed.output_schema)
    for value in (
        "7157461338",
        "jane.miller@",
        "555 0134",
        "Jane Miller",
        "ops.lead@",
        "ann.lee@",
        "bo.chan@",
    ):
        assert value not in shown
    checker = FormatChecker()
    assert not Draft202012Validator(OUTPUT_SCHEMA, format_checker=checker).is_valid(got)  # why it matters
    assert Draft202012Validator(listed.output_schema, format_checker=checker).is_valid(got)


async def test_straight_to_the_server_the_strict_schema_and_the_real_values_come_back(direct_stdio):
    with anyio.fail_after(60):
        async with Client(direct_stdio(BACKEND), mode="legacy") as client:
            listed = (await client.list_tools()).tools[0]
            result = await client.call_tool("contact", {})
    assert listed.output_schema == OUTPUT_SCHEMA and result.structured_content == RECORD
