"""`veil serve` and `veil run --url` on the command line: usage errors, and a real process with a token."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import anyio
import httpx
import pytest
from mcp import Client

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
ECHO = [sys.executable, "-m", "examples.echo_server"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["serve", "--listen", "127.0.0.1:0"], "give the backend"),
        (["serve", "--listen", "127.0.0.1:0", "--url", "http://127.0.0.1:9/mcp", "--", *ECHO], "not both"),
        (["serve", "--listen", "nowhere", "--", *ECHO], "HOST:PORT"),
        (["serve", "--listen", "127.0.0.1:0", "--url", "ftp://x/mcp"], "http:// or https://"),
        (["run", "--header", "X-Key: 1", "--", *ECHO], "give --url"),
        (
            ["run", "--url", "http://127.0.0.1:9/mcp", "--header", "X-Key: ${VEIL_UNSET_VAR}"],
            "VEIL_UNSET_VAR",
        ),
    ],
)
def test_a_wrong_command_line_is_refused_with_a_clear_message(args, message, veil_home):
    from click.testing import CliRunner

    from proxy.cli import cli

    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr


def test_veil_serve_with_an_auth_token_file_serves_only_clients_that_present_it(veil_home, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("tok-123456\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = open(tmp_path / "serve.log", "w+")  # noqa: SIM115 - read back below while the process runs
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "proxy",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--auth-token-file",
            str(token_file),
            "--",
            *ECHO,
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline and proc.poll() is None:
            log.seek(0)
            found = re.search(r"serving MCP on (http://\S+)", log.read())
            url = found.group(1) if found else None
            time.sleep(0.1)
        assert url, "veil serve did not report its address"
        assert httpx.post(url, json={}, timeout=10).status_code == 401

        async def call() -> str:
            import httpx2
            from mcp.client.streamable_http import streamable_http_client

            http = httpx2.AsyncClient(headers={"Authorization": "Bearer tok-123456"})
            with anyio.fail_after(30):
                async with Client(streamable_http_client(url, http_client=http), mode="legacy") as client:
                    result = await client.call_tool("echo", {"text": "hi"})
            return "".join(getattr(c, "text", "") for c in result.content)

        assert anyio.run(call) == "hi"
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()
    assert proc.returncode in (0, -15)
