"""Known values: once a value is tokenized in a session, every later exact occurrence gets its token.

An Aho-Corasick automaton (ahocorasick-rs) over the session's propagating values, rebuilt lazily when
values were added. Values shorter than `MIN_LENGTH` are not propagated: they would match inside ordinary
words.
"""

from __future__ import annotations

import threading

from ahocorasick_rs import AhoCorasick, MatchKind

from proxy.detect.spans import Span

MIN_LENGTH = 4
KNOWN_SCORE = 2.0  # beats any detector: the value is known to be personal data in this session


class KnownValues:
    def __init__(self) -> None:
        self._entities: dict[str, str] = {}
        self._automaton: AhoCorasick | None = None
        self._patterns: list[str] = []
        self._dirty = False
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entities)

    def add(self, value: str, entity: str) -> None:
        if len(value) < MIN_LENGTH or value in self._entities:
            return
        with self._lock:
            self._entities[value] = entity
            self._dirty = True

    def find(self, text: str) -> list[Span]:
        automaton = self._current()
        if automaton is None:
            return []
        out = []
        for idx, start, end in automaton.find_matches_as_indexes(text):
            out.append(Span(start, end, self._entities[self._patterns[idx]], KNOWN_SCORE))
        return out

    def _current(self) -> AhoCorasick | None:
        if self._dirty:
            with self._lock:
                if self._dirty:
                    self._patterns = list(self._entities)
                    self._automaton = AhoCorasick(self._patterns, matchkind=MatchKind.LeftmostLongest)
                    self._dirty = False
        return self._automaton
