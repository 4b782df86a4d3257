"""Views of a text: the text as the recognizers should read it, with a map back to the original.

A hostile backend hides a value from a pattern with characters a reader never sees or reads past: a
zero-width space inside an email, a Cyrillic `а` for a Latin `a`, Arabic-Indic digits in a phone number,
`415_555_0123`. Detection runs on a *view* where all of these are undone (the way a WAF normalizes before it
matches), and every span found there maps back to the original characters it came from, invisible ones
included, which are what gets replaced.

A `View` is the view's text and, per view character, the original range it came from (`None`: identical
to the original). `rewrite` applies one regex substitution to a view and composes the maps, so views stack
(normalize, decode, normalize again) without losing the way back.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib import resources

import regex

from proxy.detect import (
    digit_letters,
    digit_separators,
    email_words,
    ip_forms,
    numeral_scripts,
    spelled_digits,
)
from proxy.detect.defanged import defanged, undefang
from proxy.detect.spaced import SPACED_OUT_TRIGGER, collapse_spaced, spaced_out
from proxy.detect.view_map import View, replace_ranges, rewrite

__all__ = [
    "SPACED_OUT_TRIGGER",
    "View",
    "normalize",
    "replace_ranges",
    "rewrite",
    "view_of",
]


# Full stops of the ideographic scripts (and their halfwidth and vertical forms): a dot to a reader.
_DOTS = frozenset("\u3002\uff61\ufe12")
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")


@cache
def _confusables() -> dict[str, str]:
    """Non-ASCII characters that Unicode's confusables data (UTS #39, as shipped by the
    `confusable-homoglyphs` package) lists as looking like one printable ASCII character: the ASCII
    prototype of each. Letters win over digits and punctuation where a character looks like several."""
    source = resources.files("confusable_homoglyphs").joinpath("confusables.json")
    data = json.loads(source.read_text("utf-8"))
    order = [chr(c) for c in range(0x61, 0x7B)] + [chr(c) for c in range(0x41, 0x5B)]
    order += [chr(c) for c in range(0x30, 0x3A)] + list("@.-+_")
    out: dict[str, str] = {}
    for proto in order:
        for entry in data.get(proto, ()):
            c = entry["c"]
            if len(c) == 1 and not c.isascii() and c not in out:
                out[c] = proto
    return out


@cache
def _blank_names() -> str:
    """Characters that are not Unicode spaces, not default-ignorable and not format characters, yet render
    as nothing or as a blank: named a FILLER (Hangul), a BLANK (the braille pattern blank) or a REPLACEMENT
    CHARACTER (U+FFFD, U+FFFC: what a decoder leaves where a byte was). Derived from the character names of
    the Unicode version Python ships, once per process."""
    out = []
    for cp in range(0xA0, 0x30000):
        name = unicodedata.name(chr(cp), "")
        if name.endswith(("FILLER", " BLANK", "REPLACEMENT CHARACTER")):
            out.append(chr(cp))
    return "".join(out)


# Characters the view removes, by property: format characters (Cf), controls (Cc), combining marks
# (Mn/Me: strikethrough and underline marks over a letter, variation selectors, the combining grapheme
# joiner), surrogates, private use and unassigned code points, every default-ignorable code point (Hangul
# fillers, tag characters, the Mongolian vowel separator) and join-causing characters (the Arabic tatweel,
# a letter stretcher that carries nothing).
_INVISIBLE_CLASS = (
    r"\p{Cf}\p{Mn}\p{Me}\p{Cc}\p{Cs}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}\p{Joining_Type=Join_Causing}"
)


@cache
def invisible_class() -> str:
    """The set of invisible non-ASCII characters, by property and blank-glyph name (`_blank_names`), as a
    `regex` (V1) set expression."""
    blanks = "".join(re.escape(c) for c in _blank_names())
    return r"[[" + _INVISIBLE_CLASS + blanks + r"]--[\x00-\x7f]]"


@cache
def invisible_pattern() -> regex.Pattern[str]:
    """One invisible character (non-ASCII): `invisible_class`."""
    return regex.compile(r"(?V1)" + invisible_class())


@cache
def fold_pattern() -> regex.Pattern[str]:
    """Every non-ASCII character the view changes: invisible characters (`invisible_pattern`), decimal
    digits of every script, Unicode spaces and line separators, compatibility forms NFKC rewrites
    (fullwidth, mathematical letters, enclosed and super/subscript digits, ligatures) and ASCII
    confusables."""
    extra = "".join(re.escape(c) for c in sorted({*_confusables(), *_DASHES, *_DOTS, *_blank_names()}))
    return regex.compile(
        r"(?V1)[["
        + _INVISIBLE_CLASS
        + r"\p{Nd}\p{Zs}\p{Zl}\p{Zp}\p{NFKC_QC=N}\p{NFKC_QC=M}"
        + extra
        + r"]--[\x00-\x7f]]"
    )


def _fold_char(ch: str) -> str:
    if ch in _DOTS:
        return "."
    if unicodedata.category(ch) == "Nd":  # a digit is a digit, whatever it looks like (`۰` is not a dot)
        return str(unicodedata.decimal(ch))
    compat = unicodedata.normalize("NFKC", ch)
    if compat.isascii():  # a compatibility form is what it stands for (`𝐈` is `I`, not the `l` it resembles)
        return compat
    proto = _confusables().get(ch)
    if (
        proto is not None
    ):  # before NFKC, which can turn a confusable into a letter that is not one (`ϲ` → `ς`)
        return proto
    out = []
    for c in compat:
        if c.isascii():
            out.append(c)
            continue
        if invisible_pattern().fullmatch(c) is not None:
            continue
        cat = unicodedata.category(c)
        if cat == "Nd":
            out.append(str(unicodedata.decimal(c)))
        elif cat == "Zs":
            out.append(" ")
        elif cat in ("Zl", "Zp"):
            out.append("\n")
        elif c in _DASHES:
            out.append("-")
        else:
            out.append(_confusables().get(c, c))
    return "".join(out)


# ASCII that the view changes: controls other than whitespace (NUL among them), and dotted digit groups.
_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]+")
_DOTTED_DIGITS = re.compile(r"(?<!\d)\d+(?:\.\d+){2,}")  # from a run's first digit: linear on long runs

# Separators between two digits, as a class: whitespace of any kind (tabs, CR, LF; Unicode spaces are
# already a space, line separators a newline), the ASCII strokes and fillers `| \ / _ ~ * ! ? ^` and
# dashes, and every non-ASCII punctuation or symbol (`·`, `•`, `‧`, an emoji). ASCII with a meaning between
# digits is not: `.` and `,` (decimals, thousands, IP addresses; dotted groups are `_unify_dots`' business),
# `:` (a time), `;` (an HTML entity's end), `'` (Swiss thousands), `+ = < > % $ # & @ ( )` (arithmetic,
# amounts, phones' own marks).
_SEP = r"[\s|\\/_~*!?^\-]"
_SEP_ANY = r"(?:" + _SEP + r"|[[\p{P}\p{S}]--[\x00-\x7f]])"
# A chain of digit groups joined by runs of up to five separators (`4111 | 1111 | 1111 | 1111`,
# `+1\t415\t555\t0123`, `4111••1111••1111••1111`), not part of a decimal or a dotted number at either end;
# a country code may be dotted off (`+1.201_200_0000`).
_DIGIT_CHAIN = regex.compile(
    r"(?V1)(?<![0-9.,+])(?:\+[0-9]{1,3}\.(?=[0-9]))?\+?[0-9]++(?:" + _SEP_ANY + r"{1,5}+[0-9]++)++"
    r"(?![0-9]|[.,][0-9])"
)
_GROUPS = re.compile(r"[0-9]+")
# With `DIGIT_GROUPS_TRIGGER` (below), a superset of the texts `_DIGIT_CHAIN` changes: a digit followed by
# a non-ASCII punctuation or symbol.
_SYMBOL_AFTER_DIGIT = regex.compile(r"(?V1)[0-9\p{N}]" + _SEP + r"{0,4}[[\p{P}\p{S}]--[\x00-\x7f]]")


# A gap between two digits made of non-ASCII punctuation or symbols (spaces beside them aside): `┅`, `••`,
# ` · `. None of them means anything between digits, as `/`, `|` or a tab may (a date, a table's cell).
_SYMBOL_GAP = regex.compile(r"(?V1)(?<=[0-9])[ \t]*+[[\p{P}\p{S}]--[\x00-\x7f]]++[ \t]*+(?=[0-9])")


def _unify_chain(chain: str) -> str:
    """A chain whose groups are joined by one separator run (spaces aside) is one value written with it: the
    run reads as `-`, the separator every digit recognizer takes. A gap of non-ASCII symbols reads as `-`
    whatever the chain's other gaps (`6011┅6685┅3368-4385`). A chain that mixes ASCII runs is a row of
    values (`2022-10-18 | 18`, `14/09/2024<TAB>426`: a date beside a count) and stays as it is, and so does a
    chain of blank-separated groups with a blank-surrounded stroke between some of them: a list of numbers
    (`0044 20 7946 0958 / 0044 20 7946 0959`), not one. A country code (`+1`) may have a separator of its
    own."""
    chain = _SYMBOL_GAP.sub("-", chain)
    head = ""
    if chain.startswith("+"):
        code = _GROUPS.match(chain, 1)
        gap = _GROUPS.search(chain, code.end()) if code is not None else None
        if code is None or gap is None:
            return chain
        head, chain = chain[: code.end()] + "-", chain[gap.start() :]
    gaps = _GROUPS.split(chain)[1:-1]
    kinds = {g for g in gaps if g != " "}
    if len(kinds) > 1 or (not kinds and not head):
        return chain if not head else head + chain
    kind = kinds.pop() if kinds else "-"
    if " " in gaps and kind[0] == kind[-1] == " ":  # `…7946 0958 / 0044 20…`: a stroke between numbers
        return head + chain
    return head + (chain if kind == "-" else chain.replace(kind, "-"))


# An email address written around a pattern: `jane . doe @ acme . com`, `jane[at]acme[dot]com`,
# `jane (at) acme (dot) com`, `jane AT acme DOT com`, spaces around `@`. The whole match is read as the
# address it spells. A bare word `at` counts only with a spelled-out or spaced dot after it (`look at
# example.com` is English).
_LABEL = r"[A-Za-z0-9][A-Za-z0-9_%+\-]*+"  # possessive: a label is never re-split
_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"
_AT_WORD = r"\s{1,3}(?:at|AT|At)\s{1,3}"
_AT = rf"(?:[ \t]{{0,3}}@[ \t]{{0,3}}|\s{{0,3}}{_OPEN}\s{{0,3}}(?i:at)\s{{0,3}}{_CLOSE}\s{{0,3}}|{_AT_WORD})"
_DOT_SPELLED = (
    rf"(?:[ \t]{{1,3}}\.[ \t]{{1,3}}|\s{{0,3}}{_OPEN}\s{{0,3}}(?i:dot)\s{{0,3}}{_CLOSE}\s{{0,3}}"
    rf"|\s{{1,3}}(?:dot|DOT|Dot)\s{{1,3}})"
)
_DOT = rf"(?:\.|{_DOT_SPELLED})"
# Bounded repetitions (an address has a few labels): without a bound, `a dot a dot …` with no `at` would be
# tried from every word to the end of the text.
_SPELLED_EMAIL = re.compile(
    rf"(?<![A-Za-z0-9_%+\-]){_LABEL}(?:{_DOT}{_LABEL}){{0,4}}{_AT}{_LABEL}(?:{_DOT}{_LABEL}){{1,5}}"
)
_AT_PART = re.compile(_AT)
_DOT_PART = re.compile(_DOT_SPELLED)
_AT_WORD_RE = re.compile(_AT_WORD)


def _spelled_email(group: str) -> str:
    at = _AT_PART.search(group)
    if at is None:  # cannot happen: the pattern has one
        return group
    if _AT_WORD_RE.fullmatch(at.group()) and _DOT_PART.search(group, at.end()) is None:
        return group
    sign = at.group()
    if (
        sign.strip(" \t") == "@"
        and not (sign[0] in " \t" and sign[-1] in " \t")
        and _DOT_PART.search(group) is None
    ):
        return group  # `cc @justin.lee`: an @mention after a word, not an address spaced apart
    local = _DOT_PART.sub(".", group[: at.start()])
    domain = _DOT_PART.sub(".", group[at.end() :])
    return f"{local}@{domain}"


# The cheap tests, each a single scan the engine runs fast (an alternation of them loses its fast
# first-character search): a control other than whitespace; digit groups (one `\d` first: dotted groups, a
# form body's `+` between digits, a separator run); a spelled-out address (bracketed `at`/`dot`, a word
# `dot` or a spaced `.`; whitespace beside an `@`, looked for only in a text with one).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
DIGIT_GROUPS_TRIGGER = re.compile(
    r"\d(?:\.\d+\.\d|\+\d|[|\\/_~*!?^\t\n\r\x0b\x0c]" + _SEP + r"{0,4}\d|[ \-]" + _SEP + r"{1,5}\d)"
)
SPELLED_EMAIL_BATCH_TRIGGERS = (
    re.compile(r"[\[({<]\s*[aAdD][tToO]"),
    re.compile(r"\s(?:[dD][oO][tT]\s|\.[ \t])"),
)
_SPACED_AT = re.compile(r"[ \t]@|@[ \t]")


def _ascii_changes(text: str) -> bool:
    return _CONTROL.search(text) is not None or DIGIT_GROUPS_TRIGGER.search(text) is not None


def _may_spell_email(text: str) -> bool:
    return any(t.search(text) is not None for t in SPELLED_EMAIL_BATCH_TRIGGERS) or (
        "@" in text and _SPACED_AT.search(text) is not None
    )


SYMBOL_AFTER_DIGIT_TRIGGER = _SYMBOL_AFTER_DIGIT


def _unify_dots(group: str) -> str:
    """Dotted digit groups are a phone, card or SSN (`4111.1111.1111.1111`, `415.555.0123`) when every group
    has two digits or more and one has four or more; an IP address, a version or a decimal keeps its dots
    (`4203.0.113.77` is an IP glued to an escape's hex digits), an IP address written zero-padded loses
    its padding."""
    parts = group.split(".")
    if all(len(p) >= 2 for p in parts) and any(len(p) >= 4 for p in parts):
        return "-".join(parts)
    if len(parts) == 4 and all(len(p) <= 3 and int(p) <= 255 for p in parts):
        return ".".join(str(int(p)) for p in parts)  # an IPv4 address zero-padded (`203.000.113.077`)
    return group


def _fold_letterlike(ch: str) -> str:
    proto = _confusables().get(ch)
    return proto if proto is not None else _fold_char(ch)


@cache
def _letterlike_digits() -> re.Pattern[str]:
    """Digits of other scripts that look like a letter (`۵` like `o`, `৪` like `8`... or `B`)."""
    chars = sorted(
        c for c, proto in _confusables().items() if unicodedata.category(c) == "Nd" and proto.isalpha()
    )
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


# An `@`, then a domain with a dot before a non-ASCII character: an internationalized address (RFC 6531).
_IDN_DOMAIN = re.compile(r"@[^\s@]{0,253}\.[^\x00-\x7f]")


def written_view(text: str, view: View) -> View | None:
    """The text as written, when it holds an address with a non-ASCII domain and the view changed it: the
    fold reads the letters of Cyrillic or Armenian that look Latin as Latin (`почта.рф` → `пoчтa.pф`,
    `փոստ.հայ` → `փnuտ.hwյ`), which leaves a top-level domain of two scripts that no recognizer takes for
    one; as written, the domain is whole. Scripts without look-alikes (Greek, Chinese) keep it whole."""
    if view.identity or "@" not in text or _IDN_DOMAIN.search(text) is None:
        return None
    return View(text)


def letter_view(text: str) -> View | None:
    """The view with digits that look like letters read as those letters (`ex۵mple.۵rg`); None if `text`
    has none. The main view reads every digit as a digit (a phone number in Persian digits)."""
    if text.isascii() or _letterlike_digits().search(text) is None:
        return None
    return normalize(rewrite(View(text), _letterlike_digits(), _fold_letterlike))


def changes(text: str) -> bool:
    """Whether `normalize(text)` may differ from `text` (a superset; cheap: C-speed scans)."""
    if not text.isascii() and (
        fold_pattern().search(text) is not None or _SYMBOL_AFTER_DIGIT.search(text) is not None
    ):
        return True
    return (
        _ascii_changes(text)
        or _may_spell_email(text)
        or spaced_out(text)
        or defanged(text)
        or email_words.may_hold(text)
        or ip_forms.may_hold(text)
        or spelled_digits.may_hold(text)
        or numeral_scripts.may_hold(text)
        or digit_letters.may_hold(text)
        or digit_separators.may_hold(text)
    )


def normalize(view: View) -> View:
    """NFKC; invisible and format characters, combining marks and controls removed (not turned into spaces:
    `ja\u200bne` reads `jane`); digits of every script to ASCII; confusables folded to their ASCII
    prototype; dash and space variants unified; text spaced out one character at a time read without its
    separators (`spaced`); separator runs between digits unified to `-`; spelled-out email addresses read as
    addresses; punctuation wrapped in brackets read as itself (`defanged`)."""
    if numeral_scripts.may_hold(view.text):  # before the fold, which reads `〇` as the letter `O`
        view = numeral_scripts.read(view)
    folded = not view.text.isascii()
    if folded:
        view = rewrite(view, fold_pattern(), _fold_char)
    if digit_letters.may_hold(view.text):  # `4l2-58-339l`: letters standing for digits in a digit run
        view = digit_letters.read(view)
    if spelled_digits.may_hold(view.text):  # before spaced text: `3 2 5, 8 0, zero 3` keeps its groups
        view = spelled_digits.read(view)
    if spaced_out(view.text):  # before digit groups: `+\t1\t4\t1\t5` is one run, its `+` included
        view = collapse_spaced(view)
    if folded and _SYMBOL_AFTER_DIGIT.search(view.text) is not None:
        view = rewrite(view, _DIGIT_CHAIN, _unify_chain)
    if digit_separators.may_hold(view.text):  # `4848,3048,2199,3510`, `(312)\n555-0199`, `4.5E+15`
        view = digit_separators.read(view)
    if ip_forms.may_hold(view.text):  # before dotted groups: `0313.010.0161.0115` is no phone number
        view = ip_forms.read(view)
    if _ascii_changes(view.text):
        view = rewrite(view, _ASCII_CONTROLS, lambda _m: "")
        view = rewrite(view, _DOTTED_DIGITS, _unify_dots)  # first: `+1_201.200.0000` is then one chain
        view = rewrite(view, _DIGIT_CHAIN, _unify_chain)
    if _may_spell_email(view.text):
        view = rewrite(view, _SPELLED_EMAIL, _spelled_email)
    if email_words.may_hold(view.text):  # other languages' `(punkt)`, `arroba`, `_at_`: before `[.]` too
        view = email_words.read(view)
    if defanged(view.text):  # after addresses: `[dot]` is an address's spelled dot first
        view = undefang(view)
    return view


def view_of(text: str) -> View:
    return normalize(View(text))
