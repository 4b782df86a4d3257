"""The Google Ads / Search Console / CRM example backend answers like the real APIs, over fake data."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, MCPError, StdioServerParameters

from examples.ads_console_server import TRACE_ENV, build_server
from examples.fakedata import agency

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]
WORLD = agency(7)
ACME = WORLD.clients[0]
ACME_SITE = "https://www.acme-plumbing.example/"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _no_inherited_trace(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TRACE_ENV, raising=False)


async def _call(name: str, arguments: dict[str, Any] | None = None, **server_kwargs: Any) -> Any:
    async with Client(build_server(**server_kwargs)) as client:
        return await client.call_tool(name, arguments or {})


async def _ok(name: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
    result = await _call(name, arguments)
    assert not result.is_error, result.content
    return result.structured_content


async def test_the_server_lists_its_seven_tools_with_read_only_hints_on_the_readers():
    async with Client(build_server()) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(tools) == {
        "list_accessible_customers",
        "list_accounts",
        "list_campaigns",
        "list_sites",
        "search_analytics",
        "crm_search",
        "send_email",
    }
    assert tools["list_campaigns"].input_schema["required"] == ["customer_id"]
    assert tools["list_sites"].annotations.read_only_hint is True
    assert tools["send_email"].annotations.read_only_hint is False


async def test_tool_results_carry_the_same_json_as_text_and_as_structured_content():
    result = await _call("list_accounts")
    assert len(result.content) == 1
    assert json.loads(result.content[0].text) == result.structured_content


async def test_list_accessible_customers_returns_every_customer_resource_name():
    body = await _ok("list_accessible_customers")
    assert body == {"resourceNames": [f"customers/{c.customer_id}" for c in WORLD.customers]}


async def test_list_accounts_returns_ids_names_currencies_time_zones_and_contacts():
    accounts = (await _ok("list_accounts"))["accounts"]
    assert len(accounts) == len(WORLD.customers)
    acme = next(a for a in accounts if a["customerId"] == ACME.customer_id)
    assert acme["descriptiveName"] == "Acme Plumbing LLC"
    assert (acme["currencyCode"], acme["timeZone"], acme["manager"]) == ("USD", "America/Los_Angeles", False)
    assert acme["contactEmail"] == ACME.contact_email
    assert sum(a["manager"] for a in accounts) == 1


async def test_list_campaigns_accepts_plain_and_dashed_customer_ids_alike():
    plain = await _ok("list_campaigns", {"customer_id": ACME.customer_id})
    dashed = await _ok("list_campaigns", {"customer_id": ACME.display_id})
    assert plain == dashed
    assert plain["totalResultsCount"] == len(plain["results"]) >= 3
    row = plain["results"][0]
    assert row["customer"]["descriptiveName"] == "Acme Plumbing LLC"
    assert row["campaign"]["resourceName"].startswith(f"customers/{ACME.customer_id}/campaigns/")
    assert "Acme Plumbing LLC" in row["campaign"]["name"]
    assert set(row["metrics"]) >= {"impressions", "clicks", "costMicros", "ctr"}


async def test_list_campaigns_reports_the_unknown_customer_id_it_received():
    token = "[[CUSTOMER_ID:k7q2m9x4tz3b8w]]"
    result = await _call("list_campaigns", {"customer_id": token})
    assert result.is_error
    assert token in result.content[0].text
    assert "Unknown customer id" in result.content[0].text


async def test_list_sites_returns_site_entries_with_permission_levels():
    entries = (await _ok("list_sites"))["siteEntry"]
    assert {"siteUrl": ACME_SITE, "permissionLevel": WORLD.site(ACME_SITE).permission_level} in entries
    assert all(set(e) == {"siteUrl", "permissionLevel"} for e in entries)


async def test_search_analytics_returns_the_requested_number_of_rows_in_the_api_shape():
    args = {"site_url": ACME_SITE, "start_date": "2025-10-01", "end_date": "2025-10-31", "row_limit": 50}
    body = await _ok("search_analytics", args)
    assert body["responseAggregationType"] == "byPage"
    assert len(body["rows"]) == 50
    assert all(len(r["keys"]) == 2 for r in body["rows"])
    assert body == await _ok("search_analytics", args)  # deterministic per site and date range


async def test_search_analytics_defaults_to_one_hundred_rows():
    body = await _ok(
        "search_analytics", {"site_url": ACME_SITE, "start_date": "2025-10-01", "end_date": "2025-10-31"}
    )
    assert len(body["rows"]) == 100


async def test_search_analytics_reports_an_unknown_site_by_name():
    site = "https://www.[[URL:abc123]]/"
    result = await _call(
        "search_analytics", {"site_url": site, "start_date": "2025-10-01", "end_date": "2025-10-31"}
    )
    assert result.is_error
    assert site in result.content[0].text


@pytest.mark.parametrize(
    ("start", "end", "limit", "complaint"),
    [
        ("yesterday", "2025-10-31", 10, "start_date"),
        ("2025-11-01", "2025-10-31", 10, "after"),
        ("2025-10-01", "2025-10-31", 0, "row_limit"),
        ("2025-10-01", "2025-10-31", 25_001, "row_limit"),
    ],
)
async def test_search_analytics_rejects_bad_dates_and_row_limits(
    start: str, end: str, limit: int, complaint: str
):
    args = {"site_url": ACME_SITE, "start_date": start, "end_date": end, "row_limit": limit}
    result = await _call("search_analytics", args)
    assert result.is_error
    assert complaint in result.content[0].text


async def test_search_analytics_with_25000_rows_returns_a_4_to_6_megabyte_text_block():
    args = {"site_url": ACME_SITE, "start_date": "2025-01-01", "end_date": "2025-03-31", "row_limit": 25_000}
    result = await _call("search_analytics", args)
    assert len(result.structured_content["rows"]) == 25_000
    assert 4_000_000 <= len(result.content[0].text.encode()) <= 6_000_000


async def test_crm_search_finds_contacts_by_name_and_by_company():
    contact = WORLD.contacts[0]
    by_name = await _ok("crm_search", {"query": contact.full_name})
    assert contact.contact_id in [c["contactId"] for c in by_name["contacts"]]
    assert by_name["totalSize"] == len(by_name["contacts"])
    by_company = await _ok("crm_search", {"query": "Acme Plumbing"})
    assert by_company["totalSize"] >= 2
    assert {"fullName", "email", "phoneNumber", "notes"} <= set(by_company["contacts"][0])


async def test_send_email_echoes_the_recipient_and_a_preview_of_the_body():
    body = (
        "Hi Jane, your October report is attached. Spend was within budget and CTR rose to 5.4 %. Best, Sam"
    )
    reply = await _ok("send_email", {"to": "jane.miller@acme.example", "subject": "October", "body": body})
    assert reply == {"status": "sent", "to": "jane.miller@acme.example", "preview": body[:80]}


async def test_the_contacts_resource_lists_every_contact():
    async with Client(build_server()) as client:
        assert [str(r.uri) for r in (await client.list_resources()).resources] == ["crm://contacts"]
        result = await client.read_resource("crm://contacts")
    listing = json.loads(result.contents[0].text)["contacts"]
    assert [c["contactId"] for c in listing] == [c.contact_id for c in WORLD.contacts]


async def test_the_contact_template_reads_one_contact_and_refuses_an_unknown_id():
    contact = WORLD.contacts[2]
    async with Client(build_server()) as client:
        templates = (await client.list_resource_templates()).resource_templates
        assert [t.uri_template for t in templates] == ["crm://contacts/{contact_id}"]
        result = await client.read_resource(f"crm://contacts/{contact.contact_id}")
        assert json.loads(result.contents[0].text) == contact.to_api()
        with pytest.raises(MCPError, match="ct_9999"):
            await client.read_resource("crm://contacts/ct_9999")


async def test_the_account_review_prompt_embeds_the_account_name_and_contact_email():
    async with Client(build_server()) as client:
        prompts = (await client.list_prompts()).prompts
        assert [p.name for p in prompts] == ["account_review"]
        result = await client.get_prompt("account_review", {"customer_id": ACME.display_id})
        text = result.messages[0].content.text
        assert "Acme Plumbing LLC" in text and ACME.contact_email in text
        with pytest.raises(MCPError, match="0000000000"):
            await client.get_prompt("account_review", {"customer_id": "0000000000"})


async def test_two_servers_built_from_the_same_seed_answer_identically():
    first = await _call("list_campaigns", {"customer_id": ACME.customer_id}, seed=7)
    second = await _call("list_campaigns", {"customer_id": ACME.customer_id}, seed=7)
    other = await _call("list_accounts", seed=8)
    assert first.structured_content == second.structured_content
    assert ACME.customer_id not in other.content[0].text


async def test_the_trace_file_records_each_call_with_arguments_as_received(tmp_path, monkeypatch):
    trace = tmp_path / "trace.jsonl"
    monkeypatch.setenv(TRACE_ENV, str(trace))
    async with Client(build_server()) as client:
        await client.call_tool(
            "send_email", {"to": "jane@acme.example", "subject": "Hi", "body": "Hello Jane"}
        )
        await client.call_tool("list_campaigns", {"customer_id": "[[CUSTOMER_ID:zzz]]"})
    records = [json.loads(line) for line in trace.read_text(encoding="utf-8").splitlines()]
    assert records[0] == {
        "tool": "send_email",
        "arguments": {"to": "jane@acme.example", "subject": "Hi", "body": "Hello Jane"},
        "result": {"status": "sent", "to": "jane@acme.example", "preview": "Hello Jane"},
        "isError": False,
    }
    assert records[1]["arguments"] == {"customer_id": "[[CUSTOMER_ID:zzz]]"}
    assert records[1]["isError"] is True
    assert "[[CUSTOMER_ID:zzz]]" in records[1]["result"]


async def test_an_explicit_trace_path_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(TRACE_ENV, str(tmp_path / "env.jsonl"))
    await _call("list_sites", trace_path=str(tmp_path / "explicit.jsonl"))
    assert (tmp_path / "explicit.jsonl").exists()
    assert not (tmp_path / "env.jsonl").exists()


@pytest.mark.e2e
async def test_the_server_runs_over_stdio_as_a_module_and_traces_what_it_received(tmp_path):
    trace = tmp_path / "trace.jsonl"
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "examples.ads_console_server", "--seed", "7"],
        cwd=str(ROOT),
        env={TRACE_ENV: str(trace), "PYTHONPATH": str(ROOT)},
    )
    async with Client(params, read_timeout_seconds=60) as client:
        accounts = await client.call_tool("list_accounts", {})
        campaigns = await client.call_tool("list_campaigns", {"customer_id": ACME.display_id})
        big = await client.call_tool(
            "search_analytics",
            {
                "site_url": ACME_SITE,
                "start_date": "2025-01-01",
                "end_date": "2025-03-31",
                "row_limit": 25_000,
            },
        )
    assert accounts.structured_content["accounts"][1]["descriptiveName"] == "Acme Plumbing LLC"
    assert campaigns.structured_content["results"][0]["customer"]["id"] == ACME.customer_id
    assert len(big.structured_content["rows"]) == 25_000
    tools = [json.loads(line)["tool"] for line in trace.read_text(encoding="utf-8").splitlines()]
    assert tools == ["list_accounts", "list_campaigns", "search_analytics"]
