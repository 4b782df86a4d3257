"""What `Detector.detect` answered for a text, per session and per state of its known values: a text seen
again while the session has learnt nothing new is answered without a scan (the next page of a paging
client, the same report fetched twice: every string of it).

`detect`'s answer for a text depends on the text, the detector (its policy, fixed for its life) and the
session's known values alone; every other step reads the text alone. So an answer stays right exactly as
long as the known values stay as they were: `KnownValues.generation` counts every change, and a memo kept
under another generation is dropped whole, never read (a value learnt later in the session is matched
in every text anew, as a fresh scan would). An answer is kept only when the generation did not move
while the text was scanned. Held per `KnownValues` object (the session's), weakly: the memo goes with the
session. Bounded by entries and characters; once full, new texts are scanned and not kept.
"""

from __future__ import annotations

import threading
import weakref

from proxy.detect.known import KnownValues
from proxy.detect.spans import Span

MAX_ENTRIES = 200_000
MAX_CHARS = 8_000_000  # the texts it keeps alive: a session of several 25k-row reports
MAX_TEXT = 65_536


class Judged:
    """The answers kept under one generation of one session's known values."""

    def __init__(self, generation: int) -> None:
        self.generation = generation
        self.answers: dict[str, tuple[Span, ...]] = {}
        self._chars = 0

    def keep(self, text: str, spans: list[Span], known: KnownValues) -> None:
        if known.generation != self.generation or len(text) > MAX_TEXT:
            return  # learnt something while scanning: this answer may predate it
        if len(self.answers) >= MAX_ENTRIES or self._chars + len(text) > MAX_CHARS:
            return
        if text not in self.answers:
            self.answers[text] = tuple(spans)
            self._chars += len(text)


class JudgedTexts:
    def __init__(self) -> None:
        self._by_known: weakref.WeakKeyDictionary[KnownValues, Judged] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def of(self, known: KnownValues) -> Judged:
        """The answers valid for `known` as it is now (a fresh, empty memo once it has changed)."""
        generation = known.generation
        with self._lock:
            judged = self._by_known.get(known)
            if judged is None or judged.generation != generation:
                judged = self._by_known[known] = Judged(generation)
            return judged
