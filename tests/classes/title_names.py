"""Full names inside title-case labels and before title-case words, and surnames that are kinds of place
(red team round eight, classes 1-3).

- `names_in_title_labels`: a full name inside a label with no lower-case word (a calendar event's
  `summary`, a mail `subject`, a Markdown heading, a ticket or file title): `Maria Gonzalez Performance
  Review`, `Exit Interview: Elena Mendoza`. Beside it, labels led by a given-name place or product
  (`Charlotte Airport Shuttle Request`, `Georgia Peach Tea Launch`) must stay as written.
- `names_with_word_surnames_in_phrases`: in prose, a person whose surname is also a word (`Hunter`,
  `Brown`) before a job title, a record kind or a time word (`Megan Hunter Account Manager called`, `the
  Caroline Brown Divorce Filing`, `Ask Laura Fisher Tomorrow`), beside a product phrase that must stay.
- `names_with_place_surnames`: a person whose surname is a kind of place the census lists as a surname
  (`Plaza`, `Arena`, `Tower`, `Springs`) beside words only a person takes (`Please call …`, `written by
  …`, `Her manager, …, approved`), beside the same kind of place in a place's context (`landed at
  Charlotte Airport`) that must stay.

Each builder takes a `random.Random`; the label says which shape and placement was drawn (`strong:` for
pairs of a clear given name and a census surname of no dictionary, as `identifier_names.strong_pair`).
"""

from __future__ import annotations

import re
from random import Random
from typing import Any

from tests.classes.case import Case, Survivor, call, filler_record, nest, tool_result
from tests.classes.identifier_names import strong_pair
from tests.classes.name_lists import US_FIRST
from tests.classes.planting import Planted
from tests.classes.structured_names import _both, _name

# ---------------------------------------------------------------------------------- shared: placement
LABEL_KEYS = ("summary", "subject", "title", "name", "heading", "fileName", "eventTitle", "topic")
PROSE_KEYS = ("note", "body", "description", "text", "comment", "message")


def _placed(rng: Random, value: str, keys: tuple[str, ...], others: list[str]) -> tuple[dict[str, Any], str]:
    """`value` (and the `others`, each its own string) as a text block, a JSON field, a nested field or a
    list of records: where calendar, mail, ticket and drive backends put such strings."""
    where = rng.choice(["block", "field", "nested", "list"])
    key = rng.choice(keys)
    items = [value, *others]
    rng.shuffle(items)
    if where == "block":
        return tool_result("\n".join(items)), where
    if where == "field":
        return tool_result(structured={"items": [filler_record(rng) | {key: v} for v in items]}), where
    if where == "nested":
        return tool_result(
            structured=nest(rng, {"records": [{key: v} for v in items]}, rng.randrange(1, 4))
        ), where
    return tool_result(
        structured={"events": [{"id": i, key: v, "status": "confirmed"} for i, v in enumerate(items)]}
    ), where


def _strong_name(rng: Random) -> tuple[str, str]:
    """A clear given name and a one-word census surname of no dictionary (`Priya Raman`)."""
    while True:
        first, last = _name(rng)
        if last.isalpha() and strong_pair(first, last):
            return first, last


def _clear_given(rng: Random) -> str:
    from proxy.detect.name_words import STRONG, given_evidence

    while True:
        first = rng.choice(US_FIRST)
        if first.isalpha() and len(first) >= 3 and given_evidence(first) == STRONG:
            return first


def _apart(rng: Random, planted: Planted, pool: tuple[str, ...]) -> str:
    """A survivor in which the planted needle is not found (`Jordan Air Max` beside a Jordan)."""
    return rng.choice([s for s in pool if not planted.found_in(s.casefold())])


