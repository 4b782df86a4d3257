"""What one walk of a to-client payload found, and how tokens are written back into it.

The payload is the message's own freshly parsed tree (nobody else holds it), so patching is in place and
costs nothing where nothing changes. Order matters: detected spans first, then field values (a value a
field, context or name rule names is tokenized whole, even where a detector found only part of it), then
renamed keys, then the documents carried inside strings (JSON texts, blobs), innermost first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import Any, cast

import orjson

from proxy.errors import DetectionFailed
from proxy.scan.key_info import PLAIN
from vault.tokens import TOKEN_RE

# A place a scanned string sits: (container, key or index, document it belongs to). Document 0 is the
# payload; each embedded JSON text and each blob is a document of its own.
Location = tuple[Any, Any, int]
# A number shorter than this is no identifier anyone could know (a metric's `250`, `0.27`): not located.
QUIET_MIN_CHARS = 6


@dataclass
class Doc:
    text: str  # the text it was read from: a JSON text, a blob ("" for the payload and structuredContent)
    value: Any
    locations: list[Location] = field(default_factory=list)  # where its text sits
    # Written back even if nothing in it is patched: its re-serialization differs from its text (what the
    # client receives must be what the detectors judged, never a text another parser reads another way).
    dirty: bool = False
    encode: Callable[[Any], str] | None = None  # how a blob document is written back
    guard: bool = False  # a blob also scanned as a text: both patched cannot be reconciled (fail closed)


@dataclass
class ScanPlan:
    """What a to-client payload holds, and where, for the detector, the vault and the patcher."""

    field_values: dict[tuple[str, str], None] = field(default_factory=dict)  # (entity, value), ordered set
    field_locations: list[tuple[Location, tuple[str, str]]] = field(default_factory=list)
    texts: dict[str, None] = field(default_factory=dict)  # unique strings to scan, in order of appearance
    token_fields: list[str] = field(default_factory=list)  # token-shaped values a field rule left as they are
    # Where they sit. Most leaves are in plain containers (no rule applies to any string in them): those are
    # recorded once per container and searched again only if something is patched, which spares a
    # location per leaf (a third of the walk on a large report). Other leaves are recorded one by one.
    plain: list[tuple[Any, int]] = field(default_factory=list)  # (container, document)
    locations: dict[str, list[Location]] = field(default_factory=dict)
    # Columns of a list of records walked column by column: (rows, key, whether its values are lists of
    # strings rather than strings, document). Patched column by column, like the plain containers.
    columns: list[tuple[list[Any], str, bool, int]] = field(default_factory=list)
    # Values a label written in a text names (`proxy.scan.labels`): text -> (start, end, entity).
    labelled: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    # A part of a value split across a text's record (`proxy.scan.split_values`): (text, start, end) -> the
    # joined (entity, value) whose token it takes; the part alone is no value to learn.
    part_values: dict[tuple[str, int, int], tuple[str, str]] = field(default_factory=dict)
    # Lists whose items are the runs of one text (`proxy.scan.rich_runs`): (their joined view, each run's
    # string and offset in it). The view is a text to scan; a value it holds is written onto the runs.
    runs: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)
    keys: dict[str, None] = field(default_factory=dict)  # unique object keys (renamed by a rare second walk)
    docs: list[Doc] = field(default_factory=list)
    embedded: dict[str, int] = field(default_factory=dict)  # JSON text -> index in docs
    structured: int | None = None  # index in docs of the result's structuredContent
    # Text blocks repeating structuredContent: (container, key, document, text, byte-identical to ours).
    mirrors: list[tuple[Any, Any, int, str, bool]] = field(default_factory=list)
    # Numbers at positions the protocol types (`proxy.scan.protocol`): (container, key, text scanned).
    protocol: list[tuple[Any, Any, str]] = field(default_factory=list)
    # Documents walked with the value key memo (JSON texts inside a descriptive result's strings).
    value_docs: set[int] = field(default_factory=set)
    # Strings whose shape alone is no evidence where they sit, each with where it sits and the entity its
    # shape may not name there (None: none at all). A schema's value positions (a form's `default`, a tool
    # parameter's `examples`) hold placeholders the server's author wrote, not values read from an account:
    # a person name there is no evidence ("PERSON"). A time key's epoch (`"expires_at": 1767225600`) and a
    # metric key's number (`"cost_micros": 2500000000`) read like identifiers by their digits alone (None:
    # matched against known values only). Such a string is tokenized only on evidence beyond its shape:
    # known to the session, found elsewhere in the message, or named by a key rule.
    quiet_values: list[tuple[Location, str, str | None]] = field(default_factory=list)
    size: int = 0

    def rewrites(self) -> bool:
        """Whether some text must be written back even if nothing in it is patched: a JSON text whose
        re-serialization differs, or a text that parses equal to structuredContent without being ours."""
        return any(d.dirty for d in self.docs) or any(not exact for *_, exact in self.mirrors)


def dump_like(original: str, doc: Any) -> str:
    """Re-serialize an embedded JSON document, indented if the original was."""
    option = orjson.OPT_INDENT_2 if "\n" in original.strip() else 0
    return orjson.dumps(doc, option=option).decode("utf-8")


class Patcher:
    """`apply`: the second half of the walker (kept apart: the walk is long enough on its own)."""

    max_depth: int
    _key_memo: dict[str, tuple[Any, ...]]
    _value_memo: dict[str, tuple[Any, ...]]

    def apply(self, plan: ScanPlan, field_tokens: dict[tuple[str, str], str], texts: dict[str, str]) -> bool:
        """Write tokens where they belong. Returns whether anything changed."""
        docs = plan.docs
        changed = any(d.dirty for d in docs)
        renamed: dict[str, str] = {}
        patched: dict[str, str] = {}
        for text, new in texts.items():
            if new == text:
                continue
            if text in plan.texts:
                patched[text] = new
            for container, key, doc in plan.locations.get(text, ()):
                container[key] = new
                docs[doc].dirty = changed = True
            if text in plan.keys:
                renamed[text] = new
        if patched and self._patch_plain(plan, patched):
            changed = True
        for (container, key, doc), fv in plan.field_locations:
            container[key] = field_tokens[fv]
            docs[doc].dirty = changed = True
        if renamed:
            # Innermost first: structuredContent is also a subtree of the payload, and renaming it through
            # the payload first would leave it looking unchanged (its text mirrors then kept the old keys).
            for d in reversed(docs):
                if _rename_keys(d.value, renamed, 0, self.max_depth):
                    d.dirty = changed = True

        # A location recorded under a key that has just been renamed (a value under a key that is itself
        # personal data) now sits under the new key: writing to the old one would put the old key back.
        def at(container: Any, key: Any) -> Any:
            return renamed.get(key, key) if renamed and type(container) is dict else key

        def mirror() -> None:
            """The text blocks repeating structuredContent, written once it is whole: after the documents
            inside it (a blob, a JSON text) are written back into it, before the documents around them."""
            at_index = cast(int, plan.structured)  # called only at its index
            structured = docs[at_index]
            for container, key, doc, text, exact in plan.mirrors:
                if structured.dirty or not exact:
                    if doc > at_index:  # inside a document already written back
                        raise DetectionFailed(
                            "mcp-veil blocked this message: structuredContent repeated inside a document"
                        )
                    container[at(container, key)] = dump_like(text, structured.value)
                    docs[doc].dirty = True

        # Inner documents were discovered after their parents: re-serialize from the innermost out.
        for idx in range(len(docs) - 1, 0, -1):
            if idx == plan.structured:
                mirror()
            d = docs[idx]
            if d.dirty and d.text:
                dumped = d.encode(d.value) if d.encode else dump_like(d.text, d.value)
                for container, key, parent in d.locations:
                    k = at(container, key)
                    if d.guard and container[k] != d.text and not _superseded(container[k]):
                        raise DetectionFailed(
                            "mcp-veil blocked this message: a blob read two ways holds personal data in both"
                        )
                    container[k] = dumped
                    docs[parent].dirty = True
        return changed or any(d.dirty for d in docs)

    def _patch_plain(self, plan: ScanPlan, patched: dict[str, str]) -> bool:
        """Replace the patched strings found in plain containers: in a list every string is a scanned
        leaf; in an object, the string under a plain key (the values of other keys were located one by
        one: a field-rule value, a skipped key, a blob)."""
        docs = plan.docs
        value_docs = plan.value_docs
        none_patched = patched.keys().isdisjoint
        changed = False
        for container, doc in plan.plain:
            try:  # most containers hold none of them: one C-level test (TypeError: a nested container)
                if none_patched(container.values() if type(container) is dict else container):
                    continue
            except TypeError:
                pass
            hit = False
            if type(container) is dict:
                memo = self._value_memo if doc in value_docs else self._key_memo
                for k, v in container.items():
                    if type(v) is str and v in patched and memo[k][PLAIN]:
                        container[k] = patched[v]
                        hit = True
            else:
                for i, v in enumerate(container):
                    if type(v) is str and v in patched:
                        container[i] = patched[v]
                        hit = True
            if hit:
                docs[doc].dirty = changed = True
        for rows, key, lists, doc in plan.columns:
            column = list(map(dict.get, rows, repeat(key)))
            if lists:
                holders = [v for v in column if type(v) is list]
                if none_patched(chain.from_iterable(holders)):
                    continue
                hit = False
                for holder in holders:
                    if none_patched(holder):
                        continue
                    for i, v in enumerate(holder):
                        if type(v) is str and v in patched:
                            holder[i] = patched[v]
                            hit = True
            elif none_patched(column):
                continue
            else:
                hit = False
                for row, v in zip(rows, column, strict=True):
                    if type(v) is str and v in patched:
                        row[key] = patched[v]
                        hit = True
            if hit:
                docs[doc].dirty = changed = True
        return changed


def _rename_keys(node: Any, renamed: dict[str, str], depth: int, max_depth: int) -> bool:
    """Rename object keys in place (order kept), in one document; embedded documents are separate."""
    changed = False
    if depth > max_depth:
        return False
    if isinstance(node, dict):
        if any(k in renamed for k in node):
            items = list(node.items())
            node.clear()
            for k, v in items:
                node[renamed.get(k, k)] = v
            changed = True
        for v in node.values():
            changed = _rename_keys(v, renamed, depth + 1, max_depth) or changed
    elif isinstance(node, list):
        for v in node:
            changed = _rename_keys(v, renamed, depth + 1, max_depth) or changed
    return changed


def _superseded(plain: str) -> bool:
    """A weak blob's plain reading that replaced the whole blob with one token found its value by decoding
    the base64 too (the printable runs of its bytes): the document's own reading of the same bytes, in an
    ASCII-safe charset, holds every such run, and was patched (a charset in which ASCII is not ASCII is
    read with its runs as a second text, which refuses to be patched). Its re-encoding is the better
    answer: a blob still, with the token inside."""
    return TOKEN_RE.fullmatch(plain) is not None
