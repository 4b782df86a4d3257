"""Isolation with bubblewrap, checked by running real code inside the box the proxy builds: the network,
the filesystem, the namespaces and the privileges it ends up with (no mocks: bwrap itself runs)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from proxy.isolation import IsolationUnavailable, _probe, isolated_command, require_isolation
from proxy.policy import load_policy
from proxy.sandbox import SandboxSpec, launcher_command


def _isolation_problem() -> str | None:
    try:
        require_isolation()
    except IsolationUnavailable as exc:
        return exc.message
    return None


PROBLEM = _isolation_problem()
needs_bwrap = pytest.mark.skipif(PROBLEM is not None, reason=f"no isolation on this machine: {PROBLEM}")


def run_isolated(spec: SandboxSpec, code: str) -> subprocess.CompletedProcess[str]:
    argv = isolated_command(spec, launcher_command(spec, [sys.executable, "-c", code]), require_isolation())
    return subprocess.run(argv, capture_output=True, text=True, timeout=60)


@pytest.fixture
def listener():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


CONNECT = "import socket\ns = socket.socket()\ns.settimeout(5)\nprint(s.connect_ex(('127.0.0.1', {port})))"


@needs_bwrap
def test_with_network_none_a_backend_cannot_reach_a_listening_port_on_the_host(listener):
    proc = run_isolated(SandboxSpec(isolate=True, network="none"), CONNECT.format(port=listener))
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) != 0  # ECONNREFUSED / ENETUNREACH: its own empty network namespace


@needs_bwrap
def test_with_network_host_the_same_backend_reaches_it(listener):
    proc = run_isolated(SandboxSpec(isolate=True, network="host"), CONNECT.format(port=listener))
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) == 0


@needs_bwrap
def test_with_network_none_the_host_filesystem_sockets_under_run_are_hidden():
    code = "import os\nprint(sorted(os.listdir('/run')))"
    assert run_isolated(SandboxSpec(isolate=True), code).stdout.strip() == "[]"
    assert run_isolated(SandboxSpec(isolate=True, network="host"), code).stdout.strip() != "[]"


WRITE = """
import sys
for path in sys.argv[1:]:
    try:
        open(path, "w").write("x")
        print("wrote", path)
    except OSError as exc:
        print("refused", path, exc.strerror)
