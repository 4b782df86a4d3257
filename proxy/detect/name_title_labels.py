"""A person's full name inside a title-case label: a calendar event's `summary`, a mail `subject`, a
Markdown heading, a ticket or file title (`Maria Gonzalez Performance Review`, `Exit Interview: Elena
Mendoza`, `Re: Beatriz Guzman Offer Letter`).

Such a label has no lower-case word, so it is no prose and the detector's prefilter
(`name_prefilter.might_hold_name`) never sent it to the name recognizers: the name was never looked for.
The recognizers already take such a name out of a longer capitalised run (`VeilLexiconNameRecognizer`);
what was missing is the trigger. This is it: the text holds, somewhere in a capitalised run, a clear given
name right before a surname that reads as nothing else:
- a census surname no dictionary or vocabulary holds (`Gonzalez`, `Mendoza`): wherever the pair sits;
- a frequent surname that is also a word (`Hunter`, `Brown`), only with stronger evidence: no phrase goes
  on after it (the label ends, or a separator or a function word follows: `Lunch: Megan Hunter`,
  `Dinner With Megan Hunter And Team`), or what follows is a person's head (`name_heads`: `Account
  Manager`, `Performance Review`) — the phrase rule the recognizers ask (`name_phrases.phrase_modifier`)
  — or a role or a record kind stands before it in the same line (`Exit Interview: Megan Hunter`).
`Georgia Peach Tea`, `Charlotte Airport Shuttle`, `Jordan Air Max` hold neither and stay unread.

Kept free of Presidio (the prefilter runs before the detectors load). Cheap: one regex over the text for
two adjacent capitalised words, then set lookups for each pair.
"""

from __future__ import annotations

import re
from functools import lru_cache

from proxy.detect.name_heads import heads_before
from proxy.detect.name_lexicon import (
    census_surnames,
    common_surnames,
    in_dictionary,
    is_english_word,
    is_vocabulary_word,
    lexicon_form,
)
from proxy.detect.name_phrases import PLACE_KIND_SURNAMES, phrase_modifier, place_head
from proxy.detect.name_words import STRONG, given_evidence
from proxy.detect.names import person_name_likelihood

# The pair alone must read as a clear name (`San Francisco`, `Santa Monica` do not: a place prefix).
_CLEAR = 0.85

_CAP = r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]{1,30}(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]{1,30})?"
# Every pair of adjacent capitalised words: the first consumed, the second looked ahead at (overlapping
# pairs, `Urgent Maria Gonzalez`), so each word is read once.
_PAIR = re.compile(rf"(?<![\w'’-])({_CAP})[ \u00a0](?=({_CAP})(?![\w-]))")
# The capitalised words after a pair in the same run (up to four).
_AFTER = re.compile(rf"(?:[ \u00a0]{_CAP}(?![\w-])){{0,4}}")


def _word_of_language(word: str) -> bool:
    return in_dictionary(word) or is_english_word(word) or is_vocabulary_word(word)


@lru_cache(maxsize=65_536)
def pair_kind(given: str, surname: str) -> str | None:
    """`strong`: a clear given name before a census surname of no dictionary, the pair a clear name alone
    (`Maria Gonzalez`; not `San Francisco`); `word`: the same with a frequent surname that is also a word
    (`Megan Hunter`), which needs stronger evidence; else None."""
    if given_evidence(given) != STRONG or place_head(surname):
        return None
    form = lexicon_form(surname)
    if form not in census_surnames() or person_name_likelihood(f"{given} {surname}") < _CLEAR:
        return None
    if not _word_of_language(surname):
        return "strong"
    return "word" if form in common_surnames() and form not in PLACE_KIND_SURNAMES else None


def label_name_pair(given: str, surname: str, after: str, before: str = "") -> bool:
    """Whether `given surname`, followed in its run by the words `after` and preceded in its line by the
    words `before`, is a person's name by the rule of the module docstring."""
    kind = pair_kind(given, surname)
    if kind != "word":
        return kind == "strong"
    return not phrase_modifier(f"{given} {surname}", after or None) or heads_before(before.split())


def might_hold_label_name(text: str) -> bool:
    """The prefilter's test: could `text` hold a full name inside a title-case label?"""
    for m in _PAIR.finditer(text):
        kind = pair_kind(m.group(1), m.group(2))
        if kind == "strong":
            return True
        if kind == "word":
            end = m.end() + len(m.group(2))
            after = _AFTER.match(text, end)
            if label_name_pair(
                m.group(1), m.group(2), after.group() if after else "", _line_before(text, m.start())
            ):
                return True
    return False


def _line_before(text: str, at: int) -> str:
    """The label's words before a pair: its line, up to 60 characters back."""
    start = max(0, at - 60)
    return text[start:at].rpartition("\n")[2]


_WORD = re.compile(r"\S+")


def label_name_span(run: str) -> tuple[int, int] | None:
    """The first full name of a capitalised run by the same rule (`Dmitri Navarro` of `Dmitri Navarro
    Laptop Request`, where the run's most name-like stretch took `Laptop`, a word no 1913 dictionary
    knows, for a surname), over a second surname no dictionary holds (`Maria Gonzalez Lopez`): offsets
    into `run`."""
    words = [(m.start(), m.end(), m.group().strip(":,;")) for m in _WORD.finditer(run)]
    for i in range(len(words) - 1):
        given, surname = words[i][2], words[i + 1][2]
        after = " ".join(w for _, _, w in words[i + 2 :])
        if label_name_pair(given, surname, after):
            j = i + 1
            while j + 1 < len(words) and _second_surname(words[j + 1][2]):
                j += 1
            return words[i][0], words[j][0] + len(words[j][2])
    return None


def _second_surname(word: str) -> bool:
    return lexicon_form(word) in census_surnames() and not _word_of_language(word)
