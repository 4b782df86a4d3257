"""The detector: which spans of which strings are personal data.

Per unique string: known values of the session (exact matches anywhere) → a cheap trigger regex that
decides whether Presidio needs to look at all → Presidio's AnalyzerEngine (our recognizers and its own,
checksums included; spaCy NER for names when a pipeline is configured) → allow-list → overlap merge.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import partial
from itertools import accumulate
from urllib.parse import quote, quote_plus, unquote_plus

from proxy.detect.deadline import NO_DEADLINE, Deadline
from proxy.detect.known import KnownValues
from proxy.detect.presidio_engine import build_analyzer
from proxy.detect.spans import Span, merge_spans
from proxy.errors import DetectionBudgetExceeded, DetectionFailed
from proxy.policy import Policy
from proxy.stages.base import NeedsWorker

# Anything a structured recognizer could match has an @, a run of 7+ digits with single separators,
# a dotted quad, an IPv6 group or a customers/ resource name. Strings without one skip Presidio.
_STRUCTURED_TRIGGER = re.compile(
    r"@|\d(?:[\s().\-/+]{0,2}\d){6}|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|[0-9A-Fa-f]{1,4}::?[0-9A-Fa-f]{1,4}:"
)
# The same test, cheaper per string (it runs on every unique string of a message): `@` by substring search;
# the digit runs alone, so the scan stops only at digits; the IPv6 group anchored on its colon (a hex digit
# before it), searched only in text with a colon. `_triggered(t)` equals `_STRUCTURED_TRIGGER.search(t)`
# being found (checked by a test).
_DIGIT_TRIGGER = re.compile(r"\d(?:[\s().\-/+]{0,2}\d){6}|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")
_IPV6_TRIGGER = re.compile(r":(?<=[0-9A-Fa-f]:):?[0-9A-Fa-f]{1,4}:")


# Where a digit trigger can be: a run of 7+ characters of its classes that starts with a digit. Python's
# regex engine finds such runs about four times faster than it tries the trigger at every digit, and only
# the runs are then tried.
_DIGIT_RUN = re.compile(r"\d[\d\s().\-/+]{6,}")


def _digit_trigger_at(text: str, pos: int = 0) -> int:
    """Where the first digit run holding a `_DIGIT_TRIGGER` match starts, at or after `pos`; -1 if none.
    A match lies inside one run (every character of it is of the run's classes), so trying the runs finds
    exactly the texts the trigger finds."""
    for run in _DIGIT_RUN.finditer(text, pos):
        if _DIGIT_TRIGGER.search(run.group()) is not None:
            return run.start()
    return -1


def _triggered(text: str) -> bool:
    return (
        "@" in text
        or _digit_trigger_at(text) >= 0
        or (":" in text and _IPV6_TRIGGER.search(text) is not None)
    )


# With an NER pipeline, prose with a capitalised word also goes to Presidio. Prose: three or more words, one
# of them lower-case — labels such as campaign names ("Café – Berlin – Performance Max") are not prose, and
# small NER models read their title-case words as names.
_NAME_TRIGGER = re.compile(r"[A-ZÀ-Þ][a-zß-ÿ'’\-]+")
_PROSE = re.compile(r"(?<![A-Za-zÀ-ÿ])[a-zß-ÿ]{2,}(?![A-Za-zÀ-ÿ])")
# Long strings go to Presidio in chunks: the detection budget is checked between them, so a chunk is the
# longest Presidio ever runs unchecked (libphonenumber on digit soup: ~0.5 s per 8,000 chars).
_CHUNK = 8_000
_OVERLAP = 200
CACHE_SIZE = 50_000  # analyzed strings remembered per process (a paging client sees the same queries again)
# Invisible format characters (zero-width space/joiners, word joiner, BOM) read as word characters by the
# recognizers' Unicode regexes, so one glued to a value hid it. For detection they are separators: each is
# replaced by a space (one character for one, so span offsets still point into the original text).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), " ")
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# Escape sequences left in text that is JSON (or a C string) inside a string the walker does not parse — an
# object key, a double-escaped payload: `\\t4111…` glued a letter to the value. Blanked, length for length.
# The lookbehind starts a match only at the first backslash of a run: without it a long run of backslashes
# was retried from every position (quadratic: 20,000 of them took 3 s).
_ESCAPE_RE = re.compile(r"(?<!\\)\\+(?:[nrtbf\"/]|u[0-9A-Fa-f]{4})")


_QUIET_CHARS = 256
_QUIET_MAX = 50_000
# A message with at least this many unique strings is pre-scanned in one piece (`Detector._candidates`).
_BATCH = 64
_SEP = "\x00"


def _regex_finder(pattern: re.Pattern[str], text: str) -> Callable[[int], int]:
    def find(pos: int) -> int:
        match = pattern.search(text, pos)
        return match.start() if match is not None else -1

    return find


def _probe(text: str) -> str:
    """The text recognizers see: invisible characters and escape sequences read as spaces, offsets kept."""
    if not text.isascii() and _INVISIBLE_RE.search(text):
        text = text.translate(_INVISIBLE)
    if "\\" in text:
        text = _ESCAPE_RE.sub(lambda m: " " * len(m.group(0)), text)
    return text


class Detector:
    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.analyzer, self.entities = build_analyzer(policy)
        self._ner = policy.ner.model is not None
        self._allow = policy.allow_list
        # Presidio's verdicts depend on the text alone, not on the session: cache them (in process memory,
        # where the values already are; never on disk). Known values are matched per session, uncached.
        self._cache: OrderedDict[str, list[Span]] = OrderedDict()
        self._cache_lock = threading.Lock()
        # Short texts in which the text-only steps find nothing (no trigger, no `%`): the keys and labels
        # every message repeats skip them. Known values are still matched per session.
        self._quiet: dict[str, None] = {}

    def needs_analysis(self, text: str) -> bool:
        if _triggered(text):
            return True
        return (
            self._ner
            and text.count(" ") >= 2
            and _NAME_TRIGGER.search(text) is not None
            and _PROSE.search(text) is not None
        )

    def detect(
        self,
        texts: Iterable[str],
        known: KnownValues | None = None,
        deadline: Deadline = NO_DEADLINE,
        *,
        on_loop: bool = False,
    ) -> dict[str, list[Span]]:
        """Spans for each text that has any; texts without detections are absent from the result.

        Raises DetectionBudgetExceeded once `deadline` has passed: checked before each string, between
        the chunks of a long one and after each Presidio call, so no string is ever left unscanned.
        `on_loop`: called on the event loop, where only Presidio's cached verdicts are used; a text it has
        not analyzed yet raises NeedsWorker (the caller goes on in a worker thread)."""
        texts = texts if isinstance(texts, list) else list(texts)
        deadline.check()
        hits = self._candidates(texts, known) if len(texts) >= _BATCH else None
        found: dict[str, list[Span]] = {}
        for index, text in enumerate(texts):
            if hits is not None and index not in hits:
                continue  # nothing any step below could find (the batch scan is exact)
            deadline.check()
            spans = known.find(text) if known is not None and len(known) else []
            if text not in self._quiet:
                probe = _probe(text)
                analyze = self.needs_analysis(probe)
                if analyze:
                    spans.extend(self._analyze_cached(probe, deadline, on_loop))
                if "%" in text:
                    spans.extend(self._percent_encoded(text, deadline, on_loop))
                elif not analyze and len(text) <= _QUIET_CHARS and len(self._quiet) < _QUIET_MAX:
                    self._quiet[text] = None
            if spans:
                spans = [s for s in spans if text[s.start : s.end] not in self._allow]
                merged = merge_spans(spans)
                if merged:
                    found[text] = merged
        return found

    def _candidates(self, texts: list[str], known: KnownValues | None) -> set[int] | None:
        """The indices of the texts in which any step of `detect` could find something, from one scan of
        all of them joined by NUL (C speed, where a loop over thousands of strings costs microseconds
        each): a known value, what `_triggered` looks for, a `%`, or what `_probe` would rewrite (an escape,
        an invisible character). No pattern or trigger can match across a NUL, so a text holds a hit of the
        joined scan exactly when it holds one of its own. None where that cannot be assured (a text or a
        known value holding NUL) or where every text must be looked at (prose for the NER pipeline)."""
        if self._ner:
            return None
        joined = _SEP.join(texts)
        if joined.count(_SEP) != len(texts) - 1:
            return None
        if known is not None and known.holds_nul:
            return None
        starts = [0, *accumulate(len(t) + 1 for t in texts)]  # text i is joined[starts[i]:starts[i+1]-1]
        hits: set[int] = set()

        def scan(find: Callable[[int], int]) -> None:
            pos = 0
            while (at := find(pos)) >= 0:
                index = bisect_right(starts, at) - 1
                hits.add(index)
                pos = starts[index + 1]  # one hit is enough: on to the next text

        for needle in ("@", "%", "\\"):
            if needle in joined:
                scan(partial(joined.find, needle))
        scan(lambda pos: _digit_trigger_at(joined, pos))
        if ":" in joined:
            scan(_regex_finder(_IPV6_TRIGGER, joined))
        if not joined.isascii():
            scan(_regex_finder(_INVISIBLE_RE, joined))
        if known is not None and len(known):
            hits.update(bisect_right(starts, at) - 1 for at in known.starts(joined))
        return hits

    def _percent_encoded(self, text: str, deadline: Deadline, on_loop: bool) -> list[Span]:
        """Values hidden by URL encoding (`jane%40acme.example`): detect on the decoded text, then find each
        value's encoded forms in the original."""
        decoded = unquote_plus(text)
        if decoded == text or not self.needs_analysis(decoded):
            return []
        spans = []
        for s in self._analyze_cached(decoded, deadline, on_loop):
            value = decoded[s.start : s.end]
            for form in {
                quote(value, safe=""),
                quote(value, safe="@"),
                quote_plus(value),
                quote_plus(value, safe="@"),
            }:
                if form == value:
                    continue
                start = text.find(form)
                while start != -1:
                    spans.append(Span(start, start + len(form), s.entity, s.score))
                    start = text.find(form, start + 1)
        return spans

    def _analyze_cached(self, text: str, deadline: Deadline, on_loop: bool = False) -> list[Span]:
        with self._cache_lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return list(hit)
        if on_loop:  # Presidio takes milliseconds (NER: tens of them): never on the event loop
            raise NeedsWorker("presidio")
        spans = self._analyze(text, deadline)
        with self._cache_lock:
            self._cache[text] = spans
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return list(spans)

    def _analyze(self, text: str, deadline: Deadline) -> list[Span]:
        try:
            spans: list[Span] = []
            step = _CHUNK - _OVERLAP
            for offset in range(0, max(len(text) - _OVERLAP, 1), step):
                spans.extend(self._analyze_chunk(text[offset : offset + _CHUNK], offset))
                # After the call too: Presidio skips a pattern whose regex timed out (it logs and goes on);
                # its timeout is the budget, so a skipped pattern always shows up here as a spent budget.
                deadline.check()
            return spans
        except DetectionBudgetExceeded:
            raise
        except Exception as exc:  # a detector failure blocks the message, it never passes it through
            raise DetectionFailed(
                f"mcp-veil blocked this message: detector error ({type(exc).__name__})"
            ) from None

    def _analyze_chunk(self, text: str, offset: int) -> list[Span]:
        results = self.analyzer.analyze(
            text=text, language="en", entities=self.entities, score_threshold=self.policy.score_threshold
        )
        return [Span(r.start + offset, r.end + offset, r.entity_type, r.score) for r in results]
