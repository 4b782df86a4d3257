"""Egress rules by class: where in a message a token sits, and whether a rule keeps real values out of it.

A rule names argument keys, not top-level argument names only. A token's place is the path of object keys
from the message's argument root down to it (list positions are not part of it), and an argument pattern
holds wherever that path shows it:

- names are compared normalized (NFKC, case-folded, every character that is not a letter or digit
  dropped), so `callbackUrl`, `callback_url`, `CALLBACK-URL` and `callback url` are one name; a key written
  with dots or slashes (`"options.webhook"`) also counts as its parts;
- `url` holds for a token anywhere under a key named `url`, at any depth (`request.url`, a list of
  objects, `options.webhook.url.query`); a dotted pattern `request.url` holds where those keys follow each
  other on the path;
- the argument root depends on the method: `tools/call` and `prompts/get` start at `arguments`;
  `completion/complete` names the completed argument's value by the argument's `name` and starts
  `context.arguments` at its keys; the client's answer to `elicitation/create` starts at its `content`;
  everything else (`resources/read`'s `uri`, `resources/subscribe`, a sampling result, notifications)
  at the message's params or result.

A rule applies to a message when its `backend`, `method` and `tool` globs all match: `method` is the
message's method (for the client's answer to a backend request, the method of that request), `tool` the
called tool's name, and the empty string for messages that call no tool, which only `*` matches.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from proxy.errors import check_depth
from proxy.policy.keys import normalize_key

if TYPE_CHECKING:
    from proxy.policy.schema import EgressRule

Path = tuple[str, ...]

_NOT_PATTERN = re.compile(r"[^\w*?\[\]!]+|_+")
_SPLIT = re.compile(r"[./]+")
_MAX_SHOWN = 200  # characters of a path named in an error


@lru_cache(maxsize=8192)
def key_views(key: str) -> tuple[str, ...]:
    """A key's normalized name, then those of its dotted/slashed parts (if it has several)."""
    whole = _normalize(key)
    parts = [p for p in (_normalize(s) for s in _SPLIT.split(key)) if p]
    return (whole, *parts) if len(parts) > 1 else (whole,)


def _normalize(text: str) -> str:
    return normalize_key(text)  # the one key normalization (NFKC, confusables, case, separators)


@lru_cache(maxsize=1024)
def compile_pattern(pattern: str) -> tuple[str, ...]:
    """`Request.Callback_URL` → ("request", "callbackurl"): one glob per key, normalized like keys."""
    text = unicodedata.normalize("NFKC", pattern).casefold()
    return tuple(p for p in (_NOT_PATTERN.sub("", s) for s in text.split(".")) if p) or ("",)


def _key_matches(glob: str, key: str) -> bool:
    return any(fnmatch.fnmatchcase(view, glob) for view in key_views(key))


def path_matches(pattern: str, path: Path) -> bool:
    """Whether the pattern's keys appear, one after another, somewhere on the path."""
    globs = compile_pattern(pattern)
    n = len(globs)
    for start in range(len(path) - n + 1):
        if all(_key_matches(g, path[start + i]) for i, g in enumerate(globs)):
            return True
    return False


def rule_applies(rule: EgressRule, backend: str, method: str, tool: str) -> bool:
    return (
        fnmatch.fnmatchcase(backend, rule.backend)
        and fnmatch.fnmatchcase(method, rule.method)
        and fnmatch.fnmatchcase(tool, rule.tool)
    )


def verdict(
    rules: Sequence[EgressRule], default: str, backend: str, method: str, tool: str, path: Path
) -> bool:
    """Whether a token at `path` may become its real value: any matching deny wins, then any allow, then
    the default."""
    allowed: bool | None = None
    for rule in rules:
        if not rule_applies(rule, backend, method, tool):
            continue
        if any(path_matches(p, path) for p in rule.deny):
            return False
        if allowed is None and any(path_matches(p, path) for p in rule.allow):
            allowed = True
    return allowed if allowed is not None else default == "allow"


def token_paths(
    payload: Any, holders: dict[str, list[str]] | set[str], max_depth: int
) -> Iterator[tuple[Any, ...]]:
    """The full path (keys and list positions) of every string in `holders` (the strings holding
    something token-shaped), as a value or as a key; a key's path ends with the key itself."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(payload, ())]
    while stack:
        node, path = stack.pop()
        check_depth(len(path), max_depth)
        if isinstance(node, str):
            if node in holders:
                yield path
        elif isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and key in holders:
                    yield (*path, key)
                stack.append((value, (*path, key)))
        elif isinstance(node, list):
            stack.extend((value, (*path, i)) for i, value in enumerate(node))


def argument_path(method: str, kind: str, payload: Any, full: tuple[Any, ...]) -> Path:
    """The keys of a token's place from the method's argument root (see the module's docstring)."""
    root: tuple[Any, ...] = full
    if kind == "request":
        if method in ("tools/call", "prompts/get") and full[:1] == ("arguments",):
            root = full[1:]
        elif method == "completion/complete":
            if full[:2] == ("argument", "value"):
                argument = payload.get("argument") if isinstance(payload, dict) else None
                name = argument.get("name") if isinstance(argument, dict) else None
                root = (name if isinstance(name, str) else "value", *full[2:])
            elif full[:2] == ("context", "arguments"):
                root = full[2:]
    elif kind == "response" and method == "elicitation/create" and full[:1] == ("content",):
        root = full[1:]
    return tuple(str(k) for k in root if not isinstance(k, int))


def shown(path: Path) -> str:
    """A path as named in an error: dotted, bounded (keys come from the model)."""
    text = ".".join(path) or "(top level)"
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"
