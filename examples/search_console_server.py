"""A Search Console MCP server built on `google-api-python-client`, the way real Search Console servers are.

    python -m examples.search_console_server [--mode auto|offline|real] [--seed 7]

Calls go through the discovery client `googleapiclient.discovery.build("searchconsole", "v1",
static_discovery=True)`, built from the discovery document the package ships (no discovery download), and
answers are the API's JSON response bodies as the client returns them (`siteEntry[].siteUrl`,
`rows[].keys`, …).

Modes (`--mode`, else $VEIL_EXAMPLE_MODE, else `auto`):
    real     the Search Console API with the credentials in $GOOGLE_APPLICATION_CREDENTIALS (a service
             account key or an authorized-user file, scope webmasters.readonly), or Application Default
             Credentials when the mode is forced.
    offline  the same discovery client on `http=FixtureHttp(...)`, an `HttpMockSequence` that answers each
             request from fixtures built from `examples.fakedata` (see `examples/fixtures/search_console.py`).
    auto     real when $GOOGLE_APPLICATION_CREDENTIALS is set, offline otherwise.

Tools (each answers with the JSON as a text block and as `structuredContent`):
    list_sites()                                    SitesListResponse
                                                    {"siteEntry": [{siteUrl, permissionLevel}]}
    get_site(site_url)                              WmxSite  {siteUrl, permissionLevel}
    search_analytics_query(site_url, start_date, end_date, dimensions=["query", "page"], row_limit=1000,
                           start_row=0, search_type="web", query_contains=None, page_contains=None)
                                                    SearchAnalyticsQueryResponse
                                                    {"rows": [{keys, clicks, impressions, ctr, position}],
                                                     "responseAggregationType"}

Environment: VEIL_EXAMPLE_TRACE=/path/file.jsonl records each tool call as received; VEIL_EXAMPLE_SEED picks
the fake data. Logs go to stderr only.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import threading
from datetime import date
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations

from examples.ads_console_server import SEED_ENV, TRACE_ENV, TraceMiddleware
from examples.fakedata import agency
from examples.fixtures.search_console import MAX_ROW_LIMIT

__all__ = ["MODE_ENV", "SCOPES", "build_server", "build_service", "choose_mode", "main"]

MODE_ENV = "VEIL_EXAMPLE_MODE"
CREDENTIALS_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
SCOPES = ["https://www.googleapis.com/auth/webmasters.readonly"]
DIMENSIONS = ("query", "page", "country", "device", "date", "searchAppearance")

_READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=True)

log = logging.getLogger("examples.search_console_server")


def choose_mode(requested: str | None = None) -> str:
    """`real` or `offline`: an explicit request wins; `auto` is real only when credentials are configured."""
    mode = (requested or os.environ.get(MODE_ENV) or "auto").strip().lower()
    if mode not in ("auto", "offline", "real"):
        raise ValueError(f"mode must be auto, offline or real, got {mode!r}")
    if mode != "auto":
        return mode
    return "real" if os.environ.get(CREDENTIALS_ENV) else "offline"


def build_service(http: Any = None, *, mode: str | None = None, seed: int | None = None) -> Any:
    """The `searchconsole` v1 discovery client. With `http` (an HttpMock/HttpMockSequence or any httplib2
    stand-in) it runs on that; else per `choose_mode(mode)` on real credentials or on `FixtureHttp`."""
    from googleapiclient.discovery import build

    if http is None and choose_mode(mode) == "real":
        import google.auth

        path = os.environ.get(CREDENTIALS_ENV)
        if path:
            credentials, _ = google.auth.load_credentials_from_file(path, scopes=SCOPES)
        else:
            credentials, _ = google.auth.default(scopes=SCOPES)
        return build(
            "searchconsole", "v1", credentials=credentials, static_discovery=True, cache_discovery=False
        )
    if http is None:
        from examples.fixtures.search_console import FixtureHttp

        http = FixtureHttp(agency(seed if seed is not None else int(os.environ.get(SEED_ENV, "7"))))
    return build("searchconsole", "v1", http=http, static_discovery=True, cache_discovery=False)


def _json_result(payload: dict[str, Any]) -> CallToolResult:
    text = json.dumps(payload, ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=payload)


def _api_error(exc: Any) -> ToolError:
    status = getattr(getattr(exc, "resp", None), "status", "?")
    try:
        message = json.loads(exc.content)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        message = exc.reason if hasattr(exc, "reason") else str(exc)
    return ToolError(f"Search Console API error {status}: {message}")


def _date(name: str, value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ToolError(f"{name} must be a date in YYYY-MM-DD form, got {value!r}") from None


def build_server(
    http: Any = None,
    *,
    mode: str | None = None,
    seed: int | None = None,
    trace_path: str | None = None,
) -> MCPServer:
    """The Search Console MCP server; the discovery client is built on the first tool call (see
    `build_service`). `trace_path` overrides $VEIL_EXAMPLE_TRACE."""
    lock = threading.Lock()
    state: dict[str, Any] = {}

    def service() -> Any:
        with lock:
            if "service" not in state:
                try:
                    state["service"] = build_service(http, mode=mode, seed=seed)
                except Exception as exc:
                    detail = f"{type(exc).__name__}: {exc}".rstrip(": ")
                    raise ToolError(f"the Search Console API is not available: {detail}") from None
            return state["service"]

    def execute(request: Any) -> CallToolResult:
        from googleapiclient.errors import HttpError

        try:
            with lock:  # one discovery client, one (mock or httplib2) connection: one request at a time
                return _json_result(request.execute(num_retries=0))
        except HttpError as exc:
            raise _api_error(exc) from None

    server = MCPServer(
        "veil-example-search-console",
        title="Search Console (google-api-python-client)",
        instructions=(
            "Search Console API tools. list_sites gives the properties (https://www.example.com/ or "
            "sc-domain:example.com); pass one exactly as listed to search_analytics_query."
        ),
        version="0.1.0",
        log_level="WARNING",
        middleware=[TraceMiddleware(lambda: trace_path or os.environ.get(TRACE_ENV) or None)],
    )

    @server.tool(annotations=_READ_ONLY)
    def list_sites() -> CallToolResult:
        """sites.list: the Search Console properties this login can access, with its permission level."""
        return execute(service().sites().list())

    @server.tool(annotations=_READ_ONLY)
    def get_site(site_url: str) -> CallToolResult:
        """sites.get: one property and this login's permission level on it."""
        return execute(service().sites().get(siteUrl=site_url))

    @server.tool(annotations=_READ_ONLY)
    def search_analytics_query(
        site_url: str,
        start_date: str,
        end_date: str,
        dimensions: list[str] | None = None,
        row_limit: int = 1000,
        start_row: int = 0,
        search_type: str = "web",
        query_contains: str | None = None,
        page_contains: str | None = None,
    ) -> CallToolResult:
        """searchanalytics.query: clicks, impressions, CTR and position grouped by dimensions.

        site_url: exactly as list_sites shows it (https://www.example.com/ or sc-domain:example.com).
        start_date, end_date: YYYY-MM-DD. dimensions: default ["query", "page"]. row_limit: 1..25000;
        start_row pages on. query_contains / page_contains: optional filters.
        """
        dims = ["query", "page"] if dimensions is None else list(dimensions)
        bad = [d for d in dims if d not in DIMENSIONS]
        if bad:
            raise ToolError(f"unknown dimensions {bad}: choose from {', '.join(DIMENSIONS)}")
        if not 1 <= row_limit <= MAX_ROW_LIMIT:
            raise ToolError(f"row_limit must be between 1 and {MAX_ROW_LIMIT}, got {row_limit}")
        body: dict[str, Any] = {
            "startDate": _date("start_date", start_date),
            "endDate": _date("end_date", end_date),
            "dimensions": dims,
            "rowLimit": row_limit,
            "startRow": start_row,
            "type": search_type,
        }
        filters = [
            {"dimension": dim, "operator": "contains", "expression": value}
            for dim, value in (("query", query_contains), ("page", page_contains))
            if value
        ]
        if filters:
            body["dimensionFilterGroups"] = [{"groupType": "and", "filters": filters}]
        return execute(service().searchanalytics().query(siteUrl=site_url, body=body))

    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m examples.search_console_server", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--mode",
        choices=("auto", "offline", "real"),
        default=None,
        help=f"default ${MODE_ENV} or auto (real when ${CREDENTIALS_ENV} is set)",
    )
    parser.add_argument("--seed", type=int, default=None, help=f"fake-data seed (default ${SEED_ENV} or 7)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    mode = choose_mode(args.mode)
    log.info("search console example server: %s mode", mode)
    build_server(mode=mode, seed=args.seed).run("stdio")


if __name__ == "__main__":
    main()
