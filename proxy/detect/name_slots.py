"""Name slots: the places of a text whose content is a person's name when it reads as one, whatever its
case (red team round eight, classes 8 to 10). A name written in lower case has no capital for the name
recognizers or NER to read it by; where it sits still says what it is.

The slots, one registry (`SLOTS`), each a declared pattern and how strongly the place vouches:

- the display name of an address (RFC 5322 mailbox: `display <addr>`, `"display" <addr>`, and the older
  `addr (display)`): git's `author: name <email>`, mail headers, `"author": "name <email> (url)"`. The
  place says "a person" (`VOUCHED`).
- the text of a chat mention or a link: Slack's `<@U…|name>` and `<mailto:…|name>` (`VOUCHED`: a user's
  display name, an address's holder), `<url|text>`, `<!subteam^…|text>`, Markdown `[text](url)`, HTML
  `<a …>text</a>` (`PAIR`: a link's text is as often a page, a place or a product as a person).
- a search query (`name_query_slots`: a search key's value in any layout, a query column, a query-shaped
  line), whose names are the query view's pairs.

A `VOUCHED` slot's whole content is a name when it is two to four name words led by a given name
(`maria gonzalez`, `maria j. gonzalez`, `gonzalez, maria`): every word a given name, a census surname, an
initial, a particle or a word of no dictionary, at least one of them a name list's, and a clear given name
first or a surname of no dictionary last. `acme support`, `jordan shoes`, `no reply`, `billing team` are
not. A `PAIR` slot's whole content is a name only by the query view's evidence: a clear given name (an
initial between allowed) and a census surname that is no word (`[maria gonzalez](…)`; not
`[grant park chicago](…)`, `[release notes](…)`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from proxy.detect.name_case_view import lower_case_name_starts
from proxy.detect.name_identifiers import clear_given, known_surname, placed_given
from proxy.detect.name_lexicon import (
    census_surnames,
    in_dictionary,
    is_english_word,
    is_vocabulary_word,
    lexicon_form,
    stop_words,
)
from proxy.detect.name_query_slots import query_slot_names
from proxy.detect.name_words import PARTICLES, PLACE_PREFIXES, TITLES, looks_like_surname

Span = tuple[int, int]
VOUCHED, PAIR = "vouched", "pair"

# One word of a name in a slot: letters with an inner apostrophe or hyphen, or an initial (`j.`); a comma
# after the first word writes the name surname first (`gonzalez, maria`).
_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?,?")
_MIN_WORDS, _MAX_WORDS = 2, 4
_MIN_GIVEN = 3
_QUOTES = " \t\"'“”‘’"


@dataclass(frozen=True)
class Slot:
    """A declared place: its pattern (group `slot` is the content; group `target`, if any, what a link
    points to) and how strongly it vouches for a name (`strength`, or a function of the target)."""

    name: str
    pattern: re.Pattern[str]
    strength: Callable[[str], str]


def _always(strength: str) -> Callable[[str], str]:
    return lambda target: strength


# A link's target that names a person: a user mention (`@U024BE7LH`), an address (`mailto:`), a person's
# page (`/u/43`, `/people/`, `/in/`, `?user=`), an anchor marked as a user's (`class="user mention"`).
_PERSON_TARGET = re.compile(
    r"^@|mailto:|[/?&](?:u|users?|people|persons?|profiles?|team|staff|members?|authors?|in|employees?|"
    r"contacts?)[/=]|\bclass=[\"'][^\"']{0,80}\b(?:user|mention|person|author|profile)\b",
    re.IGNORECASE,
)


def _by_target(target: str) -> str:
    """A link to a person vouches for its text (`_PERSON_TARGET`); a link to a page only by the pair."""
    return VOUCHED if _PERSON_TARGET.search(target) is not None else PAIR


# Possessive and led by a boundary: a run of address characters is tried from its start, once.
_ADDRESS = r"(?<![\w.+\-])[\w.+\-]{1,64}+@[\w\-]{1,63}+(?:\.[\w\-]{1,63}+){1,8}+"
_MAILBOX = re.compile(r"(?P<slot>)<[^<>\s@\"]{1,64}@[^<>\s@\"]{1,255}>")
_MAILBOX_COMMENT = re.compile(_ADDRESS + r"[ \t]{0,2}\((?P<slot>[^()\n]{3,80})\)")
_SLACK_LINK = re.compile(
    r"<(?P<target>[@#!][^|<>\s]{1,80}|(?:https?|mailto):[^|<>\s]{1,400})\|(?P<slot>[^|<>\n]{3,80})>"
)
_MARKDOWN_LINK = re.compile(r"\[(?P<slot>[^\[\]\n]{3,80})\]\((?P<target>[^()\s]{1,400})\)")
_HTML_ANCHOR = re.compile(r"<a\b(?P<target>[^<>]{0,400})>(?P<slot>[^<>\n]{3,80})</a>", re.IGNORECASE)

SLOTS = (
    # `display <addr>`: the display is read back from the `<` (`_display_before`).
    Slot("mailbox", _MAILBOX, _always(VOUCHED)),
    Slot("mailbox comment", _MAILBOX_COMMENT, _always(VOUCHED)),
    Slot("slack link", _SLACK_LINK, _by_target),
    Slot("markdown link", _MARKDOWN_LINK, _by_target),
    Slot("html anchor", _HTML_ANCHOR, _by_target),
)


# ---------------------------------------------------------------------------------------------- readings
def _plain(word: str) -> str:
    return word.rstrip(".,").casefold()


def _unknown(word: str) -> bool:
    """A word of no dictionary or vocabulary (a name the lists do not know: `okonkwo`, `yaiza`)."""
    return (
        len(word) >= 2
        and word.replace("-", "").replace("'", "").isalpha()
        and not (in_dictionary(word) or is_english_word(word) or is_vocabulary_word(word))
    )


def _surname_word(word: str) -> bool:
    """A last name word a place may vouch for: a census surname of no dictionary, a surname shape
    (`o'brien`, `smith-jones`) or a word of no dictionary (`okonkwo`); not `shoes`, `tea`, `team`."""
    return known_surname(word) or looks_like_surname(word.title()) or (len(word) >= 3 and _unknown(word))


def _vouched_reading(words: list[str]) -> bool:
    """Two to four name words led by a given name (module doc), or `surname, given`."""
    plain = [_plain(w) for w in words]
    if words[0].endswith(",") and len(words) in (2, 3):
        rest = plain[2:]
        surname = lexicon_form(plain[0]) in census_surnames()
        return surname and clear_given(plain[1]) and all(len(w) == 1 for w in rest)
    if any(w.endswith(",") for w in words):
        return False
    lead, last = plain[0], plain[-1]
    if lead in PLACE_PREFIXES or lead in stop_words() or last in stop_words():
        return False
    if len(plain) == 2 and clear_given(lead) and lexicon_form(last) in census_surnames():
        return True  # `maria park`, `leo graf`: the place says "a person", a surname that is a word will do
    if not _surname_word(last):
        return False
    if not all(len(w) == 1 or w in PARTICLES or placed_given(w) or _surname_word(w) for w in plain[1:-1]):
        return False
    return clear_given(lead) or (known_surname(last) and (placed_given(lead) or _unknown(lead)))


def _pair_reading(words: list[str]) -> bool:
    """A clear given name, an optional initial, and a census surname that is no word."""
    if any(w.endswith(",") for w in words) or len(words) > 3:
        return False
    plain = [_plain(w) for w in words]
    lead, last = plain[0], plain[-1]
    if len(words) == 3 and len(plain[1]) != 1:
        return False
    return (
        clear_given(lead)
        and lead not in PLACE_PREFIXES
        and known_surname(last)
        and len(lead) + len(last) >= 8
    )


def whole_name(text: str, start: int, end: int, strength: str) -> Span | None:
    """The span of the name that is the whole of `text[start:end]` (quotes and a title of address aside),
    or None when the content is no name by the slot's `strength`."""
    while start < end and text[start] in _QUOTES:
        start += 1
    while end > start and text[end - 1] in _QUOTES:
        end -= 1
    tokens = list(_TOKEN.finditer(text, start, end))
    if tokens and _plain(tokens[0].group()) in TITLES:
        tokens = tokens[1:]
    if not _MIN_WORDS <= len(tokens) <= _MAX_WORDS:
        return None
    gaps = [text[a.end() : b.start()] for a, b in itertools.pairwise(tokens)]
    edges = text[start : tokens[0].start()].strip(" \t.") + text[tokens[-1].end() : end].strip(" \t.")
    if edges or any(g not in (" ", "\u00a0") for g in gaps):
        return None  # something else than the name in the slot
    words = [t.group() for t in tokens]
    reading = _vouched_reading if strength == VOUCHED else _pair_reading
    if not reading(words):
        return None
    return tokens[0].start(), tokens[-1].start() + len(tokens[-1].group().rstrip(".,"))


