"""Digit notations the separator unification leaves alone because their separators mean something else
elsewhere, read where the shape says which it is.

- Four groups of four digits joined by one comma or colon throughout (`4848,3048,2199,3510`,
  `4493:5487:5749:1182`): no thousands grouping (that has groups of three) and no time (two digits a
  part), so a card number to a reader. Read as dashes only when the sixteen digits pass the Luhn check and
  start like a card (3-6): a row of four-digit numbers in a CSV stays a row.
- A bracketed area code and the rest of the number on the next line (`(312)\\n555-0199`): the single line
  break is a blank between the phone's groups.
- A phone number, an SSN or a customer ID whose groups are joined by a colon, an apostrophe or a comma
  (`SSN 517:60:1302`, `Call +1:617:832:3113`, `(617) 832:3113`, `303'788'5790`, `Call me: 702,621,7204`,
  `customer 428:999:8909`): read as dashes only in the entity's own grouping (3-2-4, 3-3-4 with perhaps
  `+1` or a bracketed area code) and only after one of the entity's context words on the same line, with
  one separator throughout. A time (`12:30:45`), an amount (`1,234,567,890 impressions`) or a Swiss number
  (`1'234'567`) has neither the grouping nor the word, and stays as written.
- A number in E notation that spells an integer of twelve digits or more (`4.524452601815907E+15`): the
  exact integer it spells, as the JSON-number path reads a float (`proxy.scan.shapes.number_text`).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from proxy.detect.checksums import luhn_ok
from proxy.detect.view_map import View, replace_ranges, rewrite

_FOUR_GROUPS = re.compile(r"(?<![\d.,:])\d{4}([,:])\d{4}\1\d{4}\1\d{4}(?![\d.,:])")
_AREA_BREAK = re.compile(r"(?<=\(\d{3}\))[ \t]*\r?\n[ \t]*(?=\d{3}[-. ]\d{4}(?!\d))")
_E_NOTATION = re.compile(r"(?<![\w.+\-])\d\.\d+[eE]\+?\d{1,2}(?![\w.])")
# Entity, its context words (those of its recognizers) and its grouping with a separator `S` throughout.
_SEP = "[:',]"
LABELED_GROUPS = (
    (
        "US_SSN",
        r"ssn|social security|soc\.? sec|ss ?#|ss no|taxpayer",
        r"\d{3}S\d{2}S\d{4}",
    ),
    (
        "PHONE_NUMBER",
        r"phone|tel|tél|call|mobile|cell|fax|whatsapp|sms|handy|portable|m[oó]vil|celular|cellulare"
        r"|telefon|t[eé]l[eé]phone|tel[eé]fono|telefone|rufnummer",
        r"(?:\+?1S)?(?:\d{3}S|\(\d{3}\) ?)\d{3}S\d{4}",
    ),
    (
        "GOOGLE_ADS_CUSTOMER_ID",
        r"customer|client|cliente|kunde|cid|account|acct|advertiser",
        r"\d{3}S\d{3}S\d{4}",
    ),
)
# The word (any ending: `phones`, `customers`), then up to 24 characters that are no digit and no line
# break (` me: `, ` ID #`, `": "`), then the value, not inside a longer run of digits and separators.
_LABELED = re.compile(
    "|".join(
        rf"(?i:\b(?:{words})\w{{0,10}}[^\d\n]{{0,24}}?)(?<![\d.,:'+])({shape})(?![\d.,:']\d)"
        for shape, words in ((value.replace("S", _SEP), words) for _entity, words, value in LABELED_GROUPS)
    )
)
TRIGGERS = (
    re.compile(r"\d{4}[,:]\d{4}[,:]\d{4}[,:]\d"),
    re.compile(r"\d{3}[:',]\d{2,3}[:',]\d{4}|\d{3}\) ?\d{3}[:',]\d{4}"),
    re.compile(r"\d\)[ \t]*\r?\n"),
    re.compile(r"\d[eE]\+?\d"),
)


def may_hold(text: str) -> bool:
    return any(t.search(text) is not None for t in TRIGGERS)


def _four_groups(run: str) -> str:
    digits = re.sub(r"\D", "", run)
    if digits[0] not in "3456" or not luhn_ok(digits):
        return run
    return re.sub(r"[,:]", "-", run)


def _labeled(m: re.Match[str]) -> tuple[int, int, str] | None:
    """The value of a labelled match with its separators as dashes, if it uses one separator throughout."""
    group = next(g for g in range(1, len(LABELED_GROUPS) + 1) if m.group(g) is not None)
    value = m.group(group)
    if len(set(re.findall(_SEP, value))) != 1:
        return None
    return m.start(group), m.end(group), re.sub(_SEP, "-", value)


def _integer(number: str) -> str:
    try:
        value = Decimal(number)
    except InvalidOperation:
        return number
    if value != value.to_integral_value() or value < 10**11:
        return number
    return str(int(value))


def read(view: View) -> View:
    """`view` with the notations of the module doc read as the digits they write."""
    text = view.text
    if TRIGGERS[0].search(text) is not None:
        view = rewrite(view, _FOUR_GROUPS, _four_groups)
    if TRIGGERS[1].search(view.text) is not None:
        found = (_labeled(m) for m in _LABELED.finditer(view.text))
        view = replace_ranges(view, [f for f in found if f is not None])
    if TRIGGERS[2].search(view.text) is not None:
        view = rewrite(view, _AREA_BREAK, lambda _gap: " ")
    if TRIGGERS[3].search(view.text) is not None:
        view = rewrite(view, _E_NOTATION, _integer)
    return view
