"""Whether a short string standing alone (a whole text, a whole line) is a person's name: the judgement
behind `VeilStandaloneNameRecognizer`, kept free of Presidio for the detector's prefilter."""

from __future__ import annotations

import re

from proxy.detect.name_lexicon import (
    common_surnames,
    in_dictionary,
    is_first_name,
    is_vocabulary_word,
    lexicon_form,
)
from proxy.detect.name_words import (
    MAX_NAME_CHARS,
    PARTICLES,
    is_word_not_surname,
    looks_like_surname,
    split_name,
)
from proxy.detect.names import person_name_likelihood

# A line's prefix that is no part of what it says: a bullet, a number, a quote.
PREFIX = r"[ \t]*(?:[-*•>][ \t]+|\d{1,3}[.)][ \t]+)?[\"'“]?"
SUFFIX = r"[\"'”]?[ \t]*\r?$"
_BAR = 0.5

# The cheap test for the prefilter (standard `re`): a line of two to four capitalised words.
STANDALONE_LINE = re.compile(
    r"^[ \t]*(?:[-*•>][ \t]+|\d{1,3}[.)][ \t]+)?[\"'“]?"
    r"([A-ZÀ-ÖØ-Þ][\w'’.-]*(?:,?[ \u00a0](?:[a-z]{1,3}[ \u00a0]){0,2}[A-ZÀ-ÖØ-Þ][\w'’.-]*){1,3})"
    r"[\"'”]?[ \t]*\r?$",
    re.MULTILINE,
)


def standalone_name(value: str) -> bool:
    """Whether a string standing alone is a person's name (see the module docstring)."""
    if len(value) > MAX_NAME_CHARS:
        return False
    split = split_name(value)
    if split is None:
        return False
    words, titled, _ = split
    core = [w for i, w in enumerate(words) if not (i > 0 and w.casefold() in PARTICLES)]
    if not 2 <= len(core) <= 4 or not all(w[0].isupper() for w in core):
        return False
    if any((is_word_not_surname(w) or is_vocabulary_word(w)) and not is_first_name(w) for w in core):
        return False  # a word of the language that no name list knows: a phrase, a product, a heading
    vouched = (
        is_first_name(core[0])
        or any(looks_like_surname(w) for w in core)
        or ("," in value and any(is_first_name(w) for w in core))
        # an unfamiliar given name before a census surname (`Eunji Kim`, `Senna Jones`): no dictionary knows
        # the first word, a name list knows the last
        or (lexicon_form(core[-1]) in common_surnames() and not in_dictionary(core[0]))
    )
    return (vouched or titled) and person_name_likelihood(value) >= _BAR


def might_stand_alone(text: str) -> bool:
    return any(standalone_name(m.group(1)) for m in STANDALONE_LINE.finditer(text))
