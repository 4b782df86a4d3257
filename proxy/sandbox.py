"""Backends in a box: resource limits, their own process group, a scrubbed environment.

`veil run` starts a stdio backend through the launcher (`proxy.launcher`: `python launcher.py [limits]
-- COMMAND`): it sets the limits with setrlimit, starts the backend in its place in the process tree (same
stdin and stdout, so the wire is untouched), waits, and when a limit killed it says which on stderr and
exits with the backend's status. The proxy's stdio transport already gives the backend its own session
and process group, so a stop or a crash takes the whole tree down.
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# What every backend gets in `scrub` mode besides the policy's `env_allow`: what a process needs to find
# programs, its home, the locale and the time zone, temporary files, TLS roots and the operator's outbound
# proxy. Nothing here is an application credential; API keys and tokens must be named in the policy.
BASE_ENV = (
    "PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "LANG", "LANGUAGE", "LC_*", "TZ", "TMPDIR",
    "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR",
    "PYTHONPATH", "PYTHONIOENCODING", "VIRTUAL_ENV", "NODE_PATH",
    "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE",
    "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
)  # fmt: skip


@dataclass(frozen=True)
class SandboxSpec:
    env: str = "scrub"  # scrub: BASE_ENV and env_allow only; inherit: everything but the proxy's secrets
    env_allow: tuple[str, ...] = ()
    address_space_mb: int | None = None
    cpu_seconds: int | None = None
    open_files: int | None = None
    extra_env: Mapping[str, str] = field(default_factory=dict)
    on_exit: str = "end"  # end: the session ends with the backend; restart: started again on the next message
    max_line_bytes: int | None = None  # the longest stdout line read from it (the policy's max_message_bytes)
    isolate: bool = False  # run it inside bubblewrap (proxy.isolation): namespaces, read-only filesystem
    network: str = "none"  # with isolate: none (its own empty network namespace) | host
    writable: tuple[str, ...] = ()  # with isolate: absolute paths it may write besides its private /tmp


# Names that look like an application credential: the scrub drops them unless allowed, and a user whose
# backend then fails to authenticate needs to know which were dropped (names only, never values).
# (A pattern, compiled on first use: the launcher, `python -I -S sandbox.py`, never needs `re`.)
CREDENTIAL_NAMES = (
    r"(?i)(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|CREDENTIALS?|AUTH\w*|APIKEY|PAT|DSN|CONNECTION_STRING)$"
    r"|^(GOOGLE|AWS|AZURE|GCP|GCLOUD|GITHUB|GITLAB|OPENAI|ANTHROPIC|SLACK|STRIPE|NOTION"
    r"|ATLASSIAN|JIRA|HUBSPOT|SALESFORCE|SHOPIFY|TWILIO|SENDGRID|DATABASE|MONGO|REDIS)_"
)
_passed: tuple[str, ...] = ()  # `--pass-env NAME`, for this process's backends
_reported: set[frozenset[str]] = set()


def pass_env(names: Sequence[str]) -> None:
    """Let these variables (exact names, no globs) through the scrub for every backend of this process."""
    global _passed
    _passed = tuple(names)


def backend_env(spec: SandboxSpec, environ: Mapping[str, str], secret: Sequence[str]) -> dict[str, str]:
    """The environment a backend gets: never the proxy's secrets (even when allowed by name); with `scrub`,
    the default, only BASE_ENV, the variables the policy names and those passed with `--pass-env`.

    The first time a set of credential-looking names is dropped, a warning names them (never their values)
    and says how to pass them."""
    env = {k: v for k, v in environ.items() if k not in secret}
    if spec.env == "scrub":
        allowed = (*BASE_ENV, *spec.env_allow)
        kept = {
            k: v for k, v in env.items() if k in _passed or any(fnmatch.fnmatchcase(k, p) for p in allowed)
        }
        _report_dropped(sorted(k for k in env if k not in kept and _looks_like_a_credential(k)))
        env = kept
    env.update(spec.extra_env)
    return env


def _looks_like_a_credential(name: str) -> bool:
    import re  # cached by `re` itself after the first call

    return re.search(CREDENTIAL_NAMES, name) is not None


def _report_dropped(names: list[str]) -> None:
    if not names or frozenset(names) in _reported:
        return
    _reported.add(frozenset(names))
    import logging  # here: only when there is something to say

    logging.getLogger(__name__).warning(
        "the backend's environment is scrubbed: credential-looking variables were not passed: %s. To pass "
        "one: `veil run --pass-env NAME ...`, or name it in a policy's `sandbox: {env_allow: [NAME]}`",
        ", ".join(names),
        extra={"dropped_env": names},
    )


def launcher_command(spec: SandboxSpec, command: Sequence[str]) -> list[str]:
    """The command line that runs `command` under this launcher: it dies with the proxy (a parent-death
    signal, so even a `kill -9` of the proxy takes the backend down) and, with limits, under them.

    Started by path with `-I -S`: the launcher (`proxy.launcher`) needs only the standard library, and
    starts in milliseconds.
    """
    args = [sys.executable, "-I", "-S", str(Path(__file__).resolve().with_name("launcher.py"))]
    if spec.isolate:
        args.append("--in-pid-namespace")
    if spec.address_space_mb is not None:
        args += ["--address-space-mb", str(spec.address_space_mb)]
    if spec.cpu_seconds is not None:
        args += ["--cpu-seconds", str(spec.cpu_seconds)]
    if spec.open_files is not None:
        args += ["--open-files", str(spec.open_files)]
    return [*args, "--", *command]


if __name__ == "__main__":  # `python -m proxy.sandbox`, as before the launcher had a module of its own
    from proxy.launcher import main

    sys.exit(main())
