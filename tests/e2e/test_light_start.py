"""`veil run` relays the handshake without importing what the stdio relay does not need: the MCP SDK's
client and server, its per-type protocol models, the HTTP stack, DuckDB, the PostgreSQL dialect, Presidio and
spaCy (the detectors load in the background once the handshake is answered). Those
were most of the proxy's start time (issue 17: start to the `initialize` result)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "mcp",
    "mcp_types._types",
    "mcp_types.methods",
    "starlette",
    "httpx2",
    "uvicorn",
    "duckdb",
    "sqlalchemy.dialects.postgresql",
    "presidio_analyzer",
    "spacy",
)

# Loaded first by the proxy's interpreter (PYTHONPATH): names each heavy module on stderr when it is imported.
WATCH_IMPORTS = f"""
import sys
_heavy = {HEAVY!r}
_seen = set()
def _hook(event, args):
    if event == "import" and args[0] in _heavy and args[0] not in _seen:
        _seen.add(args[0])
        sys.stderr.write("IMPORTED " + args[0] + "\\n")
        sys.stderr.flush()
sys.addaudithook(_hook)
"""

# A backend that holds its answer to `initialize` until the test lets it go: it says when the request has
# arrived (the proxy is then up and relaying), and answers once the file `go` exists.
HELD_BACKEND = """
import json, os, sys, time
here = sys.argv[1]
request = json.loads(sys.stdin.readline())
open(os.path.join(here, "got-request"), "w").close()
while not os.path.exists(os.path.join(here, "go")):
    time.sleep(0.01)
answer = {"protocolVersion": "2025-06-18", "capabilities": {}, "serverInfo": {"name": "held", "version": "1"}}
sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": answer}) + "\\n")
sys.stdout.flush()
sys.stdin.read()
"""
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"},
    },
}


def wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "still not true after the timeout"
        time.sleep(0.01)


def test_the_handshake_is_relayed_before_the_sdk_http_stack_duckdb_or_postgres_are_imported(
    veil_home, tmp_path
):
    # A vault that exists, as on every start but the first (which runs the migrations, with Alembic).
    upgrade = [sys.executable, "-m", "proxy", "db", "upgrade"]
    subprocess.run(upgrade, check=True, cwd=ROOT, capture_output=True, timeout=120)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(WATCH_IMPORTS)
    (tmp_path / "held_backend.py").write_text(HELD_BACKEND)
    env = {**os.environ, "PYTHONPATH": f"{hooks}{os.pathsep}{ROOT}"}
    backend = [sys.executable, str(tmp_path / "held_backend.py"), str(tmp_path)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "proxy", "run", "--", *backend],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    assert proc.stdin is not None and proc.stdout is not None
    imported: list[str] = []

    def watch_stderr() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.startswith(b"IMPORTED "):
                imported.append(line.split()[1].decode())

    watcher = threading.Thread(target=watch_stderr, daemon=True)
    watcher.start()
    try:
        proc.stdin.write(json.dumps(INIT).encode() + b"\n")
        proc.stdin.flush()
        wait_for(lambda: (tmp_path / "got-request").exists())
        before_answer = list(imported)
        (tmp_path / "go").touch()
        answer = json.loads(proc.stdout.readline())
        assert answer["id"] == 1 and answer["result"]["serverInfo"]["name"] == "held"
        wait_for(lambda: "mcp" in imported)  # the SDK is imported after the handshake: the hook sees imports
    finally:
        proc.kill()
        proc.wait()
    assert before_answer == []
