"""The Google Ads example server: the google-ads library's own clients, offline against an in-process gRPC
server that speaks the real service interfaces, answering in the API's REST/JSON shapes."""

from __future__ import annotations

import base64
import os
import sys
from pathlib import Path
from typing import Any, ClassVar

import anyio
import grpc
import pytest
import yaml
from google.ads.googleads.v26.services.types.customer_service import ListAccessibleCustomersResponse
from google.ads.googleads.v26.services.types.google_ads_service import SearchGoogleAdsResponse
from google.protobuf import json_format
from mcp import Client, StdioServerParameters

from examples.fakedata import agency
from examples.fixtures.google_ads import serve
from examples.google_ads_server import API_VERSION, AdsApi, build_server, choose_mode
from proxy.policy import parse_path
from vault.tokens import TOKEN_RE

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]
WORLD = agency(7)
MANAGER = WORLD.manager
ACME = WORLD.clients[0]
GOOGLE_ENV = ("GOOGLE_ADS_DEVELOPER_TOKEN", "GOOGLE_ADS_CONFIGURATION_FILE_PATH", "VEIL_EXAMPLE_MODE")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def api() -> Any:
    made = AdsApi.offline(WORLD)
    yield made
    made.close()


async def _call(api: AdsApi, name: str, arguments: dict[str, Any] | None = None) -> Any:
    async with Client(build_server(api)) as client:
        return await client.call_tool(name, arguments or {})


