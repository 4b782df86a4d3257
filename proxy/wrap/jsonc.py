"""A JSON-with-comments reader that remembers where every value is, for in-place edits.

VS Code's `mcp.json` is JSONC (`//` and `/* */` comments, trailing commas); the other clients write plain
JSON, which is a subset. No maintained Python library round-trips JSONC with its comments, so the edits
are textual: a server's object is re-emitted member by member, keeping each member's own text (and the
comments before it) unless that member changes, and everything outside the object byte for byte.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any


class JsoncError(ValueError):
    pass


@dataclass
class Node:
    start: int
    end: int
    value: Any = None  # the plain Python value (objects as dicts, arrays as lists)
    members: list[Member] = field(default_factory=list)  # objects only
    close: int = 0  # objects: the offset of the closing brace


@dataclass
class Member:
    key: str
    lead: int  # where the text before the key starts (after `{` or the previous comma)
    key_start: int
    value: Node
    comma: int | None  # the offset of the comma after the value, if any


_WS = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.DOTALL)
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"')
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


def parse(text: str) -> Node:
    parser = _Parser(text)
    node = parser.value()
    parser.skip()
    if parser.pos != len(text):
        raise JsoncError(f"unexpected text at offset {parser.pos}")
    return node


class _Parser:
    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def skip(self) -> None:
        m = _WS.match(self.text, self.pos)
        self.pos = m.end() if m else self.pos
        if self.text.startswith("/*", self.pos):
            raise JsoncError(f"unterminated comment at offset {self.pos}")

    def value(self) -> Node:
        self.skip()
        start, ch = self.pos, self.text[self.pos : self.pos + 1]
        if ch == "{":
            return self.object()
        if ch == "[":
            self.pos += 1
            items: list[Node] = []
            while True:
                self.skip()
                if self.text.startswith("]", self.pos):
                    self.pos += 1
                    return Node(start, self.pos, [i.value for i in items])
                items.append(self.value())
                self.skip()
                if self.text.startswith(",", self.pos):
                    self.pos += 1
                elif not self.text.startswith("]", self.pos):
                    raise JsoncError(f"expected , or ] at offset {self.pos}")
        m = _STRING.match(self.text, self.pos) or _SCALAR.match(self.text, self.pos)
        if not m:
            raise JsoncError(f"unexpected character at offset {self.pos}")
        self.pos = m.end()
        return Node(start, self.pos, json.loads(m.group()))

    def object(self) -> Node:
        node = Node(self.pos, 0, {})
        self.pos += 1
        while True:
            lead = self.pos
            self.skip()
            if self.text.startswith("}", self.pos):
                node.close, self.pos = self.pos, self.pos + 1
                node.end = self.pos
                return node
            key = _STRING.match(self.text, self.pos)
            if not key:
                raise JsoncError(f"expected a key at offset {self.pos}")
            self.pos = key.end()
            self.skip()
            if not self.text.startswith(":", self.pos):
                raise JsoncError(f"expected : at offset {self.pos}")
            self.pos += 1
            value = self.value()
            self.skip()
            comma = None
            if self.text.startswith(",", self.pos):
                comma, self.pos = self.pos, self.pos + 1
            elif not self.text.startswith("}", self.pos):
                raise JsoncError(f"expected , or }} at offset {self.pos}")
            name = json.loads(key.group())
            node.members.append(Member(name, lead, key.start(), value, comma))
            node.value[name] = value.value


def member(node: Node, key: str) -> Member | None:
    return next((m for m in node.members if m.key == key), None)


_MISSING = object()


def rewrite_object(text: str, node: Node, changes: dict[str, Any]) -> str:
    """The object's new text: `changes` maps a key to its new value (`None` to remove it); members not
    named keep their text, comments included; new keys go last, indented like the others."""
    indent = _indent(text, node)
    nl = "\r\n" if "\r\n" in text else "\n"  # a CRLF file stays CRLF
    parts: list[tuple[str, str, str]] = []  # lead (text before the key), "key": value, text before the comma
    for m in node.members:
        if m.key in changes and changes[m.key] is None:
            continue
        after = text[m.value.end : m.comma] if m.comma is not None else ""
        value = text[m.value.start : m.value.end]
        if m.key in changes:
            value = _dump(changes[m.key], indent, nl)
        parts.append((text[m.lead : m.key_start], text[m.key_start : m.value.start] + value, after))
    for key, new in changes.items():
        if new is not None and all(m.key != key for m in node.members):
            parts.append((nl + indent, f"{json.dumps(key)}: {_dump(new, indent, nl)}", ""))
    last = node.members[-1] if node.members else None
    tail_from = node.start + 1
    if last is not None:
        tail_from = last.comma + 1 if last.comma is not None else last.value.end
    tail = text[tail_from : node.close]
    if not node.members and parts:
        tail = nl + indent[: max(0, len(indent) - 2)]
    body = ",".join(lead + kv + after for lead, kv, after in parts)
    trailing = "," if last is not None and last.comma is not None and parts else ""
    return "{" + body + trailing + tail + "}"


def _indent(text: str, node: Node) -> str:
    if node.members:
        line_start = text.rfind("\n", 0, node.members[0].key_start) + 1
        prefix = text[line_start : node.members[0].key_start]
        if not prefix.strip():
            return prefix
    line_start = text.rfind("\n", 0, node.start) + 1
    return re.match(r"[ \t]*", text[line_start:]).group() + "  "  # type: ignore[union-attr]


def _dump(value: Any, indent: str, nl: str) -> str:
    """JSON for a member's value: a list of strings on one line, anything else indented like its member."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict) and not value:
        return "{}"
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", nl + indent)
