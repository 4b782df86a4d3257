"""Key rules for `"key": "value"` pairs written inside any text, wherever it sits, in any record notation.

The walker applies key rules to the documents it parses (a result, JSON carried in a string). A pair can
also sit in a string that is no JSON document: after a prefix (`rt://c/{"account_name": …}`, a schema's
`^{"accountName": …}$`, `result: {"clientName": …}`), in JSON the parser rejects, in an object key, in
the method name of a backend's request, or in a record another language printed: a Python `repr`
(`{'descriptiveName': 'Silver Pine'}`, `Account(descriptive_name='Silver Pine')`), a JavaScript object
literal (`{descriptiveName: "Silver Pine"}`), a Ruby or PHP hash (`{:client_name => "…"}`,
`['clientName' => '…']`); or inside an encoded layer of the text (`carried_pairs`: a percent-encoded
`state=`, a JWT's payload, a `data:` URL, an HTML attribute). Every such pair whose key a rule names (a
field rule, digit context, a person-name key, an org key: `ToClientWalker.pair_entity`) makes its value a
field value of the message. Field values are learnt before detection (`proxy.filters.tokenize`), so the
session's known-value matching then finds the value in the text, in whichever layer, and tokenizes it
where it stands (or refuses an envelope string holding it). Cheap: the texts are searched for the pairs'
punctuation in one joined scan, and only those holding it are read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, cast

import orjson

from proxy.policy import normalize_key
from proxy.scan import accounts, carried_pairs, labels, names
from proxy.scan.joined_scan import SEP, holding
from proxy.scan.shapes import context_entity, key_context
from vault.tokens import TOKEN_RE

if TYPE_CHECKING:
    from proxy.scan.to_client import ToClientWalker

# A key quoted either way, or bare (a JavaScript key, a keyword argument, a Ruby symbol, a PHP variable);
# `:`, `=`, `=>` or `->`; a string quoted either way (its escapes allowed) or a bare number. A "string" that
# is only an opening brace starts a record (`data-props="{"descriptiveName": …}"`): it is no value.
_PAIR = re.compile(
    r"""(?:"([^"\\\n\x00]{1,64})"|'([^'\\\n\x00]{1,64})'|(?<![\w.$@:-])[:@$]?([A-Za-z_][\w.-]{0,63}))"""
    r"""[ \t]{0,3}(?:=>|->|:|=)[ \t]{0,3}"""
    r"""(?:"(?![{\[]")((?:[^"\\\n\x00]|\\.){1,256})"|'(?![{\[]')((?:[^'\\\n\x00]|\\.){1,256})'"""
    r"""|(-?\d[\d.eE+]{0,40}))"""
)
# A logfmt pair with a bare value (`customer_id=5931053 first_name=Ana email=ana@x.io`): a bare key at a
# line's start or after a blank (as logfmt writes its pairs: a URL's query string, `?id=1&ref=x`, is none),
# `=` with no blank around it, a value up to the next blank, quote or separator. Read only under a key a
# rule names, as a bare key's value is (`pair_entity`: the value must have the shape of what the key names).
_BARE = re.compile(
    r"""(?:(?<=\s)|^)([A-Za-z_][\w.-]{0,63})=(?!["'])([^\s"'=&;,<>(){}\[\]\x00]{1,256})""", re.MULTILINE
)
_BARE_TRIGGER = re.compile(r"""(?:(?<=[\s\x00])|^)[A-Za-z_][\w.-]{0,63}=[^\s"'=]""", re.MULTILINE)
_TRAILING = ".,;:!?"
# A value of digits alone (and their grouping), as a key names it (`customer_id=5931053`); `v2.3.1` is none.
_DIGITS = re.compile(r"[\d \t()+-]{0,40}\d[\d \t()+-]{0,40}")
# What every pair holds: a quote beside its separator (`":`, `='`, `=> "`, `: '`).
_PUNCTUATION = ('":', "':", '"=', "'=", ':"', ":'", '="', "='", "> '", '> "', ": '", ': "', '" :', "' :")
_TRIGGER = re.compile(r"""["'][ \t]{0,3}[:=]|[:=>][ \t]{0,3}["']""")


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    raw = raw.replace("\\'", "'")  # a single-quoted string's own escape
    try:
        value = orjson.loads(f'"{raw}"')
    except orjson.JSONDecodeError:
        return raw
    return value if type(value) is str else raw


