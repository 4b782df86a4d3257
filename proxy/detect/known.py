"""Known values: once a value is tokenized in a session, every later occurrence gets its token.

An occurrence is matched on a folded form of text and value: the detector's normalized view
(`proxy.detect.views`), case-folded, whitespace collapsed and trimmed, so a tool that upper-cases,
re-spaces or re-encodes a value it was given back cannot launder it past the token. A person's name also
matches with its parts reordered (`Gonzalez, Maria`, `GONZALEZ MARIA` for `Maria Gonzalez`); a part alone
(a first name) is not the name. A match whose case differs from the value must stand as a whole word, so a
known `Anna` does not swallow `savannah`. A value of two words or more is also matched by its skeleton, its
separators removed (`thompson-optik-ltd`, `ThompsonOptikLtd`, `Thompson+Optik+Ltd`: `known_skeleton`).

Aho-Corasick automata (ahocorasick-rs) over the session's folded values. A long session learns values in
every message; rebuilding one automaton over all of them each time would grow quadratically, so new values
go to a small automaton that is folded into the main one when it reaches a tenth of its size (amortized
linear). Values shorter than `MIN_LENGTH` are not propagated: they would match inside ordinary words.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

from ahocorasick_rs import AhoCorasick, MatchKind

from proxy.detect import known_parts, known_skeleton
from proxy.detect.spans import Span
from proxy.detect.views import View, rewrite, view_of

MIN_LENGTH = 4
# A value of digits alone (separators aside) shorter than this is matched in later texts only as a number of
# its own: matched as written inside words, `3000` (a record's part, a postal code) would hide the same
# digits inside every longer digit run of the rest of the session (an IBAN's BBAN, an id).
MIN_DIGITS_ALONE = 7
KNOWN_SCORE = 2.0  # beats any detector: the value is known to be personal data in this session
_MIN_FOLD = 256
_SPACES = re.compile(r"\s{2,}|[^\S ]")  # what collapsing changes: a single space is left alone
_NAME_PART = re.compile(r"[^\W\d_][\w'’.-]*")
_PERSON_ENTITIES = ("PERSON",)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_view(view: View) -> View:
    """`view` case-folded (per character where folding changes a length) and whitespace collapsed."""
    lowered = view.text.lower()
    if len(lowered) == len(view.text):
        view = View(lowered, view.starts, view.ends)
    else:
        view = rewrite(view, _NON_ASCII, str.lower)
    if not view.text.isascii():  # `ß` → `ss`: `HESS` is `Heß` upper-cased
        view = rewrite(view, _NON_ASCII, str.casefold)
    return rewrite(view, _SPACES, lambda _s: " ")


def fold(value: str) -> str:
    return _fold_view(view_of(value)).text.strip()


def _name_variants(folded: str) -> list[str]:
    """`maria gonzalez` → `gonzalez maria`, `gonzalez, maria`: the surname first, as directories write it.
    Where the surname starts is not known (a middle name, a compound surname: `hans jörg dunlap` is filed as
    `dunlap, hans jörg` or `jörg dunlap, hans`), so every split point gives a variant."""
    parts = folded.split(" ")
    if not 2 <= len(parts) <= 4 or not all(_NAME_PART.fullmatch(p) for p in parts):
        return []
    out = []
    for k in range(1, len(parts)):
        last, rest = " ".join(parts[k:]), " ".join(parts[:k])
        out += [f"{last} {rest}", f"{last}, {rest}"]
    return out


class _Tier:
    def __init__(self, patterns: list[str], needles: Iterable[str], overlapping: bool) -> None:
        self.patterns = patterns
        kind = MatchKind.Standard if overlapping else MatchKind.LeftmostLongest
        self.automaton = AhoCorasick(patterns, matchkind=kind) if patterns else None
        # A word of each pattern's value: in any text holding the pattern, in any form either matcher
        # reads, this word stands verbatim in its lower-cased text (the pre-scans look for these).
        unique = sorted(set(needles))
        self.needles = AhoCorasick(unique) if unique else None


class _Tiers:
    """A main and a recent automaton over one kind of pattern (see the module docstring)."""

    def __init__(self, overlapping: bool) -> None:
        self._overlapping = overlapping
        self.main = _Tier([], [], overlapping)
        self.recent = _Tier([], [], overlapping)
        self.pending: list[str] = []

    def current(self, needle_of: dict[str, str]) -> tuple[_Tier, _Tier]:
        """Called under the owner's lock when `pending` is not empty."""
        recent = self.recent.patterns + self.pending
        self.pending = []
        if len(recent) >= max(_MIN_FOLD, len(self.main.patterns) // 10):
            patterns = self.main.patterns + recent
            self.main = _Tier(patterns, map(needle_of.get, patterns), self._overlapping)  # type: ignore[arg-type]
            self.recent = _Tier([], [], self._overlapping)
        else:
            self.recent = _Tier(recent, map(needle_of.get, recent), self._overlapping)  # type: ignore[arg-type]
        return self.main, self.recent


class KnownValues:
    def __init__(self) -> None:
        self._entities: dict[str, str] = {}  # folded form → entity
        self._skeletons: dict[str, str] = {}  # skeleton form → entity
        self._needle_of: dict[str, str] = {}  # any form → the longest word of its value
        self._seen: set[str] = set()  # values as given
        self._values: set[str] = set()  # their normalized views: an exact match may stand inside a word
        self._exact = _Tiers(overlapping=False)
        self._skeleton = _Tiers(overlapping=True)
        self._loose = _Tiers(overlapping=False)  # an email's letters and digits alone (`known_parts`)
        self.holds_nul = False  # a value contains NUL (the detector's batch scan joins texts with it)
        self.generation = 0  # counts every change: what `find` matches may differ once it moved
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entities)

    def __contains__(self, value: str) -> bool:
        return value in self._seen

    def add(self, value: str, entity: str) -> None:
        if len(value) < MIN_LENGTH or value in self._seen:
            return
        # A short run of digits is matched only as a number of its own, never inside a longer one.
        self._add(value, entity, not _short_digits(value))
        for part in known_parts.distinctive_parts(value, entity):  # a surname, a local part (`known_parts`)
            if part not in self._seen:
                self._add(part, entity, False)

    def _add(self, value: str, entity: str, whole: bool) -> None:
        """`whole`: a value as tokenized, which may match inside a word as written; a part matches only as a
        word of its own (`Thistlewood`, not inside `Thistlewoodsmith`)."""
        view = view_of(value).text
        folded = _fold_view(View(view)).text.strip()
        if len(folded) < MIN_LENGTH:
            return
        person = any(p in entity for p in _PERSON_ENTITIES)
        forms = [folded]
        if person:
            forms += _name_variants(folded)
        skeletons = known_skeleton.skeleton_forms(folded, person)
        needle = max(known_skeleton.words(folded) or [folded], key=len)
        laundered = known_parts.laundered_forms(folded, needle)  # backwards, every character doubled
        loose = known_parts.loose_form(folded, entity)
        with self._lock:
            self.generation += 1
            self._seen.add(value)
            if whole:
                self._values.add(view)
            self.holds_nul = self.holds_nul or "\x00" in value
            for form in forms:
                if form not in self._entities:
                    self._entities[form] = entity
                    self._needle_of[form] = needle
                    self._exact.pending.append(form)
            for form, form_needle in laundered:
                if form not in self._entities:
                    self._entities[form] = entity
                    self._needle_of[form] = form_needle
                    self._exact.pending.append(form)
            if loose is not None and loose not in self._entities:
                self._entities[loose] = entity
                self._needle_of[loose] = loose
                self._loose.pending.append(loose)
            for form, form_needle in skeletons:
                if form not in self._skeletons:
                    self._skeletons[form] = entity
                    self._needle_of[form] = form_needle
                    self._skeleton.pending.append(form)

    def starts(self, text: str) -> list[int] | None:
        """A superset of where known values can start in `text` as `find` would match them, for a text
        whose normalized view is itself (the batch pre-scan sends every other text to `find`); None when
        the lower-cased text cannot be read at the same offsets."""
        lowered = text.casefold()
        if len(lowered) != len(text):
            return None
        return [
            start
            for tier in self._tiers()
            if tier.needles is not None
            for _idx, start, _end in tier.needles.find_matches_as_indexes(lowered, overlapping=True)
        ]

    def find(self, view: View | str) -> list[Span]:
        """Spans of known values in `view`, in the coordinates of the text the view was made from."""
        if isinstance(view, str):
            view = View(view)
        folded = _fold_view(View(view.text))  # its map points into view.text
        text = folded.text
        exact_main, exact_recent, skel_main, skel_recent = self._tiers()
        spans: list[Span] = []
        for tier in (exact_main, exact_recent):
            if tier.automaton is None:
                continue
            for idx, start, end in tier.automaton.find_matches_as_indexes(text):
                pattern = tier.patterns[idx]
                a, b = folded.span(start, end)
                inside_word = (start > 0 and text[start - 1].isalnum()) or (
                    end < len(text) and text[end].isalnum()
                )
                if inside_word and view.text[a:b] not in self._values:
                    continue  # a case-folded or reordered match inside a longer word
                if pattern.isdigit() and _digits_beside(text, start, end):
                    continue  # a known number's digits inside a longer number are another number
                if known_skeleton.in_decimal(text, start, end):
                    continue  # a known ID's digits as the fraction or integer part of a decimal
                a, b = view.span(a, b)
                spans.append(Span(a, b, self._entities[pattern], KNOWN_SCORE))
        tiers = [t for t in (skel_main, skel_recent) if t.automaton is not None and t.needles is not None]
        if tiers:
            base = known_skeleton.unmarked(folded)  # its map points into folded.text
            if any(t.needles.find_matches_as_indexes(base.text) for t in tiers):  # type: ignore[union-attr]
                spans.extend(self._skeleton_spans(view, folded, base, tiers))
        if "@" in text and (self._loose.pending or self._loose.main.patterns or self._loose.recent.patterns):
            spans.extend(self._loose_spans(view, folded))
        return spans

    def _loose_spans(self, view: View, folded: View) -> list[Span]:
        """Known emails in the text's letters and digits alone (`g-i_s.e|l-a . m_a.r…@…`)."""
        if self._loose.pending:
            with self._lock:
                if self._loose.pending:
                    self._loose.current(self._needle_of)
        bare = known_parts.alnum_view(known_skeleton.unmarked(folded))  # its map points into folded.text
        spans: list[Span] = []
        for tier in (self._loose.main, self._loose.recent):
            if tier.automaton is None:
                continue
            for idx, start, end in tier.automaton.find_matches_as_indexes(bare.text):
                a, b = view.span(*folded.span(*bare.span(start, end)))
                spans.append(Span(a, b, self._entities[tier.patterns[idx]], KNOWN_SCORE))
        return spans

    def _skeleton_spans(self, view: View, folded: View, base: View, tiers: list[_Tier]) -> list[Span]:
        bare = known_skeleton.stripped(base)  # its map points into folded.text
        spans: list[Span] = []
        for tier in tiers:
            assert tier.automaton is not None
            for idx, start, end in tier.automaton.find_matches_as_indexes(bare.text, overlapping=True):
                pattern = tier.patterns[idx]
                a, b = folded.span(*bare.span(start, end))
                if not known_skeleton.on_boundaries(view.text, a, b, pattern):
                    continue
                a, b = view.span(a, b)
                spans.append(Span(a, b, self._skeletons[pattern], KNOWN_SCORE))
        return spans

    def _tiers(self) -> tuple[_Tier, _Tier, _Tier, _Tier]:
        if self._exact.pending or self._skeleton.pending:
            with self._lock:
                if self._exact.pending:
                    self._exact.current(self._needle_of)
                if self._skeleton.pending:
                    self._skeleton.current(self._needle_of)
        return self._exact.main, self._exact.recent, self._skeleton.main, self._skeleton.recent


def _digits_beside(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1].isdigit()) or (end < len(text) and text[end].isdigit())


def _short_digits(value: str) -> bool:
    """Digits alone, separators aside, fewer than `MIN_DIGITS_ALONE` of them."""
    alnum = [c for c in value if c.isalnum()]
    return all(c.isdigit() for c in alnum) and len(alnum) < MIN_DIGITS_ALONE
