"""logfmt lines on a backend's stderr (red team round nine): `level=info user_email=ana@x.io
customer_id=1234567890 name="Ana Ruiz" phone=5551234567`.

`keyed_line`: one to three pairs whose key a key rule of the shipped policy names (its field-rule keys,
spelled every way a logger writes them: camelCase, snake_case, kebab-case, UPPER_SNAKE, PascalCase), each
value quoted when it must be (a blank, a quote) and perhaps when it need not, among a logger's ordinary
pairs (`level`, `msg`, `duration_ms`, `status`), in any order, perhaps after a timestamp or a tag.
`cut_line`: the same pairs, with ordinary pairs after them past `MAX_LINE_CHARS`, so the line is cut.
`metrics_line`: an ordinary logfmt line (levels, routes, durations, byte counts, trace ids) that must be
written as it came.
"""

from __future__ import annotations

import re
from random import Random
from typing import Any

from tests.classes.org_cases import spell
from tests.proxy.test_backend_stderr_classes import _value, _words

_MSGS = ("synced", "fetch done", "request handled", "cache refreshed", "retrying upstream")
_PREFIXES = ("", "", "time=2026-12-07T15:04:05.123Z ", "2026-12-07T15:04:05Z ", "[sync] ", "ts=1765119845 ")


def _quoted(text: str, rng: Random) -> str:
    """A logfmt value: bare where it can be, quoted (its quotes and backslashes escaped) where it must be
    or where the logger quotes everything."""
    if re.search(r'[\s"=\\]', text) or not text or rng.random() < 0.3:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _ordinary(rng: Random) -> list[str]:
    msg = rng.choice(_MSGS)
    pairs = [
        f"level={rng.choice(('info', 'debug', 'warn', 'INFO'))}",
        f"msg={_quoted(msg, rng)}",
        f"duration_ms={rng.randint(1, 9999)}",
        f"status={rng.choice((200, 201, 204, 404, 500))}",
        f"path={rng.choice(('/v1/sync', '/v1/items', '/healthz'))}",
    ]
    return rng.sample(pairs, rng.randint(2, len(pairs)))


def keyed_pairs(rng: Random, keys: dict[str, str]) -> list[tuple[str, Any]]:
    """(pair as written, value) for one to three keyed pairs."""
    names = sorted(keys)
    out = []
    for _ in range(rng.randint(1, 3)):
        nk = rng.choice(names)
        value = _value(rng, keys[nk])
        out.append((f"{spell(_words(nk), rng)}={_quoted(str(value), rng)}", value))
    return out


def keyed_line(rng: Random, keys: dict[str, str]) -> tuple[str, list[Any]]:
    keyed = keyed_pairs(rng, keys)
    if rng.random() < 0.15:  # the keyed pairs alone: the line starts with one, nothing else to read
        return " ".join(p for p, _ in keyed), [v for _, v in keyed]
    pairs = [*_ordinary(rng), *(p for p, _ in keyed)]
    rng.shuffle(pairs)
    return rng.choice(_PREFIXES) + " ".join(pairs), [v for _, v in keyed]


def cut_line(rng: Random, keys: dict[str, str], limit: int) -> tuple[str, list[Any]]:
    """A keyed line, then ordinary pairs until the line is longer than `limit`: the cut comes after the
    keyed pairs (what the cut keeps is scanned)."""
    line, values = keyed_line(rng, keys)
    pad = " ".join(f"k{i}={rng.randint(0, 99)}" for i in range(limit // 5))
    head = " ".join(f"f{i}=ok" for i in range(rng.randint(0, (limit - len(line)) // 6 - 10)))
    return (head + " " if head else "") + line + " " + pad, values


def metrics_line(rng: Random) -> str:
    pairs = [
        f"level={rng.choice(('info', 'debug', 'warn'))}",
        f"msg={_quoted(rng.choice(_MSGS), rng)}",
        f"method={rng.choice(('GET', 'POST'))}",
        f"path={rng.choice(('/v1/sync', '/v1/items', '/healthz'))}",
        f"status={rng.choice((200, 204, 304, 404))}",
        f"duration_ms={rng.randint(0, 9999)}",
        f"bytes={rng.randint(0, 10**10)}",
        f"retries={rng.randint(0, 5)}",
        f"trace_id={rng.getrandbits(64):016x}",
        f"items={rng.randint(0, 500)}",
        f"version=v{rng.randint(1, 3)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
        f"host={rng.choice(('web-1', 'api-2', 'worker-3'))}",
        f"user_agent={_quoted(rng.choice(('curl/8.4.0', 'Go-http-client/1.1')), rng)}",
    ]
    return rng.choice(_PREFIXES) + " ".join(rng.sample(pairs, rng.randint(4, len(pairs))))


def shown(value: Any, out: str) -> bool:
    """Whether `value` is written in `out` as a word of its own (as written, or JSON-escaped)."""
    text = str(value)
    forms = {text, text.replace('"', '\\"')}
    return any(re.search(r"(?<![\w.@-])" + re.escape(f) + r"(?![\w@-])", out) for f in forms)
