"""The Search Console example server: google-api-python-client's discovery client, built from the shipped
discovery document, offline through the library's HttpMockSequence seam."""

from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from googleapiclient.http import HttpMockSequence
from mcp import Client, StdioServerParameters

from examples.fakedata import agency
from examples.fixtures.search_console import FIXTURE_ROWS, FixtureHttp
from examples.search_console_server import SCOPES, build_server, build_service, choose_mode
from vault.tokens import TOKEN_RE

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]
WORLD = agency(7)
ACME_SITE = "https://www.acme-plumbing.example/"
ACME_DOMAIN = "sc-domain:acme-plumbing.example"
Q1 = {"site_url": ACME_SITE, "start_date": "2025-01-01", "end_date": "2025-03-31"}
CREDENTIAL_ENV = ("GOOGLE_APPLICATION_CREDENTIALS", "VEIL_EXAMPLE_MODE")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def _call(name: str, arguments: dict[str, Any] | None = None, http: Any = None) -> Any:
    async with Client(build_server(http if http is not None else FixtureHttp(WORLD))) as client:
        return await client.call_tool(name, arguments or {})


async def _ok(name: str, arguments: dict[str, Any] | None = None, http: Any = None) -> dict[str, Any]:
    result = await _call(name, arguments, http)
    assert not result.is_error, result.content
    payload: dict[str, Any] = result.structured_content
    return payload


async def test_the_server_offers_sites_and_search_analytics_tools():
    async with Client(build_server(FixtureHttp(WORLD))) as client:
        names = [t.name for t in (await client.list_tools()).tools]
    assert names == ["list_sites", "get_site", "search_analytics_query"]


async def test_list_sites_is_the_sites_list_body_with_url_prefix_and_domain_properties():
    payload = await _ok("list_sites")
    assert payload == {
        "siteEntry": [{"siteUrl": s.site_url, "permissionLevel": s.permission_level} for s in WORLD.sites]
    }
    assert {ACME_SITE, ACME_DOMAIN} <= {e["siteUrl"] for e in payload["siteEntry"]}


async def test_get_site_reads_one_property_by_its_url():
    assert await _ok("get_site", {"site_url": ACME_DOMAIN}) == {
        "siteUrl": ACME_DOMAIN,
        "permissionLevel": "siteOwner",
    }


async def test_search_analytics_rows_have_query_and_page_keys_and_metrics_sorted_by_clicks():
    payload = await _ok("search_analytics_query", {**Q1, "row_limit": 50})
    rows = payload["rows"]
    assert len(rows) == 50 and payload["responseAggregationType"] == "byPage"
    assert set(rows[0]) == {"keys", "clicks", "impressions", "ctr", "position"}
    assert all(len(r["keys"]) == 2 and r["keys"][1].startswith(ACME_SITE) for r in rows)
    assert [r["clicks"] for r in rows] == sorted((r["clicks"] for r in rows), reverse=True)


async def test_start_row_pages_through_one_consistent_result():
    first = (await _ok("search_analytics_query", {**Q1, "row_limit": 40}))["rows"]
    second = (await _ok("search_analytics_query", {**Q1, "row_limit": 20, "start_row": 20}))["rows"]
    assert second == first[20:40]


async def test_grouping_by_query_alone_sums_the_pages_of_each_query():
    by_pair = (await _ok("search_analytics_query", {**Q1, "row_limit": FIXTURE_ROWS}))["rows"]
    by_query = await _ok("search_analytics_query", {**Q1, "dimensions": ["query"], "row_limit": 5})
    top = by_query["rows"][0]
    assert by_query["responseAggregationType"] == "byProperty"
    assert top["clicks"] == sum(r["clicks"] for r in by_pair if r["keys"][0] == top["keys"][0])


async def test_a_query_filter_keeps_only_matching_queries():
    payload = await _ok("search_analytics_query", {**Q1, "query_contains": "reviews", "row_limit": 100})
    assert payload["rows"] and all("reviews" in r["keys"][0] for r in payload["rows"])


async def test_other_search_types_have_no_rows_and_the_api_then_omits_them():
    payload = await _ok("search_analytics_query", {**Q1, "search_type": "image"})
    assert payload == {"responseAggregationType": "byPage"}


