"""A policy checked against a backend's tools: rules naming nothing are reported; writes are pointed out."""

import os
import subprocess
import sys
from pathlib import Path

from proxy.policy import load_policy
from proxy.policy.backend_check import BackendTool, check_against

ROOT = Path(__file__).resolve().parents[2]
TOOLS = [
    BackendTool("list_campaigns", frozenset({"customer_id"}), destructive=False, read_only=True),
    BackendTool("send_email", frozenset({"to", "subject", "body"}), destructive=False, read_only=False),
    BackendTool("archive", frozenset({"id"}), destructive=True, read_only=False),
]


def policy_with(tmp_path: Path, text: str):
    p = tmp_path / "p.yaml"
    p.write_text("version: 1\nname: p\n" + text)
    return load_policy([p])


def test_a_rule_for_a_tool_the_backend_lacks_is_an_error_and_a_glob_only_a_note(tmp_path):
    policy = policy_with(
        tmp_path, "tools:\n  list_campains: {timeout_seconds: 5}\n  '*report*': {timeout_seconds: 5}\n"
    )
    found = [str(f) for f in check_against(policy, TOOLS, label="ads")]
    assert "error  tool rule 'list_campains' matches no tool of ads" in found
    assert "note   tool rule '*report*' matches no tool of ads" in found


def test_an_egress_rule_naming_an_argument_no_tool_has_is_an_error(tmp_path):
    policy = policy_with(tmp_path, "egress:\n  rules:\n    - {tool: send_email, deny: [bdy]}\n")
    found = [str(f) for f in check_against(policy, TOOLS, label="ads")]
    assert "error  egress rule for 'send_email' names argument 'bdy', which no such tool has" in found


def test_an_egress_argument_in_another_spelling_or_nested_in_the_schema_is_not_reported(tmp_path):
    from proxy.policy.backend_check import tools_from_listing

    schema = {
        "type": "object",
        "properties": {
            "Callback_URL": {"type": "string"},
            "request": {"type": "object", "properties": {"url": {"type": "string"}}},
        },
    }
    tool = type("T", (), {"name": "send_hook", "input_schema": schema, "annotations": None})()
    tools = tools_from_listing(type("L", (), {"tools": [tool]})())
    policy = policy_with(
        tmp_path, "egress:\n  rules:\n    - {tool: send_hook, deny: [callbackUrl, request.url, url, bdy]}\n"
    )
    errors = [str(f) for f in check_against(policy, tools, label="hooks") if f.level == "error"]
    assert errors == ["error  egress rule for 'send_hook' names argument 'bdy', which no such tool has"]


def test_tools_that_look_like_writes_are_pointed_out(tmp_path):
    found = [str(f) for f in check_against(policy_with(tmp_path, ""), TOOLS, label="ads")]
    assert any("'send_email' may write (its name looks like a write)" in f for f in found)
    assert any("'archive' may write (declares destructiveHint)" in f for f in found)
    assert not any("list_campaigns" in f for f in found)


def test_only_writes_without_an_approval_rule_are_listed_and_the_defaults_are_named(tmp_path):
    policy = policy_with(
        tmp_path,
        "tools:\n  send_email: {approval: never}\napprovals: {destructive: required}\n",
    )
    found = [str(f) for f in check_against(policy, TOOLS, label="ads")]
    assert not any("send_email" in f for f in found)  # reviewed: the operator said never
    (archive,) = [f for f in found if "'archive'" in f]
    assert "has no approval rule (approval required by the approvals defaults)" in archive


def test_veil_policy_check_against_a_real_backend_exits_non_zero_on_a_typo(tmp_path):
    p = tmp_path / "p.yaml"
    p.write_text("version: 1\nname: p\ntools:\n  ecco: {timeout_seconds: 5}\n")
    backend = f"{sys.executable} -m examples.echo_server"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "proxy", "policy", "check", str(p), "--against", backend],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "tool rule 'ecco' matches no tool of examples.echo_server" in proc.stderr
