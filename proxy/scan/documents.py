"""The walker's documents inside documents, and the values a key or a schema names.

- JSON carried in a string (`_embedded`): parsed, walked as a document of its own, forwarded re-serialized
  whenever that differs from its text (`proxy.scan.parse`); a text block that repeats structuredContent is a
  mirror (byte-identical to our serialization, or rewritten to it).
- A resource's `blob` (`_blob`): sniffed by `proxy.scan.blobs`, its texts walked as a document.
- Schema value positions of descriptive results and of an elicitation's form (`_schema_value`), and the
  generic children of an object under a key with digit context (`_context_children`, `customer.id`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from proxy.errors import blocked
from proxy.policy import normalize_key
from proxy.policy.keys import key_rule_entity
from proxy.scan import split_values
from proxy.scan.blobs import open_blob
from proxy.scan.key_info import JSON_STARTS, big
from proxy.scan.parse import looks_like_json, parse_json, serialization_of, structured_json
from proxy.scan.pieces import pieces_entity
from proxy.scan.plan import Doc, Location, ScanPlan
from proxy.scan.shapes import GENERIC_KEYS, context_entity, decimal_text, number_text

_CONTEXT_TYPES = frozenset({str, int, float})  # what a key's context can name (bool is no number here)


class Documents:
    """Mixed into `ToClientWalker` (which holds the walk these methods call back into)."""

    _plan: ScanPlan
    _keys: dict[str, str]
    _schemas: dict[int, str]
    _descriptive: bool
    _key_memo: dict[str, Any]
    _value_memo: dict[str, Any]
    _structured_json: bytes | None
    _structured_indent: bool
    max_bytes: int
    opaque_blobs: str
    root_trie: Any

    if TYPE_CHECKING:

        def _walk(
            self, node: Any, doc: int, trie: Any, depth: int, list_entity: str | None, list_skip: bool
        ) -> None: ...

        def _locate(self, text: str, location: Location) -> None: ...

        def _field(self, container: Any, key: Any, v: Any, doc: int, entity: str) -> int: ...

        def _grow(self, size: int) -> None: ...

    def _walk_as_values(self, node: Any, doc: int, depth: int) -> None:
        """A JSON document carried in a descriptive result's string (a tool's description, a cursor) holds
        values, not schemas: walked with every key rule, on a key memo of its own."""
        memo, self._key_memo = self._key_memo, self._value_memo
        self._descriptive = False
        try:
            self._walk(node, doc, None, depth, None, False)
        finally:
            self._descriptive = True
            self._value_memo, self._key_memo = self._key_memo, memo

    def _context_children(self, node: dict[str, Any], key: str, doc: int) -> bool:
        """`{"customer": {"id": 1234567890}}`: a generic child key takes its parent's context, and so does
        the one child of a wrapper, whatever its key (DynamoDB's `{"ssn": {"S": "…"}}`, Firestore's
        `{"stringValue": …}`, `{"raw": …}`); children that are the parts of one value the key names take its
        token (`split_values`)."""
        if split_values.children(self._plan, node, key, doc):
            return True
        wrapper = len(node) == 1
        for ck, cv in node.items():
            if (wrapper or normalize_key(ck) in GENERIC_KEYS) and type(cv) in _CONTEXT_TYPES:
                found = context_entity(key, cv if type(cv) is str else decimal_text(cv))
                if found is not None:
                    self._field(node, ck, cv, doc, found)
        return False

    def _context_items(self, items: list[Any], key: str, doc: int) -> bool:
        """`{"phones": [4155550123, "415-555-0199"]}`: a list's bare values take its key's context, and so do
        the generic keys of its objects (`{"phones": [{"number": 4155550123}]}`); a list of short digit
        runs may be one value in pieces (`pieces`)."""
        whole = pieces_entity(key, items)
        if whole is not None:
            self._plan.field_values[whole] = None
            self._plan.field_locations.extend(((items, i, doc), whole) for i in range(len(items)))
            return True
        if split_values.children(self._plan, items, key, doc):
            return True  # `{"iban": ["DE", "89", "370400440532013000"]}`
        for i, item in enumerate(items):
            if type(item) is dict:
                self._context_children(item, key, doc)
            elif type(item) in _CONTEXT_TYPES:
                found = context_entity(key, item if type(item) is str else decimal_text(item))
                if found is not None:
                    self._field(items, i, item, doc, found)
        return False

    def _schema_value(self, container: Any, key: Any, v: Any, doc: int, depth: int, prop: str) -> None:
        """`default`/`const`/`enum`/`examples` of a property's schema: the property's key rule (or its
        digit context) names these values, as it would in a result. Everything else in them is detected
        as usual, but a person name only on evidence beyond its shape (`ScanPlan.quiet_values`)."""
        entity = key_rule_entity(prop, self._keys)
        values = list(enumerate(v)) if type(v) is list else [(key, v)]
        holder = v if type(v) is list else container
        for where, item in values:
            t = type(item)
            if t not in _CONTEXT_TYPES:
                if t is dict or t is list:
                    self._walk(item, doc, None, depth + 2, None, False)
                continue
            text = item if t is str else decimal_text(item)
            found = entity or context_entity(prop, text)
            if found is not None:
                self._field(holder, where, item, doc, found)
            elif t is str:
                self._grow(len(text))
                if text[:1] not in JSON_STARTS or not self._embedded(holder, where, text, doc, depth):
                    self._plan.quiet_values.append(((holder, where, doc), text, "PERSON"))
            elif big(item) and number_text(item) is not None:
                self._locate(text, (holder, where, doc))

    def _blob(self, node: dict[str, Any], blob: str, doc: int, depth: int) -> None:
        """A resource's `blob`, sniffed whatever its `mimeType` says (`proxy.scan.blobs`): its texts are a
        document of their own, written back the way they came if patched; media passes (or is blocked);
        a blob that is not base64 is a text."""
        opened = open_blob(blob, node.get("mimeType"), self.max_bytes)
        if opened is None or opened.weak:
            self._locate(blob, (node, "blob", doc))
            if opened is None:
                return
        if opened.opaque and self.opaque_blobs == "block":
            raise blocked("it carries media, which the policy blocks")
        if not opened.texts:
            return
        holder = list(opened.texts)
        idx = len(self._plan.docs)
        self._plan.docs.append(
            Doc(blob, holder, [(node, "blob", doc)], encode=opened.write, guard=opened.weak)
        )
        self._walk(holder, idx, None, depth + 1, None, False)

    def _embedded(self, container: Any, key: Any, text: str, doc: int, depth: int) -> bool:
        """If `text` holds a JSON object or array, scan it as a document of its own and say so."""
        if not looks_like_json(text):
            return False
        plan = self._plan
        idx = plan.embedded.get(text)
        if idx is None:
            if plan.structured is not None and self._is_structured_text(text):
                plan.mirrors.append((container, key, doc, text, True))
                return True
            parsed = parse_json(text)
            if parsed is None:
                return False  # orjson rejects it: scanned as plain text, as the raw characters
            if plan.structured is not None and parsed == plan.docs[plan.structured].value:
                # Parses equal to structuredContent: forwarded as our serialization of it, never as is.
                plan.mirrors.append((container, key, doc, text, False))
                return True
            idx = len(plan.docs)
            plan.embedded[text] = idx
            plan.docs.append(Doc(text, parsed, dirty=serialization_of(text, parsed) != text))
            if self._descriptive or self._key_memo is self._value_memo:
                plan.value_docs.add(idx)  # its keys are judged on the value memo (`_walk_as_values`)
            if self._descriptive:
                self._walk_as_values(parsed, idx, depth + 1)  # a value inside a description
            else:
                self._walk(parsed, idx, self.root_trie, depth + 1, None, False)
        plan.docs[idx].locations.append((container, key, doc))
        return True

    def _is_structured_text(self, text: str) -> bool:
        """Whether `text` is exactly what we would write for structuredContent (compact, or indented when
        the text is): then it is a mirror, known without parsing it (half the floor on 5 MB)."""
        indented = "\n" in text.strip()
        if self._structured_json is None or self._structured_indent != indented:
            value = self._plan.docs[self._plan.structured or 0].value
            self._structured_json, self._structured_indent = structured_json(value, indented), indented
        return _same_text(text, self._structured_json)


def _same_text(text: str, dumped: bytes) -> bool:
    """Whether `text` is exactly these UTF-8 bytes; ASCII text is compared a megabyte at a time, so no
    second full-size copy is held."""
    if len(text) > len(dumped):
        return False
    if not text.isascii():
        return text.encode() == dumped
    if len(text) != len(dumped):
        return False
    step = 1 << 20
    return all(text[i : i + step].encode() == dumped[i : i + step] for i in range(0, len(text), step))


def mark_schemas(node: Any, marks: dict[int, str], depth: int, max_depth: int) -> None:
    """In a descriptive result, every property schema (`properties: {email: {...}}`), by id."""
    if depth > max_depth:
        return
    if type(node) is dict:
        props = node.get("properties")
        if type(props) is dict:
            for name, schema in props.items():
                if type(schema) is dict:
                    marks[id(schema)] = name
        for v in node.values():
            mark_schemas(v, marks, depth + 1, max_depth)
    elif type(node) is list:
        for v in node:
            mark_schemas(v, marks, depth + 1, max_depth)
