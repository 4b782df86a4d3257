"""Builders for two classes the eighth red-team round found (issue 15): a value named by a label written as
data rather than by a JSON key, and a person's name as a folder of a bare path.

- `accounts_in_data_labels`: a client's account name under a label of the org class written as data: a GAQL
  report's CSV/TSV header (`customer.descriptive_name`), a Markdown table column (`Account name`, `Client`),
  a `{"columns": [...], "rows": [[...]]}` table, a sheet's `values` matrix, logfmt / key=value
  (`account_name="…"`, `client=…`), an XML element. The label is spelled from the org vocabulary (role word,
  qualifier, name suffix, any case or separator, GAQL's dotted resource prefix), never one fixed list.
  Beside it: columns that are no account (campaign, product, city, status, metrics), which must stay.
- `non_account_tables`: the same layouts whose columns are no account (`Product`, `Campaign`, `City`,
  `Brand` over a one-word make): nothing may change.
- `names_in_path_folders`: a full name as one folder of a path that stands alone (a shared drive, a bucket
  prefix, a JSON `path`/`folder` field, a Windows share, `~`), written with a space, `-`, `_` or `.`.
- `place_and_product_folders`: paths whose folders are products, places, departments: nothing may change.
"""

from __future__ import annotations

import json
import re
from random import Random
from typing import Any

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.identifier_names import LOOKALIKES, _ascii_name, lexicon_pair, strong_pair
from tests.classes.org_cases import company, spell
from tests.classes.planting import Planted

# ------------------------------------------------------------------------------------- account labels
_ROLES = ("account", "client", "customer", "company", "advertiser", "business", "organization", "agency")
_QUALIFIERS = ("", "", "", "parent", "legal", "billing")
_SUFFIXES = ("", "name", "name", "display name", "legal name", "descriptive name")
_GAQL = ("customer.descriptive_name", "customer_client.descriptive_name")
# Columns beside the account's, and their cell values (a status, a campaign, a metric).
_OTHER = (
    ("campaign.name", lambda rng: rng.choice(("Spring Sale Search", "Brand Exact", "Display Remarketing"))),
    ("Campaign", lambda rng: rng.choice(("Holiday Promo", "Generic Broad", "Competitor Terms"))),
    ("metrics.clicks", lambda rng: str(rng.randrange(1, 5000))),
    ("Spend", lambda rng: f"{rng.randrange(1, 900)}.{rng.randrange(10, 99)}"),
    ("status", lambda rng: rng.choice(("ENABLED", "PAUSED"))),
    ("City", lambda rng: rng.choice(("New York", "San Diego", "Kansas City"))),
)


def _account_label(rng: Random) -> str:
    """An org label in any of the spellings a report or table writes (the key vocabulary, as data)."""
    if rng.random() < 0.25:
        return rng.choice(_GAQL)
    words = f"{rng.choice(_QUALIFIERS)} {rng.choice(_ROLES)} {rng.choice(_SUFFIXES)}".split()
    if rng.random() < 0.3:  # a heading as a person writes it: `Account name`, `Client`
        return " ".join(words).capitalize() if rng.random() < 0.5 else " ".join(w.title() for w in words)
    return spell(words, rng)


def _table(rng: Random, labels: list[str], row: list[str], layout: str) -> str | dict[str, Any]:
    if layout == "csv":
        return ",".join(labels) + "\n" + ",".join(row)
    if layout == "tsv":
        return "\t".join(labels) + "\n" + "\t".join(row)
    if layout == "markdown":
        sep = "|" + "|".join("---" for _ in labels) + "|"
        return f"| {' | '.join(labels)} |\n{sep}\n| {' | '.join(row)} |"
    if layout == "columns":
        return {"columns": labels, "rows": [row, [""] * len(row)]}
    if layout == "values":
        return {"range": "Report!A1:D3", "values": [labels, row]}
    if layout == "logfmt":
        return " ".join(f'{lab.replace(" ", "_")}="{v}"' for lab, v in zip(labels, row, strict=True))
    if layout == "logfmt-bare":  # a value with spaces, unquoted, before the next `key=`
        return " ".join(f"{lab.replace(' ', '_')}={v}" for lab, v in zip(labels, row, strict=True))
    tag = [re.sub(r"\W", "_", lab) for lab in labels]  # xml
    inner = "".join(f"<{t}>{v}</{t}>" for t, v in zip(tag, row, strict=True))
    return f"<row>{inner}</row>"


