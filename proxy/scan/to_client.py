"""Which parts of a to-client payload are scanned: every string the client can read.

Every string leaf and object key of a message's payload (the params of a request or notification, the
result of a response, the message and data of an error), `_meta` included, is scanned; so is a number of
seven integral digits or more, as the digits a client reads in it (`shapes.number_text`: integers, floats,
exponents; a tokenized number becomes a token string, except where the protocol types a number:
`proxy.scan.protocol`). JSON carried
inside a string is parsed (orjson: what it rejects — NaN, comments, a BOM, trailing bytes — is scanned as
plain text) and forwarded as the document that was scanned, re-serialized whenever that differs from its
text (duplicate keys, escapes, big numbers): the client never receives bytes a parser could read another way
than the detectors did. A text block is a mirror of structuredContent only when byte-identical to our
serialization of it; one that merely parses equal is rewritten to that serialization.

What decides a value whatever it looks like: policy field rules (a key anywhere, a path inside a tool's
structured result), a key's context for a bare digit run (`proxy.scan.shapes`), person-name decisions
per column of a list of records or per record (`proxy.detect.names`), and org keys for account names
(`proxy.scan.accounts`). In descriptive results
(`tools/list`, `initialize`, …) key rules apply only to schema value positions (`default`, `const`,
`enum`, `examples` of a property), where they name values, not parameter names, and to the JSON documents
carried in their strings (a description, a name, a cursor holding `{"clientName": …}` is a value). A
`"key": "value"` pair inside any other text, object key or envelope string is judged by the same rules
(`proxy.scan.keyed_text`).

The plain containers (no rule below: most of a large payload) are walked in `proxy.scan.plain_walk`;
rebuilding is in `proxy.scan.plan`; blobs are sniffed in `proxy.scan.blobs`.
"""

from __future__ import annotations

from typing import Any

from proxy.detect.number_lookalikes import is_time_key, is_version_key
from proxy.errors import check_depth, check_size
from proxy.policy import Policy, ToolRules, normalize_key
from proxy.policy.keys import key_rule_entity
from proxy.scan import (
    accounts,
    address_keys,
    detached_headers,
    labels,
    member_roles,
    names,
    odata_annotations,
    record_parts,
    rich_runs,
    split_values,
)
from proxy.scan.byte_lists import MIN_BYTES, bytes_text, refuse_patch
from proxy.scan.char_lists import MIN_CHARS, char_list_entity
from proxy.scan.documents import Documents, mark_schemas
from proxy.scan.key_info import (
    CTX,
    ENTITY,
    JSON_STARTS,
    NAME,
    NUM,
    NUMBERS,
    ORG,
    PLAIN,
    PLAIN_SCALARS,
    QUALIFIED,
    SKIP,
    KeyInfo,
    big,
)
from proxy.scan.keyed_text import KeyedText, locate_values
from proxy.scan.plain_walk import PlainWalk
from proxy.scan.plan import QUIET_MIN_CHARS, Doc, Location, Patcher, ScanPlan
from proxy.scan.protocol import protocol_numbers
from proxy.scan.shapes import (
    BIG_INT,
    context_entity,
    decimal_text,
    is_enum_shaped,
    is_metric_key,
    key_context,
    number_text,
)
from vault.tokens import TOKEN_RE

_ROWS = 32  # a list of at least this many objects is tried column by column (`columns.plain_rows`)

# Methods whose results describe the server (tool schemas, prompt and template lists): key rules name
# values only in schema value positions there (`email` is a parameter name in a schema, not a value).
_DESCRIPTIVE_METHODS = frozenset(
    {"initialize", "server/discover", "tools/list", "prompts/list", "resources/templates/list"}
)
_SCHEMA_VALUES = frozenset({"default", "const", "enum", "examples"})
_SCHEMA_TYPES = frozenset({"string", "object", "integer", "number", "boolean", "array", "null"})


