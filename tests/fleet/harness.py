"""A fleet on loopback: N `veil serve` processes on one PostgreSQL vault behind HAProxy (Debian's package).

Used by tests/fleet and benchmarks/fleet_bench.py. Every port is ephemeral; every process started here is
stopped when the `fleet()` block exits, also on failure. HAProxy sticks a session to its instance by the
`Mcp-Session-Id` response header and probes `/readyz` on each instance (docs/deploy.md shows the same file).
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
ECHO = [sys.executable, "-m", "examples.echo_server"]
START_TIMEOUT = 90.0

HAPROXY_CFG = """\
global
    maxconn 2000
    log stderr format short local0 warning

defaults
    mode http
    log global
    option redispatch           # a dead instance's sessions go elsewhere (and get 404: re-initialize)
    retries 2
    timeout connect 2s
    timeout client 5m           # MCP responses may be long SSE streams
    timeout server 5m
    timeout http-keep-alive 30s
    timeout check 5s            # a probe answered late (an instance busy scanning) is no failure

frontend mcp
    bind {listen}
    default_backend veil

backend veil
    balance roundrobin
    # Affinity: the instance that answered `initialize` owns the session id it returned.
    stick-table type string len 64 size 1m expire 1h
    stick store-response res.hdr(mcp-session-id)
    stick match req.hdr(mcp-session-id)
    option httpchk
    http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host {host_header}
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
{servers}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def haproxy_config(listen_port: int, backends: Sequence[int]) -> str:
    servers = "\n".join(f"    server veil{i + 1} 127.0.0.1:{p} check" for i, p in enumerate(backends))
    return HAPROXY_CFG.format(
        listen=f"127.0.0.1:{listen_port}", host_header=f"127.0.0.1:{listen_port}", servers=servers
    )


@dataclass
class Instance:
    proc: subprocess.Popen[bytes]
    log: Path
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Fleet:
    url: str  # the MCP endpoint through HAProxy
    vault_url: str
    token: str  # the clients' bearer token
    env: dict[str, str]
    instances: list[Instance] = field(default_factory=list)
    haproxy: subprocess.Popen[bytes] | None = None

    def veil(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run the `veil` CLI against the fleet's vault (as an operator would, from another host)."""
        return subprocess.run(
            [sys.executable, "-m", "proxy", *args, "--vault", self.vault_url],
            env=self.env,
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def metric(self, instance: Instance, name: str) -> float:
        """Sum of a counter's samples on one instance (its own /metrics, bypassing HAProxy)."""
        r = httpx.get(
            f"{instance.base}/metrics", headers={"Authorization": f"Bearer {self.token}"}, timeout=10
        )
        r.raise_for_status()
        pattern = re.compile(rf"^{re.escape(name)}(?:{{[^}}]*}})? (\S+)$", re.M)
        return sum(float(v) for v in pattern.findall(r.text))


def _start_instance(
    env: dict[str, str], vault_url: str, lb_port: int, token_file: Path, log: Path
) -> Instance:
    args = [
        sys.executable, "-m", "proxy", "serve", "--listen", "127.0.0.1:0", "--vault", vault_url,
        "--allowed-host", f"127.0.0.1:{lb_port}", "--auth-token-file", str(token_file),
        "--drain-timeout", "5s", "--log-level", "WARNING", "--", *ECHO,
    ]  # fmt: skip
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=out)
    return Instance(proc, log)


def _wait_port(instance: Instance, deadline: float) -> None:
    while time.monotonic() < deadline:
        found = re.search(r"serving MCP on http://[^:]+:(\d+)/", instance.log.read_text(errors="replace"))
        if found:
            instance.port = int(found.group(1))
            return
        if instance.proc.poll() is not None:
            raise RuntimeError(f"veil serve exited: {instance.log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.1)
    raise TimeoutError("veil serve did not report its address")


def _wait_http(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not become ready")


def _stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 15) -> int | None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    return proc.returncode


@contextlib.contextmanager
def fleet(vault_url: str, workdir: Path, instances: int = 3) -> Iterator[Fleet]:
    """Start `instances` × `veil serve` (echo backend) and HAProxy in front; yields the running fleet."""
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not os.path.exists(haproxy):
        raise FileNotFoundError("haproxy is not installed (apt-get install -y haproxy)")
    workdir.mkdir(parents=True, exist_ok=True)
    token = base64.b32encode(os.urandom(20)).decode()
    token_file = workdir / "client-token"
    token_file.write_text(token)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "VEIL_HOME": str(workdir / "home"),
        "VEIL_MASTER_KEY": os.environ.get("VEIL_MASTER_KEY") or base64.b64encode(os.urandom(32)).decode(),
        "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
    }
    env.pop("VEIL_MASTER_KEY_FILE", None)
    # Migrate once before the instances start (as a deploy step would: `veil db upgrade`).
    upgraded = subprocess.run(
        [sys.executable, "-m", "proxy", "db", "upgrade", "--vault", vault_url], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    if upgraded.returncode != 0:
        raise RuntimeError(f"veil db upgrade failed: {upgraded.stderr[-2000:]}")
    lb_port = free_port()
    f = Fleet(f"http://127.0.0.1:{lb_port}/mcp", vault_url, token, env)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        f.instances = [
            _start_instance(env, vault_url, lb_port, token_file, workdir / f"veil{i + 1}.log")
            for i in range(instances)
        ]
        for inst in f.instances:
            _wait_port(inst, deadline)
            _wait_http(f"{inst.base}/readyz", deadline)
        cfg = workdir / "haproxy.cfg"
        cfg.write_text(haproxy_config(lb_port, [i.port for i in f.instances]))
        with open(workdir / "haproxy.log", "wb") as out:
            f.haproxy = subprocess.Popen(
                [haproxy, "-db", "-f", str(cfg)], stdout=out, stderr=subprocess.STDOUT
            )
        _wait_http(f"http://127.0.0.1:{lb_port}/healthz", deadline)
        yield f
    finally:
        for inst in f.instances:
            _stop(inst.proc)
        if f.haproxy is not None:
            _stop(f.haproxy)
