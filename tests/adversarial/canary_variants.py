"""Canary placements beyond tests/corpus.py: where a backend can hide a value in a tool result.

Each variant builds a tool result hiding one canary; `client_view` is everything the client could read out of
a result, with URL-encoding and base64/gzip blobs undone, so a value is caught however it is wrapped.

What is required, and what is not (decided here, tested in test_canary_variants.py):
- Required: a value whole in any one string — leaf, object key, deep array item, JSON inside text, JSON
  inside JSON inside text, a text or gzip blob, an error message — is replaced, whatever punctuation, space
  (NBSP included) or invisible format character (zero-width space/joiners, word joiner, BOM) touches it,
  and whether or not it is URL-encoded.
- Not required: a value *split* across content blocks (an email's local part in one block, its domain in
  another). Each fragment alone is not the value and is not personal data by itself (a bare domain is a
  site, a bare local part is a word); joining blocks to guess would redact ordinary text. The client never
  receives the whole value in one string, which is what the test pins.
- Not required: a letter glued to a value with no separator (`xjane@…` is a different address; `A4111…`
  is a product code). Recognizers work on word boundaries, as every DLP tool does.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import random
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote, quote_plus, unquote, unquote_plus

from adv_harness import CANARIES

Variant = Callable[[str, random.Random], dict[str, Any]]

NEIGHBOURS = [
    " ", "\u00a0", "\n", "\t", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "“", "”", "«", "»", "（",
    "）", "—", "<", ">", "(", ")", ";", ",", "'", "ä ", " é", "✓ ", "🙂 ",
]  # fmt: skip


def _text(t: str) -> dict[str, Any]:
    return {"content": [{"type": "text", "text": t}]}


def object_key(c: str, rng: random.Random) -> dict[str, Any]:
    record = {c: {"visits": rng.randrange(100)}, "status": "ACTIVE"}
    return {"content": [{"type": "text", "text": json.dumps(record)}], "structuredContent": record}


def deep_array(c: str, rng: random.Random) -> dict[str, Any]:
    node: Any = f"seen {c}"
    for _ in range(rng.randrange(20, 100)):
        node = [rng.random(), node] if rng.random() < 0.5 else [node]
    return {"content": [], "structuredContent": {"rows": node}}


def json_in_text(c: str, rng: random.Random) -> dict[str, Any]:
    return _text(json.dumps({"id": rng.randrange(10**6), "note": f"write to {c}", "tags": [c]}))


def json_in_json_in_text(c: str, rng: random.Random) -> dict[str, Any]:
    inner = json.dumps({"contact": f"{c}", "n": rng.randrange(9)})
    return _text(json.dumps({"payload": inner, "kind": "wrapped"}, indent=rng.choice([None, 2])))


def unicode_neighbours(c: str, rng: random.Random) -> dict[str, Any]:
    left, right = rng.choice(NEIGHBOURS), rng.choice(NEIGHBOURS)
    return _text(f"Kontakt{left}{c}{right}danach")


def url_encoded(c: str, rng: random.Random) -> dict[str, Any]:
    enc = rng.choice([quote(c, safe=""), quote_plus(c), quote(c, safe="@")])
    return _text(f"https://crm.example/search?q={enc}&page=2")


def error_text(c: str, rng: random.Random) -> dict[str, Any]:
    return {"content": [{"type": "text", "text": f"lookup failed for {c}"}], "isError": True}


def text_blob(c: str, rng: random.Random) -> dict[str, Any]:
    mime, body = rng.choice(
        [
            ("text/plain", f"row: {c}\n"),
            ("application/json", json.dumps({"email_or_id": c})),
            ("text/csv", f"a,{c}\n"),
        ]
    )
    blob = base64.b64encode(body.encode()).decode()
    return {
        "content": [{"type": "resource", "resource": {"uri": "crm://export", "mimeType": mime, "blob": blob}}]
    }


def gzip_blob(c: str, rng: random.Random) -> dict[str, Any]:
    blob = base64.b64encode(gzip.compress(f"export\n{c}\n".encode())).decode()
    resource = {"uri": "crm://export.gz", "mimeType": "application/gzip", "blob": blob}
    return {"content": [{"type": "resource", "resource": resource}]}


def key_over_embedded_json(c: str, rng: random.Random) -> dict[str, Any]:
    """A value that is a key *and* holds JSON inside text that must be patched too (a fuzzer find)."""
    other = rng.choice([k for k in CANARIES if k != c])
    return _text(json.dumps({c: json.dumps({"inner": json.dumps({"1": other})})}))


def escaped_json_as_key(c: str, rng: random.Random) -> dict[str, Any]:
    """JSON text used as an object key is not parsed: its escapes (`\\t`) glue a letter to the value (a
    fuzzer find)."""
    glue = rng.choice(["\t", "\n", "ä"])
    key = json.dumps(json.dumps({"k": glue + c + "\r"}))
    return {"content": [], "structuredContent": {key: 1}}


VARIANTS: dict[str, Variant] = {
    "object key": object_key,
    "deep array": deep_array,
    "JSON inside text": json_in_text,
    "JSON inside JSON inside text": json_in_json_in_text,
    "unicode neighbours": unicode_neighbours,
    "URL-encoded": url_encoded,
    "error text": error_text,
    "text blob": text_blob,
    "gzip blob": gzip_blob,
    "key over embedded JSON": key_over_embedded_json,
    "escaped JSON as a key": escaped_json_as_key,
}


def cases(n: int, seed: int = 8) -> Iterator[tuple[str, dict[str, Any], list[str]]]:
    """Every variant with every canary once, then random ones up to `n`: (variant, result, canaries)."""
    rng = random.Random(seed)
    i = 0
    for name, make in VARIANTS.items():
        for c in CANARIES:
            result = make(c, rng)
            yield name, result, _hidden(result, c)
            i += 1
    while i < n:
        name = rng.choice(list(VARIANTS))
        c = rng.choice(list(CANARIES))
        result = VARIANTS[name](c, rng)
        yield name, result, _hidden(result, c)
        i += 1


def _hidden(result: dict[str, Any], c: str) -> list[str]:
    view = client_view(result)
    return [k for k in CANARIES if k in view] or [c]


_BLOB = re.compile(r'"blob": "([A-Za-z0-9+/=]*)"')


def client_view(payload: Any) -> str:
    """Everything readable in a payload: its JSON, its URL-decoded forms, its blobs decoded."""
    text = json.dumps(payload, ensure_ascii=False)
    parts = [text, unquote(text), unquote_plus(text)]
    for m in _BLOB.finditer(text):
        raw = base64.b64decode(m.group(1))
        with contextlib.suppress(OSError):
            raw = gzip.decompress(raw)
        parts.append(raw.decode("utf-8", errors="replace"))
    return "\n".join(parts)
