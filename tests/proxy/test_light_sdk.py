"""The stdio relay reaches the MCP SDK the light way (`proxy.transports.light_sdk`): the JSON-RPC envelope
and the message wrapper without the SDK's client, server and protocol models. What it loads must be the
very classes the SDK uses once it is imported in full, and what it copies must behave as the SDK does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from proxy.transports import wire
from tests.proxy.test_backend_lines import LINES, _shape

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh interpreter (nothing imported yet), from the repository root."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )


def test_the_wire_imports_neither_the_sdk_nor_its_protocol_models_and_the_sdk_then_shares_its_classes():
    done = run_python(
        """
import json, sys
from proxy.transports import wire
HEAVY = ("mcp", "mcp_types._types", "mcp_types.methods", "mcp.client")
light = {m: m in sys.modules for m in HEAVY}
import mcp, mcp_types
import importlib.resources
assert importlib.resources.files("mcp.shared").is_dir()
from mcp.shared.message import ServerMessageMetadata, SessionMessage
from mcp_types.jsonrpc import JSONRPCRequest
print(json.dumps({
    "light": light,
    "session_message": SessionMessage is wire.SessionMessage,
    "metadata": ServerMessageMetadata is wire.ServerMessageMetadata,
    "bound": mcp.shared.message.SessionMessage is SessionMessage,
    "envelope": mcp_types.JSONRPCRequest is JSONRPCRequest is wire.types.JSONRPCRequest,
    "models": mcp_types.Tool.__name__, "sdk_types": mcp.types.Tool is mcp_types.Tool,
}))
"""
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    assert not any(found["light"].values()), found["light"]
    assert found["session_message"] and found["metadata"] and found["bound"] and found["envelope"]
    assert found["models"] == "Tool" and found["sdk_types"]


def test_a_name_the_light_mcp_types_lacks_loads_the_whole_package_once():
    done = run_python(
        """
import sys
from proxy.transports import wire
import mcp_types
before = "mcp_types._types" in sys.modules
from mcp_types import CallToolRequest, Tool
print(before, "mcp_types._types" in sys.modules, Tool.__module__, hasattr(mcp_types, "NoSuchName"))
"""
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "True", "mcp_types._types", "False"]


def test_a_star_import_of_the_light_mcp_types_gets_every_name():
    done = run_python(
        """
from proxy.transports import wire
from mcp_types import *
print(Tool.__name__, JSONRPCRequest.__name__)
"""
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["Tool", "JSONRPCRequest"]


@pytest.mark.parametrize("line", LINES)
def test_the_wire_parses_a_line_as_the_sdk_stdio_client_does(line):
    sdk_stdio = wire.load_sdk_stdio()
    ours, theirs = wire.sdk_parse_line(line), sdk_stdio._parse_line(line)
    assert repr(_shape(ours)) == repr(_shape(theirs))


def test_the_sdk_stdio_module_is_loaded_with_the_proxy_s_short_termination_wait():
    assert wire.load_sdk_stdio().PROCESS_TERMINATION_TIMEOUT == wire.PROCESS_TERMINATION_TIMEOUT == 0.5


def test_claimed_stdout_carries_the_wire_and_stray_output_goes_to_stderr_until_released():
    done = run_python(
        """
import os, sys
from proxy.transports import wire
out, release = wire.claim_stdout()
print("stray print", flush=True)
os.write(1, b"stray write\\n")
out.write(b"wire line\\n"); out.flush()
release()
print("after release", flush=True)
"""
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "wire line\nafter release\n"
    assert "stray print" in done.stderr and "stray write" in done.stderr