def _carried(entity: str | None, node: Any) -> str | None:
    """The key rule a container under a matched key takes along: none into a JSON Schema node (`"email":
    {"type": "string", "format": "email", "description": …}` in an elicitation's requested schema
    describes a value, it holds none)."""
    if entity is not None and type(node) is dict and str(node.get("type")) in _SCHEMA_TYPES:
        return None
    return entity


def _hex_place(entity: str, v: Any) -> bool:
    """`"address": "0x7ffd5e8c"`: a memory or blockchain address under an address rule is scanned as any
    string, not tokenized as a place."""
    return entity == address_keys.ENTITY and type(v) is str and address_keys.is_hex_address(v)


def key_rules_apply(method: str | None) -> bool:
    return method not in _DESCRIPTIVE_METHODS


class ToClientWalker(PlainWalk, Documents, KeyedText, Patcher):
    """One walk collects every scannable string and where it sits; `apply` then patches in place."""

    def __init__(self, policy: Policy, rules: ToolRules | None, *, descriptive: bool = False) -> None:
        self.max_depth = policy.max_depth
        self.max_bytes = policy.max_message_bytes
        self.allow = policy.allow_list
        self._spreads = policy.propagates
        self.opaque_blobs = getattr(policy, "opaque_blobs", "pass")
        self.root_trie = rules.root if rules is not None and not descriptive else None
        self._keys = rules.keys if rules is not None else {}
        self._skip = policy.skip_keys
        self._descriptive = descriptive
        self._key_memo: dict[str, KeyInfo] = {}
        self._label_roles = 0  # 1: a label key seen in this message, 2: a value key, 3: both (`labels`)
        self._part_roles = 0  # the part keys of split values seen in this message (`record_parts.mask`)
        self._table_lists: list[tuple[list[Any], int]] = []  # headers and rows apart (`detached_headers`)
        self._value_memo: dict[str, KeyInfo] = {}  # a descriptive result's JSON texts: keys as in values
        self._schemas: dict[int, str] = {}  # id of a property's schema -> the property's name
        self._structured_json: bytes | None = None
        self._structured_indent = False

    def _key_info(self, key: str) -> KeyInfo:
        """What a key says about its values, memoized per key name; a key seen for the first time is also
        recorded as a string to scan."""
        info = self._key_memo.get(key)
        if info is None and (annotation := odata_annotations.annotated(key)) is not None:
            # Read as the annotated property's key; the key itself is scanned as that name.
            prop, term = annotation
            base = self._key_info(prop or "odata")
            info = self._key_memo[key] = odata_annotations.key_info(base, prop, term, self._descriptive)
        if info is None:
            nk = normalize_key(key)
            descriptive = self._descriptive
            entity = None if descriptive else key_rule_entity(key, self._keys)
            if entity == address_keys.ENTITY and nk not in self._keys and address_keys.not_postal_key(key):
                entity = None  # `contract_address`, `email_address`: the `address` rule qualified by no place
            skip = nk in self._skip
            ctx = not descriptive and key_context(key) is not None and not member_roles.masks_context(key)
            name = not descriptive and names.is_name_key(key)
            # An org key (whatever rule names its strings: `customerName` is PERSON), or a field rule naming
            # account names (`descriptiveName`): its objects' and lists' names too.
            org = not descriptive and (entity == accounts.ENTITY or accounts.is_org_key(key))
            schema = key in _SCHEMA_VALUES and bool(self._schemas)
            column = entity is None and key != "blob" and not ctx and not schema
            plain = column and not skip and not name and not org
            qualified = entity is not None and nk not in self._keys
            num = not is_metric_key(key)
            time = num and (is_time_key(key) or is_version_key(key))  # a moment's or version's key
            info = (entity, skip, plain, ctx, name, num, column, qualified, org, time)
            self._key_memo[key] = info
            role = labels.role(key)
            if role:  # a key of a record that may carry its own label (`labels`)
                self._label_roles |= 1 if role in (labels.LABEL, labels.HEADER) else 2
            if not descriptive:
                self._part_roles |= record_parts.mask(key)
            self._plan.keys[key] = None
        return info

    # ------------------------------------------------------------------ pass 1
    def collect(self, payload: Any) -> ScanPlan:
        plan = ScanPlan()
        plan.docs.append(Doc("", payload))
        self._plan = plan
        self._key_memo = {}
        self._value_memo = {}
        self._size = 0
        self._schemas = {}
        self._label_roles = 0
        self._part_roles = 0
        self._table_lists = []
        if self._descriptive:
            mark_schemas(payload, self._schemas, 0, self.max_depth)
        elif isinstance(payload, dict) and type(payload.get("requestedSchema")) is dict:
            # An elicitation's form (`elicitation/create`): the same declaration a tool's inputSchema is.
            mark_schemas(payload["requestedSchema"], self._schemas, 1, self.max_depth)
        structured = payload.get("structuredContent") if isinstance(payload, dict) else None
        if isinstance(structured, dict | list):
            # Its own document, so a text block that merely repeats it (the usual MCP pattern) is
            # recognised and re-serialized from it instead of being scanned twice.
            plan.structured = len(plan.docs)
            plan.docs.append(Doc("", structured, [(payload, "structuredContent", 0)]))
            self._walk(structured, plan.structured, self.root_trie, 1, None, False)
        self._walk(payload, 0, None, 0, None, False)
        if not self._descriptive:
            detached_headers.read(self)  # `{"schema": {"fields": [...]}, "rows": [{"f": [...]}]}`
        self._table_lists = []
        plan.protocol = protocol_numbers(payload)
        for _, _, text in plan.protocol:  # scanned whatever their key (`total` is a metric word elsewhere)
            plan.texts[text] = None
        keyed = self.keyed([*plan.texts, *plan.keys])
        plan.field_values.update(dict.fromkeys(keyed))
        if not self._descriptive:
            plan.labelled = labels.labelled_spans(self, plan.texts)
            for text, found in plan.labelled.items():
                plan.field_values.update(dict.fromkeys((e, text[a:b]) for a, b, e in found))
            split_values.collect(plan, list(plan.texts))  # `<ssn><first3>123</first3>…</ssn>` in a text
        unspread = [fv for fv in keyed if not self._spreads(fv[0])]
        if unspread:  # no known value of the session will find these again: their places are spans
            locate_values(unspread, [*plan.texts, *plan.keys], plan.labelled)
        self._structured_json = None
        plan.size = self._size
        return plan

    def _grow(self, size: int) -> None:
        self._size += size
        check_size(self._size, self.max_bytes)

    def _walk(
        self, node: Any, doc: int, trie: Any, depth: int, list_entity: str | None, list_skip: bool
    ) -> None:
        """Walk a container. `trie` is the path-rule node here (None: no path rule below); `list_entity`
        is the key rule of the key the container sits under (`emails: [...]`, `email: {...}`, at any
        depth below it: every string and number there is that entity's value, an enum under a skipped key
        such as `type` aside) and `list_skip` whether that key is skipped.

        Most of a large payload is plain, no path rule below: such containers go to `_plain_dict` and
        `_plain_list`, which decide most values by type alone; here is the path-rule case."""
        check_depth(depth, self.max_depth)
        size = 0
        if type(node) is dict:
            if trie is None and list_entity is None:
                self._plain_dict(node, doc, depth)
                return
            top = doc == 0 and depth == 0 and self._plan.structured is not None
            for k, v in node.items():
                info = self._key_memo.get(k) or self._key_info(k)
                sub = trie.names.get(k) if trie is not None else None
                entity = sub.entity if sub is not None and sub.entity is not None else info[ENTITY]
                enum = info[SKIP] and type(v) is str and is_enum_shaped(v)
                if entity is None and list_entity is not None and not enum:
                    entity = list_entity
                if top and k == "structuredContent":
                    continue  # walked as its own document
                if sub is None and entity is None and info[PLAIN]:
                    size += self._plain_value(node, k, v, doc, depth, info)
                else:
                    size += self._other(node, k, v, doc, sub, depth, entity, info)
        elif type(node) is list:
            if trie is None and list_entity is None and not list_skip:
                self._plain_list(node, doc, depth)
                return
            for i, v in enumerate(node):
                sub = trie.child(i) if trie is not None else None
                entity = sub.entity if sub is not None and sub.entity is not None else list_entity
                enum = list_skip and type(v) is str and is_enum_shaped(v)
                if type(v) is str and entity is None and sub is None and not enum:
                    size += len(v)
                    if v[:1] not in JSON_STARTS or not self._embedded(node, i, v, doc, depth):
                        self._locate(v, (node, i, doc))
                elif type(v) is str and entity is None and sub is None:
                    size += len(v)  # an enum under a skipped key
                elif entity is not None and type(v) in (str, int, float):
                    size += self._field(node, i, v, doc, entity)
                elif type(v) in NUMBERS and big(v):
                    self._number(v, (node, i, doc))
                elif type(v) is dict or type(v) is list:
                    self._walk(v, doc, sub, depth + 1, _carried(entity, v), list_skip)
        self._grow(size)

    def _plain_list(self, node: list[Any], doc: int, depth: int) -> None:
        """`_walk` of a list no rule applies to (the usual case, kept short: it runs once per row)."""
        check_depth(depth, self.max_depth)
        if node and (type(node[0]) is dict or type(node[0]) is list):
            self._table_lists.append((node, doc))  # a header or rows (`detached_headers`)
        if len(node) >= 2 and type(node[0]) is dict:
            if len(node) <= rich_runs.MAX_RUNS:
                rich_runs.collect(self._plan, node)  # the runs of a rich text, read joined too
            if len(node) >= _ROWS and self._plain_rows(node, doc, depth):
                return
            names.record_columns(self, node, doc)
        elif len(node) >= 3 and type(node[0]) is str:
            if names.list_people(self, node, doc):
                return  # a list of person names: each a field value
            if len(node) >= MIN_CHARS and self._char_list(node, doc):
                return  # a value spelled one character per item
        texts = self._plan.texts
        size = 0
        plain = False
        for i, v in enumerate(node):
            t = type(v)
            if t is str:
                size += len(v)
                if v in texts or v[:1] not in JSON_STARTS or not self._embedded(node, i, v, doc, depth):
                    texts[v] = None
                    plain = True
            elif t is dict:
                self._plain_dict(v, doc, depth + 1)
            elif t is list:
                self._plain_list(v, doc, depth + 1)
            elif (t is int or t is float) and (v >= BIG_INT or v <= -BIG_INT):
                self._number(v, (node, i, doc))
        if plain:
            self._plan.plain.append((node, doc))
        self._grow(size)
        carried = bytes_text(node) if len(node) >= MIN_BYTES else None
        if carried:  # bytes as numbers (`Buffer.toJSON()`): a document that blocks if patched (byte_lists)
            self._plan.docs.append(Doc("(bytes)", [carried], [(node, 0, doc)], encode=refuse_patch))
            self._walk(self._plan.docs[-1].value, len(self._plan.docs) - 1, None, depth + 1, None, False)

    def _char_list(self, node: list[Any], doc: int) -> bool:
        """A list spelling a certain value one character per item: its token in every item (char_lists)."""
        whole = char_list_entity(node)
        if whole is None:
            return False
        self._plan.field_values[whole] = None
        self._plan.field_locations.extend(((node, i, doc), whole) for i in range(len(node)))
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

    def _number(self, v: int | float, location: Location) -> None:
        """A number that may be an identifier: scanned as the digits a client reads in it. (Under a metric
        key a number is not scanned; an integer beyond 64 bits is refused under any key.)"""
        text = number_text(v)
        if text is not None:
            self._locate(text, location)

    def _quiet(self, v: int | float | str, location: Location) -> None:
        """A value whose shape is no evidence where it sits: a time key's epoch (`"expires_at": 1767225600`),
        a metric key's number (`"cost_micros": 2500000000`). Located, but tokenized only on evidence beyond
        its shape (`ScanPlan.quiet_values`): a customer ID the session knows is no metric under `clicks`."""
        text = v if type(v) is str else number_text(v)
        if text is not None and len(text) >= QUIET_MIN_CHARS:
            self._plan.quiet_values.append((location, text, None))

    def _field(self, container: Any, key: Any, v: Any, doc: int, entity: str) -> int:
        """A value a rule names: tokenized whole, whatever it holds (a number as its decimal text)."""
        text = v if type(v) is str else decimal_text(v)
        if text[:2] == "[[" and TOKEN_RE.fullmatch(text):
            self._plan.token_fields.append(text)  # one of ours, or forged (`forged_tokens`)
        elif text and text not in self.allow:
            fv = (entity, text)
            self._plan.field_values[fv] = None
            self._plan.field_locations.append(((container, key, doc), fv))
        return len(text) if type(v) is str else 0

    def _other(
        self,
        container: Any,
        key: Any,
        v: Any,
        doc: int,
        trie: Any,
        depth: int,
        entity: str | None,
        info: KeyInfo,
    ) -> int:
        """Everything but a value under a plain key: rule values, skipped keys, context keys, name keys,
        blobs, schema value positions, containers below a path rule."""
        t = type(v)
        if key == "blob" and t is str and type(container) is dict and entity is None:
            self._blob(container, v, doc, depth)
            return len(v)
        if entity is not None and t in (str, int, float) and t is not bool and not _hex_place(entity, v):
            if t is not str and info[QUALIFIED] and entity == info[ENTITY] and abs(v) < BIG_INT:
                return 0  # `"emails": 42`, `"phoneNumbers": 2`: a plural key's small number is a count
            return self._field(container, key, v, doc, entity)
        if key in _SCHEMA_VALUES and id(container) in self._schemas:
            self._schema_value(container, key, v, doc, depth, self._schemas[id(container)])
            return 0
        if t in NUMBERS and info[CTX] and not big(v):
            # Digits a key names are judged by the shape it names, as its string would be: an account
            # number has six digits or more, below the length a number is scanned at (`BIG_INT`).
            found = context_entity(key, decimal_text(v))
            return 0 if found is None else self._field(container, key, v, doc, found)
        if t is str or (t in NUMBERS and big(v)):
            text = v if t is str else number_text(v)
            if text is None:  # a non-finite float
                return 0
            if info[CTX]:
                found = context_entity(key, text)
                if found is not None:
                    return self._field(container, key, v, doc, found)
            if t is str and info[NAME] and (names.is_person_value(v) or names.family_value(key, v)):
                return self._field(container, key, v, doc, "PERSON")
            if t is str and info[ORG] and accounts.is_org_name(v):
                return self._field(container, key, v, doc, accounts.ENTITY)
            if t is str and info[SKIP] and is_enum_shaped(v):
                return len(v)
            if t is not str:
                if info[NUM] or info[CTX]:
                    self._locate(text, (container, key, doc))
                else:
                    self._quiet(v, (container, key, doc))
                return 0
            if v[:1] not in JSON_STARTS or not self._embedded(container, key, v, doc, depth):
                self._locate(v, (container, key, doc))
            return len(v)
        if t is dict:
            if info[CTX] and self._context_children(v, key, doc):
                return 0  # one value in parts, tokenized whole: no part is a value of its own to learn
            if info[NAME] and v.get("type") not in _SCHEMA_TYPES:  # a property's schema is no record
                names.record_children(self, v, doc)
            if info[ORG]:
                accounts.record_children(self, v, doc)
            self._walk(v, doc, trie, depth + 1, _carried(entity, v), False)
        elif t is list:
            if info[CTX] and self._context_items(v, key, doc):
                return 0
            if info[ORG]:
                accounts.record_items(self, v, doc)
            self._walk(v, doc, trie, depth + 1, entity, info[SKIP])
        elif t not in PLAIN_SCALARS:
            self._locate(str(v), (container, key, doc))
        return 0
