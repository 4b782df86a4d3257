"""Classes of disguise for the normalized view, each drawn from the Unicode property that defines it (not
from a list of the characters someone thought of): what a hostile backend can put inside or between the
characters of a value so that a pattern no longer matches while a reader (or a model) still reads it.

- invisible: default-ignorable code points, format characters (Cf), combining marks (Mn/Me), controls
  (Cc) other than whitespace, join-causing characters (the tatweel), and characters named a FILLER, a
  BLANK or a REPLACEMENT CHARACTER;
- compatibility forms: every character whose NFKC form is one ASCII letter or digit (fullwidth,
  mathematical, enclosed, superscript and subscript forms) and every decimal digit (Nd) of every script;
- separators: whitespace of every kind (Zs, Zl, Zp, tab, CR, LF), ASCII strokes, non-ASCII punctuation
  and symbols, in runs of one to three, between the digit groups of a number;
- spelled-out email addresses: `[at]`, `(at)`, ` AT `, ` @ `, `[dot]`, ` . `, ` dot `.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from functools import cache
from importlib import resources

import regex
from hypothesis import strategies as st

from tests.detect.strategies import SEPARATED, emails, planted

_INVISIBLE_PROPERTY = regex.compile(
    r"[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Mn}\p{Me}\p{Joining_Type=Join_Causing}]"
)


@cache
def invisible_pool() -> list[str]:
    """Every assigned character of the invisible class (see the module docstring)."""
    out = []
    for cp in range(0x80, sys.maxunicode + 1):
        c = chr(cp)
        cat = unicodedata.category(c)
        if cat in ("Cs", "Co", "Cn"):
            continue
        name = unicodedata.name(c, "")
        if (
            (cat == "Cc" and not c.isspace())
            or _INVISIBLE_PROPERTY.match(c)
            or name.endswith(("FILLER", " BLANK", "REPLACEMENT CHARACTER"))
        ):
            out.append(c)
    return out + [c for c in map(chr, range(0x20)) if not c.isspace()]


@cache
def compatibility_forms() -> dict[str, list[str]]:
    """ASCII letter or digit → the non-ASCII characters NFKC turns into exactly it, plus, for a digit,
    every script's decimal digit of that value."""
    out: dict[str, list[str]] = {}
    for cp in range(0x80, 0x20000):
        c = chr(cp)
        if unicodedata.category(c) == "Nd":
            out.setdefault(str(unicodedata.decimal(c)), []).append(c)
            continue
        folded = unicodedata.normalize("NFKC", c)
        if len(folded) == 1 and folded.isascii() and folded.isalnum():
            out.setdefault(folded, []).append(c)
    return out


# ASCII that separates digit groups and means nothing between them (not `.`, `,`, `:`, `'`, `+`, `=`, ...).
ASCII_SEPARATORS = " \t\r\n|\\/_~*!?^-"


@cache
def _lookalikes() -> frozenset[str]:
    """Characters UTS #39 lists as looking like a letter, a digit or one of `.,:@+`."""
    data = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )
    protos = [p for p in data if len(p) == 1 and (p.isalnum() or p in ".,:@+")]
    return frozenset(e["c"] for p in protos for e in data[p] if len(e["c"]) == 1)


@cache
def separator_pool() -> list[str]:
    """One separator character: whitespace of every kind, ASCII strokes, non-ASCII punctuation/symbols
    that read as none of a letter, a digit, `.`, `,`, `:` or `@` (a symbol that looks like `x` between digits
    reads as an `x`), and that NFKC keeps one character (`⨌` is four integral signs: a run of its own)."""
    lookalike = _lookalikes()
    ascii_ = list(ASCII_SEPARATORS)
    other = [
        c
        for c in map(chr, range(0xA0, 0x30000))
        if unicodedata.category(c) in ("Zs", "Zl", "Zp", "Po", "Pd", "So", "Sm")
        and c not in lookalike
        and len(unicodedata.normalize("NFKC", c)) == 1
        and all(
            not ch.isalnum() and (ch in ASCII_SEPARATORS or not ch.isascii())
            for ch in unicodedata.normalize("NFKC", c)
        )
    ]
    return ascii_ + other