def _display_before(text: str, at: int) -> Span | None:
    """The display name before an address's `<` at `at`: a quoted one, or the longest run of two to four
    words back from the `<` that reads as a name (`committed by maria gonzalez <…>` → `maria gonzalez`)."""
    line_start = text.rfind("\n", 0, at) + 1
    head = text[max(line_start, at - 120) : at]
    base = at - len(head)
    stripped = head.rstrip(" \t")
    if not stripped:
        return None
    end = base + len(stripped)
    if stripped.endswith(('"', "”")):
        open_at = max(stripped.rfind('"', 0, len(stripped) - 1), stripped.rfind("“"))
        return whole_name(text, base + open_at + 1, end - 1, VOUCHED) if open_at >= 0 else None
    tokens = list(_TOKEN.finditer(text, base, end))
    for n in range(min(_MAX_WORDS, len(tokens)), _MIN_WORDS - 1, -1):
        found = whole_name(text, tokens[-n].start(), end, VOUCHED)
        if found is not None:
            return found
    return None


def slot_spans(text: str) -> Iterator[Span]:
    """The names in `text`'s mailbox and link slots (`SLOTS`)."""
    for slot in SLOTS:
        for m in slot.pattern.finditer(text):
            if slot.name == "mailbox":
                found = _display_before(text, m.start())
            else:
                target = m.groupdict().get("target") or ""
                found = whole_name(text, m.start("slot"), m.end("slot"), slot.strength(target))
            if found is not None:
                yield found


# ------------------------------------------------------------------------------------------------- entry
_MAX_CHARS = 200_000
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


@lru_cache(maxsize=4096)
def slot_names(text: str) -> tuple[Span, ...]:
    """The (start, end) of every person name in a slot of `text`: mailboxes, links, queries. Cheap first:
    a text holding no clear given name as a word of its own (found at C speed) holds none."""
    if len(text) > _MAX_CHARS:
        return ()
    # A URL's escapes (`%20`, `%22`) are blanks there: read as such, at the same offsets.
    starts = lower_case_name_starts(_ESCAPE.sub("   ", text) if "%" in text else text)
    if starts is not None and not starts:
        return ()
    return tuple(sorted({*slot_spans(text), *query_slot_names(text, starts)}))


def might_fill_slot(text: str) -> bool:
    """For the name prefilter: `text` holds a name in a slot (`slot_names`)."""
    return bool(slot_names(text))
