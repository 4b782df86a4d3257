"""The backend sandbox: resource limits applied by the launcher, a stop reported, the environment scrubbed."""

import subprocess
import sys

from proxy.policy import load_policy
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


def test_without_limits_the_launcher_becomes_the_backend():
    proc = run_sandboxed(SandboxSpec(), "import os; print(os.getpid())")
    assert proc.returncode == 0 and proc.stdout.strip().isdigit()
    assert launcher_command(SandboxSpec(), ["node", "server.js"])[-3:] == ["--", "node", "server.js"]


def test_a_backend_dies_with_its_proxy_even_on_kill_9(tmp_path):
    import json
    import os
    import signal
    import time

    marker = tmp_path / "backend.pid"
    backend_code = f"import os, time; open({str(marker)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    argv = launcher_command(SandboxSpec(), [sys.executable, "-c", backend_code])
    proxy_like = tmp_path / "parent.py"
    proxy_like.write_text(f"import subprocess, time\nsubprocess.Popen({json.dumps(argv)})\ntime.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, str(proxy_like)])
    deadline = time.monotonic() + 20
    while not (marker.exists() and marker.read_text()):
        assert time.monotonic() < deadline, "the backend did not start"
        time.sleep(0.05)
    backend = int(marker.read_text())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(backend, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(backend, signal.SIGKILL)
    raise AssertionError("the backend outlived its killed parent")


def test_by_default_a_backend_gets_only_the_basics_and_the_variables_the_policy_names():
    environ = {"PATH": "/bin", "LC_ALL": "C", "VEIL_MASTER_KEY": "s", "GOOGLE_ADS_TOKEN": "t", "AWS_KEY": "x"}
    secret = ("VEIL_MASTER_KEY",)
    assert backend_env(SandboxSpec(), environ, secret) == {"PATH": "/bin", "LC_ALL": "C"}
    named = backend_env(SandboxSpec(env_allow=("GOOGLE_*",)), environ, secret)
    assert named == {"PATH": "/bin", "LC_ALL": "C", "GOOGLE_ADS_TOKEN": "t"}


def test_the_proxy_secrets_never_reach_a_backend_even_when_named_or_inherited():
    environ = {"PATH": "/bin", "VEIL_MASTER_KEY": "secret", "GOOGLE_ADS_TOKEN": "t"}
    secret = ("VEIL_MASTER_KEY",)
    assert "VEIL_MASTER_KEY" not in backend_env(SandboxSpec(env_allow=("VEIL_*",)), environ, secret)
    inherited = backend_env(SandboxSpec(env="inherit"), environ, secret)
    assert inherited == {"PATH": "/bin", "GOOGLE_ADS_TOKEN": "t"}


def test_the_shipped_policies_scrub_and_pass_each_pack_s_credentials_by_name():
    sandbox = load_policy().sandbox
    assert sandbox.env == "scrub"
    assert {"VEIL_EXAMPLE_*", "GOOGLE_ADS_*", "GOOGLE_APPLICATION_CREDENTIALS"} <= set(sandbox.env_allow)
