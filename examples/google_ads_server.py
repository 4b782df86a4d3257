"""A Google Ads MCP server built on the `google-ads` client library, the way real Google Ads MCP servers are.

    python -m examples.google_ads_server [--mode auto|offline|real] [--seed 7]

Every call goes through `GoogleAdsClient` service clients (`CustomerService.ListAccessibleCustomers`,
`GoogleAdsService.Search` with its pager, `GoogleAdsService.SearchStream`) and every answer is the API's own
response message converted with `google.protobuf.json_format.MessageToDict`, so field names are exactly the
REST/JSON ones (`resourceNames`, `customerClient.clientCustomer`, `descriptiveName`, int64 as strings, enums
by name).

Modes (`--mode`, else $VEIL_EXAMPLE_MODE, else `auto`):
    real     the Google Ads API, configured the library's way: GOOGLE_ADS_* environment variables
             (`GoogleAdsClient.load_from_env`) when GOOGLE_ADS_DEVELOPER_TOKEN is set, else the YAML file at
             $GOOGLE_ADS_CONFIGURATION_FILE_PATH or ~/google-ads.yaml (`load_from_storage`).
    offline  the same service clients, their transports given a channel to an in-process gRPC server on
             127.0.0.1 that serves the real `CustomerService`/`GoogleAdsService` interfaces over fixtures
             built from `examples.fakedata` (see `examples/fixtures/google_ads.py`). No network.
    auto     real when one of the configurations above exists, offline otherwise.

Tools (each answers with the JSON as a text block and as `structuredContent`):
    list_accessible_customers()             ListAccessibleCustomersResponse  {"resourceNames": [...]}
    list_customer_clients(customer_id?)     SearchGoogleAdsResponse over customer_client (the manager's tree)
    list_campaigns(customer_id, status?)    SearchGoogleAdsResponse over campaign with metrics (SearchStream)
    search(customer_id, query)              SearchGoogleAdsResponse for any GAQL query (Search)

Environment: VEIL_EXAMPLE_TRACE=/path/file.jsonl records each tool call as received (as in
`examples.ads_console_server`); VEIL_EXAMPLE_SEED picks the fake data. Logs go to stderr only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import threading
from collections.abc import AsyncIterator, Callable
from importlib import import_module
from pathlib import Path
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations

from examples.ads_console_server import SEED_ENV, TRACE_ENV, TraceMiddleware
from examples.fakedata import Agency, agency, normalize_customer_id
from examples.fixtures.google_ads import API_VERSION

__all__ = ["API_VERSION", "MODE_ENV", "AdsApi", "build_server", "choose_mode", "main"]

MODE_ENV = "VEIL_EXAMPLE_MODE"
CONFIG_PATH_ENV = "GOOGLE_ADS_CONFIGURATION_FILE_PATH"

CUSTOMER_CLIENT_QUERY = (
    "SELECT customer_client.resource_name, customer_client.client_customer, customer_client.level, "
    "customer_client.manager, customer_client.descriptive_name, customer_client.currency_code, "
    "customer_client.time_zone, customer_client.id, customer_client.status "
    "FROM customer_client WHERE customer_client.level <= 1 ORDER BY customer_client.level, customer_client.id"
)
CAMPAIGN_QUERY = (
    "SELECT customer.id, customer.descriptive_name, customer.currency_code, campaign.resource_name, "
    "campaign.id, campaign.name, campaign.status, campaign.advertising_channel_type, "
    "campaign.start_date_time, campaign.end_date_time, metrics.impressions, metrics.clicks, "
    "metrics.cost_micros, metrics.ctr, metrics.average_cpc, metrics.conversions "
    "FROM campaign{where} ORDER BY campaign.id"
)
CAMPAIGN_STATUSES = ("ENABLED", "PAUSED", "REMOVED")

_READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=True)

log = logging.getLogger("examples.google_ads_server")


def _pb(message: Any) -> Any:
    """The raw protobuf message behind a proto-plus one (the library returns proto-plus by default)."""
    import proto

    return type(message).pb(message) if isinstance(message, proto.Message) else message


def to_json(message: Any) -> dict[str, Any]:
    """The REST/JSON form of an API message: camelCase json names, int64 as strings, enums by name."""
    from google.protobuf import json_format

    result: dict[str, Any] = json_format.MessageToDict(_pb(message))
    return result


# ------------------------------------------------------------------------------------------ the API


def _config_path() -> Path | None:
    explicit = os.environ.get(CONFIG_PATH_ENV)
    if explicit:
        return Path(explicit)
    home = Path.home() / "google-ads.yaml"
    return home if home.is_file() else None


def choose_mode(requested: str | None = None) -> str:
    """`real` or `offline`: an explicit request wins; `auto` is real only when credentials are configured."""
    mode = (requested or os.environ.get(MODE_ENV) or "auto").strip().lower()
    if mode not in ("auto", "offline", "real"):
        raise ValueError(f"mode must be auto, offline or real, got {mode!r}")
    if mode != "auto":
        return mode
    return "real" if os.environ.get("GOOGLE_ADS_DEVELOPER_TOKEN") or _config_path() else "offline"


class AdsApi:
    """Google Ads through the library's service clients, on the real API or on the in-process fake."""

    def __init__(
        self, client: Any, *, channel: Any = None, on_close: Callable[[], None] | None = None
    ) -> None:
        self.client = client
        self.login_customer_id: str | None = client.login_customer_id
        self._channel = channel  # set in offline mode: a plain channel to the fake server
        self._on_close = on_close
        self._services: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.fake: Any = None  # offline: the FakeGoogleAds behind the channel (its `requests`, for tests)

    @classmethod
    def real(cls) -> AdsApi:
        from google.ads.googleads.client import GoogleAdsClient

        if os.environ.get("GOOGLE_ADS_DEVELOPER_TOKEN"):
            return cls(GoogleAdsClient.load_from_env(version=API_VERSION))
        path = _config_path()
        return cls(GoogleAdsClient.load_from_storage(str(path) if path else None, version=API_VERSION))

    @classmethod
    def offline(cls, world: Agency) -> AdsApi:
        import grpc
        from google.ads.googleads.client import GoogleAdsClient
        from google.auth.credentials import AnonymousCredentials

        from examples.fixtures.google_ads import serve

        server, target, fake = serve(world)
        channel = grpc.insecure_channel(target)
        client = GoogleAdsClient(
            credentials=AnonymousCredentials(),  # type: ignore[arg-type]
            developer_token="offline-developer-token",
            login_customer_id=world.manager.customer_id,
            version=API_VERSION,
        )

        def close() -> None:
            channel.close()
            server.stop(None)

        api = cls(client, channel=channel, on_close=close)
        api.fake = fake
        return api

    def close(self) -> None:
        if self._on_close is not None:
            self._on_close()
            self._on_close = None

    def service(self, name: str) -> Any:
        """A service client (one per service, shared by all calls). Online: `GoogleAdsClient.get_service`.
        Offline: the same generated client and gRPC transport, with the library's metadata and exception
        interceptors, on the fake's channel."""
        with self._lock:
            if name not in self._services:
                self._services[name] = self._make_service(name)
            return self._services[name]

    def _make_service(self, name: str) -> Any:
        if self._channel is None:
            return self.client.get_service(name, version=API_VERSION)
        import grpc
        from google.ads.googleads import util
        from google.ads.googleads.interceptors import ExceptionInterceptor, MetadataInterceptor

        module = import_module(
            f"google.ads.googleads.{API_VERSION}.services.services.{util.convert_upper_case_to_snake_case(name)}"
        )
        client_cls = getattr(module, f"{name}Client")
        channel = grpc.intercept_channel(
            self._channel,
            MetadataInterceptor(
                self.client.developer_token, self.client.login_customer_id, self.client.linked_customer_id
            ),
            ExceptionInterceptor(API_VERSION, use_proto_plus=self.client.use_proto_plus),
        )
        return client_cls(transport=client_cls.get_transport_class("grpc")(channel=channel))

    def list_accessible_customers(self) -> dict[str, Any]:
        return to_json(self.service("CustomerService").list_accessible_customers())

    def search(self, customer_id: str, query: str) -> dict[str, Any]:
        """GoogleAdsService.Search, every page, as one SearchGoogleAdsResponse (no nextPageToken)."""
        pager = self.service("GoogleAdsService").search(
            request={
                "customer_id": customer_id,
                "query": query,
                "search_settings": {"return_total_results_count": True},
            }
        )
        merged: Any = None
        for page in pager.pages:
            pb = _pb(page)
            if merged is None:
                merged = type(pb)()
                merged.CopyFrom(pb)
            else:
                merged.results.extend(pb.results)
        if merged is None:
            return {}
        merged.ClearField("next_page_token")
        return to_json(merged)

    def search_stream(self, customer_id: str, query: str) -> dict[str, Any]:
        """GoogleAdsService.SearchStream, its batches joined into one SearchGoogleAdsResponse."""
        types = import_module(f"google.ads.googleads.{API_VERSION}.services.types.google_ads_service")
        merged = types.SearchGoogleAdsResponse.pb()()
        stream = self.service("GoogleAdsService").search_stream(customer_id=customer_id, query=query)
        for batch in stream:
            pb = _pb(batch)
            merged.results.extend(pb.results)
            merged.field_mask.CopyFrom(pb.field_mask)
        return to_json(merged)


