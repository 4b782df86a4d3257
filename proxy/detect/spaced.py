"""Text spaced out one character at a time, read without its spacing.

A model reads `j a n e @ a c m e . c o m`, `|4|1|1|1|…|`, `4--1--1--1…`, `F.e.r.n.a.n.d.a. .H.e.r.…` or
`id4-1-1-1…` as the value it spells; a pattern anchored on the value's own characters does not. The class:
four or more single characters (*units*: a letter, a digit, `@` or `+`), each apart from the next by a *gap*
of one to five characters a reader skips on one line (whitespace, punctuation, symbols), standing apart from
the words around it — or glued to a word of the other kind (`id4-1-1…`, `…-1-1x`), since a digit after a
letter still starts a number. Separators at its edges (`_j_a_n_e_`) are no part of it. A column of single
digits (one per line) is a column, not a value.

The run is read as its units: the gap used most often is the spacing (at least half the gaps, twice or more)
and goes; any other gap is a boundary the writer meant — the spacing at its two ends taken off, what is left
reads as itself (`...` → `.`, `.-.` → `-`), or as one space if nothing but blanks is left (`. .` → a space
between two names). A run of digits alone has no words: every gap goes (seven digits or more may mix their
gaps), and its digits read in their usual grouping (`canonical_digits`), as a number written out is read,
never as a bare run (a bare run is an identifier's digits, `views`' rule). Small numbers listed with blanks or
commas are spaced out by nature (scores, a keypad, a matrix): such a number shorter than a card's is read only
after a `+` or a word that says what it is (`tel`, `SSN`, `account`, …); spaced with strokes, dashes or dots
(`4-1-5-5-…`), it is read as it is.

A dotted run needs seven units: dots join single digits in IPv4 addresses and versions; digits with dots among
other gaps are a row of those (`0.0.1<TAB>0.1.0`). A run with a `:` among its gaps is digits only, nine or
more (an IPv6 address has eight groups at most; a time, three).
"""

from __future__ import annotations

import re
from collections import Counter

from proxy.detect.number_lookalikes import in_object_identifier
from proxy.detect.view_map import View, replace_ranges

_UNIT = r"(?:[^\W_]|[@+])"
_GAP = r"(?:[^\w@+\n\r\x0b\x0c]|_){1,5}"
# Where a run may start: no letter or digit before it, or a letter before a digit (`id4-1-1…`); where it
# may end, likewise (a digit before a letter: `…-1-1x`). A word joined to the run by its own spacing
# (`ab-c-d-e`) is an identifier, not a spaced-out value (`_joined_to_word`).
_START = r"(?:(?<![^\W_])|(?<=[^\W\d_])(?=\d))"
_END = r"(?:(?![^\W_])|(?<=\d)(?=[^\W\d_]))"
_RUN = re.compile(_START + _UNIT + r"(?:" + _GAP + _UNIT + r"){3,}" + _END)
_UNITS = re.compile(_UNIT)
# A superset of the texts `_RUN` matches: four single characters apart by gaps (one C-speed scan).
SPACED_OUT_TRIGGER = re.compile(r"[^\W_]" + _GAP + r"[^\W_]" + _GAP + r"[^\W_]" + _GAP + r"[^\W_@+]")
_BESIDE_GROUP_BEFORE = re.compile(r"\d" + _GAP + r"$")
_BESIDE_GROUP_AFTER = re.compile(_GAP + r"\d")
_DOTTED_LEAST = 7
# A number shorter than a card spaced with blanks or commas is read only with a `+` or a word before it
# that says what it is: small numbers listed (scores, a keypad, a matrix) are spaced out by nature.
_CARD_LEAST = 13
_SAID = re.compile(
    r"(?i)(?:phone|tel|mobile|cell|call|fax|whatsapp|sms|ssn|social security|customer|account|acct|cid"
    r"|contact|number|no\.)[^\n]{0,24}$"
)
_SAID_WINDOW = 40
_COLON_DIGITS_LEAST = 9
# Digits spaced by separators that change from one gap to the next: a number only if it is long enough to
# be one (a phone's local part).
_MIXED_DIGITS_LEAST = 7


