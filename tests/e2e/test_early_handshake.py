"""`veil run` answers `initialize` before the proxy has loaded when an earlier start proved that answer
(`proxy.early_handshake`, `proxy.start_memo`; issue 17: start in ≤ 300 ms), and only then.

The proxy's load is held back in these tests — its interpreter sleeps when SQLAlchemy is first imported (a
`sitecustomize` hook) and then says so on stderr — so "before the proxy has loaded" is an order of lines,
not a timing: the answer is read before the hook's `LOADED` line, or after it."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from proxy import start_memo
from proxy.config import Settings
from vault.keys import load_master_key

pytestmark = [pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[2]
HOLD_SECONDS = 8.0

HOLD_LOAD = f"""
import sys, time
_held = []
def _hook(event, args):
    if event == "import" and args[0] == "sqlalchemy" and not _held:
        _held.append(1)
        time.sleep({HOLD_SECONDS})
        sys.stderr.write("LOADED\\n")
        sys.stderr.flush()
sys.addaudithook(_hook)
"""

# A stdlib backend: answers `initialize` with the result in the file argv[1], `tools/list` with one tool,
# and appends every line it receives to the file argv[2].
BACKEND = """
import json, sys
for line in sys.stdin:
    with open(sys.argv[2], "a") as log:
        log.write(line)
    msg = json.loads(line)
    if "id" not in msg or "method" not in msg:
        continue
    if msg["method"] == "initialize":
        result = json.load(open(sys.argv[1]))
    elif msg["method"] == "tools/list":
        result = {"tools": [{"name": "ping", "inputSchema": {"type": "object"}}]}
    else:
        result = {}
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": result}) + "\\n")
    sys.stdout.flush()
