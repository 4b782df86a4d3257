"""Letters that stand for digits inside a run of digits: `+l 3l2 784 6O54`, `4l2-58-339l`, `DE89 37O4 OO44…`.

`O`/`o` for zero, `l`/`I` for one, `S` for five, `B` for eight and `Z` for two are the typewriter's and the
keyboard's substitutions, and a reader of a phone number or an SSN reads them as digits without a second
thought. The view does too, but only inside a run that is a number to begin with: digit groups joined by the
separators phones, cards and SSNs use, holding a real digit, and then only when the run is mostly
digits (seven digit-like characters at least, seven in ten of them real digits; a group with no digit of its
own stays) or when what it spells passes the check of the identifier it is written as:

- a card: thirteen to nineteen digits starting as a card does and passing Luhn (`4lll llll llll llll`);
- a phone with its plus: a number the numbering plan of its country code knows (`+l (4l5) 555-Ol23`);
- an IBAN: a country with IBANs, its length, mod 97 (`DE89 37O4 OO44 O532 Ol3O OO`), its bank code's
  letters kept where they are letters (`GB29 NWBK 6Ol6 l33l 9268 l9`).

A word is no such run (`Oslo`, `BOSS`, `I`: no digit), short codes (`B2B`, `O2`, `10l`) are too short to be
read, and no word spells a number that passes one of those checks by chance.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from proxy.detect.checksums import IBAN_LENGTHS, luhn_ok, mod97_ok, spanish_id_ok
from proxy.detect.iban_trigger import IBAN_TRIGGER
from proxy.detect.view_map import View, replace_ranges

_AS_DIGIT = {"O": "0", "o": "0", "l": "1", "I": "1", "S": "5", "B": "8", "Z": "2"}
_LIKE = "OolISBZ"
_RUN = re.compile(
    rf"(?<![A-Za-z0-9])\+?\(?[0-9{_LIKE}]+\)?(?:[ \-.]{{1,2}}\(?[0-9{_LIKE}]+\)?)*(?![A-Za-z0-9])"
)
# A digit beside one of the letters: the cheap tell (one class scan for a digit first).
TRIGGERS = (re.compile(rf"[0-9][{_LIKE}]"), re.compile(rf"[{_LIKE}][0-9]"))
_DIGIT = re.compile(r"[0-9]")
_IBAN_START = re.compile(r"[A-Za-z]{2}\d{2}")
# A country code and two check digits, either of them perhaps a letter standing for a digit.
_IBAN_HEAD = re.compile(rf"(?<![A-Za-z0-9])([A-Za-z]{{2}})[ \-]?[0-9{_LIKE}][ \-]?[0-9{_LIKE}]")
_LEADING_LETTERS = re.compile(r"[A-Za-z]*")


def may_hold(text: str) -> bool:
    return _DIGIT.search(text) is not None and any(t.search(text) is not None for t in TRIGGERS)


def _as_digits(run: str) -> str:
    return "".join(_AS_DIGIT.get(c, c) for c in run)


_SEPARATED = re.compile(r"[^ \-.]+")
_GROUP = re.compile(r"[ \-.]{1,2}(?=\()")


def _number_part(run: str) -> str:
    """`run` up to a bracket that opens after its first group (or after a `+` and country code, as in
    `+1 (415)`): `4964 (Z80 CPU)` or `9044 (ISO 9001)` is a number and a remark about it, not one number."""
    for m in _GROUP.finditer(run):
        head = run[: m.start()]
        if not (head.lstrip("(").isalnum() or (head[0] == "+" and len(head) <= 4)):
            return head
    return run


def _read(run: str) -> str:
    marks = [c for c in run if c.isdigit() or c in _AS_DIGIT]
    digits = sum(c.isdigit() for c in marks)
    if len(marks) < 7 or digits == len(marks) or digits == 0 or spanish_id_ok(run):
        return run  # a Spanish ID's check letter is a letter (`12345678Z`)
    read_as = _as_digits(run)
    if _card(read_as) or (run[0] == "+" and _phone(read_as)):
        return read_as
    if digits * 10 >= len(marks) * 7:  # a group with no digit of its own stays a word: `SO-2024-17`
        return _SEPARATED.sub(lambda g: _as_digits(g.group()) if _DIGIT.search(g.group()) else g.group(), run)
    return run


def _card(read_as: str) -> bool:
    number = "".join(c for c in read_as if c.isdigit())
    return 13 <= len(number) <= 19 and number[0] in "3456" and luhn_ok(number)


def _phone(read_as: str) -> bool:
    """Whether `+…` is a number its country's numbering plan knows (phonenumbers' own metadata)."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(read_as, None))
    except phonenumbers.NumberParseException:
        return False