# ------------------------------------------------------------------------------------------ the server


def _json_result(payload: dict[str, Any]) -> CallToolResult:
    text = json.dumps(payload, ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=payload)


def _customer_id(value: str) -> str:
    try:
        return normalize_customer_id(value)
    except ValueError:
        raise ToolError(
            f"Invalid customer id {value!r}: use 10 digits, 123-456-7890 or customers/1234567890"
        ) from None


def _api_error(exc: Exception) -> ToolError:
    """A GoogleAdsException (or a bare gRPC error) as a tool error naming the API's own messages."""
    failure = getattr(exc, "failure", None)
    errors = [e.message for e in getattr(failure, "errors", [])] if failure is not None else []
    error = getattr(exc, "error", exc)
    code = error.code().name if hasattr(error, "code") and callable(error.code) else type(exc).__name__
    request_id = getattr(exc, "request_id", None)
    detail = "; ".join(errors) or (error.details() if hasattr(error, "details") else str(exc))
    suffix = f" (request id {request_id})" if request_id else ""
    return ToolError(f"Google Ads API error {code}: {detail}{suffix}")


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def build_server(
    api: AdsApi | Callable[[], AdsApi] | None = None,
    *,
    mode: str | None = None,
    seed: int | None = None,
    trace_path: str | None = None,
) -> MCPServer:
    """The Google Ads MCP server. `api` is an AdsApi or a factory of one (made on the first tool call);
    default: `choose_mode(mode)` → `AdsApi.real()` or `AdsApi.offline(agency(seed))` (seed from
    $VEIL_EXAMPLE_SEED or 7). An API this server made is closed when the server's lifespan ends."""
    lock = threading.Lock()
    state: dict[str, AdsApi] = {}

    def factory() -> AdsApi:
        if isinstance(api, AdsApi):
            return api
        if api is not None:
            return api()
        if choose_mode(mode) == "real":
            return AdsApi.real()
        return AdsApi.offline(agency(seed if seed is not None else int(os.environ.get(SEED_ENV, "7"))))

    def ads() -> AdsApi:
        with lock:
            if "api" not in state:
                try:
                    state["api"] = factory()
                except Exception as exc:
                    raise ToolError(f"the Google Ads API is not available: {_describe(exc)}") from None
            return state["api"]

    def _warm_up() -> None:
        try:
            ads()
        except Exception as exc:  # reported again, as a tool error, by the first call that needs the API
            log.warning("google ads API not ready: %s", exc)

    @contextlib.asynccontextmanager
    async def lifespan(_: MCPServer[Any]) -> AsyncIterator[None]:
        # Load the library (about a second of imports) and start the API while the client connects.
        warm_up = threading.Thread(target=_warm_up, name="google-ads-warm-up", daemon=True)
        warm_up.start()
        try:
            yield
        finally:
            warm_up.join(timeout=30)
            with lock:
                made = state.pop("api", None)
            if made is not None and made is not api:
                made.close()

    server = MCPServer(
        "veil-example-google-ads",
        title="Google Ads (google-ads client library)",
        instructions=(
            "Google Ads API tools. Start with list_accessible_customers or list_customer_clients; pass a "
            "customer id (1234567890, 123-456-7890 or customers/1234567890) to list_campaigns or to search "
            "(GAQL)."
        ),
        version="0.1.0",
        log_level="WARNING",
        lifespan=lifespan,
        middleware=[TraceMiddleware(lambda: trace_path or os.environ.get(TRACE_ENV) or None)],
    )

    def call(fn: Callable[[], dict[str, Any]]) -> CallToolResult:
        from google.ads.googleads.errors import GoogleAdsException
        from grpc import RpcError

        try:
            return _json_result(fn())
        except (GoogleAdsException, RpcError) as exc:
            raise _api_error(exc) from None

    @server.tool(annotations=_READ_ONLY)
    def list_accessible_customers() -> CallToolResult:
        """CustomerService.ListAccessibleCustomers: the resource names (customers/1234567890) of every
        customer this login can access directly."""
        return call(lambda: ads().list_accessible_customers())

    @server.tool(annotations=_READ_ONLY)
    def list_customer_clients(customer_id: str | None = None) -> CallToolResult:
        """The accounts under a manager account (GoogleAdsService.Search FROM customer_client, levels 0-1):
        id, clientCustomer, descriptiveName, currency, time zone, manager flag, level.

        customer_id: the manager account; default: the login customer id.
        """
        target = customer_id or ads().login_customer_id
        if not target:
            raise ToolError("customer_id is required: no login customer id is configured")
        cid = _customer_id(target)
        return call(lambda: ads().search(cid, CUSTOMER_CLIENT_QUERY))

    @server.tool(annotations=_READ_ONLY)
    def list_campaigns(customer_id: str, status: str | None = None) -> CallToolResult:
        """The campaigns of one account with their all-time metrics (GoogleAdsService.SearchStream).

        customer_id: 1234567890, 123-456-7890 or customers/1234567890. status: ENABLED, PAUSED or REMOVED.
        """
        cid = _customer_id(customer_id)
        where = ""
        if status is not None:
            if status.upper() not in CAMPAIGN_STATUSES:
                raise ToolError(f"status must be one of {', '.join(CAMPAIGN_STATUSES)}, got {status!r}")
            where = f" WHERE campaign.status = '{status.upper()}'"
        return call(lambda: ads().search_stream(cid, CAMPAIGN_QUERY.format(where=where)))

    @server.tool(annotations=_READ_ONLY)
    def search(customer_id: str, query: str) -> CallToolResult:
        """Run a Google Ads Query Language query (GoogleAdsService.Search), e.g.
        SELECT customer_manager_link.manager_customer FROM customer_manager_link.

        customer_id: the account to query (1234567890, 123-456-7890 or customers/1234567890).
        """
        cid = _customer_id(customer_id)
        return call(lambda: ads().search(cid, query))

    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m examples.google_ads_server", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--mode",
        choices=("auto", "offline", "real"),
        default=None,
        help=f"default ${MODE_ENV} or auto (real when Google Ads credentials are configured)",
    )
    parser.add_argument("--seed", type=int, default=None, help=f"fake-data seed (default ${SEED_ENV} or 7)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    mode = choose_mode(args.mode)
    log.info("google ads example server: %s mode", mode)
    build_server(mode=mode, seed=args.seed).run("stdio")


if __name__ == "__main__":
    main()
