"""Policies add up, through the real CLI: `--policy` and `$VEIL_HOME/policies/` add to the shipped rules,
`--no-default-policies` replaces them, a contradiction with the defaults is still refused, and the shipped
packs apply only to backends they are for (`veil policy check --against` passes a non-Google server)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[2]
ECHO = [sys.executable, "-m", "examples.echo_server"]
INIT = (
    b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
    b'"capabilities":{},"clientInfo":{"name":"t","version":"1"}}}\n'
    b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n'
)
# `descriptiveName` is tokenized by a shipped field rule alone (an account name: no built-in detector reads it
# as personal); `fullName` also by the built-in person-name detection, which needs no policy.
ACCOUNT = "Quarrytown Holdings"
NICK = "sunbeam_42"  # a handle: tokenized only by the policy that names `nickname`
RECORD = json.dumps({"fullName": "Quintus Arbogast", "descriptiveName": ACCOUNT, "nickname": NICK})
NICKNAME = "version: 1\nname: nick\nfields:\n  - entity: PERSON\n    keys: [nickname]\n"


@pytest.fixture
def env(veil_home: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _echoed(env: dict[str, str], *options: str) -> str:
    """The text the client gets back for `echo_json(RECORD)` through `veil run OPTIONS`."""
    call = {
        "jsonrpc": "2.0",
        "id": 2,
        "method": "tools/call",
        "params": {"name": "echo_json", "arguments": {"payload": RECORD}},
    }
    proc = subprocess.run(
        [sys.executable, "-m", "proxy", "run", *options, "--", *ECHO],
        input=INIT + json.dumps(call).encode() + b"\n",
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    replies = {r.get("id"): r for r in map(json.loads, proc.stdout.splitlines())}
    assert 2 in replies and "result" in replies[2], proc.stderr.decode()[-3000:]
    return "".join(c.get("text", "") for c in replies[2]["result"]["content"])


def test_a_policy_given_adds_to_the_shipped_field_rules(env, tmp_path):
    nick = tmp_path / "nick.yaml"
    nick.write_text(NICKNAME)
    shipped_only = _echoed(env)
    assert ACCOUNT not in shipped_only and NICK in shipped_only
    both = _echoed(env, "--policy", str(nick))
    assert ACCOUNT not in both and NICK not in both  # the default rule still holds


def test_a_policy_in_the_data_dirs_policies_folder_applies_too(env, veil_home):
    (veil_home / "policies").mkdir(parents=True)
    (veil_home / "policies" / "nick.yaml").write_text(NICKNAME)
    text = _echoed(env)
    assert ACCOUNT not in text and NICK not in text


def test_no_default_policies_replaces_the_shipped_ones(env, tmp_path):
    nick = tmp_path / "nick.yaml"
    nick.write_text(NICKNAME)
    text = _echoed(env, "--no-default-policies", "--policy", str(nick))
    assert ACCOUNT in text and NICK not in text
    assert "Quintus Arbogast" not in text  # person names need no policy


def test_a_policy_contradicting_the_defaults_is_refused_naming_both_files(env, tmp_path):
    bad = tmp_path / "contra.yaml"
    bad.write_text("version: 1\nname: contra\nfields:\n  - entity: PERSON\n    keys: [email]\n")
    proc = subprocess.run(
        [sys.executable, "-m", "proxy", "run", "--policy", str(bad), "--", *ECHO],
        input=INIT,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    (reply,) = [json.loads(line) for line in proc.stdout.splitlines()]
    message = reply["error"]["message"]
    assert proc.returncode != 0
    assert "conflicting rules" in message and "contra.yaml" in message and "default.yaml" in message


def _check_against(env: dict[str, str], backend: str, *files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "proxy", "policy", "check", *files, "--against", backend],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=180,
    )


def test_policy_check_against_a_server_the_packs_are_not_for_passes_and_says_so(env):
    proc = _check_against(env, f"{sys.executable} -m examples.echo_server")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "pack 'google-ads' does not apply to examples.echo_server" in proc.stdout
    assert "pack 'search-console' does not apply" in proc.stdout


def test_policy_check_against_a_server_a_pack_is_for_checks_that_packs_rules(env, tmp_path):
    proc = _check_against(env, f"{sys.executable} -m examples.search_console_server")
    assert "pack 'search-console' does not apply" not in proc.stdout
    assert "pack 'google-ads' does not apply" in proc.stdout
    typo = tmp_path / "sc-typo.yaml"
    typo.write_text("version: 1\nname: sc-typo\napplies_to: ['*list_sites']\ntools:\n  list_sitez: {}\n")
    proc = _check_against(env, f"{sys.executable} -m examples.search_console_server", str(typo))
    assert proc.returncode == 1 and "tool rule 'list_sitez' matches no tool" in proc.stderr


def _call(env: dict[str, str], backend: list[str], tool: str, arguments: dict) -> dict:
    call = {
        "jsonrpc": "2.0",
        "id": 2,
        "method": "tools/call",
        "params": {"name": tool, "arguments": arguments},
    }
    proc = subprocess.run(
        [sys.executable, "-m", "proxy", "run", "--", *backend],
        input=INIT + json.dumps(call).encode() + b"\n",
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    replies = {r.get("id"): r for r in map(json.loads, proc.stdout.splitlines())}
    assert 2 in replies and "result" in replies[2], proc.stderr.decode()[-3000:]
    return replies[2]["result"]


def test_a_shipped_pack_applies_to_the_backend_it_is_for_and_not_to_others(env):
    sites = _call(env, [sys.executable, "-m", "examples.search_console_server"], "list_sites", {})
    text = json.dumps(sites)
    assert "[[SITE_URL:" in text and "https://www." not in text  # called before any tools/list: still on
    record = json.dumps({"property": "https://www.northwind-garden-supply.example/"})
    echoed = _call(env, ECHO, "echo_json", {"payload": record})
    # not a Search Console backend: the pack's wide `property` key is not applied (`siteUrl` is, on every
    # backend: default.yaml). A business's site: a site named after a person is a name in an identifier.
    assert "https://www.northwind-garden-supply.example/" in json.dumps(echoed)
