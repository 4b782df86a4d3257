"""A generated case: the backend messages of one class's input, what they hide and what must survive."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from random import Random
from typing import Any

from tests.classes.planting import Planted


@dataclass
class Message:
    """One backend→client JSON-RPC message as the stage chain sees it: the payload (a response's result,
    an error's error object, a request's or notification's params) and what it is."""

    kind: str  # "response" | "error" | "notification" | "request"
    method: str
    payload: Any
    tool: str | None = None
    envelope: dict[str, Any] = field(default_factory=dict)  # id / method overrides for the wire (subprocess)


@dataclass
class Survivor:
    """A string that must reach the client unchanged; with `gone`, the one part that must change (an
    email inside a query string): then `text` minus that part must survive around it."""

    text: str
    gone: str | None = None
    label: str = ""  # value-free: what it is (decimal, micros-line, query-string, …)


@dataclass
class Case:
    cls: str
    messages: list[Message]
    planted: list[Planted] = field(default_factory=list)
    survivors: list[Survivor] = field(default_factory=list)
    label: str = ""  # value-free: where and how the values were hidden

    def describe(self) -> str:
        kinds = ",".join(sorted({p.kind for p in self.planted})) or "-"
        return f"{self.cls}[{kinds}] {self.label}"


def tool_result(text: str | None = None, structured: Any = None, **extra: Any) -> dict[str, Any]:
    result: dict[str, Any] = {
        "content": [{"type": "text", "text": text if text is not None else json.dumps(structured)}]
    }
    if structured is not None:
        result["structuredContent"] = structured
    result.update(extra)
    return result


def call(payload: dict[str, Any], tool: str = "lookup") -> Message:
    return Message("response", "tools/call", payload, tool)


FILLER_KEYS = ("id", "clicks", "note", "summary", "updatedAt", "owner_team", "label", "row", "detail", "info")


def filler_record(rng: Random) -> dict[str, Any]:
    return {
        "id": rng.randrange(10**6),
        "clicks": rng.randrange(10**5),
        "state": "ENABLED",
        "updatedAt": f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
    }


def nest(rng: Random, value: Any, depth: int) -> Any:
    """`value` `depth` levels down, through objects and lists with ordinary keys."""
    for _ in range(depth):
        if rng.random() < 0.3:
            value = [filler_record(rng), value] if rng.random() < 0.5 else [value]
        else:
            holder = filler_record(rng)
            holder[rng.choice(FILLER_KEYS[2:])] = value
            value = holder
    return value
