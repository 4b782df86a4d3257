"""A spreadsheet-writing MCP server: the other end of a result handle (rows from Search Console into a sheet
without passing through the model).

    python -m examples.sheets_server

Tools:
    append_rows(spreadsheet_id, rows)   appends a list of row objects to a sheet kept in memory; answers
                                        {"spreadsheetId", "updatedRows", "columns"}
    sheet_summary(spreadsheet_id)       {"spreadsheetId", "rows", "columns"} of what the sheet holds

Environment: VEIL_EXAMPLE_TRACE=/path/file.jsonl records each tool call with its arguments as they arrived
(so a test can see the real values a handle became). Logs go to stderr only.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent

from examples.ads_console_server import TRACE_ENV, TraceMiddleware

log = logging.getLogger("examples.sheets_server")


def _json_result(payload: dict[str, Any]) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text=json.dumps(payload))], structured_content=payload
    )


def build_server() -> MCPServer[Any]:
    sheets: dict[str, list[dict[str, Any]]] = {}
    server: MCPServer[Any] = MCPServer(
        "veil-example-sheets",
        title="Spreadsheets (in memory)",
        middleware=[TraceMiddleware(lambda: os.environ.get(TRACE_ENV) or None)],
    )

    @server.tool()
    def append_rows(spreadsheet_id: str, rows: list[dict[str, Any]]) -> CallToolResult:
        """Append rows (objects, one per row) to a spreadsheet; its columns are the union of the rows' keys.

        spreadsheet_id: any name; a new one starts empty. rows: a list of objects.
        """
        if not all(isinstance(r, dict) for r in rows):
            raise ToolError("rows must be a list of objects")
        sheet = sheets.setdefault(spreadsheet_id, [])
        sheet.extend(rows)
        columns = sorted({k for r in rows for k in r})
        return _json_result({"spreadsheetId": spreadsheet_id, "updatedRows": len(rows), "columns": columns})

    @server.tool()
    def sheet_summary(spreadsheet_id: str) -> CallToolResult:
        """How many rows a spreadsheet holds and its columns."""
        sheet = sheets.get(spreadsheet_id, [])
        columns = sorted({k for r in sheet for k in r})
        return _json_result({"spreadsheetId": spreadsheet_id, "rows": len(sheet), "columns": columns})

    return server


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    build_server().run("stdio")


if __name__ == "__main__":
    main()
