"""A Google Ads + Search Console + CRM shaped MCP server over deterministic fake agency data.

Run it on stdio (this is the backend `veil demo` and the end-to-end tests put behind the proxy):

    python -m examples.ads_console_server [--seed 7]

Every tool answers with JSON twice: as a text content block (what most clients show the model) and as
`structuredContent`. Unknown ids and sites come back as tool errors that quote the value received, so a test
can tell whether the proxy forwarded a real value or a token.

Environment:
    VEIL_EXAMPLE_TRACE=/path/file.jsonl   append {"tool", "arguments", "result", "isError"} per tool call,
                                          exactly as this backend received and answered it
    VEIL_EXAMPLE_SEED=7                   the fake-data seed (overridden by --seed)

Logs go to stderr only; stdout is the JSON-RPC wire.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import zlib
from collections.abc import Callable
from datetime import date
from typing import Any

from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel

from examples.fakedata import Agency, agency, search_analytics_response

__all__ = ["MAX_ROW_LIMIT", "SEED_ENV", "TRACE_ENV", "TraceMiddleware", "build_server", "main"]

TRACE_ENV = "VEIL_EXAMPLE_TRACE"
SEED_ENV = "VEIL_EXAMPLE_SEED"
MAX_ROW_LIMIT = 25_000  # the Search Console API's own ceiling per request

_READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
_FIELD_MASK = (
    "customer.id,customer.descriptiveName,customer.currencyCode,campaign.id,campaign.name,campaign.status,"
    "campaign.advertisingChannelType,campaign.startDate,campaign.endDate,metrics.impressions,metrics.clicks,"
    "metrics.costMicros,metrics.ctr,metrics.averageCpc,metrics.conversions"
)

log = logging.getLogger("examples.ads_console_server")


def _json_result(payload: dict[str, Any]) -> CallToolResult:
    """The same JSON as a text block and as structuredContent."""
    text = json.dumps(payload, ensure_ascii=False)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=payload)


class TraceMiddleware:
    """Records every `tools/call` this backend handles, with the arguments as they arrived on the wire.

    `path` is read on each call (a callable, so the environment variable can be set after start-up); when it
    returns None nothing is written.
    """

    def __init__(self, path: Callable[[], str | None]) -> None:
        self._path = path

    async def __call__(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        path = self._path()
        if ctx.method != "tools/call" or not path:
            return await call_next(ctx)
        params = dict(ctx.params or {})
        record: dict[str, Any] = {"tool": params.get("name"), "arguments": params.get("arguments") or {}}
        try:
            result = await call_next(ctx)
        except Exception as exc:
            record |= {"result": None, "isError": True, "error": str(exc)}
            _append_jsonl(path, record)
            raise
        dumped = _dump(result)
        structured = dumped.get("structuredContent")
        texts = [c.get("text") for c in dumped.get("content", []) if c.get("type") == "text"]
        record["result"] = structured if structured is not None else "\n".join(t for t in texts if t)
        record["isError"] = bool(dumped.get("isError", False))
        _append_jsonl(path, record)
        return result


def _dump(result: HandlerResult) -> dict[str, Any]:
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json", by_alias=True, exclude_none=True)
    return dict(result or {})


def _append_jsonl(path: str, record: dict[str, Any]) -> None:
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError as exc:
        log.warning("cannot write trace file %s: %s", path, exc.strerror)


def _parse_date(name: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ToolError(f"{name} must be a date in YYYY-MM-DD form, got {value!r}") from None


def build_server(
    data: Agency | None = None,
    *,
    seed: int | None = None,
    trace_path: str | None = None,
) -> MCPServer:
    """The Ads/Search Console/CRM server over `data` (default: `agency(seed)`, seed from $VEIL_EXAMPLE_SEED or
    7). `trace_path` overrides $VEIL_EXAMPLE_TRACE."""
    if data is None:
        data = agency(seed if seed is not None else int(os.environ.get(SEED_ENV, "7")))
    world = data
    server = MCPServer(
        "veil-example-ads-console",
        title="Google Ads + Search Console (fake agency data)",
        instructions=(
            "Google Ads, Search Console and CRM tools for a digital-marketing agency. Customer ids are "
            "10 digits (1234567890 or 123-456-7890); Search Console site URLs come from list_sites."
        ),
        version="0.1.0",
        log_level="WARNING",
        middleware=[TraceMiddleware(lambda: trace_path or os.environ.get(TRACE_ENV) or None)],
    )

    # ---------------------------------------------------------------- Google Ads

    @server.tool(annotations=_READ_ONLY)
    def list_accessible_customers() -> CallToolResult:
        """List the resource names of every Google Ads customer this login can access."""
        return _json_result({"resourceNames": [c.resource_name for c in world.customers]})

    @server.tool(annotations=_READ_ONLY)
    def list_accounts() -> CallToolResult:
        """List Google Ads accounts with id, name, currency, time zone, manager flag and contact."""
        return _json_result({"accounts": [c.to_api() for c in world.customers]})

    @server.tool(annotations=_READ_ONLY)
    def list_campaigns(customer_id: str) -> CallToolResult:
        """List the campaigns of one Google Ads account with their metrics (GoogleAdsService.Search rows).

        customer_id: 10 digits, with or without dashes (1234567890 or 123-456-7890).
        """
        customer = world.customer(customer_id)
        if customer is None:
            raise ToolError(f"Unknown customer id {customer_id!r}: no accessible Google Ads account has it")
        rows = [c.to_api(customer) for c in world.campaigns_for(customer.customer_id)]
        return _json_result({"results": rows, "fieldMask": _FIELD_MASK, "totalResultsCount": len(rows)})

    # ---------------------------------------------------------------- Search Console

    @server.tool(annotations=_READ_ONLY)
    def list_sites() -> CallToolResult:
        """List the Search Console properties this login can access (URL-prefix and domain properties)."""
        return _json_result({"siteEntry": [s.to_api() for s in world.sites]})

    @server.tool(annotations=_READ_ONLY)
    def search_analytics(
        site_url: str, start_date: str, end_date: str, row_limit: int = 100
    ) -> CallToolResult:
        """Search Console searchanalytics.query with dimensions [query, page].

        site_url: exactly as list_sites shows it (https://www.example.com/ or sc-domain:example.com).
        start_date, end_date: YYYY-MM-DD. row_limit: 1..25000.
        """
        if world.site(site_url) is None:
            raise ToolError(f"Unknown site {site_url!r}: not a Search Console property of this login")
        start, end = _parse_date("start_date", start_date), _parse_date("end_date", end_date)
        if start > end:
            raise ToolError(f"start_date {start_date} is after end_date {end_date}")
        if not 1 <= row_limit <= MAX_ROW_LIMIT:
            raise ToolError(f"row_limit must be between 1 and {MAX_ROW_LIMIT}, got {row_limit}")
        seed = world.seed ^ zlib.crc32(f"{start_date}|{end_date}".encode())
        return _json_result(search_analytics_response(row_limit, seed, site_url))

    # ---------------------------------------------------------------- CRM and email

    @server.tool(annotations=_READ_ONLY)
    def crm_search(query: str) -> CallToolResult:
        """Search CRM contacts by name, email, phone, company, customer id or words in their notes."""
        hits = world.search_contacts(query)
        return _json_result({"contacts": [c.to_api() for c in hits], "totalSize": len(hits)})

    @server.tool(
        annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=True)
    )
    def send_email(to: str, subject: str, body: str) -> CallToolResult:
        """Send an email (a fake: nothing leaves the machine; the reply echoes what was received)."""
        return _json_result({"status": "sent", "to": to, "preview": body[:80]})

    @server.resource(
        "crm://contacts",
        name="contacts",
        title="CRM contacts",
        mime_type="application/json",
        description="Every CRM contact: id, name, email and company.",
    )
    def contacts_resource() -> str:
        return json.dumps({"contacts": [c.summary() for c in world.contacts]}, ensure_ascii=False)

    @server.resource(
        "crm://contacts/{contact_id}",
        name="contact",
        title="CRM contact",
        mime_type="application/json",
        description="One CRM contact with phone number and notes.",
    )
    def contact_resource(contact_id: str) -> str:
        contact = world.contact(contact_id)
        if contact is None:
            raise ResourceNotFoundError(f"Unknown contact id {contact_id!r}")
        return json.dumps(contact.to_api(), ensure_ascii=False)

    @server.prompt(title="Account review")
    def account_review(customer_id: str) -> str:
        """Review one Google Ads account's campaigns and draft a status email to its contact."""
        customer = world.customer(customer_id)
        if customer is None:
            raise MCPError(code=INVALID_PARAMS, message=f"Unknown customer id {customer_id!r}")
        return (
            f"Review the Google Ads account {customer.descriptive_name} (customer id {customer.display_id}). "
            "Call list_campaigns for it, summarise the last 30 days per campaign, flag every campaign with "
            "a CTR below 2 %, then draft a short status email to the account contact "
            f"{customer.contact_email} (phone {customer.contact_phone}) and send it with send_email."
        )

    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m examples.ads_console_server", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seed", type=int, default=None, help=f"fake-data seed (default ${SEED_ENV} or 7)")
    args = parser.parse_args(argv)
    build_server(seed=args.seed).run("stdio")


if __name__ == "__main__":
    main()
