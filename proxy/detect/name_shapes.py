"""The regex texts of a person name's shape (a name word, a run of them, the `Surname, Given` order) and
the boundaries around one. Plain strings, free of Presidio: the loop-side screening and the name readers
it calls compile them without importing the recognizers' stack (`name_patterns` re-exports them)."""

from __future__ import annotations

# One name word: a capital, then letters; inner apostrophe (O'Brien, D’Angelo) or hyphen (Smith-Jones,
# Jean-Luc); or an initial (`J.`). ALL CAPS words are words too (MARIA GONZALEZ).
# A possessive `'s` is no part of the word (`Maria Gonzalez's team`: the name ends before it).
WORD = (
    r"(?:\p{Lu}\.(?=[ \u00a0])|\p{Lu}\p{L}{0,30}+(?:['’](?![sS](?!\p{L}))\p{L}{1,30}+)?"
    r"(?:-\p{Lu}\p{L}{0,30}+)?)"
)
PARTICLE = r"(?:van|von|der|den|de|del|della|di|da|das|dos|du|la|le|ter|ten|zu|bin|ibn|al|el|y)"
# Up to four name words, particles between them (`Maria van der Berg`, `Juan de la Cruz`), one space
# apart (a name does not wrap across lines).
RUN = rf"{WORD}(?:[ \u00a0](?:{PARTICLE}[ \u00a0]){{0,2}}{WORD}){{0,3}}"
# Up to six, for the recognizers that look for the name inside a longer capitalised run.
LONG_RUN = rf"{WORD}(?:[ \u00a0](?:{PARTICLE}[ \u00a0]){{0,2}}{WORD}){{0,5}}"
# `GONZALEZ, MARIA` / `Gonzalez, Maria Jose` / `van Voorhout, Jasper`.
INVERTED = rf"(?:{PARTICLE}[ \u00a0]){{0,2}}{WORD}(?:[ \u00a0]{WORD})?,[ \u00a0]{WORD}(?:[ \u00a0]{WORD})?"
# A particle-led surname alone: `van der Berg`, `de la Cruz`.
# `y` joins two surnames (`García y Vega`); it never leads one.
PARTICLE_LED = rf"(?!y[ \u00a0])(?:{PARTICLE}[ \u00a0]){{1,2}}{WORD}"
BEFORE = r"(?<![\p{L}\p{N}_@.'’&-])"
AFTER = r"(?!(?!['’][sS]?(?![\p{L}\p{N}]))[\p{L}\p{N}_@'’&-]|\.\p{L})"
