"""`veil run` whose name pipeline fails its self-test (a blank spaCy pipeline: it loads, but finds no
names), as real processes: every message that needs detection, the `initialize` result first, is refused
with a clear, value-free error naming the pipeline; nothing reaches the client unscanned."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mcp import Client, MCPError, StdioServerParameters

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
ROOT = Path(__file__).resolve().parents[2]
ECHO = [sys.executable, "-m", "examples.echo_server"]
EMAIL = "jane.miller@acme-plumbing.example"


@pytest.fixture
def env(veil_home: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _mcp_error(exc: BaseException) -> MCPError:
    """The MCPError the SDK raised, also from inside its exception groups."""
    stack = [exc]
    while stack:
        item = stack.pop()
        if isinstance(item, MCPError):
            return item
        stack.extend(getattr(item, "exceptions", ()))
        if item.__context__ is not None:
            stack.append(item.__context__)
    raise AssertionError(f"no MCPError in {exc!r}")


async def test_a_name_pipeline_that_fails_its_self_test_blocks_every_scanned_message(env, tmp_path):
    import spacy

    blank = tmp_path / "blank_pipeline"
    spacy.blank("en").to_disk(blank)
    policy = tmp_path / "blank.yaml"
    policy.write_text(f"version: 1\nname: blank\ndetection:\n  ner:\n    model: {blank}\n")
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "proxy", "run", "--policy", str(policy), "--", *ECHO],
        env=env,
        cwd=str(ROOT),
    )
    # The initialize result already needs detection (the server's instructions): the client's connect fails.
    with pytest.raises(BaseException) as failed:
        async with Client(params) as client:
            await client.call_tool("echo", {"text": f"write to {EMAIL}"})
    message = _mcp_error(failed.value).error.message
    assert "detector self-test failed: the NER pipeline" in message
    assert "found no PERSON in its canary" in message
    assert EMAIL not in message and "Maria" not in message
    rows = subprocess.run(
        [sys.executable, "-m", "proxy", "audit", "query", "--json", "--event", "message-blocked"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert rows.returncode == 0, rows.stderr
    assert any(json.loads(line)["reason"] == "DetectionFailed" for line in rows.stdout.splitlines())
