"""The official MCP conformance suite (npm `@modelcontextprotocol/conformance`), direct vs through mcp-veil.

Server scenarios (the whole suite: active and pending) run against `@modelcontextprotocol/server-everything`
(streamableHttp mode) directly, then against `veil serve` in front of it (as an HTTP backend, and as a
stdio backend spawned per session): every scenario must have the same outcome, and the direct failures
must be exactly the checked-in baseline (`expected-failures.yml`: scenarios server-everything lacks
fixtures for). Because that baseline leaves most features untested, the suite also runs against
`fixture_server.py` (the fixtures its scenarios ask for), directly and through `veil serve`. Client
scenarios run the SDK client through `veil run --url` against the suite's own servers, compared with the
same client direct.

The suite needs Node >= 22: `make conformance` (and `.ci/run`) install it under `.node/`. Without it, or
without npm, these tests are skipped and say why.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

pytestmark = [pytest.mark.e2e, pytest.mark.node]

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
MODULES = ROOT / ".node" / "node_modules"
NODE22 = MODULES / "node" / "bin" / "node"
SUITE = MODULES / "@modelcontextprotocol" / "conformance" / "dist" / "index.js"
EVERYTHING = MODULES / "@modelcontextprotocol" / "server-everything" / "dist" / "index.js"
SUITE_TIMEOUT = 300  # seconds for one whole run of the suite
START_TIMEOUT = 60  # seconds for a server (veil's start includes loading Presidio) to listen

# Scenarios where the proxy is stricter than server-everything by design: it must pass them.
VEIL_STRICTER = {"dns-rebinding-protection"}
CLIENT_SCENARIOS = ["initialize", "tools_call", "elicitation-sep1034-client-defaults", "sse-retry"]


def node22() -> str:
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed: the conformance suite cannot be installed")
    for path in (MODULES / ".bin" / "node", NODE22):
        if path.exists():
            out = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=30).stdout
            if re.match(r"v(\d+)", out) and int(re.match(r"v(\d+)", out).group(1)) >= 22:  # type: ignore[union-attr]
                return str(path)
    pytest.skip("Node >= 22 is not installed under .node/ (run `make conformance`; the suite needs Node 22)")


def require(path: Path, package: str) -> None:
    if not path.is_file():
        pytest.skip(f"npm package {package} is not installed under .node/ (run `make conformance`)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{what} exited with {proc.returncode} before listening")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not listen on port {port} within {START_TIMEOUT}s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


@pytest.fixture
def env(veil_home: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture
def everything(env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    """server-everything in streamableHttp mode on a free loopback port; yields its MCP URL."""
    node = node22()
    require(EVERYTHING, "@modelcontextprotocol/server-everything")
    port = free_port()
    with open(tmp_path / "everything.log", "wb") as log:
        proc = subprocess.Popen(
            [node, str(EVERYTHING), "streamableHttp"], env={**env, "PORT": str(port)}, stdout=log, stderr=log
        )
        try:
            wait_for_port(port, proc, "server-everything")
            yield f"http://127.0.0.1:{port}/mcp"
        finally:
            stop(proc)


def veil_serve(env: dict[str, str], log_path: Path, *backend: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "proxy",
                "serve",
                "--listen",
                f"127.0.0.1:{port}",
                "--log-level",
                "WARNING",
                *backend,
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=log,
        )
    wait_for_port(port, proc, "veil serve")
    return proc, f"http://127.0.0.1:{port}/mcp"


def outcomes(results: Path) -> dict[str, str]:
    """scenario → "pass" | "fail" from the suite's results directory (one `checks.json` per scenario)."""
    found: dict[str, str] = {}
    for checks in sorted(results.glob("*/checks.json")):
        name = re.sub(r"-\d{4}-\d\d-\d\dT[\d-]+Z$", "", checks.parent.name)
        name = name.removeprefix("server-")
        statuses = {c["status"] for c in json.loads(checks.read_text())}
        found[name] = "fail" if "FAILURE" in statuses else "pass"
    return found


def run_server_suite(node: str, url: str, out: Path) -> dict[str, str]:
    subprocess.run(
        [node, str(SUITE), "server", "--suite", "all", "--url", url, "-o", str(out)],
        capture_output=True,
        timeout=SUITE_TIMEOUT,
        check=False,  # a failing scenario exits non-zero; outcomes are compared per scenario below
    )
    found = outcomes(out)
    assert found, f"the suite produced no results in {out}"
    return found


