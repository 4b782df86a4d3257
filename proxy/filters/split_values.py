"""To the client, before tokenize: a value cut across a result's text blocks is moved whole into one block.

A client shows a `content` list's text blocks one after the other, and a model reads them as one text: a
backend that cuts `jane.doe@` and `acme.com` into two blocks (or a card number into three) hides the value
from a scan of each block, not from the reader. This filter reads the text blocks of each list holding two
or more joined (a block of another kind between them, an image, is skipped as a reader skips it), and where
a detected value crosses a cut, moves the cut to the value's end: the blocks' joined text is unchanged, so
are their number and order, and the value now stands whole in one block, where tokenize finds it as it
finds any value. The lists read are the protocol's own: a tool result's
`content`, a resource read's `contents` (text items), and the `content` lists of a prompt's or a sampling
request's `messages`; a list inside a tool's own data is data (`split_values` does not walk a 25,000-row
result).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from proxy.detect.deadline import Deadline
from proxy.filters.flow import Flow
from proxy.worker import Finish, cached_detect


def _content_lists(payload: Any) -> list[list[Any]]:
    """The protocol's lists of content blocks in a payload (module doc)."""
    if not isinstance(payload, dict):
        return []
    lists = [payload.get("content"), payload.get("contents")]
    messages = payload.get("messages")
    if isinstance(messages, list):
        lists += [m.get("content") for m in messages if isinstance(m, dict)]
    return [x for x in lists if isinstance(x, list)]


def _text_runs(blocks: list[Any], out: list[list[dict[str, Any]]]) -> None:
    """The text blocks (or resource text items) of `blocks`, when there are two or more: a block of
    another kind between two of them (an image, audio, a resource link) is no boundary to a reader, who
    reads `contact priya.raman@`, an image, `globex.io` as one sentence, so it does not end a run."""
    run = [
        item
        for item in blocks
        if isinstance(item, dict) and item.get("type", "text") == "text" and isinstance(item.get("text"), str)
    ]
    if len(run) >= 2:
        out.append(run)


def mended_cuts(pieces: list[str], spans: list[tuple[int, int]]) -> list[str] | None:
    """`pieces` re-cut so that no span of their joined text crosses a cut (each cut inside a span moves to
    the span's end); None if no span crosses one."""
    cuts: list[int] = []
    pos = 0
    for p in pieces[:-1]:
        pos += len(p)
        cuts.append(pos)
    moved = list(cuts)
    for start, end in spans:
        moved = [end if start < c < end else c for c in moved]
    if moved == cuts:
        return None
    joined = "".join(pieces)
    bounds = [0, *moved, len(joined)]
    return [joined[a:b] for a, b in pairwise(bounds)]


class MendSplitValues:
    """Called, it runs whole (in a worker: Presidio may run). `on_loop` reads the joined blocks from the
    detector's cached verdicts and hands the chain the Presidio run as its `Finish` when one is needed."""

    def __call__(self, flow: Flow) -> None:
        runs = _runs(flow)
        if runs:
            joined = _joined(runs)
            deadline = Deadline(flow.policy.detection_seconds)
            _mend(flow, runs, joined, flow.detector.detect(joined, flow.session.known, deadline))

    def on_loop(self, flow: Flow) -> Finish | None:
        runs = _runs(flow)
        if not runs:
            return None
        joined = _joined(runs)
        deadline = Deadline(flow.policy.detection_seconds)
        found = cached_detect(flow.detector, joined, flow.session.known, deadline)
        if found is None:
            known = flow.session.known
            return lambda: _mend(flow, runs, joined, flow.detector.detect(joined, known, deadline))
        _mend(flow, runs, joined, found)
        return None


def _runs(flow: Flow) -> list[list[dict[str, Any]]]:
    runs: list[list[dict[str, Any]]] = []
    for blocks in _content_lists(flow.payload):
        _text_runs(blocks, runs)
    return runs


def _joined(runs: list[list[dict[str, Any]]]) -> list[str]:
    return ["".join(block["text"] for block in run) for run in runs]


def _mend(flow: Flow, runs: list[list[dict[str, Any]]], joined: list[str], found: dict[str, Any]) -> None:
    """Each run re-cut where a value found in its joined text crosses a cut."""
    for run, text in zip(runs, joined, strict=True):
        spans = found.get(text)
        if not spans:
            continue
        pieces = mended_cuts([block["text"] for block in run], [(s.start, s.end) for s in spans])
        if pieces is None:
            continue
        for block, piece in zip(run, pieces, strict=True):
            block["text"] = piece
        flow.changed = True
