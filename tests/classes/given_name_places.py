"""Places, venues, teams and products led by a word that is also a given name (`Austin, TX`, `Please call
Lincoln Center`, `Kindle Paperwhite`), each class paired with a leak control: a real person written in
the same placements (`Austin Reyes, TX office`, `call Lincoln Moreno`).

The look-alike lists are written from general knowledge (real towns and their states, real venues and
teams), not from the detector's lists: the test asks what a reader would call a place, not what the
detector happens to know.
"""

from __future__ import annotations

import json
import re
from random import Random

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.identifier_names import _ascii_name, strong_pair
from tests.classes.planting import Planted

# ------------------------------------------------------------------ class 1: a given-name town and its state
# (town, state code, state name): real US towns whose name is also a given name.
US_TOWNS = (
    ("Austin", "TX", "Texas"), ("Charlotte", "NC", "North Carolina"), ("Augusta", "GA", "Georgia"),
    ("Augusta", "ME", "Maine"), ("Jackson", "MS", "Mississippi"), ("Jackson", "TN", "Tennessee"),
    ("Marion", "OH", "Ohio"), ("Marion", "IN", "Indiana"), ("Madison", "WI", "Wisconsin"),
    ("Savannah", "GA", "Georgia"), ("Helena", "MT", "Montana"), ("Florence", "SC", "South Carolina"),
    ("Florence", "AL", "Alabama"), ("Tyler", "TX", "Texas"), ("Eugene", "OR", "Oregon"),
    ("Lincoln", "NE", "Nebraska"), ("Orlando", "FL", "Florida"), ("Aurora", "CO", "Colorado"),
    ("Aurora", "IL", "Illinois"), ("Dallas", "TX", "Texas"), ("Denver", "CO", "Colorado"),
    ("Raleigh", "NC", "North Carolina"), ("Camden", "NJ", "New Jersey"), ("Troy", "NY", "New York"),
    ("Chester", "PA", "Pennsylvania"), ("Warren", "MI", "Michigan"), ("Lawrence", "KS", "Kansas"),
    ("Beverly", "MA", "Massachusetts"), ("Shelby", "NC", "North Carolina"), ("Sidney", "OH", "Ohio"),
    ("Tracy", "CA", "California"), ("Victoria", "TX", "Texas"), ("Olympia", "WA", "Washington"),
    ("Irving", "TX", "Texas"), ("Tyler", "TX", "Texas"), ("Quincy", "IL", "Illinois"),
    ("Clinton", "IA", "Iowa"), ("Franklin", "TN", "Tennessee"), ("Logan", "UT", "Utah"),
    ("Cleveland", "TN", "Tennessee"),
)  # fmt: skip
# (town, country): towns abroad whose name is also a given name.
ABROAD = (
    ("Florence", "Italy"), ("Sydney", "Australia"), ("Adelaide", "Australia"), ("Regina", "Canada"),
    ("Valencia", "Spain"), ("Santiago", "Chile"), ("Alexandria", "Egypt"), ("Victoria", "Canada"),
    ("Sofia", "Bulgaria"), ("Medina", "Saudi Arabia"), ("Lucerne", "Switzerland"),
)  # fmt: skip
_PLACE_PROSE = (
    "Our office is in {p} near the river.", "We flew to {p} last May.", "Please call the {p} office.",
    "Shipping from {p} resumes Monday.", "The {p} store hit its target.", "{p} is our busiest region.",
    "Moved the event to {p}; details follow.", "Please call {p} office about the lease.",
    "Branch: {p}", "Location: {p}", "Visiting {p} and Dallas next week.",
)  # fmt: skip
_KEYWORDS = ("plumber", "dentist", "hotels", "weather", "pizza", "roofing", "realtor", "jobs")


def _zip(rng: Random) -> str:
    return f"{rng.randrange(10000, 99999)}"


