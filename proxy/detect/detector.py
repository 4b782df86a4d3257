"""The detector: which spans of which strings are personal data.

Per unique string, the way a WAF matches: decode, normalize, then match. The string's views
(`proxy.detect.views`: NFKC, invisible characters removed, digits ASCII, confusables folded, separators
unified; then local encodings decoded, `proxy.detect.decoders`) are each matched against the session's known
values and, when a cheap trigger says so, Presidio (our recognizers and its own, checksums included; spaCy
NER for names when a pipeline is configured). Base64 runs are decoded and scanned the same way, up to
`MAX_DEPTH` layers deep; a hit inside one replaces the whole run. Every span maps back to the original
characters → allow-list → overlap merge.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable
from itertools import accumulate

from proxy.detect import decoders, numeral_scripts, views
from proxy.detect.address_forms import address_forms_view
from proxy.detect.batch_scan import BATCH, SEP, VIEW_TRIGGERS, candidates
from proxy.detect.block_encodings import blocks_view
from proxy.detect.byte_codes import codes_view
from proxy.detect.concatenated import concatenated_view
from proxy.detect.deadline import NO_DEADLINE, Deadline
from proxy.detect.digit_fast_path import digit_analyzer, digits_only, supported
from proxy.detect.digit_rows import row_view
from proxy.detect.email_stand_ins import stand_ins_view
from proxy.detect.folded_view import folded_views
from proxy.detect.glued import GLUED_ENTITIES, GLUED_MIN_SCORE, glued_view
from proxy.detect.judged_texts import JudgedTexts
from proxy.detect.known import KnownValues
from proxy.detect.markup_view import marked, markup_view
from proxy.detect.name_break_view import crosses_break, name_break_view
from proxy.detect.name_case_view import case_view
from proxy.detect.name_layers import (
    chunked_base64_name,
    plus_as_space,
    short_base64_names,
)
from proxy.detect.name_prefilter import might_hold_name
from proxy.detect.presidio_engine import build_analyzer
from proxy.detect.recognizers import guarded_spans
from proxy.detect.reordered import display_view, mirrored
from proxy.detect.reordered_spans import backwards_spans
from proxy.detect.run_spans import outside_decoded_runs, outside_long_runs
from proxy.detect.scan_memo import ScanMemo, Slot
from proxy.detect.smuggled import smuggled_views
from proxy.detect.spaced import chunked_view
from proxy.detect.spans import Span, merge_spans, without_edge_blanks
from proxy.detect.terminal_codes import terminal_views
from proxy.detect.text_escapes import escapes_view
from proxy.detect.triggers import digit_trigger_at, triggered
from proxy.detect.vertical import vertical_view
from proxy.detect.word_triggers import patterns as word_patterns
from proxy.detect.word_triggers import word_trigger_starts
from proxy.errors import DetectionBudgetExceeded, DetectionFailed, blocked
from proxy.policy import Policy
from proxy.worker import NeedsWorker

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
MAX_DEPTH = 3  # base64 layers opened inside one another
# Short texts found quiet are remembered (their text-only steps skipped next time), this many at most.
_QUIET_CHARS = 256
_QUIET_MAX = 50_000
SHORT_BASE64_NAME_SCORE = 0.9


class Detector:
    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.analyzer, self.entities = build_analyzer(policy)
        # For a text of digits alone: the recognizers that can find something in one (`digit_fast_path`).
        self._digit_analyzer = digit_analyzer(self.analyzer)
        self._digit_entities = supported(self._digit_analyzer, self.entities)
        self._ner = policy.ner.model is not None
        self._allow = policy.allow_list
        # Presidio's verdicts depend on the text alone, not on the session: cache them (in process memory,
        # where the values already are; never on disk). Known values are matched per session, uncached.
        self._cache: OrderedDict[str, list[Span]] = OrderedDict()
        self._cache_lock = threading.Lock()
        # Short texts in which the text-only steps find nothing (no trigger, no `%`): the keys and labels
        # every message repeats skip them. Known values are still matched per session.
        self._quiet: dict[str, None] = {}
        self._silent: dict[str, None] = {}  # texts no trigger fires in (`batch_scan.candidates`)
        self._memo = ScanMemo()  # what the text-only steps found, per text (`scan_memo`)
        self._judged = JudgedTexts()  # answers per session's known values, as they stand (`judged_texts`)

    def needs_analysis(self, text: str) -> bool:
        if triggered(text):
            return True
        return self._ner and might_hold_name(text)

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
        found: dict[str, list[Span]] = {}
        judged = self._judged.of(known) if known is not None else None
        if judged is not None:  # answered before, with the known values as they stand (`judged_texts`)
            answers = judged.answers
            unjudged = []
            for text in texts:
                answer = answers.get(text)
                if answer is None:
                    unjudged.append(text)
                elif answer:
                    found[text] = list(answer)
            texts = unjudged
        hits = self._candidates(texts, known) if len(texts) >= BATCH else None
        for index, text in enumerate(texts):
            if hits is not None and index not in hits:
                if judged is not None:
                    judged.keep(text, [], known)  # type: ignore[arg-type]
                continue  # nothing any step below could find (the batch scan is exact)
            deadline.check()
            spans = self._scan(text, known, deadline, on_loop, 0)
            merged: list[Span] = []
            if spans:
                spans = [s for s in spans if text[s.start : s.end] not in self._allow]
                merged = without_edge_blanks(text, merge_spans(spans))
                if merged:
                    found[text] = merged
            if judged is not None:
                judged.keep(text, merged, known)  # type: ignore[arg-type]
        return found

    def _scan(
        self, text: str, known: KnownValues | None, deadline: Deadline, on_loop: bool, depth: int
    ) -> list[Span]:
        """Spans in `text` (original coordinates, overlapping) from every view of it, decoded layers
        included. `depth`: how many base64 layers `text` was found under."""
        has_known = known is not None and len(known) > 0
        if depth == 0 and text in self._quiet:
            return known.find(text) if known is not None and has_known else []
        remembered = self._memo.spans(text, known) if depth == 0 else None
        if remembered is not None:
            return remembered
        slots: list[Slot] = []  # each view known values are matched on, with what the text alone gave
        view = views.view_of(text)
        all_views = [view, *_decoded(view, text)]
        # With NER, names in a form body (`+` for a space) are read in a view with spaces (`name_layers`).
        spaced = [plus_as_space(v) for v in all_views] if self._ner else []
        for extra in (
            decoders.escapes_as_spaces(view),
            views.letter_view(text),
            *smuggled_views(text),
            display_view(text),
            blocks_view(text),
            codes_view(text),
            escapes_view(text),
            stand_ins_view(text),
            address_forms_view(text),
            *terminal_views(text),
            self._case_view(view),
            views.written_view(text, view),
            *spaced,
        ):
            if extra is not None:
                all_views.append(extra)
        spans: list[Span] = []
        analyzed = False
        runs: dict[tuple[int, int], list[str]] = {}  # original range → the run as it is, as views read it
        if not view.identity and depth < MAX_DEPTH and decoders.has_base64_run(text):
            # As written too: the view joins digit groups across a line break (`…4\r\n5…`), which would
            # cut a MIME-wrapped run the view no longer holds whole.
            for a, b in decoders.base64_runs(text):
                runs.setdefault((a, b), [text[a:b]])
        for v in all_views:
            deadline.check()  # between views too: building them is linear, but a megabyte takes a second
            if known is not None and has_known:
                spans.extend(known.find(v))
            pure: list[Span] = []
            slots.append((v, pure))
            if self.needs_analysis(v.text):
                analyzed = True
                for s in self._analyze_cached(v.text, deadline, on_loop):
                    a, b = v.span(s.start, s.end)
                    pure.append(Span(a, b, s.entity, s.score))
            if depth >= MAX_DEPTH and decoders.has_base64_run(v.text):
                _refuse_deeper(v.text)
            elif depth < MAX_DEPTH and decoders.has_base64_run(v.text):
                for start, end in decoders.base64_runs(v.text):
                    a, b = v.span(start, end)
                    # The original characters first: a normalized view unifies separators (`5/7` → `5-7`),
                    # which turns a long base64 run into two alphabets at once, no base64 at all.
                    readings = runs.setdefault((a, b), [text[a:b]])
                    if v.text[start:end] not in readings:
                        readings.append(v.text[start:end])
            if self._ner:  # a name is shorter than the general base64 scan's minimum (`name_layers`)
                for start, end in short_base64_names(v.text):
                    analyzed = True
                    pure.append(Span(*v.span(start, end), "PERSON", SHORT_BASE64_NAME_SCORE))
            spans.extend(pure)
        # Views read without a word boundary (a value glued to letters, `abc378-56-3784xyz`; markup inside
        # a word, `jane@**acme**.com`; a folded line, `jane@exa\r\n mple.com`) or regrouped
        # (`14/052/321/34`): only what is certain without one.
        folded = folded_views(text)
        column = vertical_view(text)
        row = row_view(text)  # a row of single digits whose identifier's check passed: certain
        unmarked = markup_view(text)
        split_name = name_break_view(text)  # `Douglas<br>Nakashima`: a name across a line break
        joined, joins = split_name if split_name is not None else (None, [])
        certain_only = [
            glued_view(view) if digit_trigger_at(view.text) >= 0 else None,
            unmarked,
            joined,
            chunked_view(view),
            column,
            row,
            *folded,
        ]
        if column is not None and depth < MAX_DEPTH and decoders.has_base64_run(column.text):
            # base64 laid out down a column: the run it spells is decoded like any other, and replaces
            # the column from its first character to its last
            for start, end in decoders.base64_runs(column.text):
                runs.setdefault(column.span(start, end), []).append(column.text[start:end])
        for extra_view in certain_only:
            if extra_view is None:
                continue
            analyzed = True
            if known is not None and has_known:
                spans.extend(known.find(extra_view))
            certain_spans: list[Span] = []
            slots.append((extra_view, certain_spans))
            for s in self._analyze_cached(extra_view.text, deadline, on_loop):
                a, b = extra_view.span(s.start, s.end)
                certain = s.entity in GLUED_ENTITIES or (extra_view in (column, row) and s.entity != "PERSON")
                if (
                    (certain and s.score >= GLUED_MIN_SCORE)
                    or (s.entity == "PERSON" and "\n" in text[a:b] and any(extra_view is f for f in folded))
                    or (extra_view is unmarked and s.entity == "PERSON" and marked(text, a, b))
                    or (extra_view is joined and s.entity == "PERSON" and crosses_break(joins, a, b))
                ):  # a name across a fold (`FN:Jo Osborne-Zopp\r\n etto`) is read whole only unfolded, one
                    # cut by emphasis (`**Maria** Gonzalez`) only without its markup (`markup_view`)
                    certain_spans.append(Span(a, b, s.entity, s.score))
            spans.extend(certain_spans)
        concat = concatenated_view(text)
        if concat is not None:  # literals a program joins: what is found across a chain of them
            analyzed = True
            if known is not None and has_known:
                spans.extend(known.find(concat[0]))
            chained = self._across_chains(*concat, deadline, on_loop)
            slots.append((concat[0], chained))
            spans.extend(chained)
        backwards = mirrored(text, spans)
        if backwards is not None:
            analyzed = True
            spans.extend(self._mirrored(backwards, known if has_known else None, deadline, on_loop))
        decoded: list[tuple[int, int]] = []  # the runs whose decoding holds something: one span each
        for (start, end), readings in runs.items():
            deadline.check()
            for run in readings:
                found = self._base64_run(run, start, end, known, deadline, on_loop, depth)
                if not found and self._ner and chunked_base64_name(run):
                    found = [Span(start, end, "PERSON", SHORT_BASE64_NAME_SCORE)]
                if found:
                    spans.extend(found)
                    decoded.append((start, end))
                    break
        if runs and spans:
            spans = outside_long_runs(text, outside_decoded_runs(spans, decoded))
        if depth == 0 and not runs and backwards is None and mirrored(text) is None:
            self._memo.keep(text, slots)
        if (
            depth == 0
            and not analyzed
            and not runs
            and len(all_views) == 1
            and view.identity
            and len(text) <= _QUIET_CHARS
            and len(self._quiet) < _QUIET_MAX
        ):
            self._quiet[text] = None
        return spans

    def _mirrored(
        self, backwards: str, known: KnownValues | None, deadline: Deadline, on_loop: bool
    ) -> list[Span]:
        """Spans of values written backwards (`reordered`), in the coordinates of the text as written."""
        view = views.view_of(backwards)
        found = self._analyze_cached(view.text, deadline, on_loop) if triggered(view.text) else []
        return backwards_spans(backwards, view, found, known)

    def _across_chains(
        self, view: views.View, chains: list[tuple[int, int]], deadline: Deadline, on_loop: bool
    ) -> list[Span]:
        """Spans the concatenated view (`concatenated`) finds inside one of its chains of literals, in the
        coordinates of the text as written (the session's known values are matched on it by the caller)."""
        found: list[Span] = []
        inner = view.text  # the view's own coordinates, mapped back below
        for s in self._analyze_cached(inner, deadline, on_loop) if self.needs_analysis(inner) else []:
            if any(a < s.end and s.start < b for a, b in chains):
                found.append(Span(*view.span(s.start, s.end), s.entity, s.score))
        return found

    def _case_view(self, view: views.View) -> views.View | None:
        """A text written in one case, re-cased for the name recognizers (`name_case_view`): with NER."""
        return case_view(view) if self._ner else None

    def detect_known(
        self, texts: list[str], known: KnownValues, deadline: Deadline = NO_DEADLINE
    ) -> dict[str, list[Span]]:
        """Spans of `known`'s values alone (no Presidio, no base64 layers) in each text, through the same
        views as `detect`: the second pass that carries a value found in one leaf of a message to every
        other leaf of it (`{"id": "4155550123", "note": "call 4155550123"}`, whichever comes first), where
        the recognizers' guard does not rule it out (a version, a decimal, a date).
        Texts are pre-selected in one C-speed scan: a word of a known value, or a view that differs."""
        if not len(known) or not texts:
            return {}
        found: dict[str, list[Span]] = {}
        for index in self._known_candidates(texts, known):
            deadline.check()
            text = texts[index]
            view = views.view_of(text)
            spans: list[Span] = []
            extra = (
                decoders.escapes_as_spaces(view),
                *terminal_views(text),
                *smuggled_views(text),
                address_forms_view(text),
            )
            for v in (view, *_decoded(view, text), *extra):
                if v is not None:
                    spans.extend(known.find(v))
            # The value's context here still counts against it: the guard that keeps `version 11.3.7.2`
            # from reading as an IP address keeps an IP address found elsewhere from landing on it.
            spans = [s for s in guarded_spans(text, spans) if text[s.start : s.end] not in self._allow]
            if spans:
                found[text] = merge_spans(spans)
        return found

    def _known_candidates(self, texts: list[str], known: KnownValues) -> Iterable[int]:
        joined = SEP.join(texts)
        if known.holds_nul or joined.count(SEP) != len(texts) - 1:
            return range(len(texts))
        starts_known = known.starts(joined)
        if starts_known is None:
            return range(len(texts))
        starts = [0, *accumulate(len(t) + 1 for t in texts)]
        hits = {bisect_right(starts, at) - 1 for at in starts_known}
        word_starts = word_trigger_starts(joined)
        if word_starts is not None:
            hits.update(bisect_right(starts, at) - 1 for at in word_starts)
        triggers = [
            *VIEW_TRIGGERS,
            *(word_patterns() if word_starts is None else ()),
            *([] if joined.isascii() else [views.fold_pattern(), *numeral_scripts.NON_ASCII_TRIGGERS]),
        ]
        for trigger in triggers:
            pos = 0
            while (m := trigger.search(joined, pos)) is not None:
                index = bisect_right(starts, m.start()) - 1
                hits.add(index)
                pos = starts[index + 1]
        return sorted(hits)

    def _base64_run(
        self,
        run: str,
        start: int,
        end: int,
        known: KnownValues | None,
        deadline: Deadline,
        on_loop: bool,
        depth: int,
    ) -> list[Span]:
        """One span over a base64 run ([start, end) of the original) if the text it encodes holds anything."""
        inner = decoders.decode_base64(run)
        if inner is None:
            return []
        found = self._scan(inner, known, deadline, on_loop, depth + 1)
        if not found:
            return []
        best = max(found, key=lambda s: s.score)
        return [Span(start, end, best.entity, best.score)]

    def _candidates(self, texts: list[str], known: KnownValues | None) -> set[int] | None:
        """The texts any step of `detect` could find something in (`batch_scan.candidates`)."""
        return candidates(texts, known, quiet=self._quiet, ner=self._ner, silent=self._silent)

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
            return guarded_spans(text, spans)
        except DetectionBudgetExceeded:
            raise
        except Exception as exc:  # a detector failure blocks the message, it never passes it through
            raise DetectionFailed(
                f"mcp-veil blocked this message: detector error ({type(exc).__name__})"
            ) from None

    def _analyze_chunk(self, text: str, offset: int) -> list[Span]:
        digits = digits_only(text)
        analyzer = self._digit_analyzer if digits else self.analyzer
        results = analyzer.analyze(
            text=text,
            language="en",
            entities=self._digit_entities if digits else self.entities,
            score_threshold=self.policy.score_threshold,
        )
        return [Span(r.start + offset, r.end + offset, r.entity_type, r.score) for r in results]


def _refuse_deeper(text: str) -> None:
    """Fail closed where the base64 layers stop: a run that still decodes to text below the last layer
    opened is refused, never forwarded unread."""
    for start, end in decoders.base64_runs(text):
        if decoders.decode_base64(text[start:end]) is not None:
            raise blocked(f"it nests encodings deeper than the {MAX_DEPTH} layers read")


def _decoded(view: views.View, text: str) -> list[views.View]:
    """Local encodings decoded from the normalized view, and from the text as written when normalizing
    changed it: normalizing first can join an escape's hex digits to what follows (`%20145.144.115.178`
    reads as the dotted groups `20145.144.115.178`, unified to dashes), which decoding then cannot undo."""
    out = decoders.decoded_views(view)
    if not view.identity and decoders.has_local(text):
        known = {v.text for v in out}
        out += [v for v in decoders.decoded_views(views.View(text)) if v.text not in known]
    return out
