"""To the client: detect personal data and replace every value with its session token."""

from __future__ import annotations

from proxy.detect.deadline import Deadline
from proxy.detect.spans import replace_spans
from proxy.stages.base import Flow
from proxy.walk import ToClientWalker, key_rules_apply


class Tokenize:
    name = "tokenize"

    def __call__(self, flow: Flow) -> None:
        session = flow.session
        policy = flow.policy
        deadline = Deadline(policy.detection_seconds)  # the message's detection budget starts now
        rules = policy.rules_for_tool(flow.tool) if key_rules_apply(flow.method) else None
        walker = ToClientWalker(policy, rules)
        plan = walker.collect(flow.payload)
        # A value a field rule names is known from now on, in this very message too (an account name in a
        # campaign name next to the account's own record).
        session.learn(plan.field_values)
        spans = flow.detector.detect([*plan.texts, *plan.keys], session.known, deadline, on_loop=flow.on_loop)
        if not plan.field_values and not spans:
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