@st.composite
def with_invisibles(draw: st.DrawFn, value: str) -> str:
    chars = list(value)
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(1, len(chars) - 1))
        chars.insert(at, draw(st.sampled_from(invisible_pool())))
    return "".join(chars)


@st.composite
def with_compatibility_forms(draw: st.DrawFn, value: str) -> str:
    forms = compatibility_forms()
    return "".join(
        draw(st.sampled_from(forms[c])) if c in forms and draw(st.booleans()) else c for c in value
    )


@st.composite
def separator_runs(draw: st.DrawFn) -> st.SearchStrategy[str]:
    """A run of one to three separator characters that is not what the recognizers already take."""
    run = "".join(draw(st.lists(st.sampled_from(separator_pool()), min_size=1, max_size=3)))
    return run if run not in (" ", "-") else run + "|"


@st.composite
def separated_by_run(draw: st.DrawFn) -> tuple[str, str]:
    """(class, value): a phone, card or SSN whose groups are joined by one separator run."""
    kind = draw(st.sampled_from(sorted(SEPARATED)))
    groups = draw(SEPARATED[kind])
    run = draw(separator_runs())
    value = run.join(groups)
    return kind, ("+1" + run + value) if kind == "phone" else value


AT_FORMS = [" @ ", "@ ", " @", "[at]", "(at)", "{at}", "<at>", " [at] ", " (AT) ", " AT ", " at "]
DOT_FORMS = [" . ", "[dot]", "(dot)", "{dot}", " [dot] ", " (DOT) ", " DOT ", " dot "]


@st.composite
def spelled_emails(draw: st.DrawFn) -> str:
    """An email address with its `@` and some or all of its dots spelled out or spaced."""
    address = draw(emails())
    local, domain = address.split("@")
    at = draw(st.sampled_from(AT_FORMS))
    dot = draw(st.sampled_from(DOT_FORMS))
    labels = domain.split(".")
    spelled_domain = labels[0] + "".join(
        (dot if draw(st.booleans()) or i == len(labels) - 2 else ".") + lab
        for i, lab in enumerate(labels[1:])
    )
    return local.replace(".", dot if draw(st.booleans()) else ".") + at + spelled_domain


# One separator repeated between every two characters: what a model reads past.
SPACING_SEPARATORS = [" ", "\t", "_", "|", "/", "*", "~", ".", "-", "\u00b7", "\u2022"]


def compact(kind: str, value: str) -> str:
    """The value as one run of characters: digits alone for numbers (`+1 415 555 0123` → `+14155550123`)."""
    value = value.replace(" ", "")
    return value if kind in ("email", "iban", "customer") else value.replace("-", "")


@st.composite
def spaced_out(draw: st.DrawFn) -> tuple[str, str, str]:
    kind, context, value = draw(planted())
    value = compact(kind, value)
    sep = draw(st.sampled_from([s for s in SPACING_SEPARATORS if s not in value]))
    return kind, context, sep.join(value)


# Spacing as a hostile backend varies it: the separator doubled, at the run's edges too, glued to the word
# before it, or (digits) a different separator in every gap, or a comma. (Not a line break: one digit per
# line is a column of counts, `spaced`.)
SPACING_FORMS = ["doubled", "edges", "glued", "mixed", "commas"]
_MIXED_POOL = [" ", "-", "_", "|", "/", "*", "~", ",", ":", "\u00b7", " - ", "--", "::"]  # no `.`: `spaced`


