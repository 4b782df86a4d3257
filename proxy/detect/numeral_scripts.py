"""Digits written in systems that are not Unicode decimal digits: CJK numerals, Braille and Morse.

The view reads every `Nd` digit of every script as its ASCII digit, but `〇一二三四五六七八九` (and the
financial forms `壹贰叁…`) are letters or number-letters to Unicode, a Braille number sign `⠼` turns the
cells for `a`-`j` into `1`-`0`, and Morse digits are five marks each. A reader reads all three as digits,
so the view does: a run is read character (or cell) for character, its separators kept. Only runs long
enough to be a value are read (six numerals, one Braille number, seven Morse cells): `一二` in Chinese
prose and a dash or an ellipsis in English stay as they are.
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View, rewrite

_CJK = {
    **dict.fromkeys("〇零", "0"),
    **{c: str(i + 1) for i, c in enumerate("一二三四五六七八九")},
    **{c: str(i + 1) for i, c in enumerate("壹贰叁肆伍陆柒捌玖")},
    **{c: str(i + 1) for i, c in enumerate("壹貳參肆伍陸柒捌玖")},
}
_CJK_CLASS = "[" + "".join(_CJK) + "]"
# Groups of numerals joined by at most three blanks, dashes, dots or brackets (`(貳零陸) 參陸貳-參陸貳貳`),
# six numerals at least (`_cjk`), a phone's `+` before them.
_CJK_GAP = r"[ \-\u3000()（）.]{0,3}"
_CJK_RUN = re.compile(rf"\+?{_CJK_CLASS}+(?:{_CJK_GAP}{_CJK_CLASS}+)+|{_CJK_CLASS}{{6,}}")
CJK_TRIGGER = re.compile(rf"{_CJK_CLASS}{{2}}")

_BRAILLE = {c: str((i + 1) % 10) for i, c in enumerate("⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚")}
_BRAILLE_RUN = re.compile("⠼[" + "".join(_BRAILLE) + "⠼]+")
BRAILLE_TRIGGER = re.compile("⠼[" + "".join(_BRAILLE) + "]")
NON_ASCII_TRIGGERS = (CJK_TRIGGER, BRAILLE_TRIGGER)  # for the batch pre-scan of a non-ASCII text only

_MORSE = {
    ".----": "1", "..---": "2", "...--": "3", "....-": "4", ".....": "5",
    "-....": "6", "--...": "7", "---..": "8", "----.": "9", "-----": "0",
}  # fmt: skip
_CELL = r"[.\-]{5}"
MORSE_TRIGGER = re.compile(rf"{_CELL} {_CELL} {_CELL}")
_MORSE_RUN = re.compile(rf"(?<![.\-\w]){_CELL}(?:(?: | / ){_CELL}){{6,}}(?![.\-\w])")


def _cjk(run: str) -> str:
    if sum(c in _CJK for c in run) < 6:
        return run
    return "".join(_CJK.get(c, c) for c in run)


def _braille(run: str) -> str:
    return "".join(_BRAILLE.get(c, "") for c in run)


def _morse(run: str) -> str:
    """Cells apart by a blank are one group of digits; ` / ` (Morse's word gap) parts groups, read as `-`."""
    groups = [re.findall(_CELL, g) for g in run.split("/")]
    if not all(c in _MORSE for g in groups for c in g):
        return run
    return "-".join("".join(_MORSE[c] for c in g) for g in groups)


def _may_morse(text: str) -> bool:
    # Every Morse digit holds three like marks in a row: a substring test first, then the pattern.
    return ("---" in text or "..." in text) and _MORSE_RUN.search(text) is not None


def may_hold(text: str) -> bool:
    """Whether `read` may change `text` (cheap: substring and single-class scans)."""
    if not text.isascii() and (
        CJK_TRIGGER.search(text) is not None or BRAILLE_TRIGGER.search(text) is not None
    ):
        return True
    return _may_morse(text)


def read(view: View) -> View:
    """`view` with CJK numeral, Braille and Morse digit runs read as ASCII digits (module doc)."""
    text = view.text
    if not text.isascii():
        if CJK_TRIGGER.search(text) is not None:
            view = rewrite(view, _CJK_RUN, _cjk)
        if BRAILLE_TRIGGER.search(view.text) is not None:
            view = rewrite(view, _BRAILLE_RUN, _braille)
    if _may_morse(view.text):
        view = rewrite(view, _MORSE_RUN, _morse)
    return view
