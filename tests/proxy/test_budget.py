"""Response budgets: a large result reaches the model as a page, a summary and a note; the rest is paged."""

import json

import pytest
from mcp import MCPError

from proxy.budget import PAGE_TOOL, summarize
from proxy.policy import ToolSpec
from tests.proxy.conftest import PERSON, make_backend

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


def texts(result) -> list[str]:
    return [getattr(c, "text", "") for c in result.content]


async def test_a_large_result_arrives_as_a_page_a_summary_and_a_note_and_can_be_paged_in_full(proxied):
    async with proxied(make_backend([])) as (client, _):
        before = {t.name for t in (await client.list_tools()).tools}
        result = await client.call_tool("report", {"rows": 25_000})
        listed = {t.name for t in (await client.list_tools(cache_mode="refresh")).tools}
        full_size = len(json.dumps({"rows": [{"keys": ["plumber near me 1", "https://x/p/1"]}] * 25_000}))
        shown = result.structured_content["rows"]
        note = texts(result)[-1]
        result_id = result.meta["io.mcp-veil/budget"]["resultId"]
        pages = [await client.call_tool(PAGE_TOOL, {"result_id": result_id, "page": p}) for p in (1, 2, 250)]
        with pytest.raises(MCPError, match="out of range"):
            await client.call_tool(PAGE_TOOL, {"result_id": result_id, "page": 251})
        resource = await client.read_resource(f"veil://results/{result_id}?page=2")
    assert PAGE_TOOL not in before and PAGE_TOOL in listed  # offered once there is something to page
    assert len(shown) == 100 and "showing 100 of 25000 rows" in note
    assert sum(len(t) for t in texts(result)) < full_size / 10
    summary = json.loads(note.split("Summary: ", 1)[1])
    assert summary["rows"] == 25_000
    assert summary["columns"]["clicks"]["sum"] == sum(i % 7 for i in range(25_000))
    first, second, last = (p.structured_content for p in pages)
    assert first["rows"] == shown and first["pages"] == 250 and first["total"] == 25_000
    assert second["rows"][0]["clicks"] == 100 % 7 and len(last["rows"]) == 100
    assert json.loads(resource.contents[0].text) == second
    everything = json.dumps([shown, second, last, summary])
    assert PERSON["email"] not in everything and "[[EMAIL_ADDRESS:" in everything


async def test_a_stored_result_cannot_be_read_from_another_session(proxied):
    async with proxied(make_backend([])) as (client, _):
        result = await client.call_tool("report", {"rows": 500})
        result_id = result.meta["io.mcp-veil/budget"]["resultId"]
    async with proxied(make_backend([])) as (client, _):
        with pytest.raises(MCPError, match="unknown, has expired, or belongs to another session"):
            await client.call_tool(PAGE_TOOL, {"result_id": result_id, "page": 1})


async def test_a_budget_can_be_switched_off_per_tool(proxied, engine):
    engine.policy.tool_specs["report"] = ToolSpec(budget="off")
    async with proxied(make_backend([])) as (client, _):
        result = await client.call_tool("report", {"rows": 500})
    assert len(result.structured_content["rows"]) == 500


def test_the_summary_has_totals_averages_and_top_values():
    rows = [
        {"keys": ["a", "x"], "clicks": 1, "m": {"cost": 2.5}},
        {"keys": ["a", "y"], "clicks": 3, "m": {"cost": 0.5}},
    ]
    s = summarize(rows)
    assert s["rows"] == 2
    assert s["columns"]["clicks"] == {"sum": 4.0, "mean": 2.0, "min": 1.0, "max": 3.0}
    assert s["columns"]["m.cost"]["sum"] == 3.0
    assert s["columns"]["keys[0]"]["top"] == [["a", 2]]
