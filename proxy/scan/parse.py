"""JSON carried inside strings: read with orjson, written back as what was read.

orjson is the one parser whose reading counts: what it rejects (NaN, Infinity, comments, a BOM, trailing
bytes, lone surrogates, numbers past 64 bits it cannot hold exactly) is no document here and is scanned as
plain text, so the detectors see the raw characters. What it accepts is forwarded as its own serialization
whenever that differs from the text (a duplicate key, a `\\u` escape, a float written another way): a
client's parser then has nothing to read differently.
"""

from __future__ import annotations

from typing import Any

import orjson

from proxy.scan.plan import dump_like


def looks_like_json(text: str) -> bool:
    s = text.lstrip()
    return len(s) >= 2 and (s[0] == "{" or s[0] == "[")


def parse_json(text: str) -> Any:
    """The object or array `text` holds, or None."""
    try:
        doc = orjson.loads(text)
    except (orjson.JSONDecodeError, TypeError):
        return None
    return doc if isinstance(doc, dict | list) else None


def serialization_of(text: str, doc: Any) -> str:
    """What the walker writes for this document (compact, or indented like the original)."""
    return dump_like(text, doc)


def structured_json(value: Any, indented: bool) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 if indented else 0)
