"""The backend's launcher runs before every backend, so its own start is part of the wait for `initialize`:
it imports almost nothing, and refuses a command line it does not understand (it is built by
`proxy.sandbox.launcher_command`, never typed)."""

from __future__ import annotations

import subprocess
import sys

from proxy.sandbox import SandboxSpec, launcher_command

# What the launcher used to import, with `proxy.sandbox`'s command-line parser and dataclasses.
HEAVY = ("argparse", "subprocess", "dataclasses", "pathlib", "fnmatch", "inspect")


def test_the_launcher_becomes_the_backend_without_importing_a_parser_or_subprocess():
    argv = launcher_command(SandboxSpec(), ["/bin/sh", "-c", "echo started"])
    assert argv[1:3] == ["-I", "-S"]
    traced = [argv[0], "-X", "importtime", *argv[1:]]
    done = subprocess.run(traced, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "started\n"
    lines = done.stderr.splitlines()
    imported = {line.split("|")[-1].strip() for line in lines if line.startswith("import time")}
    assert imported and not imported & set(HEAVY), sorted(imported & set(HEAVY))


def test_the_launcher_refuses_an_option_it_does_not_know():
    argv = launcher_command(SandboxSpec(), ["/bin/true"])
    bad = [*argv[:4], "--cpu-seconds", "many", *argv[4:]]
    done = subprocess.run(bad, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--cpu-seconds" in done.stderr


def test_the_sandbox_module_still_runs_as_the_launcher():
    done = subprocess.run(
        [sys.executable, "-m", "proxy.sandbox", "--open-files", "77", "--", "/bin/sh", "-c", "ulimit -n"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout.strip() == "77"
