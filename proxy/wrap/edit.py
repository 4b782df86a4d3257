"""Wrap or unwrap the servers of one config file: the new text, the notes, and what unwrap needs.

Each server's object is the only text that changes; the edits are applied from the end of the file so the
offsets of the others hold. What a wrapped object was and became is recorded (`WrapState`), so unwrap puts
back the original text byte for byte while the entry is as wrap left it; an entry edited since is rebuilt
from its arguments instead, and the note says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from proxy.wrap import jsonc, servers
from proxy.wrap.locations import args_expanded


@dataclass
class Outcome:
    text: str
    notes: list[str] = field(default_factory=list)
    policies: dict[Path, str] = field(default_factory=dict)  # policy files to write: path -> YAML
    records: dict[str, dict[str, str]] = field(default_factory=dict)  # entry key -> original / wrapped text
    used: list[str] = field(default_factory=list)  # records consumed by unwrap
    removed_policies: list[Path] = field(default_factory=list)


def server_maps(root: jsonc.Node) -> list[tuple[str, jsonc.Node]]:
    """The server maps of any of the four clients' formats, labelled by where they are."""
    maps: list[tuple[str, jsonc.Node]] = []
    for key in ("mcpServers", "servers"):
        m = jsonc.member(root, key)
        if m is not None and isinstance(m.value.value, dict):
            maps.append((key, m.value))
    projects = jsonc.member(root, "projects")
    if projects is not None and isinstance(projects.value.value, dict):
        for p in projects.value.members:
            inner = jsonc.member(p.value, "mcpServers") if isinstance(p.value.value, dict) else None
            if inner is not None and isinstance(inner.value.value, dict):
                maps.append((f"projects[{p.key}].mcpServers", inner.value))
    return maps


def policy_path(wrap_dir: Path, config: Path, where: str, server: str) -> Path:
    """One policy per server entry (a config file can hold two servers of one name: `~/.claude.json`'s
    user-wide and per-project maps); not under `$VEIL_HOME/policies/`, whose files apply to every backend:
    these name one server's variables."""
    digest = hashlib.sha256(f"{config.resolve()}\0{where}".encode()).hexdigest()[:8]
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", server).strip("-.") or "server"
    return wrap_dir / "policies" / f"{slug}-{digest}.yaml"


def policy_yaml(config: Path, server: str, names: tuple[str, ...]) -> str:
    header = (  # JSON-quoted: a name or path cannot end the comment line
        f"# Written by `veil wrap` for the server {json.dumps(server)} of {json.dumps(str(config))}:\n"
        "# the variables its entry sets pass the proxy's scrubbed environment to it (names only; the\n"
        "# values stay in the client's config).\n"
    )
    body = {"version": 1, "name": f"wrap-{server}", "sandbox": {"env_allow": list(names)}}
    return header + yaml.safe_dump(body, sort_keys=False)


def wrap(text: str, config: Path, veil: str, wrap_dir: Path, only: tuple[str, ...] = ()) -> Outcome:
    root = jsonc.parse(text)
    out = Outcome(text)
    edits: list[tuple[int, int, str]] = []
    for where, node in server_maps(root):
        for m in node.members:
            if only and m.key not in only:
                continue
            key = f"{where}/{m.key}"
            policy = policy_path(wrap_dir, config, where, m.key)
            plan = servers.plan_wrap(m.value.value, veil, str(policy), not args_expanded(config))
            out.notes.append(f"{key}: {plan.note}")
            if plan.changes is None:
                continue
            new = jsonc.rewrite_object(text, m.value, plan.changes)
            edits.append((m.value.start, m.value.end, new))
            out.records[key] = {"original": text[m.value.start : m.value.end], "wrapped": new}
            if plan.env_names:
                out.policies[policy] = policy_yaml(config, m.key, plan.env_names)
    out.text = _apply(text, edits)
    return out


def unwrap(
    text: str, config: Path, records: dict[str, dict[str, str]], wrap_dir: Path, only: tuple[str, ...] = ()
) -> Outcome:
    root = jsonc.parse(text)
    out = Outcome(text)
    edits: list[tuple[int, int, str]] = []
    for where, node in server_maps(root):
        for m in node.members:
            if (only and m.key not in only) or not servers.is_wrapped(m.value.value):
                continue
            key, current = f"{where}/{m.key}", text[m.value.start : m.value.end]
            record = records.get(key)
            if record is not None and record["wrapped"] == current:
                edits.append((m.value.start, m.value.end, record["original"]))
                out.notes.append(f"{key}: restored as it was before veil wrap")
                out.used.append(key)
            else:
                plan = servers.plan_unwrap(m.value.value)
                out.notes.append(f"{key}: {plan.note}")
                if plan.changes is None:
                    continue
                edits.append((m.value.start, m.value.end, jsonc.rewrite_object(text, m.value, plan.changes)))
                if record is not None:
                    out.used.append(key)
            policy = policy_path(wrap_dir, config, where, m.key)
            if policy.exists():
                out.removed_policies.append(policy)
    out.text = _apply(text, edits)
    return out


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


# --- files ---------------------------------------------------------------------------------------------


class WrapState:
    """`$VEIL_HOME/wrap/state.json`: per config file, each wrapped entry's original and wrapped text."""

    def __init__(self, wrap_dir: Path) -> None:
        self.path = wrap_dir / "state.json"
        self.data: dict[str, dict[str, dict[str, str]]] = (
            json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}
        )

    def for_config(self, config: Path) -> dict[str, dict[str, str]]:
        return self.data.get(str(config.resolve()), {})

    def update(self, config: Path, add: dict[str, dict[str, str]], drop: list[str]) -> None:
        entries = self.data.setdefault(str(config.resolve()), {})
        for key in drop:
            entries.pop(key, None)
        entries.update(add)
        if not entries:
            del self.data[str(config.resolve())]
        _write_private(self.path, json.dumps(self.data, indent=1, sort_keys=True))


def backup(config: Path) -> Path:
    """A copy of the file before the change, readable by its owner only (a config can hold secrets)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = config.with_name(f"{config.name}.veil-backup-{stamp}")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(config.read_bytes())
    return target


def read_text(config: Path) -> str:
    """The file's text with its line endings as they are (a CRLF file stays CRLF)."""
    with open(config, encoding="utf-8", newline="") as f:
        return f.read()


def replace_text(config: Path, text: str) -> None:
    """Write the new text atomically, keeping the file's mode."""
    mode = config.stat().st_mode & 0o777
    tmp = config.with_name(f".{config.name}.veil-tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, config)


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, path)
