"""Names in travel layouts (red team round 10, class 5): a booking's `SURNAME/GIVEN`, and the name field of a
passport's or an ID card's machine-readable zone; beside them, slashed pairs that are no person.

- `travel_names`: one traveller as an airline or a booking API writes them (a PNR JSON `name`, a
  `passenger` in mixed case, a boarding pass line, a PNR line `1.1SURNAME/GIVEN MS`), or an MRZ (TD3
  passport with valid check digits, TD2, TD1 ID card). Planted by surname.
- `slashed_lookalikes`: `Austin/Texas`, `Dallas/Fort Worth`, `Black/White`, `M/L`,
  `and/or`, SKUs, file paths with a given name as a folder: must stay.
"""

from __future__ import annotations

import json
import re
from random import Random

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.name_lists import ascii_only
from tests.classes.planting import person

_WEIGHTS = (7, 3, 1)


def check_digit(field: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1 over digits, letters (A=10) and `<` (0)."""
    total = 0
    for i, ch in enumerate(field):
        value = int(ch) if ch.isdigit() else (ord(ch) - 55 if ch.isalpha() else 0)
        total += value * _WEIGHTS[i % 3]
    return str(total % 10)


def _mrz_name(last: str, first: str, width: int) -> str:
    def part(s: str) -> str:
        return re.sub(r"[^A-Z<]", "", ascii_only(s).upper().replace("-", "<").replace(" ", "<"))

    return (part(last) + "<<" + part(first)).ljust(width, "<")[:width]


def _digits(rng: Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def mrz(rng: Random, first: str, last: str) -> str:
    kind = rng.choice(["td3", "td2", "td1"])
    state = rng.choice(["USA", "GBR", "DEU", "FRA", "ITA", "ESP", "CAN", "UTO"])
    doc = rng.choice("CLX") + _digits(rng, 8)
    birth, expiry, sex = _digits(rng, 6), _digits(rng, 6), rng.choice("MF")
    d, b, e = doc + check_digit(doc), birth + check_digit(birth), expiry + check_digit(expiry)
    if kind == "td3":
        line1 = f"P<{state}{_mrz_name(last, first, 39)}"
        line2 = f"{d}{state}{b}{sex}{e}" + "<" * 14 + "0"
        line2 += check_digit(line2[:10] + line2[13:20] + line2[21:43])
        return f"{line1}\n{line2}"
    if kind == "td2":
        line1 = f"I<{state}{_mrz_name(last, first, 31)}"
        line2 = f"{d}{state}{b}{sex}{e}" + "<" * 7
        line2 += check_digit(line2[:10] + line2[13:20] + line2[21:35])
        return f"{line1}\n{line2}"
    line1 = f"I<{state}{d}" + "<" * 15
    line2 = f"{b}{sex}{e}{state}" + "<" * 11
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    return f"{line1}\n{line2}\n{_mrz_name(last, first, 30)}"


def travel_names(rng: Random) -> Case:
    planted, first, last = person(rng)
    while not first.replace("-", "").isalpha():
        planted, first, last = person(rng)
    up = f"{last.upper()}/{first.upper()}"
    title = rng.choice(["MR", "MS", "MRS", "MISS", "DR"])
    shape = rng.choice(["pnr-json", "passenger", "boarding", "pnr-line", "mrz", "mrz"])
    if shape == "pnr-json":
        payload = tool_result(json.dumps({"passengers": [{"name": up, "seat": "14C", "pnr": "X7KQ2M"}]}))
    elif shape == "passenger":
        payload = tool_result(
            structured={"booking": {"passenger": f"{last}/{first}", "flight": "LH 441", "class": "Y"}}
        )
    elif shape == "boarding":
        payload = tool_result(f"BOARDING PASS  {up} {title}  GATE B12  SEAT {rng.randrange(1, 40)}A")
    elif shape == "pnr-line":
        payload = tool_result(f"1.1{up} {title}\n 1 UA 931 Y 15DEC SFOLHR HK1")
    else:
        payload = tool_result(f"Scanned document:\n{mrz(rng, first, last)}")
    return Case("travel-names", [call(payload)], planted=[planted], label=shape)


# `Johnson/Johnson` is left out: NER takes each `Johnson` alone (7/150 cases, the same without
# `name_travel`), no part of this class.
LOOKALIKES = (
    "Austin/Texas",
    "Dallas/Fort Worth",
    "Paris/France",
    "Black/White",
    "Rose/Gold",
    "Input/Output",
    "Sales/Marketing",
    "TCP/IP",
    "M/L",
    "and/or",
    "SKU ABC/DEF-12",
    "SKU TEE-BLK/M",
    "Size XL/Tall",
    "/Users/Maria/Documents",
    "/home/jordan/projects",
    "Victoria/Melbourne",
    "Smith & Wesson",
    "Pass/Fail",
    "Win/Loss",
    "EUR/USD",
    "Florence/Rome",
    "Charlotte/Raleigh",
    "Chicago/Austin",  # routes: a city, then a city named like a person
    "Denver/Dallas",
    "Toronto/Victoria",
    "London/Sydney",
    "Phoenix/Madison",
)


def slashed_lookalikes(rng: Random) -> Case:
    picks = rng.sample(LOOKALIKES, 3)
    frame = rng.choice(["{} | {} | {}", "Variants: {}, {}, {}", "{}\n{}\n{}"])
    text = frame.format(*picks)
    where = rng.choice(["text", "field"])
    payload = (
        tool_result(text)
        if where == "text"
        else tool_result(structured={"rows": [{"label": p, "clicks": rng.randrange(999)} for p in picks]})
    )
    return Case(
        "slashed-lookalikes",
        [call(payload)],
        survivors=[Survivor(p, label="slashed") for p in picks],
        label=where,
    )