@st.composite
def spaced_out_variants(draw: st.DrawFn) -> tuple[str, str, str, str]:
    """(form, kind, context, text): a planted value spaced out one character at a time in one of
    `SPACING_FORMS`. Digit-only forms (mixed, commas) and the glued form take numbers; a number glued
    to a word is a card (what is certain without a word boundary)."""
    form = draw(st.sampled_from(SPACING_FORMS))
    kinds = {"glued": ["card"], "mixed": ["card", "phone", "ssn", "customer"]}.get(form)
    if form == "commas":
        kinds = ["card", "phone", "ssn", "customer"]
    kind, context, value = draw(planted(kinds) if kinds else planted())
    value = compact(kind, value)
    free = [s for s in SPACING_SEPARATORS if s not in value and s != "."]
    if form == "doubled":
        sep = draw(st.sampled_from(free)) * 2
        return form, kind, context, sep.join(value)
    if form == "edges":
        sep = draw(st.sampled_from([s for s in free if not s.isspace()]))
        return form, kind, context, sep + sep.join(value) + sep
    if form == "glued":
        return form, kind, context + draw(st.sampled_from(["id", "ref", "card", "x"])), "-".join(value)
    if form == "mixed":
        gaps = [draw(st.sampled_from(_MIXED_POOL)) for _ in value[1:]]
        return form, kind, context, value[0] + "".join(g + c for g, c in zip(gaps, value[1:], strict=True))
    return form, kind, context, draw(st.sampled_from([",", ", "])).join(value)


# Punctuation wrapped so that nothing makes it live (`81[.]223[.]231[.]174`, `jane(@)acme(.)com`).
DEFANG_DOTS = ["[.]", "(.)", "{.}", "<.>", "[ . ]", " [.] ", "[dot]", "(dot)", "\\.", "\u3002", "\uff61"]
DEFANG_ATS = ["[@]", "(@)", "{@}", " [@] ", "\\@"]


@st.composite
def defanged_values(draw: st.DrawFn) -> tuple[str, str]:
    """(kind, text): an IPv4 address or an email address with its dots (and `@`) defanged."""
    kind = draw(st.sampled_from(["ip", "email"]))
    dot = st.sampled_from(DEFANG_DOTS)
    if kind == "ip":
        octets = [str(draw(st.integers(11, 223)))] + [str(draw(st.integers(0, 255))) for _ in range(3)]
        if draw(st.booleans()):  # the dots spelled out
            return kind, draw(st.sampled_from([" dot ", " DOT "])).join(octets)
        joined = octets[0]
        for i, octet in enumerate(octets[1:]):
            joined += (draw(dot) if draw(st.booleans()) or i == 2 else ".") + octet
        return kind, joined
    local, domain = draw(emails()).split("@")
    at = draw(st.sampled_from(DEFANG_ATS)) if draw(st.booleans()) else "@"
    return kind, local + at + domain.replace(".", draw(dot))


# Markup that renders as nothing inside a value: HTML comments and tags, Markdown emphasis and code marks.
MARKUP = ["<!-- -->", "<!---->", "<b>", "</b>", "<span class='x'>", "</span>", "<wbr>", "**", "__", "~~", "`"]


@st.composite
def with_markup(draw: st.DrawFn) -> tuple[str, str]:
    """(kind, text): an email, a card or an IP address with markup inserted at one to three places inside,
    or an email wrapped in Markdown emphasis at its edges and around its `@`."""
    kind = draw(st.sampled_from(["email", "card", "email-edges"]))
    if kind == "email-edges":
        local, domain = draw(emails()).split("@")
        mark = draw(st.sampled_from(["_", "*", "**", "__"]))
        return kind, f"{mark}{local}{mark}@{mark}{domain}{mark}"
    value = draw(emails()) if kind == "email" else "".join(draw(SEPARATED["card"]))
    chars = list(value)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(1, len(chars) - 1))
        chars.insert(at, draw(st.sampled_from(MARKUP)))
    return kind, "".join(chars)


@st.composite
def unevenly_grouped(draw: st.DrawFn) -> tuple[str, str]:
    """(kind, text): a card or a phone's digits cut into groups of one to three digits of uneven lengths,
    one separator throughout (`14/052/321/34`)."""
    kind = draw(st.sampled_from(["card", "phone"]))
    digits = "".join(draw(SEPARATED[kind]))
    first = draw(st.integers(1, 3))
    sizes = [first, draw(st.sampled_from([n for n in (1, 2) if n != first]))]  # uneven, not thousands
    while sum(sizes) < len(digits):
        sizes.append(draw(st.integers(1, 3)))
    groups, pos = [], 0
    for n in sizes:
        groups.append(digits[pos : pos + n])
        pos += n
    sep = draw(st.sampled_from([" ", "/", "-", "|", "_"]))
    return kind, sep.join(g for g in groups if g)
