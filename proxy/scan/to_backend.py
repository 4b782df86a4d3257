"""Toward the backend: every string leaf and object key is searched for tokens, which are replaced by their
values (percent-encoded tokens in URLs included). A token written slightly off (`token_near`: another
case, lookalike brackets, escaped, base64, split over two arguments) is reported too, under a name that
never resolves, so the message is refused rather than forwarded with it."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from proxy.errors import check_depth
from proxy.scan.token_near import near_misses, split_near_misses
from vault.tokens import ENTITY_RE, TOKEN_LIKE_RE, TOKEN_MARK

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


def _blank_exact(text: str) -> str:
    """The text with its exact tokens (plain or percent-encoded: they resolve) blanked."""
    if TOKEN_MARK in text:
        text = TOKEN_LIKE_RE.sub(" ", text)
    if "%5" in text:
        text = ENCODED_TOKEN_LIKE_RE.sub(" ", text)
    return text


def find_token_strings(payload: Any, max_depth: int) -> dict[str, list[str]]:
    """Every string (leaf or key) holding something token-shaped, with the token-shaped parts found: exact
    tokens, and near misses (`token_near`), also of a token split over several string values."""
    found: dict[str, list[str]] = {}
    values: list[str] = []  # string values, last first
    blanked: dict[str, str] = {}
    stack: list[tuple[Any, int, bool]] = [(payload, 0, False)]
    while stack:
        node, depth, is_key = stack.pop()
        check_depth(depth, max_depth)
        if isinstance(node, str):
            if not is_key:
                values.append(node)
            if node not in blanked:
                hits = _token_hits(node)
                blanked[node] = rest = _blank_exact(node) if hits else node
                hits.extend(near_misses(rest))
                if hits:
                    found[node] = hits
        elif isinstance(node, dict):
            for k, v in node.items():
                stack.append((k, depth + 1, True))
                stack.append((v, depth + 1, False))
        elif isinstance(node, list):
            stack.extend((v, depth + 1, False) for v in node)
    values.reverse()  # the walk pops children last first: reversed, the values stand in document order
    for text, hits in split_near_misses(values, [blanked[v] for v in values]).items():
        found.setdefault(text, []).extend(hits)
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
