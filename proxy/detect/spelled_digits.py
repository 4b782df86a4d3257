"""Digits spelled as words: `four one five, five five five, zero one two three` is a phone number to any
reader. The view reads a run of four or more digit words (any case, blanks, commas or hyphens between
them; `oh` for zero; a leading `plus`; English, German or French words; tens said as one number,
`eighty-eight`; `double five`; digits written as digits among the words, `3 one 2 five`; a spelled `dot`
between groups, an IP address) as the digits, so the structured recognizers judge it and the whole
run is what gets replaced. Four words at least: `one or two` in prose is no value, and no recognizer
matches fewer digits than that.
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View, rewrite

_DIGITS = {
    "zero": "0", "oh": "0", "nought": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9",
    # German (`zwo` is how a phone number's two is said) and French: the languages of the policy's regions.
    "null": "0", "eins": "1", "zwei": "2", "zwo": "2", "drei": "3", "vier": "4", "fünf": "5", "fuenf": "5",
    "sechs": "6", "sieben": "7", "acht": "8", "neun": "9",
    "zéro": "0", "un": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "sept": "7",
    "huit": "8", "neuf": "9",
    # Two digits said as one number (`eighty-eight twenty-one`): teens whole, a tens word with the digit
    # word after it (or a zero when none follows).
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
    "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
}  # fmt: skip
_TENS = {"twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6", "seventy": "7",
         "eighty": "8", "ninety": "9"}  # fmt: skip
_REPEAT = {"double": 2, "triple": 3}
WORDS = (*_DIGITS, *_TENS)
_WORD = "(?:" + "|".join(sorted(WORDS, key=len, reverse=True)) + ")"
# A token of a run: a digit word, a tens word, a word that repeats the next (`double five`) or a short
# group of digits written as digits (`3 one 2 five`).
_TOKEN = rf"(?:(?:double|triple)\s+)?(?:{_WORD}|[0-9]{{1,4}})"
# Between tokens: blanks, a comma or a dash, or a spelled dot (`nine three dot one eight four`: an IP).
_SEP = r"(?:\s*[,\-–]\s*|\s+dot\s+|\s+)"
_RUN = re.compile(rf"(?i)\b(?:plus\s+)?{_TOKEN}(?:{_SEP}{_TOKEN}){{3,}}\b")
TRIGGER = re.compile(rf"(?i)\b{_WORD}{_SEP}(?:{_WORD}|[0-9]|double|triple)")
_PIECE = re.compile(r"[^\W\d_]+|[0-9]+|,")


def _digits(run: str) -> str:
    """The digits a run spells; the run itself when it holds fewer than two words (plain digit groups are
    the digit view's business) or four digits."""
    pieces = _PIECE.findall(run)
    out: list[str] = []
    words = 0
    repeat = 1
    for i, piece in enumerate(pieces):
        low = piece.lower()
        if piece == ",":
            out.append("-")  # the groups a speaker pauses between (`four one two, five eight, …`): an SSN's
            continue
        if piece.isdigit():
            out.append(piece * repeat)
        elif low == "plus" and i == 0:
            out.append("+")
        elif low == "dot":
            out.append(".")
        elif low in _REPEAT:
            repeat = _REPEAT[low]
            continue
        elif low in _TENS:
            words += 1
            after = pieces[i + 1].lower() if i + 1 < len(pieces) else ""
            following = _DIGITS.get(after, "")
            if len(following) == 1 and following != "0":
                out.append(_TENS[low])  # the next word gives the ones digit
            else:
                out.append(_TENS[low] + "0")
        elif low in _DIGITS:
            words += 1
            out.append(_DIGITS[low] * repeat)
        repeat = 1
    if words < 2 or sum(c.isdigit() for c in "".join(out)) < 4:
        return run
    return "".join(out).strip("-")


# Two tokens in a row need a word's last letter, a separator and a word's first letter: a character
# class scan (fast) before the case-insensitive one (slow).
_LAST = "".join(sorted({w[-1] for w in WORDS} | {w[-1].upper() for w in WORDS}))
_FIRST = "".join(sorted({w[0] for w in (*WORDS, "double", "triple")} | {w[0].upper() for w in WORDS}))
_PAIR = re.compile(rf"[{_LAST}][\s,\-–]+[{_FIRST}0-9dDtT]")


def may_hold(text: str) -> bool:
    return _PAIR.search(text) is not None and TRIGGER.search(text) is not None


def read(view: View) -> View:
    """`view` with each run of spelled digits read as its digits (module doc)."""
    return rewrite(view, _RUN, _digits)
