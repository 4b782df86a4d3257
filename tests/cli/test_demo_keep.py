"""`veil demo --keep DIR` leaves a vault its closing hint can be followed on; its closing words say what
stayed readable."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_keeps_its_vault_and_the_printed_hint_lists_its_tokens(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEIL_", "GOOGLE_"))}
    env.update(HOME=str(tmp_path), COLUMNS="300")
    kept = tmp_path / "kept vault"
    proc = subprocess.run(
        [sys.executable, "-m", "proxy", "demo", "--keep", str(kept)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (kept / "vault.db").exists()
    hint = next(line for line in proc.stdout.splitlines() if "veil tokens list" in line)
    assignment = hint.split("Inspect the vault: ", 1)[1].split(" veil tokens list")[0]
    name, value = shlex.split(assignment)[0].split("=", 1)
    assert name == "VEIL_HOME"
    listed = subprocess.run(
        [sys.executable, "-m", "proxy", "tokens", "list", "--json"],
        capture_output=True, text=True, env={**env, name: value}, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert "SITE_URL" in listed.stdout and "ACCOUNT_NAME" in listed.stdout
    assert "stayed readable by design" in proc.stdout


def test_without_keep_the_demo_says_its_vault_was_temporary(tmp_path: Path) -> None:
    from proxy.cli.demo import _closing

    text = _closing([("b", "t", {}, {"id": "[[SITE_URL:aaaaaaaaaaaaaaaa]]"})], None)
    assert "temporary" in text and "--keep DIR" in text
    assert "SITE_URL" in text
