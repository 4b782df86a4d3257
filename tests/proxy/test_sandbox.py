"""The backend sandbox: resource limits applied by the launcher, a stop reported, the environment scrubbed."""

import subprocess
import sys

from proxy.sandbox import SandboxSpec, backend_env, launcher_command


def run_sandboxed(spec: SandboxSpec, code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    argv = launcher_command(spec, [sys.executable, "-c", code])
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)


def test_a_memory_hungry_backend_is_stopped_by_its_address_space_limit():
    proc = run_sandboxed(SandboxSpec(address_space_mb=300), "x = bytearray(1024 * 1024 * 1024)")
    assert proc.returncode != 0
    assert "MemoryError" in proc.stderr and "address space limited to 300 MiB" in proc.stderr


def test_a_backend_that_burns_cpu_is_killed_by_its_cpu_limit():
    proc = run_sandboxed(SandboxSpec(cpu_seconds=1), "while True: pass")
    assert proc.returncode == 128 + 24  # SIGXCPU
    assert "killed by SIGXCPU (its cpu time limit)" in proc.stderr


def test_open_files_are_limited():
    code = "import os\nfds = [os.open('/dev/null', os.O_RDONLY) for _ in range(100)]"
    proc = run_sandboxed(SandboxSpec(open_files=32), code)
    assert proc.returncode != 0 and "Too many open files" in proc.stderr


def test_without_limits_the_command_runs_as_it_is():
    assert launcher_command(SandboxSpec(), ["node", "server.js"]) == ["node", "server.js"]


def test_the_proxy_secrets_never_reach_a_backend_and_scrub_keeps_only_what_is_named():
    environ = {"PATH": "/bin", "VEIL_MASTER_KEY": "secret", "GOOGLE_ADS_TOKEN": "t", "AWS_SECRET": "x"}
    secret = ("VEIL_MASTER_KEY",)
    assert backend_env(SandboxSpec(), environ, secret) == {
        "PATH": "/bin",
        "GOOGLE_ADS_TOKEN": "t",
        "AWS_SECRET": "x",
    }
    scrubbed = backend_env(SandboxSpec(env="scrub", env_allow=("PATH", "GOOGLE_*")), environ, secret)
    assert scrubbed == {"PATH": "/bin", "GOOGLE_ADS_TOKEN": "t"}
