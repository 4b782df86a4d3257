"""Digit notations the separator unification leaves alone because their separators mean something else
elsewhere, read where the shape says which it is.

- Four groups of four digits joined by one comma or colon throughout (`4848,3048,2199,3510`,
  `4493:5487:5749:1182`): no thousands grouping (that has groups of three) and no time (two digits a
  part), so a card number to a reader. Read as dashes only when the sixteen digits pass the Luhn check and
  start like a card (3-6): a row of four-digit numbers in a CSV stays a row.
- A bracketed area code and the rest of the number on the next line (`(312)\\n555-0199`): the single line
  break is a blank between the phone's groups.
- A number in E notation that spells an integer of twelve digits or more (`4.524452601815907E+15`): the
  exact integer it spells, as the JSON-number path reads a float (`proxy.scan.shapes.number_text`).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from proxy.detect.checksums import luhn_ok
from proxy.detect.view_map import View, rewrite

_FOUR_GROUPS = re.compile(r"(?<![\d.,:])\d{4}([,:])\d{4}\1\d{4}\1\d{4}(?![\d.,:])")
_AREA_BREAK = re.compile(r"(?<=\(\d{3}\))[ \t]*\r?\n[ \t]*(?=\d{3}[-. ]\d{4}(?!\d))")
_E_NOTATION = re.compile(r"(?<![\w.+\-])\d\.\d+[eE]\+?\d{1,2}(?![\w.])")
TRIGGERS = (
    re.compile(r"\d{4}[,:]\d{4}[,:]\d{4}[,:]\d"),
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
        view = rewrite(view, _AREA_BREAK, lambda _gap: " ")
    if TRIGGERS[2].search(view.text) is not None:
        view = rewrite(view, _E_NOTATION, _integer)
    return view