_LAYOUTS = ("csv", "tsv", "markdown", "columns", "values", "logfmt", "logfmt-bare", "xml")


def _deliver(rng: Random, table: str | dict[str, Any]) -> tuple[str, Any]:
    """The table as a text block, or structured (a text field of structuredContent, nested, or the object)."""
    if isinstance(table, dict):
        where = rng.choice(("structured", "nested"))
        structured = table if where == "structured" else {"report": {"name": "weekly", "table": table}}
        return where, tool_result(structured=structured)
    where = rng.choice(("text", "text", "field"))
    if where == "text":
        return where, tool_result(rng.choice(("", "Report:\n")) + table if "\n" in table else table)
    return where, tool_result(structured={"format": "text", "report": table})


def accounts_in_data_labels(rng: Random) -> Case:
    """A client's account name under an org label written as data (module doc), beside other columns."""
    planted = company(rng)
    label = _account_label(rng)
    others = rng.sample(_OTHER, rng.randrange(1, 3))
    labels = [label, *(o[0] for o in others)]
    row = [planted.text, *(o[1](rng) for o in others)]
    at = rng.randrange(len(labels))
    labels.insert(at, labels.pop(0))
    row.insert(at, row.pop(0))
    layout = rng.choice(_LAYOUTS)
    if layout == "logfmt-bare" and any(" " in v for i, v in enumerate(row) if i != at):
        layout = "logfmt"
    where, payload = _deliver(rng, _table(rng, labels, row, layout))
    survivors = [Survivor(v, label="other-column") for i, v in enumerate(row) if i != at and len(v) > 3]
    return Case(
        "accounts-data-labels", [call(payload)], [planted], survivors, f"{layout}:{where}:{json.dumps(label)}"
    )


_PLAIN = (
    ("Product", ("Pixel 8 Pro", "Running Shoes", "Oak Desk Large", "Search Console")),
    ("Brand", ("Google", "Nike", "Mastercard", "Apple")),
    ("Account", ("Mastercard", "Savings", "Checking")),
    ("Campaign", ("Holiday Promo", "Generic Broad", "Competitor Terms", "Brand Exact")),
    ("City", ("New York", "San Diego", "Kansas City", "Salt Lake City")),
    ("Device", ("Mobile", "Desktop", "Tablet")),
    ("Category", ("Home Garden", "Office Supplies", "Pet Care")),
    ("Landmark", LOOKALIKES),
)


def non_account_tables(rng: Random) -> Case:
    """A table of the same layouts whose columns are no account (a one-word make under `Brand`, products,
    places, campaigns): nothing may change."""
    cols = rng.sample(_PLAIN, rng.randrange(2, 4))
    labels = [c[0] for c in cols]
    row = [rng.choice(c[1]) for c in cols]
    layout = rng.choice(_LAYOUTS)
    if layout == "logfmt-bare":
        layout = "logfmt"
    where, payload = _deliver(rng, _table(rng, labels, row, layout))
    survivors = [Survivor(v, label=f"{lab}-column") for lab, v in zip(labels, row, strict=True)]
    return Case("accounts-data-labels-plain", [call(payload)], [], survivors, f"{layout}:{where}")


# ---------------------------------------------------------------------------------------- path folders
_DEPTS = ("HR", "Clients", "Employees", "Personnel", "Onboarding", "Payroll", "Contractors", "Legal")
_DOCS = ("Payslips/2024-05.pdf", "contract.pdf", "I-9.pdf", "Reviews/2024.docx", "Medical/note.pdf", "")


