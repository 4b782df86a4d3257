"""`veil.toml`: several named backends behind one front, and which of them may share tokens.

```toml
policy = ["policies/default.yaml"]          # optional: policy files for every backend (else the shipped set)
catalog = "compact"                         # optional: tools/list compact, or "search" (see docs/results.md)

[backends.ads]                              # the name: lowercase letters, digits, hyphens; no "__"
command = ["python", "-m", "examples.google_ads_server"]
env = { ADS_REGION = "eu" }                 # optional: extra environment for this subprocess
policy = ["policies/google-ads.yaml"]       # optional: this backend's own policy files

[backends.console]
url = "https://mcp.example/mcp"             # an HTTP backend instead of a command
transport = "streamable-http"               # optional: "sse" for legacy SSE
headers_env = { Authorization = "CONSOLE_TOKEN" }   # header -> environment variable holding its value

[[share]]                                   # optional: tokens of ads values may also reach console
from = "ads"
to = ["console"]                            # or ["*"]: every backend
entities = ["EMAIL_ADDRESS"]                # optional: only these entity types (default: all)
```

Errors name the file and the option; header values are read from the proxy's environment, never from the
file nor from the client.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proxy.errors import ConfigError

NAME_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?")
SEPARATOR = "__"  # namespaced names: `ads__list_campaigns`
_BACKEND_KEYS = {"command", "url", "transport", "headers_env", "env", "policy"}
_SHARE_KEYS = {"from", "to", "entities"}


@dataclass(frozen=True)
class BackendSpec:
    name: str
    command: tuple[str, ...] = ()
    url: str | None = None
    transport: str = "auto"
    headers_env: Mapping[str, str] = field(default_factory=dict)  # header name -> environment variable
    env: Mapping[str, str] = field(default_factory=dict)
    policy: tuple[Path, ...] = ()  # this backend's own policy files (instead of the config's `policy`)


@dataclass(frozen=True)
class ShareRule:
    source: str
    targets: tuple[str, ...]  # backend names, or "*"
    entities: tuple[str, ...] | None = None  # None: every entity type


@dataclass(frozen=True)
class BackendsConfig:
    source: str
    backends: tuple[BackendSpec, ...]
    policies: tuple[Path, ...] = ()
    shares: tuple[ShareRule, ...] = ()
    catalog: str | None = None  # `catalog = "compact"` or `"search"`: how the merged tools/list is shown

    def names(self) -> list[str]:
        return [b.name for b in self.backends]

    def shares_token(self, entity: str, producer: str | None, consumer: str | None) -> bool:
        """May a token of `entity` produced by `producer` be detokenized toward `consumer`? Its own
        backend always; another only where a `[[share]]` rule says so. `consumer` None (a message fanned
        out to every backend) needs a rule naming "*"."""
        if producer is not None and producer == consumer:
            return True
        for rule in self.shares:
            if rule.source != producer:
                continue
            if rule.entities is not None and entity not in rule.entities:
                continue
            if "*" in rule.targets or (consumer is not None and consumer in rule.targets):
                return True
        return False


def load_backends(path: str | Path) -> BackendsConfig:
    """Parse and validate a `veil.toml`; ConfigError names the file and the option."""
    src = str(path)
    try:
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{src}: cannot read the file ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{src}: not valid TOML: {exc}") from None
    unknown = set(doc) - {"backends", "policy", "share", "catalog"}
    if unknown:
        raise ConfigError(
            f"{src}: unknown option {sorted(unknown)[0]!r} (expected backends, policy, share, catalog)"
        )
    catalog = doc.get("catalog")
    if catalog not in (None, "full", "compact", "search"):
        raise ConfigError(f'{src}: catalog: expected "full", "compact" or "search"')
    base = Path(src).parent
    policies = tuple(base / p for p in _strings(doc.get("policy", []), src, "policy"))
    raw = doc.get("backends")
    if not isinstance(raw, dict) or not raw:
        raise ConfigError(f"{src}: backends: give at least one [backends.NAME] table")
    backends = tuple(_backend(name, spec, src, base) for name, spec in raw.items())
    shares = tuple(_share(i, r, src, {b.name for b in backends}) for i, r in enumerate(_list(doc, src)))
    return BackendsConfig(src, backends, policies, shares, catalog)


def header_values(spec: BackendSpec, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The backend's headers, each read from its environment variable. ValueError names a missing one
    (never a value)."""
    env = os.environ if environ is None else environ
    out: dict[str, str] = {}
    for header, var in spec.headers_env.items():
        if var not in env:
            raise ValueError(f"backend {spec.name!r}: header {header!r} needs the environment variable {var}")
        out[header] = env[var]
    return out