"""


@needs_bwrap
def test_an_isolated_backend_writes_only_its_private_tmp_and_the_paths_the_policy_names(tmp_path):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    outside = Path.home() / f".veil-isolation-probe-{tmp_path.name}"
    repo_file = Path(__file__).with_name(f"probe-{tmp_path.name}.txt")
    spec = SandboxSpec(isolate=True, writable=(str(allowed),))
    targets = ["/tmp/scratch", str(allowed / "out.txt"), str(outside), str(repo_file), "/etc/veil-probe"]
    argv = isolated_command(
        spec, launcher_command(spec, [sys.executable, "-c", WRITE, *targets]), require_isolation()
    )
    out = subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout.splitlines()
    assert out[0] == "wrote /tmp/scratch" and out[1] == f"wrote {allowed / 'out.txt'}"
    assert all(line.startswith("refused") and "Read-only file system" in line for line in out[2:]), out
    assert (allowed / "out.txt").read_text() == "x"
    assert not outside.exists() and not repo_file.exists()
    assert not Path("/tmp/scratch").exists()  # its /tmp was its own


@needs_bwrap
def test_an_isolated_backend_has_its_own_pids_no_capabilities_and_no_new_privileges():
    code = (
        "import os\n"
        "status = dict(l.split(':\\t', 1) for l in open('/proc/self/status').read().splitlines())\n"
        "print(os.getpid(), status['NoNewPrivs'].strip(), status['CapEff'].strip())\n"
        "print(len([p for p in os.listdir('/proc') if p.isdigit()]))"
    )
    proc = run_isolated(SandboxSpec(isolate=True), code)
    first, count = proc.stdout.splitlines()
    pid, no_new_privs, caps = first.split()
    assert int(pid) < 10 and int(count) < 10  # only the box's own processes are visible
    assert no_new_privs == "1" and int(caps, 16) == 0


@needs_bwrap
def test_resource_limits_still_apply_inside_the_box():
    proc = run_isolated(SandboxSpec(isolate=True, cpu_seconds=1), "while True: pass")
    assert "killed by SIGXCPU (its cpu time limit)" in proc.stderr


def test_without_isolate_the_command_is_not_wrapped():
    spec = SandboxSpec()
    assert isolated_command(spec, ["python", "server.py"]) == ["python", "server.py"]


def test_a_missing_bwrap_is_a_refusal_that_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(IsolationUnavailable, match=r"bubblewrap.*not installed.*apt-get install bubblewrap"):
        require_isolation()


def test_a_bwrap_that_cannot_create_namespaces_is_a_refusal_quoting_its_error(tmp_path):
    # What bwrap prints where unprivileged user namespaces are off (e.g. a hardened kernel or AppArmor).
    fake = tmp_path / "bwrap"
    fake.write_text(
        "#!/bin/sh\necho 'bwrap: No permissions to create a new namespace, likely because the kernel does "
        "not allow non-privileged user namespaces.' >&2\nexit 1\n"
    )
    fake.chmod(0o755)
    _probe.cache_clear()
    with pytest.raises(IsolationUnavailable, match=r"cannot create namespaces.*No permissions") as err:
        require_isolation(str(fake))
    assert "The backend was not started" in err.value.message


def test_the_policy_turns_isolation_on_and_names_writable_paths(tmp_path):
    policy = tmp_path / "iso.yaml"
    policy.write_text(
        f"version: 1\nname: iso\nsandbox:\n  isolate: true\n  network: host\n  writable: [{tmp_path}]\n"
    )
    sandbox = load_policy([str(policy)]).sandbox
    assert sandbox.isolate and sandbox.network == "host" and sandbox.writable == (str(tmp_path),)
    assert load_policy([]).sandbox.isolate is False


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ("  writable: [relative/dir]\n", "absolute paths"),
        ("  writable: [/no/such/veil/dir]\n", "does not exist"),
        ("  network: bridge\n", "network"),
    ],
)
def test_a_bad_isolation_setting_is_a_clear_policy_error(tmp_path, body, complaint):
    from proxy.errors import PolicyError

    policy = tmp_path / "bad.yaml"
    policy.write_text(f"version: 1\nname: bad\nsandbox:\n  isolate: true\n{body}")
    with pytest.raises(PolicyError, match=complaint):
        load_policy([str(policy)])


@needs_bwrap
def test_a_backend_whose_code_lies_under_tmp_still_runs_read_only_beside_a_private_tmp(tmp_path):
    """A checkout or CI workspace under /tmp: the private /tmp must not hide the launcher, the backend's
    script or the virtualenv, and must not make them writable either."""
    (tmp_path / "pkg").mkdir()
    script = tmp_path / "pkg" / "backend.py"
    assert str(script).startswith("/tmp/")
    script.write_text(
        "import pathlib, sys\n"
        "p = pathlib.Path(sys.argv[0])\n"
        "try:\n    p.write_text('changed')\nexcept OSError:\n    print('read-only')\n"
    )
    spec = SandboxSpec(isolate=True, network="none")
    # The command names the folder, a script in it and an interpreter linked there (a checkout and its
    # virtualenv): one bind each would nest a mount point on a link inside a read-only bind, which bwrap
    # cannot create.
    python = script.parent / "python"
    python.symlink_to(sys.executable)
    command = [str(python), str(script), str(script.parent)]
    argv = isolated_command(spec, launcher_command(spec, command), require_isolation())
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "read-only"
    assert script.read_text() != "changed"