def spaced_out(text: str) -> bool:
    return SPACED_OUT_TRIGGER.search(text) is not None


def canonical_digits(digits: str) -> str:
    """Digits as a number of their length is written: a card's groups of four, a phone's 3-3-4 (with a
    leading `1` or `+` apart), an SSN's 3-2-4; other lengths bare."""
    plus = digits.startswith("+")
    body = digits[1:] if plus else digits
    if plus:
        return "+" + body
    n = len(body)
    if n >= 13:
        return "-".join(body[i : i + 4] for i in range(0, n, 4))
    if n == 11 and body[0] == "1":
        return f"1-{body[1:4]}-{body[4:7]}-{body[7:]}"
    if n == 10:
        return f"{body[:3]}-{body[3:6]}-{body[6:]}"
    if n == 9:
        return f"{body[:3]}-{body[3:5]}-{body[5:]}"
    return body


def _reading(run: str, said: bool) -> tuple[str, list[tuple[int, int, str]]] | None:
    """The run's spacing and the edits (relative to the run) that read it without it; None if it is no
    spaced-out run. `said`: a word before the run says a phone, SSN or account number follows."""
    units = list(_UNITS.finditer(run))
    gaps = [(units[i].end(), units[i + 1].start()) for i in range(len(units) - 1)]
    texts = [run[a:b] for a, b in gaps]
    spacing, count = Counter(texts).most_common(1)[0]
    if spacing == "." and len(units) < _DOTTED_LEAST:
        return None
    digits = "".join(u.group() for u in units)
    number = digits.removeprefix("+").isdigit()
    if any(":" in gap for gap in texts) and not (number and len(digits) >= _COLON_DIGITS_LEAST):
        return None
    if number:
        if len(digits) < _MIXED_DIGITS_LEAST and 2 * count < len(gaps):
            return None
        if "." in texts and len(set(texts)) > 1:
            return None  # dotted groups beside other gaps: a row of versions or addresses (`0.0.1\t0.1.0`)
        listed = any(c.isspace() or c == "," for gap in texts for c in gap)
        if listed and not (said or digits.startswith("+") or len(digits) >= _CARD_LEAST):
            return None  # `3 1 4 1 5 9 2 6 5 3`, scores, a keypad: small numbers listed, unless labelled
        return spacing, [(0, len(run), canonical_digits(digits))]
    if count < 2 or 2 * count < len(gaps):
        return None  # no spacing of its own: punctuation between short words (`c}m\u{4`)
    edits: list[tuple[int, int, str]] = []
    for (a, b), gap in zip(gaps, texts, strict=True):
        if gap == spacing:
            edits.append((a, b, ""))
            continue
        inner = gap
        if gap.startswith(spacing) and gap.endswith(spacing) and len(gap) > 2 * len(spacing):
            inner = gap[len(spacing) : -len(spacing)]  # `...` → `.`, `.-.` → `-`, `. .` → a space
        else:
            inner = "".join(c for c in gap if c not in spacing)
        inner = inner.strip()
        edits.append((a, b, inner if inner else " "))
    return spacing, edits


def _joined_to_word(text: str, start: int, end: int, spacing: str) -> bool:
    if spacing.isspace():  # a word beside a spaced-out run is the text around it
        return False
    before = text[max(0, start - len(spacing) - 1) : start]
    after = text[end : end + len(spacing) + 1]
    # Of the same kind as the run's end it touches: `customers/1/0/0…` is a number after a path's word.
    return (before[1:] == spacing and _same_kind(before[:1], text[start])) or (
        after[:-1] == spacing and _same_kind(after[-1:], text[end - 1])
    )


def _same_kind(a: str, b: str) -> bool:
    return (a.isalpha() and b.isalpha()) or (a.isdigit() and b.isdigit())