async def _ok(api: AdsApi, name: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
    result = await _call(api, name, arguments)
    assert not result.is_error, result.content
    payload: dict[str, Any] = result.structured_content
    return payload


def _is_api_message(payload: dict[str, Any], message: Any) -> bool:
    """The JSON parses back into the API's message with no unknown field: it is the REST shape."""
    json_format.ParseDict(payload, message.pb()(), ignore_unknown_fields=False)
    return True


async def test_the_server_offers_the_four_google_ads_tools(api):
    async with Client(build_server(api)) as client:
        names = [t.name for t in (await client.list_tools()).tools]
    assert names == ["list_accessible_customers", "list_customer_clients", "list_campaigns", "search"]


async def test_accessible_customers_are_the_resource_names_of_every_account(api):
    payload = await _ok(api, "list_accessible_customers")
    assert payload == {"resourceNames": [f"customers/{c.customer_id}" for c in WORLD.customers]}
    assert _is_api_message(payload, ListAccessibleCustomersResponse)


async def test_customer_clients_are_the_managers_tree_in_the_rest_json_shape(api):
    payload = await _ok(api, "list_customer_clients")
    rows = [r["customerClient"] for r in payload["results"]]
    assert rows[0] == {
        "resourceName": f"customers/{MANAGER.customer_id}/customerClients/{MANAGER.customer_id}",
        "clientCustomer": f"customers/{MANAGER.customer_id}",
        "level": "0",
        "timeZone": MANAGER.time_zone,
        "manager": True,
        "descriptiveName": MANAGER.descriptive_name,
        "currencyCode": MANAGER.currency_code,
        "id": MANAGER.customer_id,
        "status": "ENABLED",
    }
    assert sorted(r["id"] for r in rows[1:]) == sorted(c.customer_id for c in WORLD.clients)
    assert {r["level"] for r in rows[1:]} == {"1"}
    assert payload["fieldMask"].startswith("customerClient.resourceName,customerClient.clientCustomer")
    assert _is_api_message(payload, SearchGoogleAdsResponse)


async def test_campaigns_come_with_metrics_written_as_the_rest_api_writes_them(api):
    payload = await _ok(api, "list_campaigns", {"customer_id": ACME.display_id})
    expected = sorted(WORLD.campaigns_for(ACME.customer_id), key=lambda c: int(c.campaign_id))
    assert [r["campaign"]["name"] for r in payload["results"]] == [c.name for c in expected]
    first, campaign = payload["results"][0], expected[0]
    assert first["customer"] == {
        "id": ACME.customer_id,
        "descriptiveName": ACME.descriptive_name,
        "currencyCode": ACME.currency_code,
    }
    assert (
        first["campaign"]["resourceName"] == f"customers/{ACME.customer_id}/campaigns/{campaign.campaign_id}"
    )
    assert first["campaign"]["status"] == campaign.status  # enums by name
    assert first["metrics"]["clicks"] == str(campaign.clicks)  # int64 as a string
    assert first["metrics"]["costMicros"] == str(campaign.cost_micros)
    assert first["campaign"]["startDateTime"] == f"{campaign.start_date} 00:00:00"
    assert _is_api_message(payload, SearchGoogleAdsResponse)


async def test_a_status_filter_keeps_only_the_campaigns_with_that_status(api):
    payload = await _ok(api, "list_campaigns", {"customer_id": ACME.customer_id, "status": "paused"})
    wanted = [c.name for c in WORLD.campaigns_for(ACME.customer_id) if c.status == "PAUSED"]
    assert sorted(r["campaign"]["name"] for r in payload.get("results", [])) == sorted(wanted)


async def test_search_runs_gaql_and_returns_only_the_selected_fields(api):
    query = (
        "SELECT customer_manager_link.manager_customer, customer_manager_link.status "
        "FROM customer_manager_link WHERE customer_manager_link.status = 'ACTIVE'"
    )
    payload = await _ok(api, "search", {"customer_id": f"customers/{ACME.customer_id}", "query": query})
    assert payload["results"] == [
        {"customerManagerLink": {"status": "ACTIVE", "managerCustomer": f"customers/{MANAGER.customer_id}"}}
    ]
    assert payload["totalResultsCount"] == "1"


async def test_the_manager_sees_a_client_link_for_each_client(api):
    query = "SELECT customer_client_link.client_customer FROM customer_client_link LIMIT 3"
    payload = await _ok(api, "search", {"customer_id": MANAGER.customer_id, "query": query})
    clients = {f"customers/{c.customer_id}" for c in WORLD.clients}
    assert len(payload["results"]) == 3
    assert all(r["customerClientLink"]["clientCustomer"] in clients for r in payload["results"])


async def test_gaql_conditions_ordering_and_limit_are_applied_like_the_api_does(api):
    query = (
        "SELECT campaign.id, campaign.status FROM campaign WHERE segments.date DURING LAST_30_DAYS "
        "AND campaign.status IN ('ENABLED', 'PAUSED') AND metrics.clicks > 0 "
        "ORDER BY metrics.clicks DESC LIMIT 2"
    )
    payload = await _ok(api, "search", {"customer_id": ACME.customer_id, "query": query})
    top = sorted(WORLD.campaigns_for(ACME.customer_id), key=lambda c: -c.clicks)[:2]
    assert payload["results"] == [{"campaign": {"status": c.status, "id": c.campaign_id}} for c in top]
    assert payload["fieldMask"] == "campaign.id,campaign.status"


async def test_an_unknown_gaql_field_is_the_apis_query_error(api):
    result = await _call(
        api, "search", {"customer_id": ACME.customer_id, "query": "SELECT campaign.nam FROM campaign"}
    )
    assert result.is_error
    assert "INVALID_ARGUMENT" in result.content[0].text and "campaign.nam" in result.content[0].text


async def test_an_inaccessible_customer_is_refused_and_the_id_it_received_is_quoted(api):
    result = await _call(api, "list_campaigns", {"customer_id": "1111111111"})
    assert result.is_error
    assert "PERMISSION_DENIED" in result.content[0].text and "1111111111" in result.content[0].text


async def test_a_malformed_customer_id_is_refused_before_any_api_call(api):
    before = len(api.fake.requests)
    result = await _call(api, "list_campaigns", {"customer_id": "[[GOOGLE_ADS_CUSTOMER_ID:zzz]]"})
    assert result.is_error and "[[GOOGLE_ADS_CUSTOMER_ID:zzz]]" in result.content[0].text
    assert len(api.fake.requests) == before


async def test_the_fake_api_receives_the_library_headers_and_the_real_method_paths(api):
    before = len(api.fake.requests)
    await _ok(api, "list_campaigns", {"customer_id": ACME.customer_id})
    method, metadata, request = api.fake.requests[before]
    assert method == "SearchStream"
    assert metadata["developer-token"] == "offline-developer-token"
    assert metadata["login-customer-id"] == MANAGER.customer_id
    assert request.customer_id == ACME.customer_id and "FROM campaign" in request.query


def test_the_fake_api_refuses_a_call_without_a_developer_token():
    server, target, _ = serve(WORLD)
    try:
        with grpc.insecure_channel(target) as channel:
            call = channel.unary_unary(
                f"/google.ads.googleads.{API_VERSION}.services.CustomerService/ListAccessibleCustomers",
                request_serializer=lambda m: b"",
                response_deserializer=lambda b: b,
            )
            with pytest.raises(grpc.RpcError) as err:
                call(object(), timeout=5)
        assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
    finally:
        server.stop(None)


def test_auto_mode_is_offline_without_credentials_and_real_with_them(monkeypatch, tmp_path):
    for name in GOOGLE_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert choose_mode() == "offline"
    (tmp_path / "google-ads.yaml").write_text("developer_token: x\n")
    assert choose_mode() == "real"
    assert choose_mode("offline") == "offline"
    monkeypatch.setenv("VEIL_EXAMPLE_MODE", "offline")
    assert choose_mode() == "offline"
    with pytest.raises(ValueError, match="mode"):
        choose_mode("sometimes")


class _RecordingClient:
    """Stands in for GoogleAdsClient in real mode: loading the real one refreshes OAuth over the network."""

    login_customer_id = MANAGER.customer_id
    loaded_with: ClassVar[list[tuple[str, Any]]] = []

    @classmethod
    def load_from_env(cls, version: str | None = None) -> _RecordingClient:
        cls.loaded_with.append(("env", version))
        return cls()

    @classmethod
    def load_from_storage(cls, path: str | None = None, version: str | None = None) -> _RecordingClient:
        cls.loaded_with.append((f"storage:{path}", version))
        return cls()

    def get_service(self, name: str, version: str | None = None) -> tuple[str, str | None]:
        return (name, version)


def test_real_mode_loads_the_library_client_from_the_environment_or_its_yaml_file(monkeypatch, tmp_path):
    import google.ads.googleads.client as library

    monkeypatch.setattr(library, "GoogleAdsClient", _RecordingClient)
    _RecordingClient.loaded_with.clear()
    for name in GOOGLE_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GOOGLE_ADS_DEVELOPER_TOKEN", "dev-token")
    api = AdsApi.real()
    assert api.login_customer_id == MANAGER.customer_id
    assert api.service("CustomerService") == ("CustomerService", API_VERSION)  # the library's get_service
    monkeypatch.delenv("GOOGLE_ADS_DEVELOPER_TOKEN")
    monkeypatch.setenv("GOOGLE_ADS_CONFIGURATION_FILE_PATH", str(tmp_path / "ads.yaml"))
    AdsApi.real()
    assert _RecordingClient.loaded_with == [
        ("env", API_VERSION),
        (f"storage:{tmp_path / 'ads.yaml'}", API_VERSION),
    ]


async def test_real_mode_without_any_configuration_is_a_tool_error_naming_what_is_missing(
    monkeypatch, tmp_path
):
    for name in GOOGLE_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    async with Client(build_server(mode="real")) as client:
        result = await client.call_tool("list_accessible_customers", {})
    assert result.is_error
    assert "Google Ads API is not available" in result.content[0].text
    assert "google-ads.yaml" in result.content[0].text


def _values(node: Any, segments: tuple[str | int | None, ...]) -> list[Any]:
    if not segments:
        return [node]
    head, rest = segments[0], segments[1:]
    if head is None and isinstance(node, list):
        return [v for item in node for v in _values(item, rest)]
    if isinstance(head, str) and isinstance(node, dict) and head in node:
        return _values(node[head], rest)
    return []


async def test_every_path_of_the_google_ads_pack_reaches_values_in_this_servers_answers(api):
    answers = [
        await _ok(api, "list_accessible_customers"),
        await _ok(api, "list_customer_clients"),
        await _ok(api, "list_campaigns", {"customer_id": ACME.customer_id}),
    ]
    for resource in ("customer_manager_link", "customer_client_link"):
        linked = "manager_customer" if "manager" in resource else "client_customer"
        fields = f"{resource}.resource_name, {resource}.{linked}"
        for customer in (MANAGER, ACME):
            answers.append(
                await _ok(
                    api,
                    "search",
                    {"customer_id": customer.customer_id, "query": f"SELECT {fields} FROM {resource}"},
                )
            )
    answers.append(
        await _ok(
            api,
            "search",
            {
                "customer_id": ACME.customer_id,
                "query": "SELECT customer.id, customer.descriptive_name, customer.resource_name "
                "FROM customer",
            },
        )
    )
    pack = yaml.safe_load((ROOT / "policies" / "google-ads.yaml").read_text())
    paths = {
        p
        for name, spec in pack["tools"].items()
        if "response" in spec
        for r in spec["fields"]
        for p in r["paths"]
    }
    unreached = [p for p in sorted(paths) if not any(_values(a, parse_path(p)) for a in answers)]
    assert unreached == []


# ------------------------------------------------------------------------------------------ through the proxy


@pytest.mark.e2e
async def test_through_veil_the_model_sees_tokens_and_campaigns_by_token_reach_the_real_account(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in GOOGLE_ENV},
        "PYTHONPATH": str(ROOT),
        "VEIL_HOME": str(tmp_path / "veil"),
        "VEIL_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
        "VEIL_EXAMPLE_MODE": "offline",
    }
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "proxy", "run", "--", sys.executable, "-m", "examples.google_ads_server"],
        cwd=str(ROOT),
        env=env,
    )
    with anyio.fail_after(60):
        async with Client(params, mode="legacy") as client:
            accessible = (await client.call_tool("list_accessible_customers", {})).structured_content
            acme_token = accessible["resourceNames"][WORLD.customers.index(ACME)]
            campaigns = await client.call_tool("list_campaigns", {"customer_id": acme_token})
            clients = (await client.call_tool("list_customer_clients", {})).structured_content
    names = accessible["resourceNames"]
    assert all(TOKEN_RE.fullmatch(n) for n in names), names
    assert not campaigns.is_error, campaigns.content
    rows = campaigns.structured_content["results"]
    assert [r["campaign"]["id"] for r in rows] == sorted(
        (c.campaign_id for c in WORLD.campaigns_for(ACME.customer_id)), key=int
    )
    assert TOKEN_RE.fullmatch(rows[0]["customer"]["id"]) and TOKEN_RE.fullmatch(
        rows[0]["customer"]["descriptiveName"]
    )
    text = campaigns.content[0].text + str(clients)
    assert not [c.customer_id for c in WORLD.customers if c.customer_id in text]
    # An account name inside a campaign name of the same answer is replaced too (known-value propagation
    # within the message that revealed it).
    assert [c.descriptive_name for c in WORLD.customers if c.descriptive_name in text] == []
