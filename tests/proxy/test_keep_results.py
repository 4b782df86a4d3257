"""`keep_results: true`: a result within its budget is shown whole and kept with a handle; the query tool's
answer is scanned like any result (a stored token stays the same token, an email in a computed text is
tokenized)."""

import pytest

from proxy.policy import ToolSpec
from tests.proxy.conftest import PERSON, make_backend

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


async def test_a_kept_result_is_shown_whole_with_a_handle_and_can_be_queried(proxied, engine):
    engine.policy.tool_specs["report"] = ToolSpec(keep_results=True)
    async with proxied(make_backend([])) as (client, _):
        result = await client.call_tool("report", {"rows": 98})
        listed = {t.name for t in (await client.list_tools(cache_mode="refresh")).tools}
        handle = "veil://results/" + result.meta["io.mcp-veil/budget"]["resultId"]
        grouped = await client.call_tool(
            "veil_query_result",
            {"result": handle, "sql": "SELECT keys[1] AS q, count(*) AS n FROM rows "
                                      "WHERE keys[1] LIKE 'contact%' GROUP BY q"},
        )  # fmt: skip
        mailed = await client.call_tool(
            "veil_query_result",
            {"result": handle, "sql": f"SELECT 'write to {PERSON['email']}' AS note FROM rows LIMIT 1"},
        )
    rows = result.structured_content["rows"]
    assert len(rows) == 98 and handle in result.content[-1].text
    assert {"veil_result_page", "veil_query_result"} <= listed
    token = rows[0]["keys"][0].removeprefix("contact ")
    assert grouped.structured_content["rows"] == [{"q": f"contact {token}", "n": 2}] and token.startswith(
        "[[EMAIL"
    )
    note = mailed.structured_content["rows"][0]["note"]
    assert PERSON["email"] not in mailed.model_dump_json() and note == f"write to {token}"
