"""Cases for the class "a text spread over the runs of a list" (red team 11, `proxy.scan.rich_runs`).

A value cut into sibling rich-text runs, each run an object of its list: a person name (`Hana` | ` ` |
`Brennan`), an email cut in its local part (`jane.` | `doe@acme.com`), a phone cut between its groups, a
customer ID cut at a dash, after a context run (`Assigned to `). Editor formats: the ones the red team met
(Quill deltas, Atlassian ADF, Notion rich text, Google Docs `textRun`, Lexical, Slack `rich_text_section`);
placements: structuredContent, a JSON text, a `resources/read` text item, and the document nested deeper.

Look-alikes (`ordinary_records`): lists of records with one text member each whose neighbouring values would
read as a name only if wrongly joined (`{"label": "Jordan"}`, `{"label": "Brennan Street"}`), keyword and
campaign rows, and rich runs of a release note holding no personal data: all must reach the client as sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from random import Random
from typing import Any

from tests.classes.case import Case, Message, Survivor, call, tool_result
from tests.classes.name_lists import FIRST, LAST
from tests.classes.planting import Planted, customer_id, email, person, phone

Runs = list[str]
# A format: the runs (each run's text) -> a document holding them as its objects.
Format = Callable[[Random, Runs], Any]


def _quill(rng: Random, runs: Runs) -> Any:
    ops = [{"insert": r, **({"attributes": {"bold": True}} if rng.random() < 0.5 else {})} for r in runs]
    return {"ops": [*ops, {"insert": "\n"}]}


def _adf(rng: Random, runs: Runs) -> Any:
    nodes: list[Any] = []
    for r in runs:
        nodes.append(
            {"type": "text", "text": r, **({"marks": [{"type": "strong"}]} if rng.random() < 0.4 else {})}
        )
    return {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": nodes}]}


def _notion(rng: Random, runs: Runs) -> Any:
    items = [
        {
            "type": "text",
            "text": {"content": r, "link": None},
            "annotations": {"bold": rng.random() < 0.5, "italic": False, "color": "default"},
            "plain_text": r,
            "href": None,
        }
        for r in runs
    ]
    return {"object": "block", "type": "paragraph", "paragraph": {"rich_text": items, "color": "default"}}


def _gdocs(rng: Random, runs: Runs) -> Any:
    elements, at = [], 1
    for r in runs:
        style = {"bold": True} if rng.random() < 0.5 else {}
        elements.append(
            {"startIndex": at, "endIndex": at + len(r), "textRun": {"content": r, "textStyle": style}}
        )
        at += len(r)
    return {"body": {"content": [{"paragraph": {"elements": elements}}]}}


def _lexical(rng: Random, runs: Runs) -> Any:
    children = [
        {"detail": 0, "format": rng.choice([0, 1, 2]), "mode": "normal", "style": "", "text": r,
         "type": "text", "version": 1}
        for r in runs
    ]  # fmt: skip
    return {"root": {"children": [{"children": children, "type": "paragraph", "version": 1}], "type": "root"}}


def _slack(rng: Random, runs: Runs) -> Any:
    elements = [
        {"type": "text", "text": r, **({"style": {"bold": True}} if rng.random() < 0.5 else {})} for r in runs
    ]
    return {
        "blocks": [{"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": elements}]}]
    }


FORMATS: dict[str, Format] = {
    "quill": _quill,
    "adf": _adf,
    "notion": _notion,
    "gdocs": _gdocs,
    "lexical": _lexical,
    "slack": _slack,
}


# ------------------------------------------------------------------------------------------ the values
def _person_runs(rng: Random) -> tuple[Planted, Runs]:
    planted, first, last = person(rng)
    lead = rng.choice(["Assigned to ", "Customer contact: ", "cc ", "Account manager: ", "Escalated by "])
    cut = rng.choice([[first, " ", last], [first + " ", last], [first, " " + last]])
    return planted, [lead, *cut, rng.choice([".", " will follow up.", ""])]


def _email_runs(rng: Random) -> tuple[Planted, Runs]:
    planted = email(rng)
    local, _, domain = planted.text.partition("@")
    at = local.find(".") + 1 or rng.randrange(1, len(local))
    cut = rng.choice([[local[:at], local[at:] + "@" + domain], [local + "@", domain]])
    return planted, [rng.choice(["Reply to ", "Contact: ", "Sent by "]), *cut, " today"]


def _phone_runs(rng: Random) -> tuple[Planted, Runs]:
    planted = phone(rng, reliable=True)
    text = planted.text
    gaps = [i for i, c in enumerate(text) if c in " -" and i > 2]
    at = rng.choice(gaps) + 1
    return planted, [rng.choice(["Call back on ", "phone: ", "Mobile "]), text[:at], text[at:], " (mobile)"]


def _customer_id_runs(rng: Random) -> tuple[Planted, Runs]:
    planted = customer_id(rng, reliable=True)
    text = planted.text
    while "/" in text:
        planted = customer_id(rng, reliable=True)
        text = planted.text
    at = text.index("-") + 1 if rng.random() < 0.5 else text.rindex("-") + 1
    return planted, [rng.choice(["Customer ID ", "customer id: "]), text[:at], text[at:], " was suspended"]


VALUES = {
    "person": _person_runs,
    "email": _email_runs,
    "phone": _phone_runs,
    "customer-id": _customer_id_runs,
}
PLACEMENTS = ("structured", "json-text", "resource", "nested")


def _message(rng: Random, placement: str, doc: Any) -> Message:
    if placement == "resource":
        uri = f"file:///docs/{rng.randrange(1000)}.json"
        contents = [{"uri": uri, "mimeType": "application/json", "text": json.dumps(doc)}]
        return Message("response", "resources/read", {"contents": contents})
    if placement == "nested":
        doc = {"page": {"id": f"p{rng.randrange(10**6)}", "children": [{"block": doc}]}}
        return call(tool_result(structured=doc))
    if placement == "json-text":
        return call(tool_result(json.dumps(doc, indent=rng.choice([None, 2]))))
    return call(tool_result(structured=doc))


def rich_runs(rng: Random) -> Case:
    fmt = rng.choice(list(FORMATS))
    kind = rng.choice(list(VALUES))
    placement = rng.choice(PLACEMENTS)
    planted, runs = VALUES[kind](rng)
    doc = FORMATS[fmt](rng, [r for r in runs if r])
    return Case("rich-runs", [_message(rng, placement, doc)], [planted], label=f"{fmt}/{placement}/{kind}")


def seeded(seed: int, n: int) -> list[Case]:
    rng = Random(seed)
    return [rich_runs(rng) for _ in range(n)]


# ---------------------------------------------------------------------------------------- look-alikes
_STREETS = ["Street", "Avenue", "Road", "Lane", "Park"]
_KEYWORDS = [
    "running shoes",
    "trail shoes",
    "shoes sale",
    "waterproof boots",
    "kids sneakers",
    "hiking socks",
]
_CAMPAIGNS = ["Summer Sale", "Brand - Exact", "Retargeting EU", "Spring Launch", "Generic - Broad"]
_PRODUCTS = ["Jordan", "Brennan Street Lamp", "Carter Chair", "Hudson Table", "Morgan Sofa", "Ellis Rug"]
_NOTES = [
    ["Fixed ", "a crash", " in the ", "export dialog", "."],
    ["Added ", "dark mode", " to the ", "settings page", "."],
    ["Improved ", "search", " speed by ", "40%", "."],
    ["Removed ", "the legacy ", "v1", " endpoints", "."],
]


def _record_list(rng: Random) -> tuple[list[Any], list[str], str]:
    key = rng.choice(["label", "title", "keyword", "text", "campaign"])
    shape = rng.choice(["streets", "keywords", "campaigns", "products"])
    if shape == "streets":
        values = [rng.choice(FIRST) if i % 2 == 0 else f"{rng.choice(LAST)} {rng.choice(_STREETS)}"
                  for i in range(rng.randrange(2, 6))]  # fmt: skip
    else:
        pool = {"keywords": _KEYWORDS, "campaigns": _CAMPAIGNS, "products": _PRODUCTS}[shape]
        values = rng.sample(pool, rng.randrange(2, len(pool)))
    rows = [{key: v, "clicks": rng.randrange(1000), "id": f"r{i}"} for i, v in enumerate(values)]
    return rows, values, shape


def ordinary_records(rng: Random) -> Case:
    if rng.random() < 0.3:
        runs = rng.choice(_NOTES)
        fmt = rng.choice(list(FORMATS))
        doc, keep, label = FORMATS[fmt](rng, runs), [r for r in runs if r.strip()], f"note/{fmt}"
    else:
        rows, keep, shape = _record_list(rng)
        doc, label = {"rows": rows}, f"records/{shape}"
    placement = rng.choice(["structured", "json-text"])
    survivors = [Survivor(k, label="run") for k in keep]
    return Case("rich-runs-lookalike", [_message(rng, placement, doc)], [], survivors, label=label)
