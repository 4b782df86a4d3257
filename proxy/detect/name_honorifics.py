"""Honorifics: the words that say "a person's name follows" (`Dr.`, `Mrs`, `Herr`, `Mme`, `Sra.`), as data.

A title before capitalised words makes them a person wherever they stand, whether or not a name list knows
the given name (`Dr. Huong Ngo`, `Mr Tanaka`). Kept free of Presidio: the detector's prefilter uses the same
list (`TITLED_NAME`) to send a titled name to the recognizers at all.

Each entry is written as it is abbreviated; a trailing dot is optional after it (`Dr Ngo`, `Dr. Ngo`) except
for the one-letter `M.` (French `Monsieur`), which without its dot is an initial. The list is closed: the
titles of address of the languages whose names we detect, and the professional and clerical ones written
before a name. Titles that are also words of the language (`Miss`, `Sir`, `Lady`, `Rev`, `Col`) are in it:
the recognizer asks the words after any title to be name words (`Miss Universe`, `Ms Word` are not).
"""

from __future__ import annotations

import re

# One language group a line: English address, academic, clerical and military titles; German, Dutch,
# Scandinavian; French; Spanish, Portuguese, Italian; Polish.
_WRITTEN = """
    Mr Mrs Ms Mx Miss Dr Prof Sir Dame Lady Lord Rev Revd Fr Capt Col Sgt Lt Hon Rabbi
    Herr Frau Hr Dhr Mevr Fru
    M. Mme Mlle Mmes Pr
    Sr Sra Srta Sres Dra Dña Sig Sig.ra Sig.na Dott Dott.ssa Avv Ing
    Pani Pan.
"""
HONORIFICS: tuple[str, ...] = tuple(_WRITTEN.split())


def _alternatives() -> str:
    """The honorifics as a regex alternation, in title case and ALL CAPS, longest first; a dot may follow
    each (the one written with its dot needs it)."""
    forms: set[str] = set()
    for h in HONORIFICS:
        bare = h.rstrip(".")
        dot = r"\." if h.endswith(".") else r"\.?"
        for written in (bare, bare.upper()):
            forms.add(re.escape(written) + dot)
    return "|".join(sorted(forms, key=len, reverse=True))


HONORIFIC = f"(?:{_alternatives()})"
# For the prefilter (standard `re`): a title, a space, a capital.
TITLED_NAME = re.compile(rf"(?<![\w.]){HONORIFIC}[ \u00a0]{{1,2}}[A-ZÀ-ÖØ-Þ]")
