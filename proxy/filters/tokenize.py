"""To the client: detect personal data and replace every value with its session token."""

from __future__ import annotations

from proxy.detect.deadline import Deadline
from proxy.detect.known import KNOWN_SCORE, KnownValues
from proxy.detect.spans import Span, merge_spans, replace_spans
from proxy.errors import InvalidMessage
from proxy.filters.flow import Flow
from proxy.scan import rich_runs
from proxy.scan.forged_tokens import refuse_forged
from proxy.scan.plan import ScanPlan
from proxy.scan.protocol import refuse_retyped
from proxy.scan.shapes import number_text
from proxy.scan.to_client import ToClientWalker, key_rules_apply
from proxy.worker import Finish, cached_detect


class Tokenize:
    """Called, it runs whole (in a worker: the vault and Presidio may block). `on_loop` runs the same pass
    on the event loop as far as it needs no I/O, and hands the chain the rest of it (`Finish`) at the first
    step that does: Presidio for a text it has no cached verdict for, the vault for a value it never
    tokenized. The walk and what was detected on the loop are not done again."""

    def __call__(self, flow: Flow) -> None:
        scan = _Pass(flow)
        scan.tokenize(scan.judge(scan.detect()))

    def on_loop(self, flow: Flow) -> Finish | None:
        scan = _Pass(flow)
        spans = cached_detect(flow.detector, scan.texts, flow.session.known, scan.deadline)
        if spans is None:
            return lambda: scan.tokenize(scan.judge(scan.detect()))
        items = scan.judge(spans)
        if items is None:
            return None
        tokens = flow.session.stored_tokens(items[0], flow)
        if tokens is None:
            return lambda: scan.tokenize(items)
        scan.apply(items, tokens)
        return None


_Items = tuple[list[tuple[str, str]], list[tuple[str, list[Span]]]]  # (entity, value) pairs; spans by text


