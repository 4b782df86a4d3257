"""Cases for the class "a customer number beside its label written as data" (red team round 11, class 3).

A CRM's or a billing system's customer number is any digit run (six to eighteen digits; ten are a Google
Ads customer ID), and it says nothing by its shape: only its label does. A JSON key `customerId` names it
(a field rule); these cases write the label as data instead: a `Label: value` line, YAML, an attribute/value
record, a header column (JSON columns, CSV, TSV, Markdown), an XML element, an HTML `<dt>`/`<dd>` pair, a
`data-` attribute and a logfmt pair, under the English labels of a customer's number (`Customer ID`,
`Client number`, `Cust. No.`, `customer_id`).

`ordinary`: what those labels also hold and must keep: `n/a`, a short code, a date, a year; and digit runs
of six to nine digits under labels that name no customer (`Order ID`, `Clicks`, `Invoice`).
"""

from __future__ import annotations

import re
from random import Random
from typing import Any

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.label_cases import FORMATS, _labelled_payload
from tests.classes.planting import Planted, digits_needle

LABELS = ("Customer ID", "Customer Number", "Customer No.", "Client ID", "Client number", "Cust ID",
          "customer_id", "CustomerID", "customer-id", "client_no", "Account ID", "Customer #")  # fmt: skip
TEXT_FORMATS = ("line", "yaml", "dl", "data-attr")
ORDINARY_LABELS = ("Order ID", "Clicks", "Invoice", "Impressions", "Build", "Ticket")


def _number(rng: Random, lengths: tuple[int, ...] = (6, 7, 8, 9, 11, 12)) -> str:
    n = rng.choice(lengths)
    return str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(n - 1))


def _slug(label: str) -> str:
    return re.sub(r"\W+", "-", label).strip("-").lower()


def _payload(rng: Random, fmt: str, label: str, value: str) -> dict[str, Any]:
    if fmt == "line":
        return tool_result(f"{label}: {value}\nStatus: active\nTier: {rng.choice(['gold', 'silver'])}")
    if fmt == "yaml":
        return tool_result(f"customer:\n  {label}: {value}\n  status: active\n")
    if fmt == "dl":
        return tool_result(f"<dl><dt>{label}</dt><dd>{value}</dd><dt>Status</dt><dd>active</dd></dl>")
    if fmt == "data-attr":
        return tool_result(f'<tr data-{_slug(label)}="{value}"><td>active</td></tr>')
    return _labelled_payload(rng, fmt, label, value)


def labelled(rng: Random) -> Case:
    """A customer number under one of its labels, in one format (module doc)."""
    value, label = _number(rng), rng.choice(LABELS)
    fmt = rng.choice((*FORMATS, *TEXT_FORMATS))
    while "#" in label and fmt in ("xml", "assign", "data-attr"):  # a slug drops the `#`: `<customer>`
        label = rng.choice(LABELS)
    planted = [Planted("customer-number", value, digits_needle(value))]
    return Case("customer-numbers", [call(_payload(rng, fmt, label, value))], planted, label=f"{fmt}:{label}")


def ordinary(rng: Random) -> Case:
    """A customer label's ordinary values, and digit runs under labels naming no customer."""
    if rng.random() < 0.5:
        label = rng.choice(LABELS)
        value = rng.choice(("n/a", "pending", "12345", "2026-12-06", "2019", "A-17", "none"))
    else:
        # Six to nine digits: eleven or more that libphonenumber validates as an international number are
        # tokenized by design wherever they stand (docs/detection.md), ten are a customer ID's shape.
        label, value = rng.choice(ORDINARY_LABELS), _number(rng, (6, 7, 8, 9))
    fmt = rng.choice((*FORMATS, *TEXT_FORMATS))
    survivors = [Survivor(value, label=f"{fmt}:{label}")]
    return Case("customer-number-lookalikes", [call(_payload(rng, fmt, label, value))], [], survivors,
                label=f"{fmt}:{label}")  # fmt: skip