def _country(text: str, digits_at: int) -> bool:
    """Whether the two letters before an IBAN-like start's check digits are a country with IBANs (`file 55…`
    is a word before a number, not an IBAN)."""
    letters = [c for c in text[max(0, digits_at - 4) : digits_at] if c.isalpha()][-2:]
    return "".join(letters).upper() in IBAN_LENGTHS


def _iban_chars(text: str, m: re.Match[str]) -> list[int] | None:
    """Where the characters of the IBAN `m` starts are (blanks or dashes between them), exactly as many as
    its country's IBAN holds and no letter or digit glued after them; None if there are not."""
    need = IBAN_LENGTHS.get(m.group(1).upper())
    if need is None:
        return None
    at = [i for i in range(m.start(), m.end()) if text[i].isalnum()]
    i = m.end()
    while len(at) < need and i < len(text):
        if text[i].isascii() and text[i].isalnum():
            at.append(i)
        elif not (text[i] in " -" and text[i - 1] not in " -"):
            break
        i += 1
    if len(at) != need or (at[-1] + 1 < len(text) and text[at[-1] + 1].isalnum()):
        return None
    return at


def _iban_edits(text: str) -> Iterator[tuple[int, int, list[tuple[int, int, str]]]]:
    """Each IBAN whose letters read as digits make it pass mod 97 and it did not (every such letter after
    the country code, or all but the bank code's leading letters): its range and its single-letter edits."""
    for m in _IBAN_HEAD.finditer(text):
        at = _iban_chars(text, m)
        if at is None:
            continue
        written = "".join(text[i] for i in at)
        if not any(c in _AS_DIGIT for c in written[2:]) or not any(c.isdigit() for c in written):
            continue
        if written[2:4].isdigit() and mod97_ok(written):
            continue  # valid as written: the recognizers take it
        bban = written[4:]
        lead = len(_LEADING_LETTERS.match(bban).group())  # type: ignore[union-attr]
        # a bank code is four letters at most (`NWBK`, `ABNA`): an `O` after them is a zero
        for kept in dict.fromkeys((0, lead, min(lead, 4))):
            read_as = written[:2] + _as_digits(written[2:4]) + bban[:kept] + _as_digits(bban[kept:])
            if read_as[2:4].isdigit() and mod97_ok(read_as):
                changed = [(i, i + 1, c) for i, c, w in zip(at, read_as, written, strict=True) if c != w]
                yield at[0], at[-1] + 1, changed
                break


def read(view: View) -> View:
    """`view` with the letters of digit-dominant runs, and of IBANs and numbers that pass their check only
    so, read as the digits they stand for (module doc). An IBAN's letters are otherwise its own (`NL43 AAAI
    0000…` written `AAA I0 000…`): a run inside what starts as an IBAN is read only as that IBAN."""
    text = view.text
    edits: list[tuple[int, int, str]] = []
    read_ibans: list[tuple[int, int]] = []
    for start, end, changed in _iban_edits(text):
        read_ibans.append((start, end))
        edits += changed
    ibans = []  # from the country code on: `IS07 2041…`, `SO45 …` are letters a run would read as digits
    if _IBAN_START.search(text):
        ibans += [(m.start() - 4, m.end()) for m in IBAN_TRIGGER.finditer(text) if _country(text, m.start())]
    for m in _RUN.finditer(text):
        run = _number_part(m.group())
        read_as = _read(run)
        end = m.start() + len(run)
        if (
            read_as != run
            and not any(a <= m.start() < b + 16 for a, b in ibans)
            and not any(m.start() < b and a < end for a, b in read_ibans)
        ):
            edits.append((m.start(), end, read_as))
    return replace_ranges(view, sorted(edits)) if edits else view
