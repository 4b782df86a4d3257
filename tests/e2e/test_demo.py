"""`veil demo` (what `make demo` runs) works on the embedded defaults and shows tokens to the model."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_runs_on_the_embedded_defaults_and_shows_tokens(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEIL_", "GOOGLE_"))}
    env["HOME"] = str(tmp_path)  # a fresh machine: no data dir, no key yet
    env["COLUMNS"] = "200"
    proc = subprocess.run(
        [sys.executable, "-m", "proxy", "demo"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    for token_type in ("GOOGLE_ADS_CUSTOMER_ID", "ACCOUNT_NAME", "SITE_URL"):
        assert f"[[{token_type}:" in out
    assert "The model saw tokens (" in out
    assert "stayed readable by design" in out  # the sites' own page URLs are shown as they are