def _folder(rng: Random, first: str, last: str, root: str) -> str:
    """The name as a folder: a space on a drive (most), `-`/`_`/`.` as buckets and exports write it."""
    if root == "bucket":
        sep = rng.choice(("-", "_", "."))
        return f"{first}{sep}{last}".lower() if rng.random() < 0.7 else f"{first}{sep}{last}"
    sep = rng.choice((" ", " ", " ", "_", "-", "."))
    return f"{first}{sep}{last}"


def _path(rng: Random, folder: str, root: str) -> str:
    dept, doc = rng.choice(_DEPTS), rng.choice(_DOCS)
    if root == "bucket":
        scheme = rng.choice(("s3://", "gs://", "az://"))
        return f"{scheme}acme-{dept.lower()}-docs/{dept.lower()}/{folder}/{doc}"
    if root == "windows":
        drive = rng.choice(("Z:\\", "C:\\Users\\Public\\", "\\\\fileserver\\shares\\"))
        return drive + "\\".join(p for p in (dept, folder, doc.replace("/", "\\")) if p)
    if root == "home":
        return f"~/{dept}/{folder}/{doc}".rstrip("/")
    head = rng.choice(("/Shared/", "/Volumes/Team/", "/", "", "Shared Drives/Company/", "/mnt/share/"))
    return f"{head}{dept}/{folder}/{doc}"


def _person(first: str, last: str) -> Planted:
    return Planted("person", f"{first} {last}", r"(?<![a-z])" + re.escape(last.casefold()) + r"(?![a-z])")


def names_in_path_folders(rng: Random) -> Case:
    """A full name as a folder of a bare path (module doc), as a text block, a JSON `path` / `folder` / a
    file list's `path`, or a log line; beside a path with no name that must stay."""
    first, last = _ascii_name(rng)
    kind = "strong" if strong_pair(first, last) else "lexicon" if lexicon_pair(first, last) else "unknown"
    root = rng.choice(("drive", "drive", "bucket", "windows", "home"))
    path = _path(rng, _folder(rng, first, last, root), root)
    other = rng.choice(("/Shared/Marketing/Q3 Plan.pptx", "/Shared/Finance/Budget 2025.xlsx"))
    where = rng.choice(("text", "path", "folder", "files", "log"))
    if where == "text":
        payload = tool_result(path)
    elif where == "log":
        payload = tool_result(f"{rng.choice(('uploaded', 'synced', 'created'))} {path}\nsynced {other}")
    elif where == "files":
        payload = tool_result(structured={"files": [{"path": path, "size": 4410}, {"path": other}]})
    else:
        payload = tool_result(structured={where: path, "owner": "it-ops"})
    survivors = [Survivor(other, label="other-path")] if other in json.dumps(payload) else []
    return Case(
        "names-path-folders", [call(payload)], [_person(first, last)], survivors, f"{kind}:{root}:{where}"
    )


_PLACES = (
    "New York", "San Diego", "Kansas City", "Salt Lake City", "Los Angeles", "Santa Monica", "Saint Louis",
    "Buenos Aires", "Hong Kong", "Costa Rica",
)  # fmt: skip
_TOPICS = (
    "Payroll Reports", "Annual Review", "Brand Assets", "Tax Returns", "Board Minutes", "Press Kit",
    "Sales Decks", "Jordan Air Max", "Georgia Peach Tea", "Victoria Station", "Austin Office",
    "Madison Square Garden", "Program Files", "Macintosh HD", "Lincoln Park Zoo", "Charlotte Airport",
)  # fmt: skip


def place_and_product_folders(rng: Random) -> Case:
    """Paths whose folders are places, products, topics (some led by a given name): nothing may change."""
    folder = rng.choice(_PLACES + _TOPICS)
    root = rng.choice(("drive", "bucket", "windows", "home"))
    if root == "bucket":
        folder = folder.lower().replace(" ", rng.choice(("-", "_")))
    path = _path(rng, folder, root)
    where = rng.choice(("text", "path", "files"))
    if where == "text":
        payload = tool_result(path)
    elif where == "files":
        payload = tool_result(structured={"files": [{"path": path, "size": 12}]})
    else:
        payload = tool_result(structured={"path": path})
    return Case("names-path-places", [call(payload)], [], [Survivor(path, label=f"{root}:{where}")], root)
