"""`veil serve` figures: the median latency it adds to a small call over Streamable HTTP.

- end to end: a Python MCP server with an `echo` tool runs over Streamable HTTP in its own process;
  `veil serve --url` runs in front of it in another. The same SDK client times `echo` directly and through
  the proxy, in the same run. The difference includes the second HTTP hop (the SDK's HTTP client in the
  proxy and the backend's HTTP server), which a proxy of an HTTP server cannot avoid.
- front and relay only: in one process, the same server over HTTP directly vs behind `veil serve`'s front
  with an in-memory backend connection: what the front, the relay and the stages add.

`python -m benchmarks.http_bench` prints the rows.
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio

from benchmarks.proxy_bench import paired_call_ms, paired_medians_ms  # one client loop, any transport

ROOT = Path(__file__).resolve().parent.parent
Row = tuple[str, float, str]

_BACKEND = """
import sys
from mcp.server.mcpserver import MCPServer
server = MCPServer("echo")

@server.tool()
def echo(text: str) -> str:
    return text

server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[1]))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("a benchmark server exited before listening")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout}s")


@contextmanager
def _process(args: list[str], port: int, env: dict[str, str]) -> Iterator[None]:
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(port, proc)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _front_only(n: int) -> tuple[float, float]:
    import uvicorn
    from mcp.client._memory import InMemoryTransport
    from mcp.server.mcpserver import MCPServer

    from proxy.config import Settings
    from proxy.server import FrontPolicy, bind, build_app, serving
    from proxy.wiring import Assembly

    server = MCPServer("echo")

    @server.tool()
    def echo(text: str) -> str:
        return text

    async def go() -> tuple[float, float]:
        from proxy import logs

        logs.configure("ERROR")  # no per-request log lines from the SDK's HTTP client in this process
        engine = Assembly.load(Settings.resolve())
        direct_sock, veil_sock = bind("127.0.0.1", 0), bind("127.0.0.1", 0)
        direct_port, veil_port = direct_sock.getsockname()[1], veil_sock.getsockname()[1]
        front = FrontPolicy.for_listen("127.0.0.1", veil_port)
        app = build_app(engine, front, command=["in-memory"], open_backend=lambda: InMemoryTransport(server))
        config = uvicorn.Config(server.streamable_http_app(), log_config=None, access_log=False)
        direct_server = uvicorn.Server(config)
        try:
            async with anyio.create_task_group() as tg, serving(app, [veil_sock]):
                tg.start_soon(direct_server._serve, [direct_sock])
                while not direct_server.started:
                    await anyio.sleep(0.01)
                direct, proxied = await paired_call_ms(
                    f"http://127.0.0.1:{direct_port}/mcp", f"http://127.0.0.1:{veil_port}/mcp", n
                )
                direct_server.should_exit = True
        finally:
            engine.vault.close()
        return direct, proxied

    return anyio.run(go)


def run(n: int = 200) -> list[Row]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VEIL_HOME": tempfile.mkdtemp(prefix="veil-bench-")}
    env.setdefault("VEIL_MASTER_KEY", base64.b64encode(os.urandom(32)).decode())
    backend_port, veil_port = _free_port(), _free_port()
    backend_url = f"http://127.0.0.1:{backend_port}/mcp"
    veil = [sys.executable, "-m", "proxy", "serve", "--listen", f"127.0.0.1:{veil_port}"]
    with (
        _process([sys.executable, "-c", _BACKEND, str(backend_port)], backend_port, env),
        _process([*veil, "--log-level", "ERROR", "--url", backend_url], veil_port, env),
    ):
        direct, proxied = paired_medians_ms(backend_url, f"http://127.0.0.1:{veil_port}/mcp", n)
    os.environ.setdefault("VEIL_HOME", env["VEIL_HOME"])
    os.environ.setdefault("VEIL_MASTER_KEY", env["VEIL_MASTER_KEY"])
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    in_direct, in_proxied = _front_only(n)
    return [
        ("small call over HTTP, direct (median)", direct, "ms"),
        ("small call over HTTP, through veil serve --url (median)", proxied, "ms"),
        ("small call over HTTP, added by veil serve --url (median)", proxied - direct, "ms"),
        ("front + relay only, added to a small call (median, in-process)", in_proxied - in_direct, "ms"),
    ]


if __name__ == "__main__":
    for measure, value, unit in run():
        print(f"{measure}: {value:.2f} {unit}")