async def test_an_unknown_site_is_the_apis_permission_error_quoting_the_site_it_received():
    result = await _call("search_analytics_query", {**Q1, "site_url": "[[SITE_URL:zzz]]"})
    assert result.is_error
    assert "403" in result.content[0].text and "[[SITE_URL:zzz]]" in result.content[0].text


async def test_a_malformed_date_is_refused_before_any_request():
    http = FixtureHttp(WORLD)
    result = await _call("search_analytics_query", {**Q1, "start_date": "01/02/2025"}, http)
    assert result.is_error and "01/02/2025" in result.content[0].text
    assert http.request_sequence == []


async def test_requests_go_to_the_discovery_documents_paths_with_the_json_body_the_api_expects():
    http = FixtureHttp(WORLD)
    await _ok("search_analytics_query", {**Q1, "site_url": ACME_DOMAIN, "row_limit": 3}, http)
    uri, method, body, _ = http.request_sequence[-1]
    assert method == "POST"
    assert uri.startswith(
        "https://searchconsole.googleapis.com/webmasters/v3/sites/sc-domain%3Aacme-plumbing.example/searchAnalytics/query"
    )
    assert json.loads(body) == {
        "startDate": "2025-01-01",
        "endDate": "2025-03-31",
        "dimensions": ["query", "page"],
        "rowLimit": 3,
        "startRow": 0,
        "type": "web",
    }


async def test_a_plain_http_mock_sequence_of_recorded_responses_drives_the_server():
    recorded = {"siteEntry": [{"siteUrl": "sc-domain:recorded.example", "permissionLevel": "siteFullUser"}]}
    http = HttpMockSequence([({"status": "200"}, json.dumps(recorded))])  # no discovery fetch is queued
    assert await _ok("list_sites", http=http) == recorded
    assert http.request_sequence[0][0].startswith("https://searchconsole.googleapis.com/webmasters/v3/sites")


def test_auto_mode_is_offline_without_credentials_and_real_with_them(monkeypatch, tmp_path):
    for name in CREDENTIAL_ENV:
        monkeypatch.delenv(name, raising=False)
    assert choose_mode() == "offline"
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "key.json"))
    assert choose_mode() == "real"
    assert choose_mode("offline") == "offline"
    with pytest.raises(ValueError, match="mode"):
        choose_mode("sometimes")


def test_real_mode_builds_the_discovery_client_on_the_configured_credentials_without_a_request(
    monkeypatch, tmp_path
):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "veil-test",
        "private_key_id": "1",
        "private_key": pem,
        "client_email": "reporting@veil-test.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    (tmp_path / "key.json").write_text(json.dumps(info))
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "key.json"))
    service = build_service(mode="real")
    assert service._baseUrl == "https://searchconsole.googleapis.com/"
    credentials = service._http.credentials
    assert credentials.service_account_email == info["client_email"]
    assert list(credentials.scopes) == SCOPES


# ------------------------------------------------------------------------------------------ through the proxy


@pytest.mark.e2e
async def test_through_veil_sites_are_tokens_and_search_analytics_by_token_reaches_the_real_site(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in CREDENTIAL_ENV},
        "PYTHONPATH": str(ROOT),
        "VEIL_HOME": str(tmp_path / "veil"),
        "VEIL_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
        "VEIL_EXAMPLE_MODE": "offline",
    }
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "proxy", "run", "--", sys.executable, "-m", "examples.search_console_server"],
        cwd=str(ROOT),
        env=env,
    )
    with anyio.fail_after(60):
        async with Client(params, mode="legacy") as client:
            sites = (await client.call_tool("list_sites", {})).structured_content
            acme_token = sites["siteEntry"][0]["siteUrl"]
            rows = await client.call_tool(
                "search_analytics_query", {**Q1, "site_url": acme_token, "row_limit": 20}
            )
            site = (await client.call_tool("get_site", {"site_url": acme_token})).structured_content
    assert all(TOKEN_RE.fullmatch(e["siteUrl"]) for e in sites["siteEntry"]), sites
    assert not any(s.site_url in json.dumps(sites) for s in WORLD.sites)
    assert not rows.is_error, rows.content
    assert len(rows.structured_content["rows"]) == 20
    # the site's own page URLs are not personal data: they come through readable
    assert any(r["keys"][1].startswith(ACME_SITE) for r in rows.structured_content["rows"])
    assert site == {"siteUrl": acme_token, "permissionLevel": WORLD.sites[0].permission_level}
