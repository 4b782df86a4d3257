"""A full name written as one CamelCase word (`OliviaThornbury`, `MariaGonzalez`): the judgement behind
`VeilGluedNameRecognizer`, kept free of Presidio for the detector's prefilter.

CamelCase is also how identifiers, products and brands are written (`PerformanceMax`, `GoogleAds`,
`MaxConversions`, `RubyGems`). What sets a glued name apart: its first hump is a clear given name (common
somewhere, or no English word) and every other hump is surname-like, a word of no dictionary and of no
modern vocabulary (`Thornbury`, `Gonzalez`) or a surname shape (`McDonald`, `O'Neill`). A given name glued to
a word of the language (`MaxBid`, `VictoriaSecret`, `RoseGold`, `AdaBoost`) is an identifier or a product;
after a given name that is itself a word (`Max`, `June`, `Mark`), only a census surname of no dictionary will
do (`MaxInvoice`, `JuneParser`, `RoseGold` are code and products; `MaxMustermann` is no census name either).
Surnames that are also English words (`JohnSmith`) are left to the other recognizers: taking them would
take `BillPay` and `MarkDown` too.
"""

from __future__ import annotations

import re

import regex

from proxy.detect.name_lexicon import (
    common_surnames,
    in_dictionary,
    is_english_word,
    is_vocabulary_word,
    lexicon_form,
)
from proxy.detect.name_words import STRONG, given_evidence, looks_like_surname

# For the prefilter (standard `re`, C speed): a capitalised word with a capital inside, standing alone.
GLUED_WORD = re.compile(
    r"(?<![\w@./+-])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,}(?:[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,})?(?![\w@-])"
)
_HUMP = regex.compile(r"\p{Lu}\p{Ll}+")
_MIN_GIVEN = 3
_MIN_REST = 3


def glued_name(word: str) -> bool:
    """Whether one CamelCase word is a given name glued to one or two surname-like humps."""
    humps = _HUMP.findall(word)
    if not 2 <= len(humps) <= 3 or "".join(humps) != word or is_english_word(word):
        return False
    first, rest = humps[0], humps[1:]
    if len(first) < _MIN_GIVEN or given_evidence(first) != STRONG:
        return False
    if in_dictionary(first):  # `Max`, `June`, `Mark`: a name list must vouch for the rest
        return all(
            looks_like_surname(h) or (lexicon_form(h) in common_surnames() and _surname_like(h)) for h in rest
        )
    return all(_surname_like(h) for h in rest)


def _surname_like(hump: str) -> bool:
    """A surname shape, or a word of no dictionary (obscure senses included) and of no modern vocabulary."""
    if looks_like_surname(hump):
        return True
    return len(hump) >= _MIN_REST and not in_dictionary(hump) and not is_vocabulary_word(hump)


def might_be_glued_name(text: str) -> bool:
    return any(glued_name(m.group()) for m in GLUED_WORD.finditer(text))