def place_with_region(rng: Random) -> Case:
    """A given-name town before its state (code or name) or country: prose, an address line, address
    fields, a search-console query, a CSV export. The whole place must reach the client unchanged."""
    kind = rng.choice(["code", "name", "country"])
    if kind == "country":
        town, region = rng.choice(ABROAD)
    else:
        town, code, name = rng.choice(US_TOWNS)
        region = code if kind == "code" else name
    place = f"{town}, {region}"
    where = rng.choice(["prose", "address", "fields", "query", "csv"])
    if where == "prose":
        text = rng.choice(_PLACE_PROSE).format(p=place)
        result, survivor = tool_result(text), place
    elif where == "address":
        # No street and number: a full street address is tokenized whole, by design.
        line = f"{place} {_zip(rng) if kind == 'code' else ''}".rstrip()
        shape = rng.choice(["text", "field"])
        text = f"Ship to: Acme Supply, {line}"
        result = tool_result(text) if shape == "text" else tool_result(structured={"address": line})
        survivor = place
    elif where == "fields":
        body = {"store": "Acme", "location": place, "open": True}
        result, survivor = tool_result(structured=body), place
    elif where == "query":
        q = place.replace(",", "").lower()
        q = rng.choice([f"{rng.choice(_KEYWORDS)} {q}", f"{q} {rng.choice(_KEYWORDS)}"])
        rows = [{"keys": [q], "clicks": rng.randrange(40)}, {"keys": ["acme supply"], "clicks": 3}]
        result, survivor = tool_result(structured={"rows": rows}), q
    else:
        if rng.random() < 0.5:
            text = f"store,city,state\nAcme,{town},{region}\nBeta,Chicago,IL"
            survivor = f"{town},{region}"
        else:
            text = f'store,location\nAcme,"{place}"\nBeta,"Chicago, IL"'
            survivor = place
        result = tool_result(text)
    return Case(
        "given-name-places",
        [call(result, "places")],
        [],
        [Survivor(survivor, label="place")],
        label=f"{kind}:{where}:{town}",
    )


def _person_with_given(rng: Random, given: str) -> tuple[str, str, Planted]:
    """A person whose given name is `given` and whose surname is no word of any dictionary: the surname
    is the needle (the given name is the town's too, and stays readable in the town)."""
    while True:
        _, last = _ascii_name(rng)
        if strong_pair("Maria", last):
            break
    needle = r"(?<![a-z])" + re.escape(last.casefold()) + r"(?![a-z])"
    return given, last, Planted("person", f"{given} {last}", needle)


def persons_beside_regions(rng: Random) -> Case:
    """Leak control of `place_with_region`: a person whose given name is a town's, in the same places,
    before a state code or a comma (`Austin Reyes, TX office, approved it.`)."""
    town, code, name = rng.choice(US_TOWNS)
    first, last, planted = _person_with_given(rng, town)
    who = f"{first} {last}"
    where = rng.choice(["prose", "address", "fields", "query", "csv"])
    if where == "prose":
        text = rng.choice(
            (
                "{w}, {c} office, approved it.", "Please call {w}, {c} regional lead.", "Ask {w} in {n}.",
                "{w} ({c}) signed the lease.", "Contact: {w}, {n}", "Please call {w} today.",
            )
        ).format(w=who, c=code, n=name)  # fmt: skip
        result = tool_result(text)
    elif where == "address":
        line = f"Attn: {who}, Acme Supply, {town}, {code} {_zip(rng)}"
        result = tool_result(line) if rng.random() < 0.5 else tool_result(structured={"address": line})
    elif where == "fields":
        result = tool_result(structured={"contact": who, "location": f"{town}, {code}"})
    elif where == "query":
        q = f"{first} {last} {rng.choice(_KEYWORDS)} {code}".lower()
        result = tool_result(structured={"rows": [{"keys": [q], "clicks": 4}]})
    else:
        result = tool_result(f"name,city,state\n{who},{town},{code}\nLee Chang,Chicago,IL")
    return Case("given-name-place-persons", [call(result, "places")], [planted], [], label=f"person:{where}")


# ------------------------------------------------------------------ class 2: venues, teams, brands
# Real venues, teams and brands led by a given name (general knowledge).
VENUES = (
    "Lincoln Center", "Madison Square Garden", "Orlando Magic", "Jordan Brand", "Charlotte Hornets",
    "Dallas Mavericks", "Dallas Cowboys", "Jackson Hole", "Austin FC", "Charlotte FC", "Orlando City",
    "Austin Convention Center", "Madison Square", "Lincoln Memorial", "Lincoln Financial Field",
    "Florence Cathedral", "Victoria Station", "Sydney Opera House", "Denver Nuggets", "Denver Broncos",
    "Jordan Retro", "Charlotte Motor Speedway", "Orlando Airport", "Austin Airport", "Lincoln Tunnel",
    "Savannah College", "Augusta National", "Georgia Dome", "Florence Arena", "Madison Arena",
    "Lincoln Arena", "Jackson Stadium", "Orlando Stadium", "Lincoln Hall Theater", "Victoria Theatre",
)  # fmt: skip
_VENUE_FRAMES = (
    "Please call {v} to confirm.", "Call {v} box office.", "Email {v} about the gala.",
    "Ask {v} for samples.", "Contact {v} for tickets.", "Tickets for the {v} game are sold out.",
    "We met at {v} yesterday.", "{v}", "Sponsor: {v}", "Meeting with {v} reps on Friday.",
    "Thanks {v} for hosting us.", "The {v} deal closes Friday.",
)  # fmt: skip
_VENUE_KEYS = ("venue", "team", "brand", "sponsor", "note", "description")


