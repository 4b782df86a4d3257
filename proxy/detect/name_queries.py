"""A person's full name typed in lower case into a search box: `maria gonzalez realtor`, `dr priya raman
dentist`, `sofia hernandez linkedin` (Search Console `rows[].keys[]`, a `query` dimension, a search log).

A query has no capitals and no prose around the name, so neither the name recognizers nor NER can read
one. What still says "a person" is the pair: a clear given name (`given_evidence` strong, three letters or
more) directly followed by a census surname that is no word of the language in any dictionary or
vocabulary (`name_identifiers.known_surname`: `gonzalez`, `raman`; not `shoes`, `park`, `peach`, `texas`,
`buy`). So `jordan shoes`, `grant park chicago`, `georgia peach tea`, `austin texas plumber`, `best buy`
stay queries. The case view (`name_case_view`) capitalises such a pair in a query-shaped line (two to eight
words, no capital, no sentence punctuation), and the name recognizers read it there.
"""

from __future__ import annotations

import itertools
import re

from proxy.detect.name_identifiers import clear_given, known_surname
from proxy.detect.name_words import PLACE_PREFIXES

# A query: two to eight lower-case words (letters, digits, an inner `'`, `-` or `.`), nothing else.
QUERY_LINE = re.compile(r"[ \t]*[a-zß-öø-ÿ0-9][a-zß-öø-ÿ0-9'’.\-]*(?: [a-zß-öø-ÿ0-9'’.\-]+){1,7}[ \t]*")
# A query's value after a search key in a log line or a URL (`q="maria gonzalez realtor"`, `query=…`,
# `search_term: …`): the value, quoted or up to the line's next separator.
QUERY_KEY = re.compile(
    r"(?<![A-Za-z0-9_])(?:q|query|search|search_?query|search_?term|keywords?|term)"
    r"[\"']?[ \t]{0,2}[=:][ \t]{0,2}"
    r"(?:\"(?P<dq>[^\"\n]{1,120})\"|'(?P<sq>[^'\n]{1,120})'|(?P<bare>[^\s&,;\"']{1,120}))",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-zß-öø-ÿ]+(?:['’][a-zß-öø-ÿ]+)?")
_MIN_PAIR = 8  # letters of the pair at least (`ana li` could be anything; `maria kim` is a name)


def query_name_spans(line: str) -> list[tuple[int, int]]:
    """The (start, end) of each given name + surname pair in a lower-case query line (module doc)."""
    return name_pair_spans(line) if QUERY_LINE.fullmatch(line) is not None else []


def name_pair_spans(line: str) -> list[tuple[int, int]]:
    """The (start, end) of each lower-case given name + surname pair in `line`, whatever its shape."""
    words = list(_WORD.finditer(line))
    out = []
    for a, b in itertools.pairwise(words):
        given, surname = a.group(), b.group()
        if (
            line[a.end() : b.start()] == " "
            and len(given) + len(surname) >= _MIN_PAIR
            and given not in PLACE_PREFIXES
            and clear_given(given)
            and known_surname(surname)
        ):
            out.append((a.start(), b.end()))
    return out


def recase_query_values(line: str) -> str:
    """`line` with the name pairs in its search keys' values capitalised (`q="maria gonzalez realtor"`; a
    `+` for a blank, `q=maria+gonzalez`, is read by the form view)."""
    for m in QUERY_KEY.finditer(line):
        group = next(g for g in ("dq", "sq", "bare") if m.group(g) is not None)
        start, end = m.span(group)
        value = line[start:end]
        if value.islower():
            line = line[:start] + recase_query(value) + line[end:]
    return line


def recase_query(line: str, *, prose: bool = False) -> str:
    """`line` with every name pair of `query_name_spans` capitalised (same length, same offsets); in a
    line of lower-case prose (`is noemi pou still at acme`), every such pair."""
    spans = name_pair_spans(line) if prose else query_name_spans(line)
    if not spans:
        return line
    chars = list(line)
    for start, end in spans:
        for m in _WORD.finditer(line, start, end):
            chars[m.start()] = (
                chars[m.start()].upper() if len(chars[m.start()].upper()) == 1 else chars[m.start()]
            )
    return "".join(chars)
