"""Which parts of which message are scanned, and how a scanned tree is rebuilt.

Toward the client every string leaf and object key of a message's payload is scanned (the params of a
request or notification, the result of a response, the message and data of an error), JSON carried inside
a text string included: it is parsed, scanned per leaf and re-serialized only if something in it changed.
Policy field rules (by key name anywhere, by path inside a tool's structured result) pick values that are
personal data whatever they look like. Rebuilding is copy-on-write: an unchanged subtree is the same object,
so a message without personal data leaves the proxy exactly as it came.

Toward the backend every string leaf and key is searched for tokens.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import Any
from urllib.parse import quote

import orjson

from proxy.errors import LimitExceeded
from proxy.policy import Policy, ToolRules, normalize_key
from vault.tokens import ENTITY_RE, TOKEN_LIKE_RE, TOKEN_MARK

# Methods whose results describe the server (tool schemas, prompt and template lists): key-name rules do not
# apply there (`email` is a parameter name in a schema, not a value), detection still does.
_DESCRIPTIVE_METHODS = frozenset(
    {"initialize", "server/discover", "tools/list", "prompts/list", "resources/templates/list"}
)
_STRUCTURED_ROOTS = frozenset({"structuredContent"})


def key_rules_apply(method: str | None) -> bool:
    return method not in _DESCRIPTIVE_METHODS


_JSON_STARTS = frozenset("{[ \t\r\n")
_PLAIN_SCALARS = frozenset({int, float, bool, type(None)})
_DICT, _LIST, _STR = frozenset({dict}), frozenset({list}), frozenset({str})
_ROWS = 32  # a list of at least this many objects is tried column by column (`_plain_rows`)


def _looks_like_json(text: str) -> bool:
    s = text.lstrip()
    return len(s) >= 2 and (s[0] == "{" or s[0] == "[")


# A place a scanned string sits: (container, key or index, document it belongs to). Document 0 is the
# payload; each embedded JSON text is a document of its own, re-serialized only if patched.
Location = tuple[Any, Any, int]


@dataclass
class _Doc:
    text: str  # the JSON text it was parsed from ("" for the payload itself)
    value: Any
    locations: list[Location] = field(default_factory=list)  # where its text sits
    dirty: bool = False
    encode: Callable[[Any], str] | None = None  # how a patched blob document is written back


@dataclass
class ScanPlan:
    """What a to-client payload holds, and where, for the detector, the vault and the patcher."""

    field_values: dict[tuple[str, str], None] = field(default_factory=dict)  # (entity, value), ordered set
    field_locations: list[tuple[Location, tuple[str, str]]] = field(default_factory=list)
    texts: dict[str, None] = field(default_factory=dict)  # unique strings to scan, in order of appearance
    # Where they sit. Most leaves are in plain containers (no rule applies to any string in them): those are
    # recorded once per container and searched again only if something is patched, which spares a
    # location per leaf (a third of the walk on a large report). Other leaves are recorded one by one.
    plain: list[tuple[Any, int]] = field(default_factory=list)  # (container, document)
    locations: dict[str, list[Location]] = field(default_factory=dict)
    # Columns of a list of records walked column by column: (rows, key, whether its values are lists of
    # strings rather than strings, document). Patched column by column, like the plain containers.
    columns: list[tuple[list[Any], str, bool, int]] = field(default_factory=list)
    keys: dict[str, None] = field(default_factory=dict)  # unique object keys (renamed by a rare second walk)
    docs: list[_Doc] = field(default_factory=list)
    embedded: dict[str, int] = field(default_factory=dict)  # JSON text -> index in docs
    structured: int | None = None  # index in docs of the result's structuredContent
    mirrors: list[tuple[Any, Any, int, str]] = field(default_factory=list)  # texts equal to structured
    size: int = 0


class ToClientWalker:
    """One walk collects every scannable string and where it sits; patches are then applied in place.

    The payload is the message's own freshly parsed tree (nobody else holds it), so patching in place is
    safe and costs nothing where nothing changes: a message without personal data is forwarded as it came.
    """

    def __init__(self, policy: Policy, rules: ToolRules | None) -> None:
        self.max_depth = policy.max_depth
        self.max_bytes = policy.max_message_bytes
        self.allow = policy.allow_list
        self.root_trie = rules.root if rules is not None else None
        keys = rules.keys if rules is not None else {}
        skip = policy.skip_keys
        self._key_memo: dict[str, tuple[str | None, bool, bool]] = {}
        self._keys = keys
        self._skip = skip
        self._structured_json: bytes | None = None

    def _key_info(self, key: str) -> tuple[str | None, bool, bool]:
        """(entity of a key rule, whether the key's values are skipped, whether neither applies so its
        values are plain), memoized per key name; a key seen for the first time is also recorded as a
        string to scan."""
        info = self._key_memo.get(key)
        if info is None:
            nk = normalize_key(key)
            entity, skip = self._keys.get(nk), nk in self._skip
            info = (entity, skip, entity is None and not skip and key != "blob")
            self._key_memo[key] = info
            self._plan.keys[key] = None
        return info

    # ------------------------------------------------------------------ pass 1
    def collect(self, payload: Any) -> ScanPlan:
        plan = ScanPlan()
        plan.docs.append(_Doc("", payload))
        self._plan = plan
        self._key_memo = {}
        self._size = 0
        structured = payload.get("structuredContent") if isinstance(payload, dict) else None
        if isinstance(structured, dict | list):
            # Its own document, so a text block that merely repeats it (the usual MCP pattern) is
            # recognised by equality and re-serialized from it instead of being scanned twice.
            plan.structured = len(plan.docs)
            plan.docs.append(_Doc("", structured, [(payload, "structuredContent", 0)]))
            self._walk(structured, plan.structured, self.root_trie, 1, None, False)
        self._walk(payload, 0, None, 0, None, False)
        self._structured_json = None
        plan.size = self._size
        return plan

    def _walk(
        self, node: Any, doc: int, trie: Any, depth: int, list_entity: str | None, list_skip: bool
    ) -> None:
        """Walk a container. `trie` is the path-rule node here (None: no path rule below); a list carries
        the key rule of the key it sits under (`emails: [...]`).

        Most of a large payload is plain, no path rule below: such containers go to `_plain_dict` and
        `_plain_list`, which decide most values by type alone; here is the path-rule case."""
        if depth > self.max_depth:
            raise LimitExceeded(
                f"mcp-veil blocked this message: nesting deeper than the limit of {self.max_depth}"
            )
        plan = self._plan
        size = 0
        if type(node) is dict:
            if trie is None:
                self._plain_dict(node, doc, depth)
                return
            memo = self._key_memo
            top = doc == 0 and depth == 0 and plan.structured is not None
            for k, v in node.items():
                info = memo.get(k)
                if info is None:
                    info = self._key_info(k)
                t = type(v)
                entity, skip, _ = info
                sub = None
                if trie is not None:
                    sub = trie.names.get(k)
                    if sub is not None and sub.entity is not None:
                        entity = sub.entity
                if k == "blob" and t is str:
                    size += len(v)
                    self._blob(node, v, doc, depth)
                elif t is str and entity is None and not skip and sub is None:
                    size += len(v)
                    if v[:1] not in _JSON_STARTS or not self._embedded(node, k, v, doc, depth):
                        self._locate(v, (node, k, doc))
                elif top and k == "structuredContent":
                    continue  # walked as its own document
                elif entity is None and t in _PLAIN_SCALARS:
                    continue
                else:
                    size += self._other(node, k, v, doc, sub, depth, entity, skip)
        elif type(node) is list:
            if trie is None and list_entity is None and not list_skip:
                self._plain_list(node, doc, depth)
                return
            for i, v in enumerate(node):
                sub = trie.child(i) if trie is not None else None
                entity = sub.entity if sub is not None and sub.entity is not None else list_entity
                if type(v) is str and entity is None and not list_skip and sub is None:
                    size += len(v)
                    if v[:1] not in _JSON_STARTS or not self._embedded(node, i, v, doc, depth):
                        self._locate(v, (node, i, doc))
                elif entity is None and type(v) in _PLAIN_SCALARS:
                    continue
                else:
                    size += self._other(node, i, v, doc, sub, depth, entity, list_skip)
        self._size += size
        if self._size > self.max_bytes:
            raise LimitExceeded(
                f"mcp-veil blocked this message: larger than the limit of {self.max_bytes} bytes"
            )

    def _plain_dict(self, node: dict[str, Any], doc: int, depth: int) -> None:
        """`_walk` of an object with no path rule below (the usual case): a key no rule names has its value
        decided by type alone; a key rule, a skipped key or a blob takes the general branch."""
        if depth > self.max_depth:
            raise LimitExceeded(
                f"mcp-veil blocked this message: nesting deeper than the limit of {self.max_depth}"
            )
        plan = self._plan
        texts = plan.texts
        memo = self._key_memo
        size = 0
        plain = False
        top = doc == 0 and depth == 0 and plan.structured is not None
        for k, v in node.items():
            info = memo.get(k)
            if info is None:
                info = self._key_info(k)
            t = type(v)
            if info[2]:
                if t is str:
                    size += len(v)
                    # A string seen before is a text again (whether a string is JSON never varies).
                    if v in texts or v[:1] not in _JSON_STARTS or not self._embedded(node, k, v, doc, depth):
                        texts[v] = None
                        plain = True
                elif t is list:
                    if not (top and k == "structuredContent"):  # walked as its own document
                        self._plain_list(v, doc, depth + 1)
                elif t is dict:
                    if not (top and k == "structuredContent"):
                        self._plain_dict(v, doc, depth + 1)
                elif t not in _PLAIN_SCALARS:  # a number, boolean or null no rule names: nothing to scan
                    size += self._other(node, k, v, doc, None, depth, None, False)
                continue
            entity, skip, _ = info
            if k == "blob" and t is str:
                size += len(v)
                self._blob(node, v, doc, depth)
            elif top and k == "structuredContent":
                continue  # walked as its own document
            elif entity is None and t in _PLAIN_SCALARS:
                continue
            else:
                size += self._other(node, k, v, doc, None, depth, entity, skip)
        if plain:
            plan.plain.append((node, doc))
        self._size += size
        if self._size > self.max_bytes:
            raise LimitExceeded(
                f"mcp-veil blocked this message: larger than the limit of {self.max_bytes} bytes"
            )

    def _plain_list(self, node: list[Any], doc: int, depth: int) -> None:
        """`_walk` of a list no rule applies to (the usual case, kept short: it runs once per row)."""
        if depth > self.max_depth:
            raise LimitExceeded(
                f"mcp-veil blocked this message: nesting deeper than the limit of {self.max_depth}"
            )
        if len(node) >= _ROWS and type(node[0]) is dict and self._plain_rows(node, doc, depth):
            return
        texts = self._plan.texts
        size = 0
        plain = False
        for i, v in enumerate(node):
            t = type(v)
            if t is str:
                size += len(v)
                if v in texts or v[:1] not in _JSON_STARTS or not self._embedded(node, i, v, doc, depth):
                    texts[v] = None
                    plain = True
            elif t is dict:
                self._plain_dict(v, doc, depth + 1)
            elif t is list:
                self._plain_list(v, doc, depth + 1)
            elif t not in _PLAIN_SCALARS:
                size += self._other(node, i, v, doc, None, depth, None, False)
        if plain:
            self._plan.plain.append((node, doc))
        self._size += size
        if self._size > self.max_bytes:
            raise LimitExceeded(
                f"mcp-veil blocked this message: larger than the limit of {self.max_bytes} bytes"
            )

    def _plain_rows(self, rows: list[Any], doc: int, depth: int) -> bool:
        """A list of records (a report's rows) walked column by column at C speed: a column of numbers is
        passed by one type test, a column of strings, or of lists of strings (`keys: [query, page]`), adds
        its distinct values to the texts and is recorded as one column to patch. Anything else (a key a
        rule names or skips, a nested object, a string that may hold JSON, nesting near the limit) returns
        False with nothing recorded: the list takes the row-by-row walk."""
        if depth + 2 > self.max_depth or set(map(type, rows)) != _DICT:
            return False
        memo = self._key_memo
        names = set().union(*rows)
        for name in names:
            info = memo.get(name)
            if info is None:
                info = self._key_info(name)
            if not info[2]:
                return False
        texts = self._plan.texts
        new: list[str] = []
        columns: list[tuple[list[Any], str, bool, int]] = []
        strings: list[Any]
        size = 0
        for name in names:
            column: list[Any] = list(map(dict.get, rows, repeat(name)))  # missing reads as null
            kinds = set(map(type, column))
            if kinds <= _PLAIN_SCALARS:
                continue
            if kinds - _PLAIN_SCALARS == _STR:
                columns.append((rows, name, False, doc))
                strings = column if kinds == _STR else [v for v in column if type(v) is str]
            elif kinds - _PLAIN_SCALARS == _LIST:
                lists = column if kinds == _LIST else [v for v in column if type(v) is list]
                flat = list(chain.from_iterable(lists))
                inner = set(map(type, flat))
                if not inner - _PLAIN_SCALARS <= _STR:
                    return False
                columns.append((rows, name, True, doc))
                strings = flat if inner == _STR else [v for v in flat if type(v) is str]
            else:
                return False
            size += sum(map(len, strings))
            for v in dict.fromkeys(strings):
                if v not in texts:
                    if v[:1] in _JSON_STARTS:  # may be a JSON document: the row-by-row walk decides
                        return False
                    new.append(v)
        texts.update(dict.fromkeys(new))
        self._plan.columns.extend(columns)
        self._size += size
        if self._size > self.max_bytes:
            raise LimitExceeded(
                f"mcp-veil blocked this message: larger than the limit of {self.max_bytes} bytes"
            )
        return True

    def _locate(self, text: str, location: Location) -> None:
        """A string to scan outside a plain container, and where it sits."""
        plan = self._plan
        plan.texts[text] = None
        locs = plan.locations.get(text)
        if locs is None:
            plan.locations[text] = [location]
        else:
            locs.append(location)

    def _other(
        self,
        container: Any,
        key: Any,
        v: Any,
        doc: int,
        trie: Any,
        depth: int,
        entity: str | None,
        skip: bool,
    ) -> int:
        """Everything but a plain string leaf: field-rule values, skipped keys, containers, numbers."""
        plan = self._plan
        if isinstance(v, str):
            if entity is not None:
                if v and v not in self.allow:
                    fv = (entity, v)
                    plan.field_values[fv] = None
                    plan.field_locations.append(((container, key, doc), fv))
            elif not skip and not self._embedded(container, key, v, doc, depth):
                self._locate(v, (container, key, doc))
            return len(v)
        if isinstance(v, dict):
            self._walk(v, doc, trie, depth + 1, None, False)
        elif isinstance(v, list):
            self._walk(v, doc, trie, depth + 1, entity, skip)
        elif entity is not None and isinstance(v, int | float) and not isinstance(v, bool):
            fv = (entity, _number_text(v))
            plan.field_values[fv] = None
            plan.field_locations.append(((container, key, doc), fv))
        return 0

    def _blob(self, node: dict[str, Any], blob: str, doc: int, depth: int) -> None:
        """A resource's base64 `blob`: text (or gzipped text) is decoded and scanned as a document of its
        own, re-encoded only if patched. Opaque binary (images, audio) cannot carry text and passes."""
        codec = blob_codec(node.get("mimeType"))
        if codec is None:
            return
        decode, encode = codec
        text = decode(blob, self.max_bytes)
        if text is None:
            return
        holder = [text]
        idx = len(self._plan.docs)
        self._plan.docs.append(_Doc(blob, holder, [(node, "blob", doc)], encode=lambda h: encode(h[0])))
        self._walk(holder, idx, None, depth + 1, None, False)

    def _embedded(self, container: Any, key: Any, text: str, doc: int, depth: int) -> bool:
        """If `text` holds a JSON object or array, scan it as a document of its own and say so."""
        if not _looks_like_json(text):
            return False
        plan = self._plan
        idx = plan.embedded.get(text)
        if idx is None:
            if plan.structured is not None and self._is_structured_text(text):
                plan.mirrors.append((container, key, doc, text))
                return True
            parsed = _parse_json(text)
            if parsed is None:
                return False
            if plan.structured is not None and parsed == plan.docs[plan.structured].value:
                plan.mirrors.append((container, key, doc, text))
                return True
            idx = len(plan.docs)
            plan.embedded[text] = idx
            plan.docs.append(_Doc(text, parsed))
            self._walk(parsed, idx, self.root_trie, depth + 1, None, False)
        plan.docs[idx].locations.append((container, key, doc))
        return True

    def _is_structured_text(self, text: str) -> bool:
        """Whether `text` is exactly the compact orjson form of structuredContent (the usual text block of a
        structured result): then it is a mirror, known without parsing it (half the floor on 5 MB). ASCII
        text is compared a megabyte at a time, so no second full-size copy is held."""
        if self._structured_json is None:
            self._structured_json = orjson.dumps(self._plan.docs[self._plan.structured or 0].value)
        dumped = self._structured_json
        if len(text) > len(dumped):
            return False
        if not text.isascii():
            return text.encode() == dumped
        if len(text) != len(dumped):
            return False
        step = 1 << 20
        return all(text[i : i + step].encode() == dumped[i : i + step] for i in range(0, len(text), step))

    # ------------------------------------------------------------------ pass 2: patch in place
    def apply(self, plan: ScanPlan, field_tokens: dict[tuple[str, str], str], texts: dict[str, str]) -> bool:
        """Write tokens where they belong. Returns whether anything changed."""
        docs = plan.docs
        changed = False
        for (container, key, doc), fv in plan.field_locations:
            container[key] = field_tokens[fv]
            docs[doc].dirty = changed = True
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

        if plan.structured is not None and docs[plan.structured].dirty:
            for container, key, doc, text in plan.mirrors:
                container[at(container, key)] = _dump_like(text, docs[plan.structured].value)
                docs[doc].dirty = True
        # Inner documents were discovered after their parents: re-serialize from the innermost out.
        for idx in range(len(docs) - 1, 0, -1):
            d = docs[idx]
            if d.dirty and d.text:
                dumped = d.encode(d.value) if d.encode else _dump_like(d.text, d.value)
                for container, key, parent in d.locations:
                    container[at(container, key)] = dumped
                    docs[parent].dirty = True
        return changed

    def _patch_plain(self, plan: ScanPlan, patched: dict[str, str]) -> bool:
        """Replace the patched strings found in plain containers: in a list every string is a scanned
        leaf; in an object, the string under a key no rule names (the values of other keys were not scanned
        as text: a field-rule value, a skipped key, a blob)."""
        docs = plan.docs
        memo = self._key_memo
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
                for k, v in container.items():
                    if type(v) is str and v in patched and memo[k][2]:
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


_TEXT_MIME = re.compile(
    r"^(text/.*|application/(json|xml|javascript|x-ndjson|csv|yaml|x-yaml|sql|graphql)|.*\+(json|xml))$"
)
_GZIP_MIME = frozenset({"application/gzip", "application/x-gzip"})


def blob_codec(
    mime: Any,
) -> tuple[Callable[[str, int], str | None], Callable[[str], str]] | None:
    """(decode, encode) for a blob of this MIME type, or None for opaque binary."""
    if not isinstance(mime, str):
        return None
    mime = mime.split(";", 1)[0].strip().lower()
    if _TEXT_MIME.match(mime):
        return _decode_b64_text, lambda text: base64.b64encode(text.encode("utf-8")).decode("ascii")
    if mime in _GZIP_MIME:
        return _decode_b64_gzip_text, lambda text: base64.b64encode(
            gzip.compress(text.encode("utf-8"))
        ).decode("ascii")
    return None


def _decode_b64_text(blob: str, limit: int) -> str | None:
    try:
        raw = base64.b64decode(blob, validate=True)
        return raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None


def _decode_b64_gzip_text(blob: str, limit: int) -> str | None:
    try:
        raw = base64.b64decode(blob, validate=True)
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        data = inflater.decompress(raw, limit + 1)
    except (binascii.Error, ValueError, zlib.error):
        return None
    if len(data) > limit or inflater.unconsumed_tail:
        raise LimitExceeded(f"mcp-veil blocked this message: a compressed blob expands past {limit} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _number_text(n: int | float) -> str:
    return str(n)


def _parse_json(text: str) -> Any:
    try:
        doc = orjson.loads(text)
    except (orjson.JSONDecodeError, TypeError):
        return None
    return doc if isinstance(doc, dict | list) else None


def _dump_like(original: str, doc: Any) -> str:
    """Re-serialize an embedded JSON document, indented if the original was."""
    option = orjson.OPT_INDENT_2 if "\n" in original.strip() else 0
    return orjson.dumps(doc, option=option).decode("utf-8")


# --------------------------------------------------------------------------- toward the backend


# A token percent-encoded into a URL (`%5B%5BEMAIL_ADDRESS%3A…%5D%5D`) is still a token: it is found and
# replaced by the percent-encoded value, never forwarded as is.
ENCODED_TOKEN_LIKE_RE = re.compile(
    r"%5[Bb]%5[Bb](" + ENTITY_RE + r")(?::|%3[Aa])([^%\[\]\s]{0,64})%5[Dd]%5[Dd]"
)
_ENCODED_MARK = re.compile(r"%5[Bb]%5[Bb]")


def _canonical(m: re.Match[str]) -> str:
    return f"[[{m.group(1)}:{m.group(2)}]]"


def _token_hits(text: str) -> list[str]:
    hits = [m.group(0) for m in TOKEN_LIKE_RE.finditer(text)] if TOKEN_MARK in text else []
    if "%5" in text and _ENCODED_MARK.search(text):
        hits.extend(_canonical(m) for m in ENCODED_TOKEN_LIKE_RE.finditer(text))
    return hits


def find_token_strings(payload: Any, max_depth: int) -> dict[str, list[str]]:
    """Every string (leaf or key) holding something token-shaped, with the token-shaped parts found."""
    found: dict[str, list[str]] = {}
    stack: list[tuple[Any, int]] = [(payload, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            raise LimitExceeded(
                f"mcp-veil blocked this message: nesting deeper than the limit of {max_depth}"
            )
        if isinstance(node, str):
            if node not in found:
                hits = _token_hits(node)
                if hits:
                    found[node] = hits
        elif isinstance(node, dict):
            for k, v in node.items():
                stack.append((k, depth + 1))
                stack.append((v, depth + 1))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return found


def replace_tokens(payload: Any, values: dict[str, str]) -> Any:
    """The payload with every token replaced by its value (copy-on-write)."""

    def sub(text: str) -> str:
        if TOKEN_MARK in text:
            text = TOKEN_LIKE_RE.sub(lambda m: values.get(m.group(0), m.group(0)), text)
        if "%5" in text:
            text = ENCODED_TOKEN_LIKE_RE.sub(
                lambda m: quote(values[_canonical(m)], safe="") if _canonical(m) in values else m.group(0),
                text,
            )
        return text

    def walk(node: Any) -> Any:
        if isinstance(node, str):
            return sub(node)
        if isinstance(node, dict):
            out: dict[Any, Any] | None = None
            for i, (k, v) in enumerate(node.items()):
                nk = sub(k) if isinstance(k, str) else k
                nv = walk(v)
                if out is None and (nk is not k or nv is not v):
                    out = dict(list(node.items())[:i])
                if out is not None:
                    out[nk] = nv
            return node if out is None else out
        if isinstance(node, list):
            lst: list[Any] | None = None
            for i, v in enumerate(node):
                nv = walk(v)
                if lst is None and nv is not v:
                    lst = node[:i]
                if lst is not None:
                    lst.append(nv)
            return node if lst is None else lst
        return node

    return walk(payload)