def keyed_values(
    texts: Iterable[str],
    entity_of: Callable[[str, str, bool], str | None],
    matters: Callable[[str], bool],
    label_of: Callable[[str, str], str | None] | None = None,
    joined: str | None = None,
) -> list[tuple[str, str]]:
    """(entity, value) of every pair in `texts` whose key names the value's entity (`matters`: whether
    any rule can, judged once per key name: most keys of a long text are metrics and plain names;
    `entity_of` is told whether the key was bare, a label written as text rather than a record's key);
    with `label_of`, also each value a label beside it in the same record names (`_Beside`); `joined`:
    the texts joined by NUL already, as `joined_scan.holding` takes them."""
    out: list[tuple[str, str]] = []
    seen: dict[str, tuple[bool, int]] = {}
    texts = list(texts)

    def judged(key: str) -> tuple[bool, int]:
        known = seen.get(key)
        if known is None:
            known = seen[key] = (matters(key), labels.role(key) if label_of is not None else 0)
        return known

    def take(key: str, value: str, bare: bool) -> None:
        entity = entity_of(key, value, bare)
        if entity is not None:
            out.append((entity, value))

    for text in holding(texts, _PUNCTUATION, _TRIGGER, joined):
        beside = _Beside(text, out, label_of)
        for m in _PAIR.finditer(text):
            key = m[1] or m[2] or m[3]
            ok, role = judged(key)
            if not ok and not role and beside.label is None:
                continue
            quoted = m[4] if m[4] is not None else m[5]
            value = _unescape(quoted) if quoted is not None else m[6]
            if not value.strip() or TOKEN_RE.fullmatch(value):
                continue  # a token is no value: the text already holds it as the client may read it
            if ok:
                take(key, value, m[3] is not None)
            if role:
                beside.pair(role, value, m.start(), m.end())
            elif beside.label is not None:
                beside.wrapped(value, m.start())  # `'value': {'stringValue': '…'}`
    for text in holding(texts, ("=",), _BARE_TRIGGER, joined):
        for m in _BARE.finditer(text):
            value = m[2].rstrip(_TRAILING)
            if judged(m[1])[0] and value.strip() and not TOKEN_RE.fullmatch(value):
                take(m[1], value, True)
    return out


# What may stand between a label's pair and its value's in one record (`{'k': 'ssn', 'v': …}`,
# `Attribute(name='ssn', type='string', value=…)`): other pairs, never the record's end.
_RECORD_GAP = re.compile(r"[^}\])]{0,200}")
# A value's member opening an object of one member (`'value': {'S': …`, `value=Wrapped(string=…`).
_WRAPPER = re.compile(
    r"""["']?([A-Za-z_][\w.-]{0,63})["']?[ \t]{0,3}(?:=>|:|=)[ \t]{0,3}[A-Za-z_]{0,40}[{(][ \t]{0,3}$"""
)