def venues_teams_brands(rng: Random) -> Case:
    """A venue, team or brand led by a given name, in prose (after `call`, `email`, `ask`, …), alone, or
    as a JSON field."""
    v = rng.choice(VENUES)
    if rng.random() < 0.6:
        result, where = tool_result(rng.choice(_VENUE_FRAMES).format(v=v)), "text"
    else:
        key = rng.choice(_VENUE_KEYS)
        result, where = tool_result(structured={key: rng.choice(_VENUE_FRAMES).format(v=v)}), key
    return Case(
        "given-name-venues",
        [call(result, "crm_notes")],
        [],
        [Survivor(v, label="venue")],
        label=f"{where}:{v}",
    )


def persons_in_venue_frames(rng: Random) -> Case:
    """Leak control of `venues_teams_brands`: a person whose given name leads a venue, in the same
    frames (`Please call Lincoln Moreno to confirm.`)."""
    given = rng.choice(VENUES).split()[0]
    first, last, planted = _person_with_given(rng, given)
    frame = rng.choice([f for f in _VENUE_FRAMES if "game" not in f and "at {v}" not in f])
    text = frame.format(v=f"{first} {last}")
    if rng.random() < 0.6:
        result, where = tool_result(text), "text"
    else:
        result, where = (
            tool_result(structured={rng.choice(("note", "description", "contact")): text}),
            "field",
        )
    return Case(
        "given-name-venue-persons", [call(result, "crm_notes")], [planted], [], label=f"person:{where}"
    )


# ------------------------------------------------------------------ class 3: branches, devices, products
TOPICS = (
    "grace-period", "hunter-2fa", "jasper-reports", "ruby-upgrade", "rose-gold-theme", "summer-sale",
    "amber-alert", "iris-dataset", "hugo-shortcodes", "stanley-cup-promo", "jade-export", "penny-auction",
    "sierra-sync",
)  # fmt: skip
DEVICES = (
    "Kindle Paperwhite", "Dell Latitude", "Google Chrome", "Kindle Oasis", "Dell Inspiron",
    "Lenovo ThinkPad", "Amazon Echo", "Ring Doorbell", "Victoria Kiosk", "Madison Boardroom",
)  # fmt: skip


def branches_and_devices(rng: Random) -> Case:
    """A branch topic, a device or a client product named after a word that is also a given name."""
    if rng.random() < 0.5:
        t = rng.choice(TOPICS)
        prefix = rng.choice(("feature/", "fix/", "hotfix/", "release/"))
        text = rng.choice(("git checkout {b}", "Merged {b} into main.", "branch={b} status=ok")).format(
            b=prefix + t
        )
        survivor = prefix + t
    else:
        d = rng.choice(DEVICES)
        text = rng.choice(
            ("Device: {d}", "session client={d} os=Windows", "Reading on my {d} tonight.", "Laptop: {d} 7440",
             "{d} enrolled in MDM.")
        ).format(d=d)  # fmt: skip
        survivor = d
    if rng.random() < 0.5:
        result = tool_result(text)
    else:
        result = tool_result(structured={rng.choice(("event", "detail", "message")): text})
    return Case(
        "given-name-devices", [call(result, "logs")], [], [Survivor(survivor, label="device")], label=text
    )


# Given names that are words too (the look-alike topics' first words), for the branch leak control.
WORD_GIVEN = ("Amber", "Rose", "Summer", "Grace", "Ruby", "Penny", "Iris", "Jade", "Hope", "Hunter", "Will")


def persons_in_branches(rng: Random) -> Case:
    """Leak control of the branch topics: a person whose given name is a word, in a branch after the same
    prefixes (`feature/amber-gonzalez-login`, `fix/ruby-kowalczyk`): the surname is no word, so the pair
    is a person's."""
    first, last, planted = _person_with_given(rng, rng.choice(WORD_GIVEN))
    prefix = rng.choice(("feature/", "fix/", "hotfix/"))
    branch = f"{prefix}{first.lower()}-{last.lower()}" + rng.choice(("", "-login", "-wip", "/notes"))
    text = rng.choice(("git checkout {b}", "Merged {b} into main.", "branch={b} status=ok")).format(b=branch)
    result = tool_result(text) if rng.random() < 0.5 else tool_result(structured={"event": text})
    return Case("given-name-branch-persons", [call(result, "logs")], [planted], [], label=f"person:{prefix}")


def dump(case: Case) -> str:
    """The case's first message as JSON (for a failing assertion's message)."""
    return json.dumps(case.messages[0].payload)[:200]
