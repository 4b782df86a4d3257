"""`Surname, Given; Surname, Given` lists (red team round 10, classes 4 and 13): recipients as Outlook and
Exchange write them, and, beside them, `;` lists of the same comma shape that hold no person.

- `recipient_lists`: two to four people in a `To:`/`Cc:` line, a Graph `toRecipients` string, an attendee
  list with `(Required)`, a Markdown cell, with or without `<address>` after each. Each person is planted
  by surname (a readable surname is a leak, whatever happened to the given name).
- `place_and_category_lists`: cities with their region or country (`Austin, Texas; Dallas, Georgia`, the
  city often a given name), product categories (`Shoes, Running; Apparel, Women`): must stay.
"""

from __future__ import annotations

import json
from random import Random

from tests.classes.case import Case, Survivor, call, filler_record, tool_result
from tests.classes.name_lists import ascii_only
from tests.classes.planting import Planted, person

# Cities named like a person (`Austin`, `Dallas`) are read as a given name by other recognizers where a
# label such as `Ship to:` stands before them (`name_labeled_recognizer`): that single-item reading is
# outside this class; what this class checks for them is that the list never spreads it.
GIVEN_CITIES = (
    ("Austin", "Texas"),
    ("Dallas", "Georgia"),
    ("Madison", "Wisconsin"),
    ("Charlotte", "North Carolina"),
    ("Florence", "Italy"),
    ("Victoria", "British Columbia"),
    ("Jackson", "Mississippi"),
    ("Lincoln", "Nebraska"),
    ("Sydney", "Australia"),
    ("Eugene", "Oregon"),
    ("Augusta", "Maine"),
    ("Alexandria", "Virginia"),
)
CITIES = (
    ("Portland", "Oregon"),
    ("Paris", "France"),
    ("Columbus", "Ohio"),
    ("Santa Monica", "California"),
    ("Boston", "Massachusetts"),
    ("Seattle", "Washington"),
    ("Denver", "Colorado"),
    ("Toronto", "Ontario"),
    ("Munich", "Germany"),
    ("Marseille", "Provence"),
    ("Tucson", "Arizona"),
    ("Omaha", "Nebraska"),
)
CATEGORIES = (
    ("Shoes", "Running"),
    ("Apparel", "Women"),
    ("Bags", "Travel"),
    ("Electronics", "Audio"),
    ("Garden", "Tools"),
    ("Home", "Cookware"),
    ("Toys", "Outdoor"),
    ("Books", "Fiction"),
)


def _people(rng: Random, n: int) -> list[tuple[Planted, str, str]]:
    out: list[tuple[Planted, str, str]] = []
    while len(out) < n:
        planted, first, last = person(rng)
        if first.isalpha() and last not in {p[2] for p in out}:
            out.append((planted, first, last))
    return out


def _local(first: str, last: str) -> str:
    return "".join(c for c in ascii_only(first[0] + last).lower() if c.isalnum())


def recipient_lists(rng: Random) -> Case:
    people = _people(rng, rng.randrange(2, 5))
    mailed = rng.random() < 0.3
    items = [
        f"{last}, {first}" + (f" <{_local(first, last)}@contoso.example>" if mailed else "")
        for _, first, last in people
    ]
    where = rng.choice(["to", "cc", "graph", "attendees", "markdown", "field"])
    if where == "attendees":
        items = [f"{i} ({rng.choice(['Required', 'Optional'])})" for i in items]
    joined = "; ".join(items)
    if where in ("to", "cc"):
        text = f"From: Support\n{where.title()}: {joined}\nSubject: Q3 invoices"
        payload = tool_result(text)
    elif where == "graph":
        payload = tool_result(json.dumps({"subject": "Q3 invoices", "toRecipients": joined}))
    elif where == "attendees":
        payload = tool_result(f"Attendees: {joined}")
    elif where == "markdown":
        payload = tool_result(f"| Role | People |\n|---|---|\n| Required | {joined} |")
    else:
        payload = tool_result(structured={"items": [filler_record(rng) | {"recipients": joined}]})
    return Case(
        "recipient-lists",
        [call(payload)],
        planted=[p for p, _, _ in people],
        label=f"{where}:{len(people)}{':mailed' if mailed else ''}",
    )


def place_and_category_lists(rng: Random, given_cities: bool = False) -> Case:
    """A `;` list of places or categories; with `given_cities`, cities named like a person, each item's
    `, Region` a survivor (a list read as people takes the items whole; another recognizer taking a
    given-name city alone is no part of this class)."""
    kind = "given-cities" if given_cities else rng.choice(["cities", "categories"])
    pool = {"cities": CITIES, "categories": CATEGORIES, "given-cities": GIVEN_CITIES}[kind]
    pairs = rng.sample(pool, rng.randrange(2, 5))
    joined = "; ".join(f"{a}, {b}" for a, b in pairs)
    frame = rng.choice(["Locations: {}", "{}", "| Region | {} |", "Targets: {}"])
    where = rng.choice(["text", "field"])
    payload = (
        tool_result(frame.format(joined))
        if where == "text"
        else tool_result(structured={"items": [filler_record(rng) | {"targets": joined}]})
    )
    survivors = (
        [Survivor(f", {b}", label=kind) for _, b in pairs] if given_cities else [Survivor(joined, label=kind)]
    )
    return Case("comma-lookalike-lists", [call(payload)], survivors=survivors, label=f"{kind}:{where}")
