"""Known values found again with their separators changed: `thompson-optik-ltd`, `ThompsonOptikLtd`,
`Thompson+Optik+Ltd`, `thompson_optik`, `GONZALEZMARIA` for a known `Thompson Optik Ltd` / `Maria Gonzalez`.

A backend that was given a value back (the client sent its token, the proxy put the value in) knows it, and
may re-emit it as a slug, a snake or camel identifier, a URL form, without spaces. Every such form has the
same *skeleton*: the folded value (`proxy.detect.known.fold`: NFKC, confusables, case) with every
non-alphanumeric character removed. The matcher reads a text through the same lens: its folded view with
separators removed, an offset map back to the original characters. A skeleton match counts only where it
starts and ends on a boundary of the original text: a non-alphanumeric character, a lower→upper case change
(camel case) or a letter↔digit change, so `markhill` does not match inside `Landmark Hill`.

Guards against over-redaction: only values of two words or more get a skeleton (a single word — a first
name — is left to the exact matcher, as a whole word); a skeleton has at least `MIN_SKELETON` characters
and at least one letter. A phone number or ID (digits and grouping only) has its digits as skeleton, at
least `MIN_DIGITS` of them, matched only where no digit touches the match and the match reads as a
grouped number, not an amount (a stripped `1,000,000.00` must never read as a known `100000000`).
Extra forms: a person's name surname first (`gonzalez, maria`), and an organisation's name without its
trailing legal form (`Thompson Optik` for `Thompson Optik Ltd`) when two words or more remain.
"""

from __future__ import annotations

import re
import unicodedata

from proxy.detect.view_map import View, rewrite

MIN_SKELETON = 6
MIN_DIGITS = 7
# What a laundering changes between a value's words: spaces, `-`, `_`, `.`, `+`, `,`, `/`, apostrophes.
# Other punctuation (`;`, `:`, `(`, `@`, …) stays, so a match never runs across a sentence or a field.
SEPARATORS = re.compile(r"[\s\-_.,+/'’·]+")
_WORDS = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"[\d\s\-.()+/]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
LEGAL_FORMS = frozenset(
    {
        "ltd", "llc", "inc", "gmbh", "sarl", "sas", "sa", "ag", "bv", "nv", "plc", "corp", "co", "lp",
        "llp", "srl", "spa", "kg", "ug", "oy", "ab", "as", "pty", "limited", "incorporated", "company",
    }
)  # fmt: skip


def words(folded: str) -> list[str]:
    """Its alphanumeric words: in any form the matchers read, each stands verbatim in the lowered text."""
    return [w for w in _WORDS.split(folded) if w]


def unmark(c: str) -> str:
    """`é` → `e`: a letter without its accents, as a slug writes it (a letter NFD does not split stays)."""
    base = "".join(ch for ch in unicodedata.normalize("NFD", c) if not unicodedata.combining(ch))
    return base if len(base) == 1 else c


def unmarked(folded: View) -> View:
    """The folded view without accents; its map points into `folded.text`."""
    return rewrite(View(folded.text), _NON_ASCII, unmark)


def stripped(base: View) -> View:
    """An unmarked view without separators; its map points where `base`'s does."""
    return rewrite(base, SEPARATORS, lambda _s: "")


def skeleton_forms(folded: str, person: bool) -> list[tuple[str, str]]:
    """The skeletons under which a folded value is matched (none for a single word or a short value),
    each with its needle: a piece of it that stands verbatim in the lower-cased text of any form the
    skeleton matches. Spelled without accents, and for German umlauts also as `ae`/`oe`/`ue`."""
    if _DIGITS.fullmatch(folded):  # a phone number or an ID, grouped any way: its digits
        # digits may be regrouped any way: their first three (a group's usual size) stand
        return [(f, f[:3]) for f in _digit_forms(folded)]
    out: dict[str, str] = {}
    for spelling in dict.fromkeys([folded, folded.translate(_UMLAUTS)]):
        spelling = _NON_ASCII.sub(lambda m: unmark(m.group()), spelling)
        needle = max(words(spelling) or [spelling], key=len)
        for form in _forms(spelling, person):
            out.setdefault(form, needle)
    return list(out.items())


def _forms(folded: str, person: bool) -> list[str]:
    parts = [w for w in SEPARATORS.split(folded) if w]
    if len(parts) < 2:
        return []
    forms = ["".join(parts)]
    names = folded.split()  # a surname is one word however it is written inside (`o'brien-smith`)
    if person and 2 <= len(names) <= 4:
        forms.append(SEPARATORS.sub("", names[-1] + "".join(names[:-1])))
    if len(parts) >= 3 and parts[-1] in LEGAL_FORMS:
        forms.append("".join(parts[:-1]))
    return [f for f in dict.fromkeys(forms) if len(f) >= MIN_SKELETON and not f.isdigit()]


def _digit_forms(folded: str) -> list[str]:
    """All its digits; for an international number (`+44 20 7946 0958`), also the national number without
    its country code, bare and with the trunk `0` (`2079460958`, `02079460958`)."""
    digits = "".join(c for c in folded if c.isdigit())
    forms = [digits]
    groups = [g for g in re.split(r"[^\d]+", folded) if g]
    if folded.lstrip().startswith("+") and len(groups) >= 2 and len(groups[0]) <= 3:
        national = "".join(groups[1:])
        forms += [national, "0" + national]
    return [f for f in dict.fromkeys(forms) if len(f) >= MIN_DIGITS]


def _boundary(before: str, after: str) -> bool:
    """Whether a value may start (or end) between these two characters of the original text."""
    if not before.isalnum() or not after.isalnum():
        return True
    if before.isdigit() != after.isdigit():
        return True
    return before.islower() and after.isupper()


def in_decimal(text: str, start: int, end: int) -> bool:
    """Whether [start, end) of `text` begins or ends with a digit glued to a decimal point (or comma) that
    has a digit on its other side: the fraction or the integer part of a number (`0.1000000000`,
    `12.1000000000`, `1000000000.5`), never a known ID or phone number standing on its own."""
    if start >= 2 and text[start].isdigit() and text[start - 1] in ".," and text[start - 2].isdigit():
        return True
    return end + 1 < len(text) and text[end - 1].isdigit() and text[end] in ".," and text[end + 1].isdigit()


def on_boundaries(text: str, start: int, end: int, skeleton: str) -> bool:
    """Whether [start, end) of `text` (the view a skeleton match maps back to) stands on boundaries; for a
    skeleton of digits, also whether it reads as a grouped number and not as an amount (`1,234,567.89`
    is no known `123456789`): no comma, no single decimal point."""
    if start > 0 and not _boundary(text[start - 1], text[start]):
        return False
    if end < len(text) and not _boundary(text[end - 1], text[end]):
        return False
    if skeleton.isdigit():
        if text[start - 1 : start].isdigit() or text[end : end + 1].isdigit() or in_decimal(text, start, end):
            return False
        matched = text[start:end]
        return "," not in matched and matched.count(".") != 1
    return True
