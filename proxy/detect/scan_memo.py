"""What `Detector._scan` found in a text by itself, remembered, so a text seen again is not re-read.

Every step of a scan but one depends on the text alone: its views, Presidio's verdicts on them, the
certain-only views (glued, unmarked, chunked, column, folded), the chains of concatenated literals. The
exception is the session's known values, which grow as the session goes on and are matched on each view.
So the memo keeps, per text, its *slots*: each view the known values are matched on, with the spans the
text-only steps found in that view, in the order the scan found them. A text seen again is answered from
its slots — the known values matched anew on the remembered views — with the same spans in the same order
as a fresh scan, at the cost of the known-value match alone (a paging client's next page, a tool called
twice).

Only texts whose scan has no step that reads the known-value spans themselves are kept: no base64 run
(a decoded layer is matched against known values inside the run, and the run's spans are then rewritten
around what was found), nothing written backwards (`reordered.mirrored` looks at which `@` a found span
already covers). Bounded by entries and characters, least recently used first out; in process memory,
where the texts already are.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from proxy.detect.known import KnownValues
from proxy.detect.spans import Span
from proxy.detect.view_map import View

Slot = tuple[View, Sequence[Span]]

MAX_ENTRIES = 50_000
MAX_BYTES = 64_000_000  # what the kept texts and views weigh in all, about (`_weight`)
MAX_TEXT = 65_536  # a longer text is not kept
# About what a character of a rewritten view costs: two list slots and, mostly, two int objects (its map).
_MAPPED_CHAR_BYTES = 72


class ScanMemo:
    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self._entries: OrderedDict[str, tuple[tuple[Slot, ...], int]] = OrderedDict()
        self._bytes = 0
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._lock = threading.Lock()

    def spans(self, text: str, known: KnownValues | None) -> list[Span] | None:
        """The spans a scan of `text` finds with `known`, if the text is remembered; else None."""
        with self._lock:
            entry = self._entries.get(text)
            if entry is None:
                return None
            self._entries.move_to_end(text)
        slots = entry[0]
        found: list[Span] = []
        for view, pure in slots:
            if known is not None and len(known) > 0:
                found.extend(known.find(view))
            found.extend(pure)
        return found

    def keep(self, text: str, slots: Sequence[Slot]) -> None:
        if len(text) > MAX_TEXT:
            return
        weight = _weight(text, slots)
        with self._lock:
            if text in self._entries:
                return
            self._entries[text] = (tuple(slots), weight)
            self._bytes += weight
            while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
                _, (_, old) = self._entries.popitem(last=False)
                self._bytes -= old

    def __len__(self) -> int:
        return len(self._entries)


def _weight(text: str, slots: Sequence[Slot]) -> int:
    """About the bytes an entry holds: its text, and each view's text with, for a rewritten one, its map."""
    return len(text) + sum(
        len(view.text) * (1 if view.identity else 1 + _MAPPED_CHAR_BYTES) for view, _ in slots
    )
