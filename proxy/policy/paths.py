"""Field paths of path rules (`rows[].keys[0]`) and the per-tool rules a walker descends alongside a
document: a trie, so an unrelated subtree costs nothing and a rule is found in one step."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d*|\*)\]")


def parse_path(path: str) -> tuple[str | int | None, ...]:
    """`rows[].keys[0]` → ("rows", None, "keys", 0); `[]`/`[*]` is any index. A leading `$.` is allowed."""
    text = path[2:] if path.startswith("$.") else path
    out: list[str | int | None] = []
    pos = 0
    while pos < len(text):
        if text[pos] == ".":
            pos += 1
            continue
        m = _SEGMENT.match(text, pos)
        if not m:
            raise ValueError(f"invalid path {path!r} at character {pos + 1}")
        if m.group(1) is not None:
            out.append(m.group(1))
        else:
            idx = m.group(2)
            out.append(None if idx in ("", "*") else int(idx))
        pos = m.end()
    if not out:
        raise ValueError(f"empty path {path!r}")
    return tuple(out)


class PathNode:
    """A trie over path rules: the walker descends it alongside the document, so an unrelated subtree
    costs nothing and a rule is found in one step."""

    __slots__ = ("any_index", "entity", "indexes", "names")

    def __init__(self) -> None:
        self.names: dict[str, PathNode] = {}
        self.indexes: dict[int, PathNode] = {}
        self.any_index: PathNode | None = None
        self.entity: str | None = None

    def child(self, segment: str | int) -> PathNode | None:
        if isinstance(segment, str):
            return self.names.get(segment)
        return self.indexes.get(segment) or self.any_index

    def add(self, pattern: tuple[str | int | None, ...], entity: str) -> None:
        node = self
        for seg in pattern:
            if seg is None:
                node.any_index = node.any_index or PathNode()
                node = node.any_index
            elif isinstance(seg, int):
                node = node.indexes.setdefault(seg, PathNode())
            else:
                node = node.names.setdefault(seg, PathNode())
        node.entity = node.entity or entity


@dataclass(frozen=True)
class ToolRules:
    keys: dict[str, str]
    paths: tuple[tuple[tuple[str | int | None, ...], str], ...]
    root: PathNode | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.paths and self.root is None:
            root = PathNode()
            for pattern, entity in self.paths:
                root.add(pattern, entity)
            object.__setattr__(self, "root", root)

    def path_entity(self, path: Sequence[str | int]) -> str | None:
        node = self.root
        for seg in path:
            if node is None:
                return None
            node = node.child(seg)
        return node.entity if node is not None else None