class _Pass:
    """One message's tokenize pass, in the steps `Tokenize.on_loop` may stop between."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        session, policy = flow.session, flow.policy
        self.deadline = Deadline(policy.detection_seconds)  # the message's detection budget starts now
        descriptive = not key_rules_apply(flow.method)
        rules = policy.rules_for_tool(None if descriptive else flow.tool)
        self.walker = ToClientWalker(policy, rules, descriptive=descriptive)
        self.plan = plan = self.walker.collect(flow.payload)
        envelope = _envelope_strings(flow)
        # A keyed pair in the method name or id (`{"clientName": …}`) names a value as a result would: known
        # below, found in the envelope string, refused.
        plan.field_values.update(dict.fromkeys(self.walker.keyed(envelope)))
        # A value a field rule names is known from now on, in this very message too (an account name in a
        # campaign name next to the account's own record).
        session.learn(plan.field_values)
        self.envelope = _envelope_strings(flow)
        self.shaped, self.unread = _quiet_only(plan, self.envelope)
        self.texts = [*plan.texts, *plan.keys, *self.envelope, *self.shaped]
        refuse_forged([*self.texts, *self.unread, *plan.token_fields], session.vault.issued)

    def detect(self) -> dict[str, list[Span]]:
        """Every span, Presidio included (blocking: on the loop, the detectors' guard raises)."""
        flow = self.flow
        return flow.detector.detect(self.texts, flow.session.known, self.deadline, on_loop=flow.on_loop)

    def judge(self, spans: dict[str, list[Span]]) -> _Items | None:
        """What the spans found mean for the message: the values to tokenize, or None when there are none
        (the message is patched as scanned here). Raises for a message that must be refused."""
        flow, plan = self.flow, self.plan
        _no_shape_evidence(self.shaped, spans)
        if self.unread:  # quiet strings no detector reads: the session's known values alone
            known = flow.detector.detect_known(self.unread, flow.session.known, self.deadline)
            for text, found in known.items():
                spans[text] = merge_spans([*spans.get(text, ()), *found])
        _labelled_spans(plan, spans)
        rich_runs.spread(plan, spans)  # a value across a rich text's runs: each run's piece takes its token
        _spread_new_values(flow, [*self.texts, *self.unread], spans, self.deadline, plan.part_values)
        _locate_quiet(plan, spans)
        refuse_retyped(plan.protocol, spans, plan.field_locations)  # a protocol number stays a number
        if self.envelope and any(s in spans for s in self.envelope):
            # The id of a backend's request, or a method name the backend chose, holds personal data. An id
            # is the backend's correlation handle (the client answers with it): a rewritten one would need a
            # second id map in the relay, and no legitimate server puts personal data there. Refused, fail
            # closed: the backend's request gets an error at once, a notification is dropped.
            raise InvalidMessage("mcp-veil blocked this message: personal data in its id or method name")
        if not plan.field_values and not spans:
            if plan.rewrites():  # JSON texts forwarded as the documents that were scanned
                flow.changed = self.walker.apply(plan, {}, {}) or flow.changed
            return None
        # One vault call per message: field values first, then every detected span's value.
        items: list[tuple[str, str]] = list(plan.field_values)
        span_values: list[tuple[str, list[Span]]] = []
        parts = plan.part_values  # a part of a split value takes the joined value's token
        for text, found in spans.items():
            span_values.append((text, found))
            items.extend(
                parts.get((text, s.start, s.end)) or (s.entity, text[s.start : s.end]) for s in found
            )
        return items, span_values

    def tokenize(self, items: _Items | None) -> None:
        """The values' tokens from the vault (blocking), written into the message."""
        if items is not None:
            self.apply(items, self.flow.session.tokenize(items[0], self.flow))

    def apply(self, items: _Items, tokens: list[str]) -> None:
        flow, plan = self.flow, self.plan
        pairs, span_values = items
        n_fields = len(plan.field_values)
        field_tokens = dict(zip(plan.field_values, tokens[:n_fields], strict=True))
        replaced: dict[str, str] = {}
        pos = n_fields
        for text, found in span_values:
            replaced[text] = replace_spans(text, found, tokens[pos : pos + len(found)])
            pos += len(found)
        for entity, _value in pairs:
            flow.counts[entity] = flow.counts.get(entity, 0) + 1
        flow.changed = self.walker.apply(plan, field_tokens, replaced) or flow.changed


def _labelled_spans(plan: ScanPlan, spans: dict[str, list[Span]]) -> None:
    """Add the values labels written in text name (`proxy.scan.labels`) to the detected spans."""
    for text, found in plan.labelled.items():
        extra = [Span(a, b, entity, KNOWN_SCORE) for a, b, entity in found]
        spans[text] = merge_spans([*spans.get(text, []), *extra])


def _quiet_only(plan: ScanPlan, envelope: list[str]) -> tuple[list[str], list[str]]:
    """The quiet strings (`ScanPlan.quiet_values`) found nowhere else in the message (no other leaf, object
    key or envelope string): (those every detector reads, schema placeholders whose person names are
    judged by `_no_shape_evidence`; those matched against known values alone). A string also found
    elsewhere is judged there with every detector."""
    texts, keys = plan.texts, plan.keys
    read: dict[str, None] = {}
    unread: dict[str, None] = {}
    for _, text, entity in plan.quiet_values:
        if text not in texts and text not in keys and text not in envelope:
            (unread if entity is None else read)[text] = None
    return [t for t in read if t not in unread], list(unread)


def _no_shape_evidence(shaped: list[str], spans: dict[str, list[Span]]) -> None:
    """A person name in a schema placeholder found by its shape alone is no value (a form's `John Doe`);
    one known to the session (or, later, found elsewhere in the message) still is."""
    for text in shaped:
        found = spans.get(text)
        if found is None:
            continue
        kept = [s for s in found if s.entity != "PERSON" or s.score >= KNOWN_SCORE]
        if kept:
            spans[text] = kept
        else:
            del spans[text]


def _locate_quiet(plan: ScanPlan, spans: dict[str, list[Span]]) -> None:
    """Where the quiet strings that will be patched sit (their token is written there too, whether the
    string was judged at another place of the message or matched here)."""
    locations = plan.locations
    for location, text, _ in plan.quiet_values:
        if text in spans:
            locations.setdefault(text, []).append(location)


def _spread_new_values(
    flow: Flow,
    texts: list[str],
    spans: dict[str, list[Span]],
    deadline: Deadline,
    parts: dict[tuple[str, int, int], tuple[str, str]],
) -> None:
    """A value detected in one leaf of this message is replaced in every other leaf too (and in object
    keys), even where that leaf's context alone would not have found it (`{"id": "4155550123", "note":
    "call 4155550123"}`). The session learns detected values only once they are tokenized, after the
    detection pass; so the values new to it are matched again over the message's texts (known values
    alone: one C-speed pre-scan, then the views of the texts that may hold one)."""
    new = KnownValues()
    known = flow.session.known
    for text, found in spans.items():
        for s in found:
            value = text[s.start : s.end]
            if (text, s.start, s.end) in parts:
                continue  # a part of a split value (`6789`): its joined value is the one learnt
            if value not in known and flow.policy.propagates(s.entity):
                new.add(value, s.entity)
    if not len(new):
        return
    for text, more in flow.detector.detect_known(texts, new, deadline).items():
        spans[text] = merge_spans([*spans.get(text, ()), *more])


def _envelope_strings(flow: Flow) -> list[str]:
    """The strings of a backend's request or notification outside its params: its method name and its id (a
    number's digits, like any number's: `shapes.number_text`). (A response's id is the client's own: the
    relay forwards only answers to requests in flight.)"""
    if flow.kind not in ("request", "notification"):
        return []
    out = [flow.method] if flow.method else []
    request_id = getattr(flow, "request_id", None)
    if type(request_id) is str:
        out.append(request_id)
    elif (text := number_text(request_id)) is not None:
        out.append(text)
    return out