def expected_failures(name: str = "expected-failures.yml") -> set[str]:
    return set(yaml.safe_load((HERE / name).read_text())["server"])


def compare(direct: dict[str, str], proxied: dict[str, str]) -> list[str]:
    problems = []
    for scenario in sorted(direct.keys() | proxied.keys()):
        want = "pass" if scenario in VEIL_STRICTER else direct.get(scenario)
        if proxied.get(scenario) != want:
            problems.append(
                f"{scenario}: direct {direct.get(scenario)}, through veil {proxied.get(scenario)}"
            )
    return problems


def test_every_server_scenario_has_the_same_outcome_directly_and_through_veil_serve(
    everything, env, tmp_path
):
    node = node22()
    require(SUITE, "@modelcontextprotocol/conformance")
    direct = run_server_suite(node, everything, tmp_path / "direct")
    assert {s for s, o in direct.items() if o == "fail"} == expected_failures()

    proc, url = veil_serve(env, tmp_path / "veil-http.log", "--url", everything)
    try:
        over_http = run_server_suite(node, url, tmp_path / "veil-http")
    finally:
        stop(proc)
    proc, url = veil_serve(env, tmp_path / "veil-stdio.log", "--", node, str(EVERYTHING), "stdio")
    try:
        over_stdio = run_server_suite(node, url, tmp_path / "veil-stdio")
    finally:
        stop(proc)

    report = json.dumps({"direct": direct, "veil serve --url": over_http, "veil serve -- stdio": over_stdio})
    (ROOT / ".tmp").mkdir(exist_ok=True)
    (ROOT / ".tmp" / "conformance-server.json").write_text(report)
    assert compare(direct, over_http) == []
    assert compare(direct, over_stdio) == []


@pytest.fixture
def fixtures(env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    """The suite's own fixtures (tests/conformance/fixture_server.py) over Streamable HTTP; yields the URL."""
    port = free_port()
    with open(tmp_path / "fixtures.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, str(HERE / "fixture_server.py"), str(port)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=log,
        )
        try:
            wait_for_port(port, proc, "the fixture server")
            yield f"http://127.0.0.1:{port}/mcp"
        finally:
            stop(proc)


def test_against_the_suites_own_fixtures_every_server_scenario_has_the_same_outcome_through_veil_serve(
    fixtures, env, tmp_path
):
    """Here the suite exercises logging, progress, sampling, elicitation, resources, prompts and completions
    through the proxy: nearly every scenario passes directly, and must pass through veil serve too."""
    node = node22()
    require(SUITE, "@modelcontextprotocol/conformance")
    direct = run_server_suite(node, fixtures, tmp_path / "direct")
    assert {s for s, o in direct.items() if o == "fail"} == expected_failures(
        "expected-failures-fixtures.yml"
    )
    proc, url = veil_serve(env, tmp_path / "veil.log", "--url", fixtures)
    try:
        proxied = run_server_suite(node, url, tmp_path / "veil")
    finally:
        stop(proc)
    (ROOT / ".tmp").mkdir(exist_ok=True)
    report = json.dumps({"fixtures direct": direct, "fixtures through veil serve --url": proxied})
    (ROOT / ".tmp" / "conformance-fixtures.json").write_text(report)
    assert compare(direct, proxied) == []


def run_client_scenario(node: str, scenario: str, env: dict[str, str], out: Path) -> str:
    command = f"{sys.executable} {HERE / 'veil_client.py'}"
    subprocess.run(
        [node, str(SUITE), "client", "--command", command, "--scenario", scenario, "-o", str(out)],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=SUITE_TIMEOUT,
        check=False,
    )
    found = outcomes(out)
    assert len(found) == 1, f"no result for client scenario {scenario} in {out}"
    return next(iter(found.values()))


@pytest.mark.parametrize("scenario", CLIENT_SCENARIOS)
def test_a_client_scenario_passes_through_veil_run_as_it_does_directly(scenario, env, tmp_path):
    node = node22()
    require(SUITE, "@modelcontextprotocol/conformance")
    direct = run_client_scenario(node, scenario, {**env, "VEIL_CONFORMANCE_DIRECT": "1"}, tmp_path / "direct")
    proxied = run_client_scenario(node, scenario, env, tmp_path / "veil")
    assert (direct, proxied) == ("pass", "pass")
