"""A text spread over the runs of a list: rich text as editors and document APIs write it (red team 11).

A rich-text document cuts its text wherever the formatting changes, one object per run:

    {"ops": [{"insert": "Assigned to "}, {"insert": "Hana", "attributes": {"bold": true}},
             {"insert": " "}, {"insert": "Brennan"}]}                                        (a Quill delta)
    {"content": [{"type": "text", "text": "cc "}, {"type": "text", "text": "Priya"}, …]}     (Atlassian ADF)
    {"elements": [{"textRun": {"content": "Account manager: "}}, {"textRun": {"content": "Hana "}}, …]}

A reader reads the runs as one text; a scan of each string sees `Hana` and `Brennan` apart, neither a name.
Here such a list's run strings are joined, in order, into one view that the detectors judge like any text;
a value found in it is mapped back onto the runs it covers.

Which lists are runs is read from the list, not from a list of editor formats: a list of 2 to `MAX_RUNS`
objects in which one member path (a key, or a key of a nested object: `textRun.content`, `text.content`)
holds a string in at least two items and is, in most of them, the item's only text (its other strings are
enum-shaped, `"type": "text"`, or the same text again, Notion's `plain_text`); most runs are short
(`MAX_RUN`); and at least one cut between two runs falls beside whitespace (`"Assigned to "`, `" "`,
`"Hana "`) — runs are cut between words, a record's values are trimmed. An item without the member (an ADF
`hardBreak`, a mention, a Quill embed) reads as a space. A 25,000-row report is no run list (too long),
and a list of records with trimmed values (`[{"name": "Jordan"}, {"name": "Brennan Street"}]`) is never
joined: joining it would make a name of two records.

How a value found across runs is written back (`spread`): each run's piece of it takes the whole value's
token, the way a part of a split value does (`ScanPlan.part_values`): `"Hana"`, `" "`, `"Brennan"` become
`"[[PERSON:…]]"`, `" "`, `"[[PERSON:…]]"`. Moving the whole value into the run where it starts would empty
the others, and an empty run is invalid in several of these formats (an ADF text node's `text` and a Quill
`insert` must be non-empty; a Notion rich text needs content); every run keeps its place, its marks and a
non-empty text, and the value is learnt once, whole. A value found inside one run is that run's own.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from proxy.detect.spans import Span, merge_spans
from proxy.scan.plan import ScanPlan
from proxy.scan.shapes import is_enum_shaped

MAX_RUNS = 400  # a paragraph's runs; a list longer than this is a report's rows
MAX_RUN = 200  # most runs are a few words between format changes
GAP = " "  # what an item without the run member reads as (a line break, a mention, an embed)

Path = tuple[str, str | None]  # a key, and a key of the object under it (None: the string is the key's)
# A run list found: (the joined view, the run strings and their offsets in it).
RunList = tuple[str, list[tuple[str, int]]]


def _strings(item: dict[str, Any]) -> list[tuple[Path, str]]:
    out: list[tuple[Path, str]] = []
    for k, v in item.items():
        if type(v) is str:
            out.append(((k, None), v))
        elif type(v) is dict:
            out.extend(((k, k2), v2) for k2, v2 in v.items() if type(v2) is str)
    return out


def _run_path(items: list[Any]) -> Path | None:
    """The member path holding the items' run text (module doc), or None."""
    counts: dict[Path, list[int]] = {}  # path -> [items holding text there, items holding a string]
    for item in items:
        if type(item) is not dict:
            return None
        for path, v in _strings(item):
            count = counts.setdefault(path, [0, 0])
            count[1] += 1
            if any(c.isspace() for c in v) or (v and not is_enum_shaped(v)):
                count[0] += 1
    if not counts:
        return None
    path = max(counts, key=counts.__getitem__)
    return path if counts[path][0] >= 1 and counts[path][1] >= 2 else None


def _run_text(item: dict[str, Any], path: Path) -> str | None:
    v = item.get(path[0])
    if path[1] is not None:
        v = v.get(path[1]) if type(v) is dict else None
    return v if type(v) is str else None


def runs_of(items: list[Any]) -> list[str | None] | None:
    """Each item's run string (None: an item without one), if `items` are the runs of a text."""
    if not 2 <= len(items) <= MAX_RUNS or type(items[0]) is not dict or type(items[1]) is not dict:
        return None
    if not (_strings(items[0]) or _strings(items[1])):
        return None  # rows of numbers and lists (a report's): no run starts the list
    path = _run_path(items)
    if path is None:
        return None
    runs = [_run_text(item, path) for item in items]
    texts = [r for r in runs if r is not None]
    if len(texts) < 2 or sum(len(t) <= MAX_RUN for t in texts) * 2 <= len(texts):
        return None
    sole = 0
    for item, run in zip(items, runs, strict=True):
        if run is not None and all(
            v == run or p == path or not v or is_enum_shaped(v) for p, v in _strings(item)
        ):
            sole += 1
    if sole * 2 <= len(texts):
        return None  # records with several text members each
    return runs if _cut_beside_space(runs) else None


def _cut_beside_space(runs: list[str | None]) -> bool:
    """Whether a cut between two neighbouring runs has whitespace on one side (module doc)."""
    texts = [r for r in runs if r]
    return any(a[-1].isspace() or b[0].isspace() for a, b in pairwise(texts))


def collect(plan: ScanPlan, items: list[Any]) -> None:
    """Record `items` as a run list and its joined view as a text to scan, if they are runs."""
    runs = runs_of(items)
    if runs is None:
        return
    parts: list[str] = []
    offsets: list[tuple[str, int]] = []
    pos = 0
    for run in runs:
        piece = GAP if run is None else run
        if run:
            offsets.append((run, pos))
        parts.append(piece)
        pos += len(piece)
    joined = "".join(parts)
    if not joined.strip():
        return
    plan.runs.append((joined, offsets))
    plan.texts[joined] = None


def spread(plan: ScanPlan, spans: dict[str, list[Span]]) -> None:
    """Each value found in a joined view, written onto the runs it covers (module doc): a piece in each
    run it crosses, taking the whole value's token (`ScanPlan.part_values`)."""
    added: dict[str, list[Span]] = {}
    for joined, offsets in plan.runs:
        for s in spans.get(joined, ()):
            pieces = []
            for run, at in offsets:
                a, b = max(s.start, at) - at, min(s.end, at + len(run)) - at
                if a >= b:
                    continue
                while a < b and run[a].isspace():
                    a += 1
                while b > a and run[b - 1].isspace():
                    b -= 1
                if a < b:
                    pieces.append((run, a, b))
            if len(pieces) < 2:
                for run, a, b in pieces:  # inside one run: a value of its own
                    added.setdefault(run, []).append(Span(a, b, s.entity, s.score))
                continue
            whole = (s.entity, joined[s.start : s.end].strip())
            for run, a, b in pieces:
                added.setdefault(run, []).append(Span(a, b, s.entity, s.score))
                plan.part_values.setdefault((run, a, b), whole)
    for run, extra in added.items():
        spans[run] = merge_spans([*spans.get(run, ()), *extra])
