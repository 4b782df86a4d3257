"""What a server entry becomes behind the proxy, and how a wrapped entry is recognised.

A stdio server `{command, args, env}` becomes `{command: veil, args: [run, (--policy P), --, command,
args…], env}`: the client still starts one process with the same environment, and the proxy starts the
server. An HTTP server `{url, headers}` becomes `veil run --url URL`, each header passed as
`--header 'Name: ${VEIL_HEADER_…}'` with its value moved into the entry's `env` (the client expands
its variables there as it did in `headers`; the value never reaches the command line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

HTTP_TYPES = ("http", "streamable-http", "streamableHttp", "sse")
_HEADER_VAR = re.compile(r"[^A-Z0-9]+")


@dataclass(frozen=True)
class Plan:
    """The changes to one server's entry (key -> new value, None removes it), or why it is left alone."""

    changes: dict[str, Any] | None
    note: str
    env_names: tuple[str, ...] = ()


def is_wrapped(entry: dict[str, Any]) -> bool:
    command = entry.get("command")
    args = entry.get("args") or []
    return (
        isinstance(command, str)
        and PurePath(command).name in ("veil", "veil.exe")
        and isinstance(args, list)
        and args[:1] == ["run"]
    )


def plan_wrap(entry: Any, veil: str, policy: str | None, headers_in_env: bool = True) -> Plan:
    if not isinstance(entry, dict):
        return Plan(None, "not a server entry: left alone")
    if is_wrapped(entry):
        return Plan(None, "already behind veil")
    kind = entry.get("type")
    if isinstance(entry.get("command"), str) and kind in (None, "stdio"):
        args = entry.get("args") or []
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            return Plan(None, "its args are not a list of strings: left alone")
        env = entry.get("env") or {}
        names = tuple(sorted(env)) if isinstance(env, dict) else ()
        run = ["run", *(["--policy", policy] if policy and names else []), "--", entry["command"], *args]
        return Plan({"command": veil, "args": run}, "stdio: veil run -- " + entry["command"], names)
    if isinstance(entry.get("url"), str) and kind in (None, *HTTP_TYPES):
        return _plan_http(entry, veil, headers_in_env)
    return Plan(None, f"unknown server kind {kind!r}: left alone")


def _plan_http(entry: dict[str, Any], veil: str, headers_in_env: bool) -> Plan:
    headers = entry.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        return Plan(None, "its headers are not a map of strings: left alone")
    if headers and not headers_in_env:
        return Plan(
            None,
            "HTTP with headers: this client expands ${…} in args, so a header could only be passed on the "
            "command line; left alone (wrap it by hand: veil run --url URL --header 'Name: ${VAR}')",
        )
    env = dict(entry.get("env") or {})
    args = ["run", "--url", entry["url"]]
    if entry.get("type") == "sse":
        args += ["--transport", "sse"]
    for name, value in headers.items():
        var = base = "VEIL_HEADER_" + _HEADER_VAR.sub("_", name.upper()).strip("_")
        n = 1
        while var in env:  # two names of one spelling (`Q`, `q`; `X-Key`, `X_KEY`), or the entry's own env
            n += 1
            var = f"{base}_{n}"
        env[var] = value
        args += ["--header", f"{name}: ${{{var}}}"]
    changes: dict[str, Any] = {"url": None, "headers": None, "command": veil, "args": args}
    if "type" in entry:
        changes["type"] = "stdio"
    if env:
        changes["env"] = env
    return Plan(changes, "HTTP: veil run --url " + entry["url"])


def plan_unwrap(entry: Any) -> Plan:
    """A wrapped entry rebuilt from its own arguments (used when the recorded original does not apply)."""
    if not isinstance(entry, dict) or not is_wrapped(entry):
        return Plan(None, "not behind veil")
    args: list[str] = entry["args"]
    if "--" in args:
        command, *rest = args[args.index("--") + 1 :]
        return Plan({"command": command, "args": rest}, "rebuilt from its arguments: veil run -- " + command)
    if "--url" in args:
        url = args[args.index("--url") + 1]
        env = dict(entry.get("env") or {})
        headers: dict[str, str] = {}
        for i, a in enumerate(args[:-1]):
            if a == "--header":
                name, _, ref = args[i + 1].partition(":")
                m = re.fullmatch(r"\s*\$\{(VEIL_HEADER_\w+)\}", ref)
                headers[name.strip()] = env.pop(m.group(1), "") if m else ref.strip()
        sse = "--transport" in args and args[args.index("--transport") + 1] == "sse"
        changes: dict[str, Any] = {"command": None, "args": None, "url": url}
        if headers:
            changes["headers"] = headers
        changes["env"] = env or None
        if "type" in entry:
            changes["type"] = "sse" if sse else "http"
        return Plan(changes, "rebuilt from its arguments: " + url)
    return Plan(None, "behind veil without a server to restore: left alone")
