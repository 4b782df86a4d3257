"""The scrub names the credential-looking variables it drops (names, never values) and says how to pass
them; `--pass-env NAME` passes exactly that variable."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy import sandbox
from proxy.config import SECRET_ENV
from proxy.sandbox import SandboxSpec, backend_env

ROOT = Path(__file__).resolve().parents[2]
word = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=12)
SUFFIXES = ("_KEY", "_API_KEY", "_TOKEN", "_SECRET", "_PASSWORD", "_CREDENTIALS", "_ACCESS_TOKEN")
PREFIXES = ("GOOGLE_", "AWS_", "AZURE_", "GITHUB_", "OPENAI_", "ANTHROPIC_")
credential_name = st.one_of(
    st.builds(lambda w, s: "X" + w + s, word, st.sampled_from(SUFFIXES)),
    st.builds(lambda p, w: p + w, st.sampled_from(PREFIXES), word),
)
secret_value = st.text(min_size=8, max_size=40).filter(lambda v: "\x00" not in v and v.strip())


@pytest.fixture(autouse=True)
def _fresh_sandbox_state() -> Iterator[None]:
    sandbox._reported.clear()
    sandbox.pass_env(())
    yield
    sandbox._reported.clear()
    sandbox.pass_env(())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(credential_name, min_size=1, max_size=4, unique=True), value=secret_value)
def test_every_dropped_credential_name_is_named_once_and_its_value_never(
    names: list[str], value: str, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox._reported.clear()
    environ = {"PATH": "/usr/bin", "HOME": "/home/x", **{n: value + n for n in names}}
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="proxy.sandbox"):
        env = backend_env(SandboxSpec(), environ, SECRET_ENV)
        backend_env(SandboxSpec(), environ, SECRET_ENV)  # a restart: not said again
    assert not set(names) & set(env)
    (record,) = [r for r in caplog.records if r.name == "proxy.sandbox"]
    text = record.getMessage() + json.dumps(record.__dict__.get("dropped_env"))
    assert all(n in text for n in names)
    assert value not in text
    assert "--pass-env NAME" in text and "env_allow" in text


@given(names=st.lists(credential_name, min_size=2, max_size=4, unique=True), value=secret_value)
def test_pass_env_passes_exactly_the_names_given(names: list[str], value: str) -> None:
    environ = {n: value for n in names}
    sandbox.pass_env([names[0]])
    env = backend_env(SandboxSpec(), environ, SECRET_ENV)
    assert set(env) & set(names) == {names[0]}


def test_the_proxys_own_secrets_never_pass_even_when_named(monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox.pass_env(list(SECRET_ENV))
    env = backend_env(SandboxSpec(), {n: "x" * 44 for n in SECRET_ENV}, SECRET_ENV)
    assert not set(env) & set(SECRET_ENV)


def test_allowed_and_basic_variables_are_not_reported(caplog: pytest.LogCaptureFixture) -> None:
    environ = {"PATH": "/bin", "GOOGLE_ADS_DEVELOPER_TOKEN": "t", "LANG": "C"}
    with caplog.at_level(logging.WARNING, logger="proxy.sandbox"):
        backend_env(SandboxSpec(env_allow=("GOOGLE_ADS_*",)), environ, SECRET_ENV)
    assert not [r for r in caplog.records if r.name == "proxy.sandbox"]


@pytest.mark.e2e
def test_veil_run_names_the_dropped_key_on_stderr_and_pass_env_passes_one(tmp_path: Path) -> None:
    seen = tmp_path / "backend-env.json"
    backend = (
        "import json, os, sys; "
        f"open({str(seen)!r}, 'w').write(json.dumps(sorted(os.environ))); "
        "os.execvp(sys.executable, [sys.executable, '-m', 'examples.echo_server'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEIL_", "GOOGLE_"))}
    env.update(
        VEIL_HOME=str(tmp_path / "home"),
        PYTHONPATH=str(ROOT),
        ACME_API_KEY="sk-live-0123456789",
        ACME_SIGNING_SECRET="whsec-abcdef",
    )
    client = {"name": "t", "version": "0"}
    params = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": client}
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params}
    veil = [sys.executable, "-m", "proxy", "run", "--pass-env", "ACME_API_KEY"]
    proc = subprocess.run(
        [*veil, "--", sys.executable, "-c", backend],
        input=json.dumps(init) + "\n", capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert '"id": 1' in proc.stdout or '"id":1' in proc.stdout, proc.stderr[-2000:]
    names = set(json.loads(seen.read_text()))
    assert "ACME_API_KEY" in names and "ACME_SIGNING_SECRET" not in names
    assert "ACME_SIGNING_SECRET" in proc.stderr and "--pass-env" in proc.stderr
    assert "whsec-abcdef" not in proc.stderr and "sk-live" not in proc.stderr
    assert sum("credential-looking" in line for line in proc.stderr.splitlines()) == 1
