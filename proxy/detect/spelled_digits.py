"""Digits spelled as words: `four one five, five five five, zero one two three` is a phone number to any
reader. The view reads a run of four or more digit words (any case, blanks, commas or hyphens between
them; `oh` for zero; a leading `plus`) as the digits, so the structured recognizers judge it and the whole
run is what gets replaced. Four words at least: `one or two` in prose is no value, and no recognizer
matches fewer digits than that.
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View, rewrite

_DIGITS = {
    "zero": "0", "oh": "0", "nought": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
WORDS = tuple(_DIGITS)
_WORD = "(?:" + "|".join(sorted(_DIGITS, key=len, reverse=True)) + ")"
_SEP = r"(?:\s*[,\-–]\s*|\s+)"
_RUN = re.compile(rf"(?i)\b(?:plus\s+)?{_WORD}(?:{_SEP}{_WORD}){{3,}}\b")
TRIGGER = re.compile(rf"(?i)\b{_WORD}{_SEP}{_WORD}\b")


def _digits(run: str) -> str:
    words = re.findall(r"[A-Za-z]+", run)
    plus = "+" if words and words[0].lower() == "plus" else ""
    return plus + "".join(_DIGITS[w.lower()] for w in words if w.lower() in _DIGITS)


# Two digit words in a row need a word's last letter, a separator and a word's first letter: a character
# class scan (fast) before the case-insensitive one (slow).
_PAIR = re.compile(r"[eEoOhHtTrRxXnN][\s,\-–]+[zZoOnNtTfFsSeE]")


def may_hold(text: str) -> bool:
    return _PAIR.search(text) is not None and TRIGGER.search(text) is not None


def read(view: View) -> View:
    """`view` with each run of spelled digits read as its digits (module doc)."""
    return rewrite(view, _RUN, _digits)