# ------------------------------------------------------------------------------- class 1: title labels
LABEL_FRAMES = (
    "{n} Performance Review", "Re: {n} Offer Letter", "# {n} Medical Leave Request", "Exit Interview: {n}",
    "Ticket #{k} - {n} Laptop Request", "1:1 {n} / Team Lead", "Background Check - {n}",
    "{n} Salary Review {y}", "[HR] {n} Termination", "Interview With {n}", "Onboarding - {n}",
    "{n} Access Request", "Fwd: {n} Expense Report", "{n} Contract Renewal", "Call With {n} Re Renewal",
    "## Notes From {n} Sync", "{n} Visa Application", "Q{q} Goals - {n}", "{n} Parental Leave {y}",
    "{n} - Reference Check", "Lunch: {n}", "{n} Benefits Enrollment", "Re: Re: {n} Resignation",
    "Urgent {n} Payroll Correction", "{n} Farewell Party", "{n} Promotion Packet", "Dinner With {n} And Team",
    "{n} Passport Scan", "{n} Disciplinary Hearing", "Weekly Sync: {n} / Product",
)  # fmt: skip
# Labels led by a given name that name a place or a product: they must reach the client as written.
LABEL_SURVIVORS = (
    "Charlotte Airport Shuttle Request", "Georgia Peach Tea Launch Review", "Jordan Air Max Restock",
    "Victoria Station Closure Notice", "Austin Office Move", "Madison Square Garden Tickets",
    "Lincoln Park Zoo Visit", "Sofia Airport Transfer", "Savannah River Cleanup Day",
    "Florence Cathedral Tour Booking", "Hamilton Beach Blender Recall", "Grant Park Music Festival",
    "Chelsea Market Vendor List", "Phoenix Sky Harbor Parking", "Charlotte Hornets Game Night",
    "Jackson Hole Ski Trip", "Orlando Theme Park Offsite", "Victoria Secret Holiday Sale",
)  # fmt: skip


def _label(rng: Random, frame: str, written: str) -> str:
    return frame.format(
        n=written, k=rng.randrange(1000, 9999), y=rng.randrange(2019, 2027), q=rng.randrange(1, 5)
    )


def names_in_title_labels(rng: Random) -> Case:
    """A clear given name and a census surname of no dictionary (`strong:`), or, one case in four, a
    frequent surname that is also a word (`word:` `Megan Hunter Performance Review`)."""
    if rng.random() < 0.25:
        first, last = _clear_given(rng), rng.choice(WORD_SURNAMES)
        planted, kind = Planted("person", f"{first} {last}", _pair(first, last)), "word"
    else:
        first, last = _strong_name(rng)
        planted, kind = _both(first, last), "strong"
    # A file title written with underscores (`Maria_Gonzalez_Passport_Scan`) is the identifier class's
    # (`identifier_names`), not this one.
    text = _label(rng, rng.choice(LABEL_FRAMES), f"{first} {last}")
    survivor = _apart(rng, planted, LABEL_SURVIVORS)
    result, where = _placed(rng, text, LABEL_KEYS, [survivor])
    return Case(
        "names-title-labels",
        [call(result, "list_events")],
        [planted],
        [Survivor(survivor, label="place-or-product-label")],
        label=f"{kind}:{where}",
    )


# ----------------------------------------------------------------- class 2: word surnames before a word
# The commonest US census surnames that are also words of the language. The kinds of place among them
# (`Park`, `Hill`, `Lake`, `Beach`) are the documented ambiguous case (`Grant Park`) and are left out.
WORD_SURNAMES = (
    "Miller", "Baker", "Walker", "Hunter", "Fisher", "Carter", "Turner", "Parker", "Cooper", "Young",
    "King", "Brown", "White", "Green", "Stone", "Bell", "Ward", "Porter", "Mason", "Butler", "Cook", "Wood",
    "Gray", "Black", "Long", "Price", "Reed", "Bishop", "Knight", "Fowler", "Chandler", "Archer", "Sawyer",
    "Gardner", "Weaver", "Potter", "Carpenter", "Fuller", "Wells", "Banks", "Lane", "Marsh", "Fox", "Rose",
)  # fmt: skip
# What follows the name in its capitalised run: a job title, a record kind, a time word.
HEADS = (
    "Account Manager", "Regional Manager", "Junior Developer", "Chief Financial Officer", "Finance Director",
    "Support Lead", "Senior Accountant", "Office Manager", "Sales Representative", "HR Coordinator",
    "Performance Review", "Contract Renewal", "Laptop Request", "Termination Letter", "Medical Records",
    "Divorce Filing", "Background Check", "Insurance Claim", "Exit Interview", "Offer Letter",
    "Expense Report", "Visa Application", "Tomorrow", "Yesterday", "Today", "On Monday",
)  # fmt: skip
PHRASE_FRAMES = (
    "The {n} was moved to Friday.", "I filed the {n} yesterday.", "Meeting notes: {n} is approved.",
    "{n} called about the invoice.", "Ask {n} about the refund.", "Please send the {n} to legal.",
    "We reviewed the {n} this morning.", "Route it to {n} please.", "Signed by {n} on the 3rd.",
    "Forwarded the {n} to the hiring team.", "Reminder: the {n} starts at 3pm.",
    "Contact {n} for the renewal.", "{n} will sign for it.", "I spoke with {n} about it.",
    "Our new hire {n} starts on the 4th.",
)  # fmt: skip
PHRASE_SURVIVORS = (
    "Georgia Peach Tea", "Jordan Air Max", "Hamilton Beach Blender", "Grant Park Music Festival",
    "Charlotte Airport Shuttle", "Victoria Secret Sale", "Lincoln Park Zoo", "Austin Powers Marathon",
)  # fmt: skip
_SURVIVOR_SENTENCES = (
    "Also, the {s} promo ends soon.",
    "We restocked the {s} display.",
    "The {s} was a hit last year.",
)


