"""The case view: a text written in one case (a CRM note in ALL CAPS, a chat line in lower case) re-cased
the way the name recognizers and NER expect, character for character, so every span maps straight back.

Capitals are what the name recognizers and a small NER pipeline read a name by; a text written wholly in
capitals (or wholly in lower case) carries none of that evidence. The view gives it back from the word
lists: a line that is mostly upper case is lower-cased, its sentence starts and the words the lexicon calls
name words (a given name, a census surname, a surname shape; a word of no dictionary beside one of them)
are capitalised, and unknown short words alone stay capitals (acronyms: `CPC`, `ROI`). A lower-case line
of prose, or a line that is a name alone (`- leila lombardi`), gets capitals only on runs of two or more name
words led by a clear given name (`spoke to maria gonzalez about` → `Maria Gonzalez`): a lower-case query
(`nike air max`, `jordan shoes`) has no such run.

A given name that is also a word of the language or a particle (`Will`, `Rose`, `Le`) is capitalised only
beside another name word: `THE REVIEW WILL BE DONE` keeps `will` a verb.

Every replacement has the length of what it replaces (`str.lower` on a character that grows is left as it
was), so the view reuses its source view's offset map.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ahocorasick_rs import AhoCorasick, MatchKind

from proxy.detect.name_keys import is_name_label
from proxy.detect.name_lexicon import (
    common_surnames,
    first_names,
    is_english_word,
    is_vocabulary_word,
    lexicon_form,
    name_frequencies,
    stop_words,
)
from proxy.detect.name_queries import QUERY_KEY, QUERY_LINE, recase_query, recase_query_values
from proxy.detect.name_words import (
    COMMON_NAME,
    COMPANY_WORDS,
    PARTICLES,
    STRONG,
    TITLES,
    given_evidence,
    looks_like_surname,
)
from proxy.detect.view_map import View

# A line holds three all-caps words in a row (C-speed test before any per-line work).
_CAPS_RUN = re.compile(r"[A-ZÀ-ÖØ-Þ]{2,}[^a-zß-öø-ÿ\n]{1,4}[A-ZÀ-ÖØ-Þ]{2,}[^a-zß-öø-ÿ\n]{1,4}[A-ZÀ-ÖØ-Þ]{2,}")
_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_LOWER = re.compile(r"[a-zß-öø-ÿ]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+)*")
_MIN_LOWER_WORDS = 5
# A lower-case line that is a name and nothing else: two or three words after a list bullet or a short
# label (`- leila lombardi`, `owner: kenji underhill`). Re-cased like prose (`_from_lower`: led by a clear
# given name, with a name word or a word of no dictionary after it), so `jordan shoes` stays a query.
_NAME_LINE = re.compile(
    r"^[ \t\-*•>\d.)\"'“]*(?:(?P<label>[^\W\d][\w ]{0,20}):[ \t]*)?"
    r"(?P<name>[^\W\d_]+(?:['’\-][^\W\d_]+)*(?: [^\W\d_]+(?:['’\-][^\W\d_]+)*){1,2})"
    r"[\"'”]?[ \t]*[.,;]?[ \t]*$",
    re.MULTILINE,
)
# For the detector's one-piece scan of many texts joined by NUL: every text `case_view` reads as lower case
# matches this (a superset: no Latin capital, a space); the batch scan then keeps those with a given name
# that could lead a name run (`lower_case_name_starts`).
LOWER_CASE_TEXT = re.compile(r"(?:^|(?<=\x00))(?:[^\x00A-ZÀ-ÖØ-Þ ]*[ ]){1}[^\x00A-ZÀ-ÖØ-Þ]*(?=\x00|$)")
_MIN_LEADING_NAME = 3  # a lower-case run is led by a given name of this many letters or more (not `al`, `jo`)
_MOSTLY = 0.8
_ACRONYM_MAX = 3


def case_view(view: View) -> View | None:
    """The re-cased view of `view`, or None when no line of it is written in one case (nor holds a search
    key's lower-case value, `q="maria gonzalez realtor"`)."""
    text = view.text
    one_case = (
        _CAPS_RUN.search(text) is not None
        or (text.islower() and text.count(" ") >= _MIN_LOWER_WORDS - 1)
        or any(m.group("name").islower() for m in _NAME_LINE.finditer(text))
        or (text.islower() and QUERY_LINE.fullmatch(text) is not None)
    )
    if not one_case and QUERY_KEY.search(text) is None:
        return None
    lines = text.split("\n")
    out = [_recase_line(line) if one_case else recase_query_values(line) for line in lines]
    if out == lines:
        return None
    recased = "\n".join(out)
    return View(recased, view.starts, view.ends)


def _recase_line(line: str) -> str:
    uppers = len(_UPPER.findall(line))
    lowers = len(_LOWER.findall(line))
    if uppers >= 6 and uppers >= _MOSTLY * (uppers + lowers):
        return _from_caps(line)
    labelled = _NAME_LINE.fullmatch(line)
    if (
        labelled is not None
        and labelled.group("name").islower()
        and labelled.group("label")
        and is_name_label(labelled.group("label"))
    ):
        return _capitalise_span(line, labelled.start("name"), labelled.end("name"))
    if uppers == 0 and lowers and (_is_prose(line) or _is_name_line(line)):
        # A pair the runs leave out (`pou` is short enough to read as an acronym) is a name all the same.
        return recase_query(_from_lower(line), prose=True)
    if uppers == 0 and lowers and QUERY_LINE.fullmatch(line):
        return recase_query(line)  # `maria gonzalez realtor`: a name typed into a search box
    return recase_query_values(line)  # `q="maria gonzalez realtor"` in a log line or a URL


def _same_length(word: str, new: str) -> str:
    return new if len(new) == len(word) else word


_PART = re.compile(r"(?:^|(?<=^[^\W\d_]['’])|(?<=-))[^\W\d_]")


def _capitalised(word: str) -> str:
    """`Maria`, `O'Brien`, `Smith-Jones`: the first letter, a letter after a one-letter prefix's
    apostrophe and each hyphenated part's first letter in capitals."""
    return _same_length(word, _PART.sub(lambda m: m.group().upper(), word.lower()))


def _from_caps(line: str) -> str:
    words = list(_WORD.finditer(line))
    kinds = [_kind(m.group()) for m in words]
    pieces: list[str] = []
    pos = 0
    for i, m in enumerate(words):
        w = m.group()
        pieces.append(line[pos : m.start()])
        pos = m.end()
        if not w.isupper():
            pieces.append(w)  # a word already in mixed case is written as meant
            continue
        kind = kinds[i]
        near = _name_neighbour(words, kinds, i, line, _VOUCHES[kind]) if kind in _VOUCHES else False
        if kind == "name" and not near and not _among_function_words(words, kinds, i, line):
            pieces.append(_same_length(w, w.lower()))  # `PERFORMANCE MAX`: a lone name beside a word
        elif kind in ("name", "title") or near:
            pieces.append(_capitalised(w))
        elif kind == "acronym":  # `CPC`, `XL`: an acronym stays
            pieces.append(w)
        elif kind == "unknown":  # alone, a brand or a code reads as a word
            pieces.append(_same_length(w, w.lower()))
        elif _sentence_start(line, m.start()):
            pieces.append(_capitalised(w))
        else:
            pieces.append(_same_length(w, w.lower()))
    pieces.append(line[pos:])
    return "".join(pieces)


def _sentence_start(line: str, pos: int) -> bool:
    """Nothing but spaces, bullets and quotes between the line's start or a sentence's end and `pos`."""
    before = line[:pos].rstrip(" \t-*•>\"'`([")
    return not before or before[-1] in ".!?:"


def _from_lower(line: str) -> str:
    words = list(_WORD.finditer(line))
    kinds = [_kind(m.group()) for m in words]
    chars = list(line)
    i = 0
    while i < len(words):
        j = i
        while (
            j < len(words)
            and kinds[j] in ("name", "unknown", "weak")
            and (j == i or _adjacent(words, j, line))
        ):
            j += 1
        j = max(j, i + 1)
        run = range(i, j)
        led = (
            kinds[i] in ("name", "weak")
            and len(words[i].group()) >= _MIN_LEADING_NAME
            and given_evidence(words[i].group()) == STRONG
        )
        if j - i >= 2 and led and any(kinds[k] in ("name", "unknown") for k in run):
            for k in run:
                w = words[k].group()
                new = _capitalised(w)
                chars[words[k].start() : words[k].end()] = list(new)
        i = j
    return "".join(chars)


def _adjacent(words: list[re.Match[str]], j: int, line: str) -> bool:
    """Word j continues the run before it: the first word, or one space after the previous one."""
    return j == 0 or line[words[j - 1].end() : words[j].start()] in (" ", "\u00a0")


# Which neighbours make a word a name word in capitals: a weak one (`WILL`, `BRAD`) beside a clear name
# word or an unknown one (`BRAD BARRIO`); an unknown one (`PELLEGRINI`, `CREUSET`) beside a given name or
# surname (`MAX PELLEGRINI`; `LE CREUSET` has a particle, no name).
_VOUCHES = {
    "weak": frozenset({"name", "unknown", "title"}),
    "unknown": frozenset({"name", "weak", "title"}),
    "name": frozenset({"name", "weak", "unknown", "title"}),
}


def _among_function_words(words: list[re.Match[str]], kinds: list[str], i: int, line: str) -> bool:
    """A lone name between function words or punctuation (`SPOKE TO MARIA ABOUT`), not beside a content
    word it would be read with (`PERFORMANCE MAX`, `MAX FETCH SIZE`)."""
    return not any(
        0 <= j < len(words)
        and _adjacent(words, max(i, j), line)
        and words[j].group().casefold() not in stop_words()
        for j in (i - 1, i + 1)
    )


def _name_neighbour(
    words: list[re.Match[str]], kinds: list[str], i: int, line: str, vouching: frozenset[str]
) -> bool:
    """A word of a `vouching` kind directly before or after word i."""
    if i > 0 and kinds[i - 1] in vouching and _adjacent(words, i, line):
        return True
    return i + 1 < len(words) and kinds[i + 1] in vouching and _adjacent(words, i + 1, line)


def _kind(word: str) -> str:
    """`name`: a given name common somewhere or of no dictionary, a census surname or surname shape of no
    dictionary; `weak`: a rarer given name or a surname that is also a word of the language (`BROWN`);
    `title`: an honorific; `unknown`: a word of no dictionary; `acronym`: a short one (`CPC`, `XL`);
    `word`: a word of the language."""
    folded = lexicon_form(word)
    if folded in TITLES:
        return "title"
    if folded in COMPANY_WORDS and folded not in stop_words():
        return "title"  # `GMBH`, `LTD`: a firm's name stays one, for the company-name check
    if folded in stop_words() or folded in PARTICLES:
        return "word"
    given = given_evidence(word)
    surname = folded in common_surnames() or looks_like_surname(_capitalised(word))
    if given == STRONG or (surname and not is_english_word(word)):
        return "name"  # `PAUL`, `ROGER` are dictionary words too, but common given names first
    if given != "none" or surname:
        return "weak"
    if is_english_word(word) or is_vocabulary_word(word):
        return "word"
    return "acronym" if len(word) <= _ACRONYM_MAX else "unknown"


def _capitalise_span(line: str, start: int, end: int) -> str:
    """`line` with every word in [start, end) capitalised: a name under a label that says so (`owner: greta
    okonkwo`), whatever the lexicon knows of its words."""
    name = _WORD.sub(lambda m: _capitalised(m.group()), line[start:end])
    return line[:start] + name + line[end:]


def _is_name_line(line: str) -> bool:
    """A lower-case line that is a name and nothing else (`_NAME_LINE`): every word of it a name word of
    the lexicon (`david garcia plumber` is a query about one; a word of no dictionary is not evidence
    enough in lower case)."""
    m = _NAME_LINE.fullmatch(line)
    return m is not None and all(
        _kind(w.group()) in ("name", "weak") for w in _WORD.finditer(m.group("name"))
    )


def _is_prose(line: str) -> bool:
    """A lower-case line of prose (five or more words, two function words), not a query or a label."""
    words = line.split()
    return len(words) >= _MIN_LOWER_WORDS and sum(w.strip(".,;:!?") in stop_words() for w in words) >= 2


@lru_cache(maxsize=1)
def _leading_names() -> AhoCorasick:
    """Every given name that can lead a lower-case run (`_from_lower`), as the batch pre-scan looks for it.
    Letters only: a match then never runs across a word's edge, so leftmost-longest matching finds every
    such name that stands as a whole word."""
    frequencies = name_frequencies()
    names = [
        n
        for n in first_names()
        if len(n) >= _MIN_LEADING_NAME
        and n.isalpha()
        and (frequencies.get(n, 0) >= COMMON_NAME or not is_english_word(n))
    ]
    return AhoCorasick(names, matchkind=MatchKind.LeftmostLongest)


def lower_case_name_starts(joined: str) -> list[int] | None:
    """Where a given name that could lead a lower-case name run stands as a whole word in `joined` (the
    detector's batch pre-scan: a lower-case text without one gets no case view). None when the lowered
    text cannot be read at the same offsets. Accented names are found under their accented spelling (the
    name list holds both)."""
    lowered = joined.casefold()
    if len(lowered) != len(joined):
        return None
    out = []
    for _idx, start, end in _leading_names().find_matches_as_indexes(lowered):
        if (start == 0 or not lowered[start - 1].isalnum()) and (
            end == len(lowered) or not lowered[end].isalnum()
        ):
            out.append(start)
    return out