class _Beside:
    """A label and its value written as two pairs of one record in a text (`labels.record` for the
    records a JSON parser reads): the last label's and the last value's pair, each read with the other."""

    def __init__(
        self, text: str, out: list[tuple[str, str]], label_of: Callable[[str, str], str | None] | None
    ):
        self.text, self.out, self.label_of = text, out, label_of
        self.label: tuple[int, str] | None = None  # (end, label)
        self.value: tuple[int, str] | None = None  # (end, value)

    def pair(self, role: int, value: str, start: int, end: int) -> None:
        if role == labels.VALUE:
            self._read(self.label, value, start, label_first=True)
            self.value = (end, value)
        elif role in (labels.LABEL, labels.HEADER):
            self._read(self.value, value, start, label_first=False)
            self.label = (end, value)

    def wrapped(self, value: str, start: int) -> None:
        """A value in a one-member wrapper under a value's member, after the label (`record`'s)."""
        assert self.label is not None
        if start - self.label[0] > 200:
            return
        m = _WRAPPER.search(self.text, self.label[0], start)
        if m is not None and m.end() == start and labels.role(m[1]) == labels.VALUE:
            self._read(self.label, value, m.start(), label_first=True)

    def _read(self, other: tuple[int, str] | None, this: str, start: int, label_first: bool) -> None:
        if other is None or self.label_of is None or not _RECORD_GAP.fullmatch(self.text, other[0], start):
            return
        label, value = (other[1], this) if label_first else (this, other[1])
        entity = self.label_of(labels.label_window(label), value)
        if entity is not None:
            self.out.append((entity, value))


class KeyedText:
    """Mixed into `ToClientWalker`: the key rules it holds, applied to pairs written in text."""

    _keys: dict[str, str]
    allow: Any

    def keyed(self, texts: list[str]) -> list[tuple[str, str]]:
        """The field values of the pairs written inside these texts, and inside their encoded layers
        (`keyed_text`, `carried_pairs`)."""
        joined = SEP.join(texts)  # one join for both scans: a long message's texts weigh megabytes
        layers = carried_pairs.layers(texts, joined)
        if layers:
            texts, joined = [*texts, *layers], SEP.join([joined, *layers])
        found = keyed_values(texts, self.pair_entity, self.pair_key_matters, self.label_entity, joined)
        return [fv for fv in found if fv[1] not in self.allow]

    def label_entity(self, label: str, value: str) -> str | None:
        """The entity a label written as a record's member names a value beside it as (`labels`)."""
        walker = cast("ToClientWalker", self)
        return labels.entity_of(walker, label, value) if labels.matters(walker, label) else None

    def pair_key_matters(self, key: str) -> bool:
        """Whether any key rule can name a value under this key (the cheap half of `pair_entity`)."""
        return (
            normalize_key(key) in self._keys
            or key_context(key) is not None
            or names.is_name_key(key)
            or accounts.is_org_key(key)
        )

    def pair_entity(self, key: str, value: str, bare: bool = False) -> str | None:
        """The entity a key names a string value as, by every key rule of a result, whatever method
        carries it (a pair in a text is a value, never a schema's parameter name). A bare key
        (`phone="v2.3.1"`, `account="Mastercard"`, `{customerId: 5931053}`) is a label written as text, read
        as `labels` reads one: the value must have the shape of what the label names."""
        if bare:  # a label written as text (`labels`): under a digit context, digits only or its shape
            found = labels.entity_of(cast("ToClientWalker", self), key, value)
            if found is not None or (key_context(key) is not None and not _DIGITS.fullmatch(value)):
                return found
        entity = self._keys.get(normalize_key(key))
        if entity is not None:
            return entity
        found = context_entity(key, value)
        if found is not None:
            return found
        if names.is_name_key(key) and (names.is_person_value(value) or names.family_value(key, value)):
            return "PERSON"
        if bare:
            return labels.entity_of(cast("ToClientWalker", self), key, value)
        if accounts.is_org_key(key) and accounts.is_org_name(value):
            return accounts.ENTITY
        return None


def locate_values(
    values: list[tuple[str, str]], texts: list[str], located: dict[str, list[tuple[int, int, str]]]
) -> None:
    """Each place of these (entity, value) pairs in `texts`, added to `located` (text -> spans).

    A value a key names inside a text (`siteUrl=https://www.example.com/` in a log line) is replaced where
    the session's known values find it, as a propagating entity's is. An entity that does not propagate
    (SITE_URL, SECRET) is never made known, so without its places the value would reach the client as
    the backend wrote it."""
    for text in texts:
        for entity, value in values:
            at = text.find(value)
            while at >= 0:
                located.setdefault(text, []).append((at, at + len(value), entity))
                at = text.find(value, at + len(value))
