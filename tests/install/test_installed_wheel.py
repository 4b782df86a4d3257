"""A regular (non-editable) install works outside the checkout: the wheel carries the shipped policies, the
vault's migrations and the example backends, and `veil` finds them there.

The wheel is built from a copy of the checkout (no build artefacts left in it) and installed with
`--no-deps` into a fresh venv that sees the shared venv's packages only as a plain path entry after its
own site-packages (no .pth of the shared venv runs, so its editable `proxy` is not seen). Every command runs
from a temporary cwd without PYTHONPATH.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SOURCE_TREE_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.pyc", "build", "dist", "*.egg-info", "node_modules", ".*_cache",
    ".hypothesis", "tests", "benchmarks", ".tmp",
)  # fmt: skip



@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(ROOT, source, ignore=SOURCE_TREE_IGNORE, symlinks=True)
    out = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        check=True,
        timeout=600,
        env=_clean_env(work),
    )
    (built,) = out.glob("mcp_veil-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A fresh venv with the wheel installed: its bin dir, python and an environment to run it in."""
    root = tmp_path_factory.mktemp("installed")
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
    )
    # The shared venv's dependencies, after this venv's own site-packages (which gets the wheel).
    (site / "zz_shared_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        timeout=300,
        env=_clean_env(root),
    )
    cwd = root / "cwd"
    cwd.mkdir()
    env = _clean_env(root)
    env["VEIL_HOME"] = str(root / "veil-home")
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}"
    return {"bin": env_dir / "bin", "python": python, "env": env, "cwd": cwd, "site": site}


def _clean_env(home: Path) -> dict[str, str]:
    drop = ("VEIL_", "GOOGLE_", "PYTHON", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["HOME"] = str(home)
    env["COLUMNS"] = "200"
    return env


def _veil(installed: dict[str, Any], *args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(installed["bin"] / "veil"), *args],
        capture_output=True,
        text=True,
        env=kw.pop("env", installed["env"]),
        cwd=installed["cwd"],
        timeout=kw.pop("timeout", 300),
        **kw,
    )


def test_the_wheel_carries_every_module_the_policies_migrations_and_examples(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in ("proxy", "vault"):
        for path in (ROOT / package).rglob("*.py"):
            assert path.relative_to(ROOT).as_posix() in names  # a new subpackage is listed in pyproject
    for path in (ROOT / "policies").glob("*.yaml"):
        assert f"proxy/_shipped/policies/{path.name}" in names
    for path in (ROOT / "migrations").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert f"vault/_shipped/migrations/{path.relative_to(ROOT / 'migrations').as_posix()}" in names
    for path in (ROOT / "examples").rglob("*.py"):
        assert f"proxy/_shipped/examples/{path.relative_to(ROOT / 'examples').as_posix()}" in names
    # google-ads installs a top-level `examples` package: the wheel must not bring one of that name
    assert not any(n.split("/")[0] in ("examples", "policies", "migrations") for n in names)


def test_the_installed_veil_runs_from_its_own_files_not_the_checkout(installed: dict[str, Any]) -> None:
    code = (
        "import proxy.shipped as s, vault.migrate as m; print(s.POLICIES_DIR, "
        "s.EXAMPLES_ROOT, m.MIGRATIONS_DIR)"
    )
    out = subprocess.check_output(
        [str(installed["python"]), "-c", code], text=True, env=installed["env"], cwd=installed["cwd"]
    ).split()
    assert all(Path(p).is_relative_to(installed["site"]) for p in out), out


def test_the_installed_veil_db_upgrade_creates_the_vault_from_its_packaged_migrations(
    installed: dict[str, Any],
) -> None:
    proc = _veil(installed, "db", "upgrade")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "is up to date" in proc.stderr
    assert (Path(installed["env"]["VEIL_HOME"]) / "vault.db").exists()


def test_the_installed_veil_run_proxies_the_bundled_example_backend_with_the_shipped_policies(
    installed: dict[str, Any],
) -> None:
    examples_root = subprocess.check_output(
        [str(installed["python"]), "-c", "import proxy.shipped as s; print(s.EXAMPLES_ROOT)"],
        text=True,
        env=installed["env"],
        cwd=installed["cwd"],  # not the checkout: `python -c` puts the cwd first on sys.path
    ).strip()
    env = {**installed["env"], "PYTHONPATH": examples_root, "VEIL_EXAMPLE_MODE": "offline"}
    backend = [str(installed["python"]), "-m", "examples.google_ads_server"]
    with subprocess.Popen(
        [str(installed["bin"] / "veil"), "run", "--", *backend],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=installed["cwd"],
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        try:
            init = _exchange(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": _INIT})
            assert "result" in init, init
            proc.stdin.write(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}) + "\n")
            params = {"name": "list_customer_clients", "arguments": {}}
            reply = _exchange(proc, {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": params})
        finally:
            proc.stdin.close()
            proc.wait(timeout=60)
    result = json.dumps(reply["result"])
    assert "[[ACCOUNT_NAME:" in result  # a field rule of the shipped Google Ads pack
    assert "[[GOOGLE_ADS_CUSTOMER_ID:" in result


def _exchange(proc: subprocess.Popen[str], message: dict[str, Any]) -> dict[str, Any]:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(json.dumps(message) + "\n")
    proc.stdin.flush()
    while line := proc.stdout.readline():
        reply = json.loads(line)
        if reply.get("id") == message["id"]:
            return dict(reply)
    raise AssertionError(f"veil run closed stdout before answering {message['method']}")


def test_the_installed_veil_demo_runs_from_a_temporary_directory(installed: dict[str, Any]) -> None:
    proc = _veil(installed, "demo")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "[[SITE_URL:" in proc.stdout


_INIT = {
    "protocolVersion": "2025-06-18",
    "capabilities": {},
    "clientInfo": {"name": "install-test", "version": "0"},
}


@pytest.mark.parametrize("tool", ["uv", "pipx"])
def test_uv_tool_install_and_pipx_install_from_a_checkout_give_a_working_veil(
    tool: str, tmp_path: Path
) -> None:
    """What the README's first screen says, with the installer itself (skipped where it is not installed;
    the dependencies come from the package index or the installer's cache)."""
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} is not installed")
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=SOURCE_TREE_IGNORE, symlinks=True)
    env = _clean_env(tmp_path)
    tools, bin_dir = str(tmp_path / "tools"), str(tmp_path / "bin")
    env.update(UV_TOOL_DIR=tools, UV_TOOL_BIN_DIR=bin_dir, PIPX_HOME=tools, PIPX_BIN_DIR=bin_dir)
    install = [exe, "tool", "install", str(source)] if tool == "uv" else [exe, "install", str(source)]
    done = subprocess.run(install, capture_output=True, text=True, env=env, timeout=1200, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    env["VEIL_HOME"] = str(tmp_path / "veil-home")
    for args in (["db", "upgrade"], ["demo"]):
        proc = subprocess.run(
            [str(tmp_path / "bin" / "veil"), *args],
            capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr[-2000:]
