"""Encodings nested deeper than the detector peels (red team round nine, class 1): a value under more
layers than are read is refused, never forwarded unread; within the layers read it is tokenized.

Each case wraps a planted value in 1 to 9 layers, each layer's encoding drawn anew (base64, base64url,
percent, HTML entities), and places the text in a tool result, `structuredContent`, a log notification
or an error. Before: 30/33 of the red team's deeper cases reached the client; the layers read are three of
base64 and five rounds of local encodings (`proxy/detect/detector.py` `MAX_DEPTH`, `decoders.MAX_ROUNDS`).
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from random import Random
from typing import Any

from tests.classes.case import Case, Message, call, tool_result
from tests.classes.harness import ChainHarness
from tests.classes.planting import email, phone, ssn

N = 150
FAMILIES = ("base64", "base64url", "percent", "entities")


def _layer(family: str, text: str) -> str:
    if family == "base64":
        return base64.b64encode(text.encode()).decode()
    if family == "base64url":
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
    if family == "percent":
        return urllib.parse.quote(text, safe="")
    return "".join(f"&#{ord(c)};" if not c.isalnum() else c for c in text).replace("&", "&amp;", 1)


def _message(rng: Random, text: str) -> Message:
    where = rng.choice(("text", "structured", "log", "error"))
    if where == "text":
        return call(tool_result(text=f"payload: {text} (end)"))
    if where == "structured":
        return call(tool_result(structured={"item": {"blob": text}}))
    if where == "log":
        return Message("notification", "notifications/message", {"level": "info", "data": f"got {text}"})
    return Message("error", "tools/call", {"code": -32000, "message": f"upstream failed: {text}"})


def _case(rng: Random) -> tuple[Case, str, list[str]]:
    kind = rng.choice(("email", "phone", "ssn"))  # in the forms promised in plain text
    planted = email(rng) if kind == "email" else (phone if kind == "phone" else ssn)(rng, True)
    families = [rng.choice(FAMILIES) for _ in range(rng.randrange(1, 10))]
    text = planted.text
    for family in families:
        text = _layer(family, text)
    return Case("deep-layers", [_message(rng, text)], [planted], label="/".join(families)), text, families


def _within_reach(families: list[str]) -> bool:
    """Layers every reader peels: at most three of base64 and three in all (a mixed chain is read layer by
    layer: local rounds between base64 layers count against neither limit alone)."""
    return len(families) <= 3


def test_a_value_under_more_layers_than_are_read_is_refused_and_within_them_tokenized(
    fresh: ChainHarness,
) -> None:
    rng = Random(20261209)
    readable: list[str] = []
    refused_near: list[str] = []
    for _ in range(N):
        case, encoded, families = _case(rng)
        out: Any = ChainHarness(fresh.engine).deliver(case)[0]
        if out is None:
            if _within_reach(families):
                refused_near.append(case.label)
            continue
        if encoded in json.dumps(out, ensure_ascii=False) or case.planted[0].text in json.dumps(out):
            readable.append(case.label)
    assert readable == []
    assert refused_near == []