def names_with_word_surnames_in_phrases(rng: Random) -> Case:
    first, last = _clear_given(rng), rng.choice(WORD_SURNAMES)
    planted = Planted("person", f"{first} {last}", _pair(first, last))
    head = rng.choice(HEADS)
    frame = rng.choice(PHRASE_FRAMES)
    text = frame.format(n=f"{first} {last} {head}")
    survivor = _apart(rng, planted, PHRASE_SURVIVORS)
    other = rng.choice(_SURVIVOR_SENTENCES).format(s=survivor)
    result, where = _placed(rng, text, PROSE_KEYS, [other])
    return Case(
        "names-word-surname-phrases",
        [call(result, "crm_notes")],
        [planted],
        [Survivor(survivor, label="product-or-place-phrase")],
        label=f"word:{where}",
    )


def _pair(first: str, last: str) -> str:
    """The full name readable (the surname alone is a word and may be written elsewhere)."""
    return r"(?<!\w)" + re.escape(first.casefold()) + r"[\W_]{1,3}" + re.escape(last.casefold()) + r"(?!\w)"


# ------------------------------------------------------------------ class 3: surnames that are places
# Kinds of place the census also lists as surnames (`Plaza`, `Arena`: ordinary Spanish, Italian ones).
PLACE_SURNAMES = (
    "Plaza", "Arena", "Tower", "Bridge", "Street", "Mall", "Bay", "Pier", "River", "Springs", "Square",
    "Valley", "Island", "Harbor", "Station", "Center",
)  # fmt: skip
PERSON_FRAMES = (
    "Please call {n} about the invoice.", "Contact {n} today.", "The report was written by {n}.",
    "Ask {n} about the deploy.", "Meeting with {n} at noon.", "Email from {n} arrived.",
    "Interview {n} on Monday.", "Her manager, {n}, approved the leave.", "I spoke to {n} this morning.",
    "Signed by {n}", "Dear {n}, thanks for your note.", "{n} said the shipment is late.",
    "{n} asked for a refund.", "The memo was approved by {n}.", "Hi {n}, the contract is attached.",
    "Loop in {n} before Friday.", "Thanks {n} for the quick reply.", "{n} wrote back this morning.",
)  # fmt: skip
PLACE_FRAMES = (
    "We landed at {p} at noon.", "The shuttle leaves from {p} every hour.", "Meet me near {p} tomorrow.",
    "Traffic around {p} was heavy.", "The hotel is two blocks from {p}.", "Drive to {p} and park there.",
    "Construction at {p} starts in May.",
)  # fmt: skip
PLACES = (
    "Charlotte Airport", "Victoria Station", "Lincoln Center", "Madison Square", "Savannah River",
    "Jackson Square", "Austin Convention Center", "Florence Cathedral", "Sofia Airport", "Regent Street",
    "Union Station", "Brooklyn Bridge",
)  # fmt: skip


def names_with_place_surnames(rng: Random) -> Case:
    first, last = _clear_given(rng), rng.choice(PLACE_SURNAMES)
    planted = Planted("person", f"{first} {last}", _pair(first, last))
    text = rng.choice(PERSON_FRAMES).format(n=f"{first} {last}")
    place = _apart(rng, planted, PLACES)
    other = rng.choice(PLACE_FRAMES).format(p=place)
    result, where = _placed(rng, text, PROSE_KEYS, [other])
    return Case(
        "names-place-surnames",
        [call(result, "crm_notes")],
        [planted],
        [Survivor(place, label="place")],
        label=f"place:{where}",
    )
