"""What a written person's name looks like in running text, and the base of the recognizers that find one
by its surroundings (a label, a greeting) or by the first-name lexicon.

Patterns are for Presidio's `regex` engine (`\\p{Lu}`: any script's capitals, `Ł`, `Ö`, `Ç`). Every
quantifier is bounded or possessive, so a long capitalised run costs linear time (checked by the detection
budget tests over a megabyte of bait).
"""

from __future__ import annotations

import regex
from presidio_analyzer import RecognizerResult

from proxy.detect.name_honorifics import HONORIFIC

# The shapes' regex texts live in `name_shapes` (free of Presidio); re-exported for the recognizers.
from proxy.detect.name_shapes import (  # noqa: F401
    AFTER,
    BEFORE,
    INVERTED,
    LONG_RUN,
    PARTICLE,
    PARTICLE_LED,
    RUN,
    WORD,
)
from proxy.detect.name_text import inside_company_name
from proxy.detect.pattern_judging import MatchJudgingRecognizer

# A title of address leading a hit (`Dr. `, `Frau `): no part of the name's span (`name_title_recognizer`).
_TITLE = regex.compile(rf"{HONORIFIC}[ \u00a0]+")
_TITLE_ALONE = regex.compile(rf"{HONORIFIC}\.?")


class NameRunRecognizer(MatchJudgingRecognizer):
    """A PERSON recognizer whose patterns capture the name in group `name` (the rest of a match is its
    context: a label, a greeting) and whose `hit` decides, from the match, the name's span and worth."""

    ENTITY = "PERSON"

    def judge(self, match: regex.Match[str], text: str) -> RecognizerResult | None:
        hit = self.hit(match, text)
        if hit is None or inside_company_name(text, hit[0], hit[1]):
            return None
        if _TITLE_ALONE.fullmatch(text, hit[0], hit[1]):
            return None  # `cc: Ms. Caren Gomes` read up to `Ms`: the title is no name
        title = _TITLE.match(text, hit[0], hit[1])
        if title is not None and title.end() < hit[1]:
            hit = (title.end(), hit[1], hit[2])  # the title stays readable: `cc: Dr. [[PERSON]]`
        return RecognizerResult(self.ENTITY, *hit)

    def hit(self, match: regex.Match[str], text: str) -> tuple[int, int, float] | None:
        """The name's span in `text` and its score, or None: the match is no name."""
        raise NotImplementedError


# Scores: a name in a place that says "person" (a label, a greeting, a known first name with a surname)
# outranks NER's 0.85 for the same words, so the longer, complete span wins the overlap merge; a weaker
# guess needs context words to pass the policy's threshold (0.4).
CONFIDENT = 0.9
PLAUSIBLE = 0.6
