"""Where a text holds a search query, and the person names a query holds (red team round eight, class 10).

A query is typed without capitals and without prose around the name (`maria gonzalez realtor`), so what
says "a person" is the pair the query view reads (`name_queries`): a clear given name and a census surname
that is no word of the language in any dictionary. This module generalises *which texts are queries* and
*which pairs a query holds*:

- a query's value under a search key, judged by the key's words after key normalization, in any layout
  that writes one: a URL's query string (`?q=`, `?s=`, `?p=`, `?wd=`, `utm_term=`, `searchTerm=`), a log's
  `key=value` or `key: value`, a JSON pair written in a text (`"search_term": "…"`, `"keys": ["…"]`);
- a cell of a delimited report (CSV, TSV, a Markdown table) under a query column (`Query`, `Search term`,
  `Top queries`), and an item of a list under a heading that names queries (`Top queries this week:`);
- a line shaped as a query: at most ten words of letters, digits and search syntax (quotes, operators such
  as `site:` and `intitle:`, `?`, `,`, `()`, `&`, `|`), whatever the case of the words beside the name
  (`francesca delgado NYC`, `beatriz guzman LinkedIn`).

Inside a query, a pair is read with a middle initial (`sebastian j mueller`), with a possessive
(`ricardo sandoval's listings`), surname first (`gutierrez isabella realtor`), and across the blanks a URL
writes (`+`, `%20`). A query for a product or a place led by a given name (`jordan shoes`, `grant park
chicago`, `georgia peach tea`) holds no such pair: the surname evidence is what keeps it readable.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from proxy.detect.name_identifiers import clear_given, known_surname, placed_given
from proxy.detect.name_words import PLACE_PREFIXES, words_of

Span = tuple[int, int]

# A word of a query: letters, an inner apostrophe (`o'brien`); a possessive `'s` is read off the surname.
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# What stands between two words of one name in a query: a blank as typed or as a URL encodes it.
_GAP = re.compile(r"[ \u00a0]|\+|%20")
_INITIAL_GAP = re.compile(r"\.?(?:[ \u00a0]|\+|%20)")
_POSSESSIVE = re.compile(r"['’]s$")
_MIN_PAIR = 8  # letters of a pair at least, as the query view (`ana li` could be anything)

# ------------------------------------------------------------------------------------------- search keys
# A key's words (`searchTerm` → search, term; `utm_term` → utm, term) and what makes it a query's key: a
# word that names a query, as the key's last word or the whole key.
_KEY_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_QUERY_WORDS = frozenset(
    words_of("""q query queries querytext querystring search searches searchterm searchterms searchquery
    searchtext searchstring searchphrase searchkeyword searchkeywords searchword keyword keywords keyphrase
    term terms keys""")
)
# The short keys search engines, shops and ad platforms use in a URL's query string only (Yahoo `p`,
# WordPress `s`, Baidu `wd`, Yandex `text`, Amazon `k`): too short or too common to say "query" elsewhere.
_URL_QUERY_KEYS = frozenset(words_of("s p k w wd kw qs qt oq text find searchfor"))
# A key before `=` or `:` (`q=`, `search_term: `, `"searchTerm": `): where a value may follow. The value is
# read after it (`keyed_query_values`), so a key's match never swallows the next key of the line.
KEY_AT = re.compile(
    r"(?<![A-Za-z0-9_.\-])[\"']?(?P<key>[A-Za-z][A-Za-z0-9_.\-]{0,40}+)[\"']?"
    r"[ \t]{0,2}(?P<sep>[=:])[ \t]{0,2}"
)
_DOUBLE_QUOTED = re.compile(r"\"((?:[^\"\\\n]|\\.){1,300})\"")
_SINGLE_QUOTED = re.compile(r"'([^'\n]{1,300})'")
_LIST = re.compile(r"\[([^\[\]\n]{1,600})\]")
_BARE_AFTER_EQUALS = re.compile(r"[^\s&;,#\"'\[{]{1,300}")
_BARE_AFTER_COLON = re.compile(r"[^\s,|;\"'\[{][^\n,|;]{0,300}")


def key_words(key: str) -> list[str]:
    """`searchTerm` → search, term; `utm_term` → utm, term; `Top queries` → top, queries."""
    return [p.casefold() for chunk in re.split(r"[\W_]+", key) for p in _KEY_PART.findall(chunk)]


def is_query_key(key: str, *, in_url: bool = False) -> bool:
    """A key (or a column's header) whose value is a search query: its last word or the whole of it names
    a query (`q`, `query`, `searchTerm`, `utm_term`, `Top queries`, `keyword`); in a URL's query string,
    the short keys engines use (`s`, `p`, `wd`, `text`)."""
    parts = key_words(key)
    if not parts:
        return False
    whole = "".join(parts)
    if whole in _QUERY_WORDS or parts[-1] in _QUERY_WORDS:
        return True
    return in_url and whole in _URL_QUERY_KEYS


def keyed_query_values(text: str) -> Iterator[Span]:
    """The value under each search key written in `text` (a URL, a log line, a JSON text)."""
    if "=" not in text and ":" not in text:
        return
    for m in KEY_AT.finditer(text):
        key_start = m.start("key")
        in_url = m.group("sep") == "=" and key_start > 0 and text[key_start - 1] in "?&;"
        if not is_query_key(m.group("key"), in_url=in_url):
            continue
        pos = m.end()
        listed = _LIST.match(text, pos)
        if listed is not None:
            for q in _DOUBLE_QUOTED.finditer(text, listed.start(1), listed.end(1)):
                yield q.span(1)
            continue
        bare = _BARE_AFTER_EQUALS if m.group("sep") == "=" else _BARE_AFTER_COLON
        value = _DOUBLE_QUOTED.match(text, pos) or _SINGLE_QUOTED.match(text, pos) or bare.match(text, pos)
        if value is not None:
            yield value.span(value.lastindex or 0)


# --------------------------------------------------------------------------------- columns and headings
_DELIMITERS = ("\t", "|", ",", ";")
# A header naming a query somewhere (the cheap test before a line is split into cells).
_QUERY_HEADER = re.compile(r"(?i)(?<![a-z])(?:q|quer|search|keyword|term|keys)")
_RULE = re.compile(r"^[ \t|:\-+]+$")  # a Markdown table's rule line
_ITEM = re.compile(r"^[ \t]*(?:\d{1,3}[.)]|[-*•])[ \t]+")
_HEADING = re.compile(r":[ \t]*$")


def _cells(line: str, delimiter: str) -> list[Span]:
    """The cells of one delimited line, as spans of `line` (a CSV cell's quotes are no part of it)."""
    out: list[Span] = []
    i, n = 0, len(line)
    if delimiter == "|":
        stripped = line.strip()
        i = line.index(stripped[0]) + 1 if stripped.startswith("|") else 0
        n = line.rindex("|") if stripped.endswith("|") and stripped != "|" else n
    while i <= n:
        if delimiter == "," and line.startswith('"', i):
            j = i + 1
            while j < n and not (line[j] == '"' and line[j + 1 : j + 2] != '"'):
                j += 2 if line[j] == '"' else 1
            out.append((i + 1, min(j, n)))
            k = line.find(delimiter, j)
            i = (k if k >= 0 else n) + 1
            continue
        k = line.find(delimiter, i, n)
        k = n if k < 0 else k
        out.append((i, k))
        i = k + 1
    return out


def column_cells(text: str) -> Iterator[Span]:
    """Each cell under a query column of a delimited report (a header cell naming a query: `Query`,
    `Search term`, `search_term`), down to the report's end (a blank line)."""
    if "\n" not in text:
        return
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    i = 0
    while i < len(lines):
        header = lines[i]
        found = None
        for delimiter in _DELIMITERS if _QUERY_HEADER.search(header) is not None else ():
            if delimiter in header:
                cells = _cells(header, delimiter)
                named = [c for c, (a, b) in enumerate(cells) if is_query_key(header[a:b].strip(" \"'*`"))]
                if named and len(cells) >= 2:
                    found = delimiter, named[0]
                    break
        if found is None:
            i += 1
            continue
        delimiter, column = found
        j = i + 1
        while j < len(lines) and lines[j].strip():
            row = lines[j]
            if not _RULE.match(row):
                cells = _cells(row, delimiter)
                if column < len(cells):
                    a, b = cells[column]
                    yield starts[j] + a, starts[j] + b
            j += 1
        i = j


def heading_items(text: str) -> Iterator[Span]:
    """Each item of a list under a heading that names queries (`Top queries this week:`, `Searches:`)."""
    if "\n" not in text:
        return
    pos = 0
    under = False
    for line in text.split("\n"):
        item = _ITEM.match(line)
        if under and item is not None:
            yield pos + item.end(), pos + len(line)
        elif _HEADING.search(line) and any(w in _QUERY_WORDS for w in key_words(line)):
            under = True
        elif line.strip():
            under = False
        pos += len(line) + 1


# ------------------------------------------------------------------------------------ query-shaped lines
# A line a search box could hold: at most ten words of letters, digits and search syntax, nothing of
# markup, code or a key's `=` (those have their own readings). Anchored at a line's start, so a long run
# without blanks is scanned once, not from each of its characters.
QUERY_SHAPED = re.compile(r"(?m)^[ \t]*[^\s<>\[\]{}=;\\`~^$]+(?:[ \t]+[^\s<>\[\]{}=;\\`~^$]+){1,9}[ \t]*$")
_MAX_QUERY_LINE = 160


def query_lines(text: str) -> Iterator[Span]:
    pos = 0
    for line in text.split("\n"):
        if len(line) <= _MAX_QUERY_LINE and QUERY_SHAPED.fullmatch(line):
            yield pos, pos + len(line)
        pos += len(line) + 1


def query_slots(text: str) -> Iterator[Span]:
    """Every range of `text` that is a search query, by any of the readings above."""
    yield from keyed_query_values(text)
    yield from column_cells(text)
    yield from heading_items(text)
    yield from query_lines(text)


# ------------------------------------------------------------------------------------------ query names
def _given(word: str) -> bool:
    return clear_given(word) and word not in PLACE_PREFIXES


def _surname(word: str) -> int:
    """The length of the surname `word` reads as (its possessive `'s` off), or 0."""
    bare = _POSSESSIVE.sub("", word)
    return len(bare) if known_surname(bare) else 0


def _surname_first(surname: str, given: str) -> bool:
    """`gutierrez isabella`: a surname of no dictionary that is no given name, then a clear given name (not
    `san francisco`; not `max asset`, whose `max` is a given name)."""
    return (
        surname not in PLACE_PREFIXES
        and _surname(surname) == len(surname)
        and not placed_given(surname)
        and _given(given)
        and len(surname) + len(given) >= _MIN_PAIR
    )


def query_names(text: str, start: int, end: int) -> list[Span]:
    """The person names in the query `text[start:end]`: a clear given name, an optional middle initial,
    then a surname of no dictionary (its possessive left out of the span); or surname, then given name.
    Words are read as written in lower case; a word with a capital is no part of a pair."""
    # As a search box writes them: in lower case (a capitalised name is the name recognizers' to read).
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end) if m.group().islower()]
    out: list[Span] = []
    for i in range(len(words) - 1):
        a0, a1, a = words[i]
        b0, b1, b = words[i + 1]
        joined = _GAP.fullmatch(text, a1, b0) is not None
        if joined and _given(a) and (n := _surname(b)) and len(a) + n >= _MIN_PAIR:
            out.append((a0, b0 + n))
        elif joined and _surname_first(a, b):
            out.append((a0, b1))  # surname first: `gutierrez isabella realtor`
        elif (
            len(b) == 1
            and i + 2 < len(words)
            and _GAP.fullmatch(text, a1, b0) is not None
            and _INITIAL_GAP.fullmatch(text, b1, words[i + 2][0]) is not None
            and _given(a)
            and (n := _surname(words[i + 2][2]))
            and len(a) + n >= _MIN_PAIR
        ):
            out.append((a0, words[i + 2][0] + n))  # a middle initial: `sebastian j mueller`
    return out


def query_slot_names(text: str, given_starts: list[int] | None = None) -> list[Span]:
    """The person names in every query of `text` (module doc). `given_starts`: where a clear given name
    stands as a word (`name_case_view.lower_case_name_starts`, sorted); a query holding none is not read."""
    found: set[Span] = set()
    for start, end in query_slots(text):
        if given_starts is not None:
            at = bisect_left(given_starts, start)
            if at == len(given_starts) or given_starts[at] >= end:
                continue
        found.update(query_names(text, start, end))
    return sorted(found)
