"""To the client: detect personal data and replace every value with its session token."""

from __future__ import annotations

from proxy.detect.deadline import Deadline
from proxy.detect.known import KNOWN_SCORE, KnownValues
from proxy.detect.spans import Span, merge_spans, replace_spans
from proxy.errors import InvalidMessage
from proxy.filters.flow import Flow
from proxy.scan.plan import ScanPlan
from proxy.scan.protocol import refuse_retyped
from proxy.scan.shapes import number_text
from proxy.scan.to_client import ToClientWalker, key_rules_apply


class Tokenize:
    def __call__(self, flow: Flow) -> None:
        session = flow.session
        policy = flow.policy
        deadline = Deadline(policy.detection_seconds)  # the message's detection budget starts now
        descriptive = not key_rules_apply(flow.method)
        rules = policy.rules_for_tool(None if descriptive else flow.tool)
        walker = ToClientWalker(policy, rules, descriptive=descriptive)
        plan = walker.collect(flow.payload)
        envelope = _envelope_strings(flow)
        # A keyed pair in the method name or id (`{"clientName": …}`) names a value as a result would: known
        # below, found in the envelope string, refused.
        plan.field_values.update(dict.fromkeys(walker.keyed(envelope)))
        # A value a field rule names is known from now on, in this very message too (an account name in a
        # campaign name next to the account's own record).
        session.learn(plan.field_values)
        envelope = _envelope_strings(flow)
        texts = [*plan.texts, *plan.keys, *envelope, *_schema_only(plan)]
        spans = flow.detector.detect(texts, session.known, deadline, on_loop=flow.on_loop)
        _no_guessed_names(plan, spans)
        _labelled_spans(plan, spans)
        _spread_new_values(flow, texts, spans, deadline)
        refuse_retyped(plan.protocol, spans, plan.field_locations)  # a protocol number stays a number
        if envelope and any(s in spans for s in envelope):
            # The id of a backend's request, or a method name the backend chose, holds personal data. An id
            # is the backend's correlation handle (the client answers with it): a rewritten one would need a
            # second id map in the relay, and no legitimate server puts personal data there. Refused, fail
            # closed: the backend's request gets an error at once, a notification is dropped.
            raise InvalidMessage("mcp-veil blocked this message: personal data in its id or method name")
        if not plan.field_values and not spans:
            if plan.rewrites():  # JSON texts forwarded as the documents that were scanned
                flow.changed = walker.apply(plan, {}, {}) or flow.changed
            return

        # One vault call per message: field values first, then every detected span's value.
        items: list[tuple[str, str]] = list(plan.field_values)
        span_values: list[tuple[str, list]] = []
        for text, found in spans.items():
            span_values.append((text, found))
            items.extend((s.entity, text[s.start : s.end]) for s in found)
        tokens = session.tokenize(items, flow)

        n_fields = len(plan.field_values)
        field_tokens = dict(zip(plan.field_values, tokens[:n_fields], strict=True))
        replaced: dict[str, str] = {}
        pos = n_fields
        for text, found in span_values:
            replaced[text] = replace_spans(text, found, tokens[pos : pos + len(found)])
            pos += len(found)
        for entity, _value in items:
            flow.counts[entity] = flow.counts.get(entity, 0) + 1
        flow.changed = walker.apply(plan, field_tokens, replaced) or flow.changed


def _labelled_spans(plan: ScanPlan, spans: dict[str, list[Span]]) -> None:
    """Add the values labels written in text name (`proxy.scan.labels`) to the detected spans."""
    for text, found in plan.labelled.items():
        extra = [Span(a, b, entity, KNOWN_SCORE) for a, b, entity in found]
        spans[text] = merge_spans([*spans.get(text, []), *extra])


def _schema_only(plan: ScanPlan) -> list[str]:
    """The schema value strings (`ScanPlan.schema_values`) found nowhere else in the message, now located
    for the patcher; a string also found elsewhere is judged there, and its token written here too."""
    only: dict[str, None] = {}
    for location, text in plan.schema_values:
        plan.locations.setdefault(text, []).append(location)
        if text not in plan.texts:
            only[text] = None
    plan.schema_values = [(loc, t) for loc, t in plan.schema_values if t in only]
    return list(only)


def _no_guessed_names(plan: ScanPlan, spans: dict[str, list[Span]]) -> None:
    """A person name in a schema-only string, found by its shape alone, is no value (a form's `John Doe`)."""
    for text in dict.fromkeys(t for _, t in plan.schema_values):
        found = spans.get(text)
        if found is None:
            continue
        kept = [s for s in found if s.entity != "PERSON" or s.score >= KNOWN_SCORE]
        if kept:
            spans[text] = kept
        else:
            del spans[text]


def _spread_new_values(
    flow: Flow, texts: list[str], spans: dict[str, list[Span]], deadline: Deadline
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