def collapse_spaced(view: View) -> View:
    """`view` with every spaced-out run read without its spacing (module doc); the same view if none."""
    text = view.text
    edits: list[tuple[int, int, str]] = []
    for m in _RUN.finditer(text):
        said = _SAID.search(text, max(0, m.start() - _SAID_WINDOW), m.start()) is not None
        reading = _reading(m.group(), said)
        if reading is None:
            continue
        spacing, found = reading
        start, end = m.start(), m.end()
        if _joined_to_word(text, start, end, spacing):
            continue
        if spacing == "." and not said and in_object_identifier(text, start, end):
            continue  # `.1.3.6.1.2.1.1.3.0`: an OID's arcs, not digits spaced out (`ssn: 1.3.6.…` is read)
        lead = start - len(spacing)
        if (  # `_j_a_n_e_`: the edges go too
            text.endswith(spacing, 0, start) and not spacing.isspace() and (not edits or edits[-1][1] <= lead)
        ):
            edits.append((lead, start, ""))
        if len(found) == 1 and found[0][:2] == (0, end - start):
            if _BESIDE_GROUP_BEFORE.search(text, max(0, start - 6), start) or _BESIDE_GROUP_AFTER.match(
                text, end
            ):
                continue  # single digits beside a longer group: uneven groups (`chunked_view`), not spacing
            edits.append((start, end, found[0][2]))
        else:  # each gap dropped on its own, so the units kept map one to one
            edits.extend((start + a, start + b, new) for a, b, new in found)
        if text.startswith(spacing, end) and not spacing.isspace():
            edits.append((end, end + len(spacing), ""))
    return replace_ranges(view, edits)


# Digits in short groups of uneven lengths, one separator throughout (`14/052/321/34`, `5 12 874 09 113`):
# a number cut where no format cuts it. Groups of one length are a format (`01 23 45 67 89`, a French phone;
# `12.34.56.78` a date or version), a first group and groups of three are thousands (`9 164 522 196`), four
# dotted groups an IPv4 address: those stay as written.
# The separators are those the detector's digit trigger already spans (`\d(?:[\s().\-/+]{0,2}\d){6}`), so
# the batch pre-scan needs no test of its own for this view; other separators between single digits are
# spacing (`collapse_spaced`).
_CHUNKED = re.compile(r"(?<![\w.,:+/\-])\d{1,3}([ /.\-])\d{1,3}(?:\1\d{1,3}){2,}(?![\w]|[.,:/\-]\d)")
CHUNKED_TRIGGER = re.compile(r"\d{1,3}([ /.\-])\d{1,3}\1\d{1,3}\1\d")


def _chunked_reading(chain: str, separator: str) -> str | None:
    groups = chain.split(separator)
    lengths = [len(g) for g in groups]
    digits = "".join(groups)
    if not 9 <= len(digits) <= 19 or len(set(lengths[:-1])) == 1:
        return None
    if all(n == 3 for n in lengths[1:]) or (separator == "." and len(groups) == 4):
        return None
    return canonical_digits(digits)


def chunked_view(view: View) -> View | None:
    """`view` with digits in uneven short groups read in their usual grouping (`_CHUNKED`); None if it has
    none. A view apart, read for what is certain only (the detector's glued views): a national format with
    uneven groups (`00 46 8 12 30 00`) is read as written in the main view."""
    if CHUNKED_TRIGGER.search(view.text) is None:
        return None
    edits = []
    for m in _CHUNKED.finditer(view.text):
        if m.group(1) == "." and in_object_identifier(view.text, m.start(), m.end()):
            continue  # `1.3.6.1.2.1.19.3`: an OID's arcs, not a number cut in uneven groups
        reading = _chunked_reading(m.group(), m.group(1))
        if reading is not None:
            edits.append((m.start(), m.end(), reading))
    chunked = replace_ranges(view, edits)
    return chunked if chunked is not view else None
