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

from dataclasses import dataclass, field
from typing import Any

import orjson

from proxy.errors import LimitExceeded
from proxy.policy import Policy, ToolRules, normalize_key
from vault.tokens import TOKEN_LIKE_RE, TOKEN_MARK

# Methods whose results describe the server (tool schemas, prompt and template lists): key-name rules do not
# apply there (`email` is a parameter name in a schema, not a value), detection still does.
_DESCRIPTIVE_METHODS = frozenset(
    {"initialize", "server/discover", "tools/list", "prompts/list", "resources/templates/list"}
)
_STRUCTURED_ROOTS = frozenset({"structuredContent"})


def key_rules_apply(method: str | None) -> bool:
    return method not in _DESCRIPTIVE_METHODS


def _looks_like_json(text: str) -> bool:
    s = text.lstrip()
    return len(s) >= 2 and (s[0] == "{" or s[0] == "[")


@dataclass
class ScanPlan:
    """What a to-client payload holds that needs the vault or the detector."""

    field_values: dict[tuple[str, str], None] = field(default_factory=dict)  # (entity, value), ordered set
    texts: dict[str, None] = field(default_factory=dict)  # unique strings for the detector
    embedded: dict[str, Any] = field(default_factory=dict)  # JSON text -> parsed document
    size: int = 0


class ToClientWalker:
    """Collects a payload's scannable strings, then rebuilds it with replacements."""

    def __init__(self, policy: Policy, rules: ToolRules | None) -> None:
        self.max_depth = policy.max_depth
        self.max_bytes = policy.max_message_bytes
        self.skip = policy.skip_keys
        self.allow = policy.allow_list
        self.keys = rules.keys if rules is not None else {}
        self.rules = rules
        self.has_paths = bool(rules and rules.paths)

    # ------------------------------------------------------------------ pass 1
    def collect(self, payload: Any) -> ScanPlan:
        plan = ScanPlan()
        self._collect(payload, None, [], 0, False, plan)
        return plan

    def _entity(self, key: str | None, path: list[str | int], in_doc: bool) -> str | None:
        if self.has_paths and in_doc and self.rules is not None:
            entity = self.rules.path_entity(path)
            if entity is not None:
                return entity
        if key is not None and self.keys:
            return self.keys.get(normalize_key(key))
        return None

    def _collect(
        self, node: Any, key: str | None, path: list[str | int], depth: int, in_doc: bool, plan: ScanPlan
    ) -> None:
        if depth > self.max_depth:
            raise LimitExceeded(
                f"mcp-veil blocked this message: nesting deeper than the limit of {self.max_depth}"
            )
        if isinstance(node, str):
            plan.size += len(node)
            if plan.size > self.max_bytes:
                raise LimitExceeded(
                    f"mcp-veil blocked this message: larger than the limit of {self.max_bytes} bytes"
                )
            entity = self._entity(key, path, in_doc)
            if entity is not None:
                if node and node not in self.allow:
                    plan.field_values[(entity, node)] = None
                return
            if key is not None and normalize_key(key) in self.skip:
                return
            if _looks_like_json(node):
                doc = plan.embedded.get(node)
                if doc is None:
                    doc = _parse_json(node)
                    if doc is not None:
                        plan.embedded[node] = doc
                        self._collect(doc, None, [], depth + 1, True, plan)
                        return
                else:
                    return
            plan.texts[node] = None
        elif isinstance(node, dict):
            for k, v in node.items():
                if isinstance(k, str):
                    plan.texts[k] = None
                child_in_doc = in_doc or k in _STRUCTURED_ROOTS
                if self.has_paths:
                    if k in _STRUCTURED_ROOTS and not in_doc:
                        self._collect(v, k, [], depth + 1, True, plan)
                        continue
                    path.append(k)
                    self._collect(v, k, path, depth + 1, child_in_doc, plan)
                    path.pop()
                else:
                    self._collect(v, k, path, depth + 1, child_in_doc, plan)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                if self.has_paths:
                    path.append(i)
                    self._collect(v, key, path, depth + 1, in_doc, plan)
                    path.pop()
                else:
                    self._collect(v, key, path, depth + 1, in_doc, plan)
        elif isinstance(node, int | float) and not isinstance(node, bool):
            entity = self._entity(key, path, in_doc)
            if entity is not None:
                plan.field_values[(entity, _number_text(node))] = None

    # ------------------------------------------------------------------ pass 2
    def rewrite(
        self, payload: Any, plan: ScanPlan, field_tokens: dict[tuple[str, str], str], texts: dict[str, str]
    ) -> Any:
        self._field_tokens = field_tokens
        self._texts = texts
        self._plan = plan
        self._rewritten_docs: dict[str, str] = {}
        return self._rewrite(payload, None, [], False)

    def _rewrite(self, node: Any, key: str | None, path: list[str | int], in_doc: bool) -> Any:
        if isinstance(node, str):
            entity = self._entity(key, path, in_doc)
            if entity is not None:
                return self._field_tokens.get((entity, node), node)
            if key is not None and normalize_key(key) in self.skip:
                return node
            doc = self._plan.embedded.get(node)
            if doc is not None:
                done = self._rewritten_docs.get(node)
                if done is None:
                    new_doc = self._rewrite(doc, None, [], True)
                    done = node if new_doc is doc else _dump_like(node, new_doc)
                    self._rewritten_docs[node] = done
                return done
            return self._texts.get(node, node)
        if isinstance(node, dict):
            out: dict[str, Any] | None = None
            for i, (k, v) in enumerate(node.items()):
                nk = self._texts.get(k, k) if isinstance(k, str) else k
                if k in _STRUCTURED_ROOTS and not in_doc and self.has_paths:
                    nv = self._rewrite(v, k, [], True)
                elif self.has_paths:
                    path.append(k)
                    nv = self._rewrite(v, k, path, in_doc or k in _STRUCTURED_ROOTS)
                    path.pop()
                else:
                    nv = self._rewrite(v, k, path, in_doc or k in _STRUCTURED_ROOTS)
                if out is None and (nk is not k or nv is not v):
                    out = dict(list(node.items())[:i])
                if out is not None:
                    out[nk] = nv
            return node if out is None else out
        if isinstance(node, list):
            lst: list[Any] | None = None
            for i, v in enumerate(node):
                if self.has_paths:
                    path.append(i)
                    nv = self._rewrite(v, key, path, in_doc)
                    path.pop()
                else:
                    nv = self._rewrite(v, key, path, in_doc)
                if lst is None and nv is not v:
                    lst = node[:i]
                if lst is not None:
                    lst.append(nv)
            return node if lst is None else lst
        if isinstance(node, int | float) and not isinstance(node, bool):
            entity = self._entity(key, path, in_doc)
            if entity is not None:
                return self._field_tokens.get((entity, _number_text(node)), node)
        return node


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
            if TOKEN_MARK in node and node not in found:
                hits = [m.group(0) for m in TOKEN_LIKE_RE.finditer(node)]
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
        if TOKEN_MARK not in text:
            return text
        return TOKEN_LIKE_RE.sub(lambda m: values.get(m.group(0), m.group(0)), text)

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
