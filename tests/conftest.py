"""Shared fixtures: an isolated data dir and master key for every test, and the proxy engine."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def veil_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "veil-home"
    monkeypatch.setenv("VEIL_HOME", str(home))
    monkeypatch.setenv("VEIL_MASTER_KEY", base64.b64encode(b"k" * 32).decode())
    monkeypatch.delenv("VEIL_MASTER_KEY_FILE", raising=False)
    monkeypatch.delenv("VEIL_VAULT_URL", raising=False)
    return home
