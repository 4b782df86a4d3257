"""A policy's `sandbox:` section on its own: its schema, how the files' sections merge, and reading just
that section from the policy files before the rest of the policy is loaded.

`veil run` starts its backend before it loads the rest of itself (`proxy.transports.spawn`), and the
backend's start needs only this section (its environment, limits, isolation). The full schema (pydantic)
builds every section's models at import, most of the proxy's own time before the backend could start; so
the section is read here first, by hand and strictly (`early_sandbox`), and the full policy, loaded while
the backend starts, must agree with it (`proxy.cli.run` refuses the start otherwise). Anything this reading
cannot settle (a file that does not parse, a section that is not plainly valid) makes it answer None: the
caller then loads the whole policy before starting anything, and its error is the full loader's, naming
file, line and option.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from proxy.sandbox import SandboxSpec


class _Limits(Protocol):
    @property
    def address_space_mb(self) -> int | None: ...
    @property
    def cpu_seconds(self) -> int | None: ...
    @property
    def open_files(self) -> int | None: ...


class Section(Protocol):
    """A file's `sandbox:` section: the schema's validated model, or `_Read` below."""

    @property
    def env(self) -> str | None: ...
    @property
    def env_allow(self) -> Sequence[str]: ...
    @property
    def limits(self) -> _Limits | None: ...
    @property
    def on_exit(self) -> str | None: ...
    @property
    def isolate(self) -> bool | None: ...
    @property
    def network(self) -> str | None: ...
    @property
    def writable(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class _ReadLimits:
    address_space_mb: int | None = None
    cpu_seconds: int | None = None
    open_files: int | None = None


@dataclass(frozen=True)
class _Read:
    env: str | None = None
    env_allow: tuple[str, ...] = ()
    limits: _ReadLimits | None = None
    on_exit: str | None = None
    isolate: bool | None = None
    network: str | None = None
    writable: tuple[str, ...] = ()


# What the schema (`proxy.policy.schema.SandboxSpecFile`) accepts, read strictly: a value of another type
# (one pydantic might coerce) is not settled here.
_CHOICES = {"env": ("inherit", "scrub"), "on_exit": ("end", "restart"), "network": ("none", "host")}
_LISTS = ("env_allow", "writable")
_LIMIT_MINIMUM = {"address_space_mb": 16, "cpu_seconds": 0, "open_files": 8}


def _section(data: object) -> _Read | None:
    if not isinstance(data, dict) or not set(data) <= {*_CHOICES, *_LISTS, "limits", "isolate"}:
        return None
    for key, choices in _CHOICES.items():
        if data.get(key) is not None and data[key] not in choices:
            return None
    lists = {k: data.get(k) or [] for k in _LISTS}
    if not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in lists.values()):
        return None
    if any(not p.startswith("/") or not Path(p).exists() for p in lists["writable"]):
        return None
    isolate = data.get("isolate")
    if isolate is not None and not isinstance(isolate, bool):
        return None
    limits = data.get("limits")
    read_limits = None
    if limits is not None:
        if not isinstance(limits, dict) or not set(limits) <= set(_LIMIT_MINIMUM):
            return None
        for key, minimum in _LIMIT_MINIMUM.items():
            value = limits.get(key)
            if value is not None and (type(value) is not int or value <= minimum):
                return None
        read_limits = _ReadLimits(**limits)
    return _Read(
        env=data.get("env"),
        env_allow=tuple(lists["env_allow"]),
        limits=read_limits,
        on_exit=data.get("on_exit"),
        isolate=isolate,
        network=data.get("network"),
        writable=tuple(lists["writable"]),
    )


def merged(spec: SandboxSpec, sb: Section) -> SandboxSpec:
    """`spec` with a later policy file's section over it: lists add up, a given option wins."""
    lim = sb.limits
    return replace(
        spec,
        env=sb.env or spec.env,
        on_exit=sb.on_exit or spec.on_exit,
        env_allow=(*spec.env_allow, *sb.env_allow),
        address_space_mb=lim.address_space_mb if lim and lim.address_space_mb else spec.address_space_mb,
        cpu_seconds=lim.cpu_seconds if lim and lim.cpu_seconds else spec.cpu_seconds,
        open_files=lim.open_files if lim and lim.open_files else spec.open_files,
        isolate=sb.isolate if sb.isolate is not None else spec.isolate,
        network=sb.network or spec.network,
        writable=(*spec.writable, *sb.writable),
    )


def early_sandbox(files: Sequence[Path]) -> SandboxSpec | None:
    """The backend's sandbox as the policy `files` give it, read before the rest of the policy; None when
    this reading cannot settle it (see the module doc)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec = SandboxSpec()
    try:
        for path in files:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
            if not isinstance(data, dict):
                return None
            if data.get("sandbox") is not None:
                section = _section(data["sandbox"])
                if section is None:
                    return None
                spec = merged(spec, section)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):  # the full loader words it
        return None
    return spec


def start_fields(spec: SandboxSpec) -> SandboxSpec:
    """What of a sandbox a backend's start depends on: all but the stdout line bound, which the reader
    applies (it comes from another section, `limits.max_message_bytes`)."""
    return replace(spec, max_line_bytes=None)