"""
PLAIN_ANSWER = {
    "protocolVersion": "2025-06-18",
    "capabilities": {"tools": {"listChanged": False}},
    "serverInfo": {"name": "weather", "version": "1.4.2"},
}
PERSONAL_ANSWER = {
    **PLAIN_ANSWER,
    "instructions": "Questions: write to maria.gonzalez@example.com or call +1 415 555 0134.",
}


def initialize(request_id: int = 1) -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": request_id,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "t", "version": "1"},
        },
    }


class Start:
    """One `veil run` in front of the test backend, its load held back; records what stderr said when."""

    def __init__(
        self,
        tmp: Path,
        answer: dict[str, Any],
        extra: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
    ):
        hooks = tmp / "hooks"
        hooks.mkdir(exist_ok=True)
        (hooks / "sitecustomize.py").write_text(HOLD_LOAD)
        (tmp / "backend.py").write_text(BACKEND)
        self.received = tmp / f"received-{time.monotonic_ns()}.jsonl"
        answer_file = tmp / f"answer-{time.monotonic_ns()}.json"
        answer_file.write_text(json.dumps(answer))
        run_env = {**(env or os.environ), "PYTHONPATH": f"{hooks}{os.pathsep}{ROOT}"}
        backend = [sys.executable, str(tmp / "backend.py"), str(answer_file), str(self.received)]
        command = [sys.executable, "-m", "proxy", "run", *extra, "--", *backend]
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=run_env,
            cwd=ROOT,
        )
        self.stderr: list[str] = []
        self.loaded = threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            line = raw.decode(errors="replace")
            self.stderr.append(line)
            if line.startswith("LOADED"):
                self.loaded.set()

    def send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message).encode() + b"\n")
        self.proc.stdin.flush()

    def read(self) -> tuple[dict[str, Any], bool]:
        """The next message from the proxy, and whether it came before the proxy had loaded."""
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, "".join(self.stderr)[-3000:]
        return json.loads(line), not self.loaded.is_set()

    def handshake(self) -> tuple[dict[str, Any], bool]:
        self.send(initialize())
        return self.read()

    def stop(self) -> int:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            return self.proc.wait(60)
        finally:
            self.proc.kill()

    def requests(self, method: str) -> int:
        lines = self.received.read_text().splitlines() if self.received.exists() else []
        return sum(1 for line in lines if json.loads(line).get("method") == method)


@pytest.fixture
def home(veil_home: Path) -> Path:
    """A vault that exists, as on every start but the first."""
    upgrade = [sys.executable, "-m", "proxy", "db", "upgrade"]
    subprocess.run(upgrade, check=True, cwd=ROOT, capture_output=True, timeout=120)
    return veil_home


def memo_entries(home: Path) -> list[list[str]]:
    path = home / start_memo.MEMO_FILE
    return json.loads(path.read_text())["answers"] if path.exists() else []


def full_session(start: Start) -> tuple[dict[str, Any], bool, dict[str, Any]]:
    """initialize, initialized, tools/list: (initialize answer, whether it came early, tools/list answer)."""
    answer, early = start.handshake()
    start.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    start.send({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
    tools, _ = start.read()
    return answer, early, tools


def test_a_start_after_a_good_one_answers_initialize_before_loading_and_the_relay_still_processes_it(
    home, tmp_path
):
    first = Start(tmp_path, PLAIN_ANSWER)
    answer1, early1, tools1 = full_session(first)
    assert first.stop() == 0
    assert not early1  # the first start has nothing to go on: the chain answers
    assert len(memo_entries(home)) == 1

    second = Start(tmp_path, PLAIN_ANSWER)
    answer2, early2, tools2 = full_session(second)
    assert second.stop() == 0
    assert early2, "the second start waited for the proxy's load"
    assert answer2 == answer1 and answer2["result"] == PLAIN_ANSWER
    assert tools2 == tools1 and tools2["result"]["tools"][0]["name"] == "ping"
    assert second.requests("initialize") == 1  # forwarded once: the relay's copy was not sent again
    assert len(memo_entries(home)) == 1
    audit = subprocess.run(
        [sys.executable, "-m", "proxy", "audit", "query", "--json", "--event", "call-completed"],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=120,
    )
    rows = [json.loads(line) for line in audit.stdout.splitlines()]
    assert sum(1 for r in rows if r["method"] == "initialize") == 2  # the early answer is audited as ever


def test_an_answer_holding_personal_data_is_tokenized_on_every_start_and_never_remembered(home, tmp_path):
    for _ in range(2):
        start = Start(tmp_path, PERSONAL_ANSWER)
        answer, early, _tools = full_session(start)
        assert start.stop() == 0
        text = json.dumps(answer)
        assert not early
        assert "maria.gonzalez@example.com" not in text and "555 0134" not in text
        assert "[[EMAIL_ADDRESS:" in text
    assert memo_entries(home) == []


def test_another_policy_or_another_answer_takes_the_full_path(home, tmp_path):
    first = Start(tmp_path, PLAIN_ANSWER)
    full_session(first)
    first.stop()
    policy = tmp_path / "extra.yaml"
    policy.write_text("version: 1\nname: extra\nfields:\n  - entity: CUSTOMER_REF\n    keys: [ref]\n")
    other_policy = Start(tmp_path, PLAIN_ANSWER, ("--policy", str(policy)))
    _answer, early, _ = full_session(other_policy)
    other_policy.stop()
    assert not early
    changed = {**PLAIN_ANSWER, "serverInfo": {"name": "weather", "version": "1.5.0"}}
    other_answer = Start(tmp_path, changed)
    answer, early, _ = full_session(other_answer)
    other_answer.stop()
    assert not early and answer["result"] == changed


def test_a_wrong_master_key_after_a_good_start_is_refused_at_initialize(home, tmp_path):
    first = Start(tmp_path, PLAIN_ANSWER)
    full_session(first)
    first.stop()
    wrong = {**os.environ, "VEIL_MASTER_KEY": base64.b64encode(b"w" * 32).decode()}
    start = Start(tmp_path, PLAIN_ANSWER, env=wrong)
    answer, _early = start.handshake()
    code = start.stop()
    assert "error" in answer and "does not open this vault" in answer["error"]["message"]
    assert code != 0


def test_a_remembered_answer_the_chain_would_change_stops_the_proxy_and_clears_the_memo(home, tmp_path):
    # A memo the chain disagrees with (written by a bug, or by hand): the early answer goes out, then the
    # relay's own answer differs, the proxy stops non-zero and no memo is trusted afterwards.
    settings = Settings.resolve()
    key = start_memo.start_key(settings.policies, settings.vault_url, lambda: load_master_key(home).secret)
    assert key is not None
    start_memo.remember(home, key, start_memo.answer_digest(PERSONAL_ANSWER))
    start = Start(tmp_path, PERSONAL_ANSWER)
    _answer, early = start.handshake()
    code = start.stop()
    assert early
    assert code != 0
    assert "differs from the chain's answer" in "".join(start.stderr)
    assert not (home / start_memo.MEMO_FILE).exists()
