"""Tables whose header is not a sibling list of the rows (red team round 11, class 2).

Query APIs answer with a schema in one place and rows in another: BigQuery `schema.fields[].name` +
`rows[].f[].v`, Snowflake `resultSetMetaData.rowType[].name` + `data`, Databricks
`manifest.schema.columns[].name` + `result.data_array`, Athena `ColumnInfo[].Name` + `Rows[].Data[].
VarCharValue` (its header row first among the rows), Kusto `Tables[].Columns[].ColumnName` + `Rows`, Sheets
`batchGet` whose header is another range's `values`, GA4 `dimensionHeaders[].name` +
`rows[].dimensionValues[].value`.

- `detached_values`: one of those layouts, one to four rows, columns drawn from an account name, a street
  address, a contact's name and ordinary ones (id, status, clicks), as a text block's JSON or in
  structuredContent. The plants: the account name, the street address, the contact's surname.
- `detached_lookalikes`: the same layouts holding metrics and keyword tables (`date`, `clicks`, `cost`,
  `keyword`, `match_type`, `campaign`): every cell must reach the client as written.
"""

from __future__ import annotations

import json
from random import Random
from typing import Any

from tests.classes.address_key_cases import street
from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.planting import Planted, _words_needle, account, person

LAYOUTS = ("bigquery", "snowflake", "databricks", "athena", "kusto", "sheets-batch", "ga4")
PERSONAL = {
    "account": ("account_name", "client_name", "Account", "advertiser_name", "company"),
    "address": ("street_address", "address", "Street", "billing_address", "address_line1"),
    "person": ("contact_name", "full_name", "Contact", "customer_contact"),
}
ORDINARY = ("id", "status", "clicks", "created_at")


def _street(rng: Random) -> Planted:
    text, stem = street(rng)
    return Planted("address", text, _words_needle(stem))


def _cell(rng: Random, col: str) -> Any:
    return {
        "id": str(rng.randrange(10**6)),
        "status": rng.choice(["ENABLED", "PAUSED"]),
        "clicks": str(rng.randrange(10**4)),
        "created_at": f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
    }[col]


def _company_planted(rng: Random) -> Planted:
    return account(rng)


def layout(name: str, header: list[str], rows: list[list[Any]]) -> dict[str, Any]:
    """The response of one query API for `header` over `rows` (cells as strings)."""
    if name == "bigquery":
        return {
            "kind": "bigquery#queryResponse",
            "schema": {"fields": [{"name": h, "type": "STRING", "mode": "NULLABLE"} for h in header]},
            "rows": [{"f": [{"v": c} for c in r]} for r in rows],
            "totalRows": str(len(rows)),
        }
    if name == "snowflake":
        return {
            "resultSetMetaData": {
                "numRows": len(rows),
                "rowType": [{"name": h.upper(), "type": "text"} for h in header],
            },
            "data": rows,
        }
    if name == "databricks":
        return {
            "statement_id": "01ef",
            "manifest": {
                "schema": {
                    "column_count": len(header),
                    "columns": [{"name": h, "type_name": "STRING"} for h in header],
                }
            },
            "result": {"data_array": rows},
        }
    if name == "athena":
        return {
            "ResultSet": {
                "Rows": [{"Data": [{"VarCharValue": c} for c in r]} for r in [header, *rows]],
                "ResultSetMetadata": {
                    "ColumnInfo": [{"Name": h, "Label": h, "Type": "varchar"} for h in header]
                },
            }
        }
    if name == "kusto":
        return {
            "Tables": [
                {
                    "TableName": "Table_0",
                    "Columns": [{"ColumnName": h, "DataType": "String"} for h in header],
                    "Rows": rows,
                }
            ]
        }
    if name == "sheets-batch":
        return {
            "spreadsheetId": "1AbC",
            "valueRanges": [
                {"range": "Clients!A1:Z1", "majorDimension": "ROWS", "values": [header]},
                {"range": "Clients!A2:Z9", "majorDimension": "ROWS", "values": rows},
            ],
        }
    return {
        "dimensionHeaders": [{"name": h} for h in header],
        "metricHeaders": [{"name": "sessions", "type": "TYPE_INTEGER"}],
        "rows": [
            {"dimensionValues": [{"value": c} for c in r], "metricValues": [{"value": "12"}]} for r in rows
        ],
        "rowCount": len(rows),
    }


def _carry(rng: Random, body: dict[str, Any]) -> dict[str, Any]:
    if rng.random() < 0.5:
        return tool_result(json.dumps(body))
    return tool_result(structured=body)


def detached_values(rng: Random) -> Case:
    name = rng.choice(LAYOUTS)
    kinds = rng.sample(sorted(PERSONAL), rng.randint(1, 3))
    cols = [(k, rng.choice(PERSONAL[k])) for k in kinds]
    cols += [("", c) for c in rng.sample(ORDINARY, rng.randint(1, 3))]
    rng.shuffle(cols)
    header = [c for _, c in cols]
    planted: list[Planted] = []
    rows = []
    for _ in range(rng.randint(1, 4)):
        row = []
        for kind, col in cols:
            if kind == "account":
                p = _company_planted(rng)
            elif kind == "address":
                p = _street(rng)
            elif kind == "person":
                p = person(rng)[0]
            else:
                row.append(_cell(rng, col))
                continue
            planted.append(p)
            row.append(p.text)
        rows.append(row)
    body = layout(name, header, rows)
    return Case("detached-headers", [call(_carry(rng, body), "run_query")], planted, label=name)


_METRICS = ("date", "clicks", "cost", "impressions", "ctr", "keyword", "match_type", "campaign", "device")


def _metric(rng: Random, col: str) -> str:
    return {
        "date": f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
        "clicks": str(rng.randrange(10**4)),
        "cost": f"{rng.randrange(10**4)}.{rng.randrange(100):02d}",
        "impressions": str(rng.randrange(10**6)),
        "ctr": f"0.{rng.randrange(10**4):04d}",
        "keyword": rng.choice(
            ["running shoes", "trail shoes sale", "buy sneakers online", "Nike Pegasus 41"]
        ),
        "match_type": rng.choice(["EXACT", "PHRASE", "BROAD"]),
        "campaign": rng.choice(["Brand - Search", "Spring Sale 2026", "Generic | Shoes", "PMax Retail"]),
        "device": rng.choice(["MOBILE", "DESKTOP", "TABLET"]),
    }[col]


def detached_lookalikes(rng: Random) -> Case:
    name = rng.choice(LAYOUTS)
    header = rng.sample(_METRICS, rng.randint(2, 5))
    rows = [[_metric(rng, c) for c in header] for _ in range(rng.randint(1, 4))]
    body = layout(name, header, rows)
    keep = [Survivor(c, label=h) for r in rows for h, c in zip(header, r, strict=True)]
    return Case("detached-lookalikes", [call(_carry(rng, body), "run_query")], [], keep, label=name)