def _backend(name: Any, spec: Any, src: str, base: Path) -> BackendSpec:
    where = f"{src}: backends.{name}"
    if not isinstance(name, str) or not NAME_RE.fullmatch(name) or SEPARATOR in name:
        raise ConfigError(
            f"{where}: invalid backend name (lowercase letters, digits and single hyphens, "
            f"at most 32 characters, no {SEPARATOR!r})"
        )
    if not isinstance(spec, dict):
        raise ConfigError(f"{where}: must be a table")
    unknown = set(spec) - _BACKEND_KEYS
    if unknown:
        raise ConfigError(f"{where}.{sorted(unknown)[0]}: unknown option")
    command = tuple(_strings(spec.get("command", []), src, f"backends.{name}.command"))
    url = spec.get("url")
    if (not command) == (url is None):
        raise ConfigError(f"{where}: give exactly one of command (a list) or url")
    if url is not None and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
        raise ConfigError(f"{where}.url: must be an http:// or https:// URL")
    transport = spec.get("transport", "auto")
    if transport not in ("auto", "streamable-http", "sse"):
        raise ConfigError(f"{where}.transport: must be auto, streamable-http or sse")
    headers_env = _table(spec.get("headers_env", {}), f"{where}.headers_env")
    if headers_env and url is None:
        raise ConfigError(f"{where}.headers_env: applies to a url backend only")
    for var in headers_env.values():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", var):
            raise ConfigError(f"{where}.headers_env: {var!r} is not an environment variable name")
    env = _table(spec.get("env", {}), f"{where}.env")
    if env and url is not None:
        raise ConfigError(f"{where}.env: applies to a command backend only")
    policy = tuple(base / p for p in _strings(spec.get("policy", []), src, f"backends.{name}.policy"))
    return BackendSpec(name, command, url, transport, headers_env, env, policy)


def _share(i: int, rule: Any, src: str, names: set[str]) -> ShareRule:
    where = f"{src}: share[{i}]"
    if not isinstance(rule, dict):
        raise ConfigError(f"{where}: must be a table")
    unknown = set(rule) - _SHARE_KEYS
    if unknown:
        raise ConfigError(f"{where}.{sorted(unknown)[0]}: unknown option")
    source = rule.get("from")
    if source not in names:
        raise ConfigError(f"{where}.from: {source!r} is not a configured backend")
    targets = tuple(_strings(rule.get("to", []), src, f"share[{i}].to"))
    if not targets:
        raise ConfigError(f'{where}.to: name at least one backend, or "*"')
    for t in targets:
        if t != "*" and t not in names:
            raise ConfigError(f"{where}.to: {t!r} is not a configured backend")
    entities = rule.get("entities")
    if entities is not None:
        entities = tuple(_strings(entities, src, f"share[{i}].entities"))
        for e in entities:
            if not re.fullmatch(r"[A-Z][A-Z0-9_]{0,47}", e):
                raise ConfigError(f"{where}.entities: {e!r} is not an entity type (e.g. EMAIL_ADDRESS)")
    return ShareRule(source, targets, entities)


def _list(doc: dict[str, Any], src: str) -> list[Any]:
    shares = doc.get("share", [])
    if not isinstance(shares, list):
        raise ConfigError(f"{src}: share: use [[share]] tables")
    return shares


def _strings(value: Any, src: str, option: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{src}: {option}: must be a list of non-empty strings")
    return list(value)


def _table(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(f"{where}: must be a table of strings")
    return dict(value)
