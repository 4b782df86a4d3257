"""What a written person's name looks like in running text, and the base of the recognizers that find one
by its surroundings (a label, a greeting) or by the first-name lexicon.

Patterns are for Presidio's `regex` engine (`\\p{Lu}`: any script's capitals, `Ł`, `Ö`, `Ç`). Every
quantifier is bounded or possessive, so a long capitalised run costs linear time (checked by the detection
budget tests over a megabyte of bait).
"""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detect.name_honorifics import HONORIFIC
from proxy.detect.name_text import inside_company_name

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
# A title of address leading a hit (`Dr. `, `Frau `): no part of the name's span (`name_title_recognizer`).
_TITLE = regex.compile(rf"{HONORIFIC}[ \u00a0]+")
_TITLE_ALONE = regex.compile(rf"{HONORIFIC}\.?")
AFTER = r"(?!(?!['’][sS]?(?![\p{L}\p{N}]))[\p{L}\p{N}_@'’&-]|\.\p{L})"


class NameRunRecognizer(PatternRecognizer):
    """A PERSON recognizer whose patterns capture the name in group `name` (the rest of a match is its
    context: a label, a greeting) and whose `score` decides, from the match, what a hit is worth."""

    PATTERNS: ClassVar[list[Pattern]] = []
    ENTITY = "PERSON"

    def __init__(self) -> None:
        # Case matters here (a capital is what starts a name): no IGNORECASE, unlike Presidio's default.
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            patterns=self.PATTERNS,
            global_regex_flags=regex.MULTILINE,
        )
        self._compiled = [regex.compile(p.regex, regex.MULTILINE) for p in self.PATTERNS]

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        for rx in self._compiled:
            for m in rx.finditer(text):
                hit = self.hit(m, text)
                if hit is not None and not inside_company_name(text, hit[0], hit[1]):
                    if _TITLE_ALONE.fullmatch(text, hit[0], hit[1]):
                        continue  # `cc: Ms. Caren Gomes` read up to `Ms`: the title is no name
                    title = _TITLE.match(text, hit[0], hit[1])
                    if title is not None and title.end() < hit[1]:
                        hit = (title.end(), hit[1], hit[2])  # the title stays readable: `cc: Dr. [[PERSON]]`
                    out.append(RecognizerResult(self.ENTITY, *hit))
        return out

    def hit(self, match: regex.Match[str], text: str) -> tuple[int, int, float] | None:
        """The name's span in `text` and its score, or None: the match is no name."""
        raise NotImplementedError


# Scores: a name in a place that says "person" (a label, a greeting, a known first name with a surname)
# outranks NER's 0.85 for the same words, so the longer, complete span wins the overlap merge; a weaker
# guess needs context words to pass the policy's threshold (0.4).
CONFIDENT = 0.9
PLAUSIBLE = 0.6
