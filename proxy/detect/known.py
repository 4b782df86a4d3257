"""Known values: once a value is tokenized in a session, every later exact occurrence gets its token.

Aho-Corasick automata (ahocorasick-rs) over the session's propagating values. A long session learns
values in every message; rebuilding one automaton over all of them each time would grow quadratically, so
new values go to a small automaton that is folded into the main one when it reaches a tenth of its size
(amortized linear). Values shorter than `MIN_LENGTH` are not propagated: they would match inside ordinary
words.
"""

from __future__ import annotations

import threading

from ahocorasick_rs import AhoCorasick, MatchKind

from proxy.detect.spans import Span

MIN_LENGTH = 4
KNOWN_SCORE = 2.0  # beats any detector: the value is known to be personal data in this session
_MIN_FOLD = 256


class _Tier:
    def __init__(self, patterns: list[str]) -> None:
        self.patterns = patterns
        self.automaton = AhoCorasick(patterns, matchkind=MatchKind.LeftmostLongest) if patterns else None


class KnownValues:
    def __init__(self) -> None:
        self._entities: dict[str, str] = {}
        self._main = _Tier([])
        self._recent = _Tier([])
        self._pending: list[str] = []  # added since the recent tier was built
        self.holds_nul = False  # a value contains NUL (the detector's batch scan joins texts with it)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entities)

    def add(self, value: str, entity: str) -> None:
        if len(value) < MIN_LENGTH or value in self._entities:
            return
        with self._lock:
            if value not in self._entities:
                self.holds_nul = self.holds_nul or "\x00" in value
                self._entities[value] = entity
                self._pending.append(value)

    def starts(self, text: str) -> list[int]:
        """Where known values start in `text` (leftmost-longest, as `find` matches them)."""
        return [
            start
            for tier in self._tiers()
            if tier.automaton is not None
            for _idx, start, _end in tier.automaton.find_matches_as_indexes(text)
        ]

    def find(self, text: str) -> list[Span]:
        tiers = self._tiers()
        spans: list[Span] = []
        for tier in tiers:
            if tier.automaton is None:
                continue
            for idx, start, end in tier.automaton.find_matches_as_indexes(text):
                spans.append(Span(start, end, self._entities[tier.patterns[idx]], KNOWN_SCORE))
        return spans

    def _tiers(self) -> tuple[_Tier, _Tier]:
        if self._pending:
            with self._lock:
                if self._pending:
                    recent = self._recent.patterns + self._pending
                    self._pending = []
                    if len(recent) >= max(_MIN_FOLD, len(self._main.patterns) // 10):
                        self._main = _Tier(self._main.patterns + recent)
                        self._recent = _Tier([])
                    else:
                        self._recent = _Tier(recent)
        return self._main, self._recent
