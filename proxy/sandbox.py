"""Backends in a box: resource limits, their own process group, a scrubbed environment.

`veil run` starts a stdio backend through this launcher (`python -m proxy.sandbox [limits] -- COMMAND`):
it sets the limits with setrlimit, starts the backend in its place in the process tree (same stdin and
stdout, so the wire is untouched), waits, and when a limit killed it says which on stderr and exits with
the backend's status. The proxy's stdio transport already gives the backend its own session and process
group, so a stop or a crash takes the whole tree down.
"""

from __future__ import annotations

import argparse
import ctypes
import fnmatch
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

_PR_SET_PDEATHSIG = 1
# What a limit kill looks like from outside.
_LIMIT_SIGNALS = {signal.SIGXCPU: "cpu time", signal.SIGKILL: "a hard limit", signal.SIGSEGV: "memory"}


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
    import logging  # here: the launcher (`python -I -S sandbox.py`) starts without it

    logging.getLogger(__name__).warning(
        "the backend's environment is scrubbed: credential-looking variables were not passed: %s. To pass "
        "one: `veil run --pass-env NAME ...`, or name it in a policy's `sandbox: {env_allow: [NAME]}`",
        ", ".join(names),
        extra={"dropped_env": names},
    )


def launcher_command(spec: SandboxSpec, command: Sequence[str]) -> list[str]:
    """The command line that runs `command` under this launcher: it dies with the proxy (a parent-death
    signal, so even a `kill -9` of the proxy takes the backend down) and, with limits, under them.

    Started by path with `-I -S`: the launcher needs only the standard library, and starts in milliseconds.
    """
    args = [sys.executable, "-I", "-S", str(Path(__file__).resolve())]
    if spec.isolate:
        args.append("--in-pid-namespace")
    if spec.address_space_mb is not None:
        args += ["--address-space-mb", str(spec.address_space_mb)]
    if spec.cpu_seconds is not None:
        args += ["--cpu-seconds", str(spec.cpu_seconds)]
    if spec.open_files is not None:
        args += ["--open-files", str(spec.open_files)]
    return [*args, "--", *command]


def die_with_parent(in_pid_namespace: bool = False) -> None:
    """Linux: SIGKILL this process when its parent dies (kept across exec). A no-op elsewhere.

    In bwrap's PID namespace the parent is the namespace's init, pid 1, and alive: the orphan check is
    skipped there (bwrap's `--die-with-parent` and the namespace take the backend down with the proxy)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1 and not in_pid_namespace:  # the parent is already gone
        os._exit(1)


def _apply_limits(address_space_mb: int | None, cpu_seconds: int | None, open_files: int | None) -> None:
    if address_space_mb is not None:
        size = address_space_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    if cpu_seconds is not None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    if open_files is not None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m proxy.sandbox")
    parser.add_argument("--address-space-mb", type=int)
    parser.add_argument("--cpu-seconds", type=int)
    parser.add_argument("--open-files", type=int)
    parser.add_argument("--in-pid-namespace", action="store_true")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no backend command")
    die_with_parent(args.in_pid_namespace)
    limits = (args.address_space_mb, args.cpu_seconds, args.open_files)
    if limits == (None, None, None):
        try:
            os.execvp(command[0], command)  # no limits: become the backend, keeping the death signal
        except OSError as exc:
            sys.stderr.write(f"veil sandbox: cannot start the backend: {exc.strerror}\n")
            return 127
    # Forward a stop to the backend; the SDK also signals the whole group.
    child: subprocess.Popen[bytes] | None = None

    def forward(signum: int, _frame: object) -> None:
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, forward)
    try:
        child = subprocess.Popen(command, preexec_fn=lambda: _apply_limits(*limits))
    except OSError as exc:
        sys.stderr.write(f"veil sandbox: cannot start the backend: {exc.strerror}\n")
        return 127
    code = child.wait()
    if code < 0:
        sig = signal.Signals(-code)
        what = _LIMIT_SIGNALS.get(sig)
        why = f" (its {what} limit)" if what and sig != signal.SIGKILL else ""
        sys.stderr.write(f"veil sandbox: backend killed by {sig.name}{why}\n")
        return 128 - code
    if code != 0 and args.address_space_mb is not None:
        sys.stderr.write(
            f"veil sandbox: backend exited with status {code} (address space limited to "
            f"{args.address_space_mb} MiB)\n"
        )
    return code


if __name__ == "__main__":
    sys.exit(main())
