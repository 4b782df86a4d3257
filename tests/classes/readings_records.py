"""The judge's reading of a record written as text, without the product's code: a reader of
`<ssn><first3>123</first3><middle2>45</middle2><last4>6789</last4></ssn>`, of the same record in YAML, or of
a CSV row `DE,89,370400440532013000` reads each record's values as one value (glued, and `@` between them).

XML is read by ElementTree (each element with children: its children's texts), YAML by PyYAML (each
mapping's and list's scalars), a delimited line by splitting it on its delimiter.
"""

from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import yaml

_DELIMITED = re.compile(r"^[^\n]*[,;\t|][^\n]*$", re.MULTILINE)
_YAML_NESTED = re.compile(r":[ \t]*\r?\n[ \t]+\S")
_MAX = 8192


def readings(text: str) -> Iterator[str]:
    if len(text) > _MAX:
        return
    if "</" in text:
        with contextlib.suppress(ET.ParseError, ValueError):
            yield from _elements(ET.fromstring(text.strip()))
    if _YAML_NESTED.search(text):
        with contextlib.suppress(yaml.YAMLError, ValueError, TypeError):
            yield from records(yaml.safe_load(text))
    for m in _DELIMITED.finditer(text):
        cells = [c.strip().strip("\"'") for c in re.split(r"[,;\t|]", m.group())]
        yield " ".join(cells)


def _elements(node: ET.Element) -> Iterator[str]:
    children = list(node)
    if children:
        texts = [(c.text or "").strip() for c in children if not list(c)]
        if len(texts) >= 2:
            yield " ".join(texts)
        for c in children:
            yield from _elements(c)


def records(node: Any) -> Iterator[str]:
    """Each mapping's and list's short scalars read as one value."""
    if isinstance(node, dict | list):
        values = list(node.values()) if isinstance(node, dict) else node
        scalars = [str(v) for v in values if type(v) in (str, int) and len(str(v)) <= 64]
        if 2 <= len(scalars) <= 12:
            yield " ".join(scalars)
        for v in values:
            yield from records(v)
