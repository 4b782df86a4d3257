"""`veil wrap` / `veil unwrap` on each client's real config format, through the CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from proxy.cli import cli
from proxy.policy import load_policy_file
from proxy.wrap import jsonc

FIXTURES = Path(__file__).parent / "wrap_fixtures"
VEIL = "/opt/veil/bin/veil"
# (fixture, file name it has in the wild, where its servers are)
CLIENTS = [
    ("claude_desktop_config.json", "claude_desktop_config.json", [["mcpServers"]]),
    ("dot_mcp.json", ".mcp.json", [["mcpServers"]]),
    ("claude.json", ".claude.json", [["mcpServers"], ["projects", "/home/me/agency", "mcpServers"]]),
    ("cursor_mcp.json", "mcp.json", [["mcpServers"]]),
    ("vscode_mcp.json", "mcp.json", [["servers"]]),
]


def veil(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def servers(path: Path, where: list[list[str]]) -> dict[str, Any]:
    """The server entries at these key paths, named `i/name` (i: the path's index)."""
    out: dict[str, Any] = {}
    for i, keys in enumerate(where):
        data = jsonc.parse(path.read_text()).value
        for key in keys:
            data = data[key]
        out.update({f"{i}/{name}": entry for name, entry in data.items()})
    return out


@pytest.fixture
def config(request: pytest.FixtureRequest, tmp_path: Path, veil_home: Path) -> tuple[Path, list[list[str]]]:
    fixture, name, where = request.param
    path = tmp_path / "client" / name
    path.parent.mkdir()
    shutil.copyfile(FIXTURES / fixture, path)
    return path, where


@pytest.mark.parametrize("config", CLIENTS, indirect=True, ids=[c[0] for c in CLIENTS])
def test_wrap_puts_veil_in_front_of_each_server_and_unwrap_restores_the_file_exactly(
    config: tuple[Path, list[list[str]]], veil_home: Path
) -> None:
    path, where = config
    original = path.read_bytes()
    before = servers(path, where)
    result = veil("wrap", "--veil", VEIL, str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("---") and "+++" in result.stdout  # the diff
    after = servers(path, where)
    assert after.keys() == before.keys()
    for name, entry in after.items():
        old = before[name]
        if "headers" in old and path.name == ".mcp.json":
            assert entry == old  # Claude Code expands ${} in args: left alone, and said why
            assert f"{name.split('/')[1]}: HTTP with headers" in result.stderr
            continue
        assert entry["command"] == VEIL and entry["args"][0] == "run"
        if "command" in old:
            assert entry["args"][entry["args"].index("--") + 1 :] == [old["command"], *old.get("args", [])]
            assert entry.get("env") == old.get("env")  # env kept as it was
        else:
            assert entry["args"][1:3] == ["--url", old["url"]] and "url" not in entry
            for header, value in old.get("headers", {}).items():
                arg = next(a for a in entry["args"] if a.startswith(f"{header}: "))
                var = re.fullmatch(r"[^:]+: \$\{(\w+)\}", arg).group(1)  # type: ignore[union-attr]
                assert entry["env"][var] == value and value not in entry["args"]
        for key in set(old) - {"command", "args", "url", "headers", "type", "env"}:
            assert entry[key] == old[key]  # unknown keys kept
    tops = {keys[0] for keys in where}
    untouched = {k: v for k, v in jsonc.parse(original.decode()).value.items() if k not in tops}
    assert {k: jsonc.parse(path.read_text()).value[k] for k in untouched} == untouched
    backups = list(path.parent.glob(f"{path.name}.veil-backup-*"))
    assert [b.read_bytes() for b in backups] == [original]
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600

    again = veil("wrap", "--veil", VEIL, str(path))
    assert again.exit_code == 0 and again.stdout == "" and "nothing to change" in again.stderr

    undone = veil("unwrap", str(path))
    assert undone.exit_code == 0, undone.output
    assert path.read_bytes() == original


def test_vscode_comments_and_trailing_commas_survive_wrapping(tmp_path: Path, veil_home: Path) -> None:
    path = tmp_path / ".vscode" / "mcp.json"
    path.parent.mkdir()
    shutil.copyfile(FIXTURES / "vscode_mcp.json", path)
    assert veil("wrap", "--veil", VEIL, str(path)).exit_code == 0
    text = path.read_text()
    for comment in re.findall(r"//[^\n]*|/\*.*?\*/", (FIXTURES / "vscode_mcp.json").read_text()):
        assert comment in text
    assert servers(path, [["servers"]])["0/fetch"]["type"] == "stdio"


@pytest.mark.parametrize("config", CLIENTS[:1], indirect=True, ids=["claude_desktop"])
def test_each_server_with_env_gets_a_policy_naming_its_variables_and_no_values(
    config: tuple[Path, list[list[str]]], veil_home: Path
) -> None:
    path, where = config
    assert veil("wrap", "--veil", VEIL, str(path)).exit_code == 0
    entry = servers(path, where)["0/google-ads"]
    policy = Path(entry["args"][entry["args"].index("--policy") + 1])
    assert policy.is_relative_to(veil_home) and not policy.is_relative_to(veil_home / "policies")
    loaded = load_policy_file(policy)
    assert loaded.sandbox is not None
    assert sorted(loaded.sandbox.env_allow) == ["GOOGLE_ADS_DEVELOPER_TOKEN", "GOOGLE_ADS_LOGIN_CUSTOMER_ID"]
    assert "dev-token-123" not in policy.read_text()
    assert "--policy" not in servers(path, where)["0/filesystem"]["args"]  # no env: no policy
    assert veil("unwrap", str(path)).exit_code == 0
    assert not policy.exists()


@pytest.mark.parametrize("config", CLIENTS[:1], indirect=True, ids=["claude_desktop"])
def test_dry_run_shows_the_diff_and_writes_nothing(
    config: tuple[Path, list[list[str]]], veil_home: Path
) -> None:
    path, _ = config
    original = path.read_bytes()
    result = veil("wrap", "--dry-run", "--veil", VEIL, str(path))
    assert result.exit_code == 0 and '+      "command": "/opt/veil/bin/veil"' in result.stdout
    assert path.read_bytes() == original and not list(path.parent.glob("*.veil-backup-*"))
    assert not (veil_home / "wrap").exists()


@pytest.mark.parametrize("config", CLIENTS[:1], indirect=True, ids=["claude_desktop"])
def test_an_entry_edited_after_wrapping_is_unwrapped_from_its_arguments(
    config: tuple[Path, list[list[str]]], veil_home: Path
) -> None:
    path, where = config
    before = servers(path, where)
    assert veil("wrap", "--veil", VEIL, str(path)).exit_code == 0
    data = json.loads(path.read_text())
    data["mcpServers"]["filesystem"]["env"] = {"DEBUG": "1"}  # the user edits the wrapped entry
    path.write_text(json.dumps(data, indent=2))
    result = veil("unwrap", str(path))
    assert result.exit_code == 0 and "rebuilt from its arguments" in result.stderr
    restored = servers(path, where)
    assert restored["0/filesystem"] == {**before["0/filesystem"], "env": {"DEBUG": "1"}}
    assert restored["0/google-ads"] == before["0/google-ads"]


def test_without_a_path_the_usual_places_are_searched(
    tmp_path: Path, veil_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, project = tmp_path / "home", tmp_path / "project"
    places = {
        home / ".config" / "Claude" / "claude_desktop_config.json": "claude_desktop_config.json",
        home / ".claude.json": "claude.json",
        home / ".cursor" / "mcp.json": "cursor_mcp.json",
        project / ".vscode" / "mcp.json": "vscode_mcp.json",
        project / ".mcp.json": "dot_mcp.json",
    }
    for path, fixture in places.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / fixture, path)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.chdir(project)
    result = veil("wrap", "--dry-run", "--veil", VEIL)
    assert result.exit_code == 0
    for path in places:
        assert f"--- {path}" in result.stdout


def test_with_no_config_anywhere_wrap_says_where_it_looked(
    tmp_path: Path, veil_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    result = veil("wrap")
    assert result.exit_code != 0 and "claude_desktop_config.json" in result.stderr


def test_a_file_that_is_not_json_is_refused_unchanged(tmp_path: Path, veil_home: Path) -> None:
    path = tmp_path / "mcp.json"
    path.write_text('{"mcpServers": {"x": {"command": "a",,}}}')
    result = veil("wrap", str(path))
    assert result.exit_code != 0 and "not JSON" in result.stderr
    assert path.read_text() == '{"mcpServers": {"x": {"command": "a",,}}}'


@pytest.mark.parametrize("fixture", ["claude_desktop_config.json", "vscode_mcp.json"])
def test_crlf_line_endings_are_kept(fixture: str, tmp_path: Path, veil_home: Path) -> None:
    path = tmp_path / "mcp.json"
    original = (FIXTURES / fixture).read_text().replace("\n", "\r\n").encode()
    path.write_bytes(original)
    assert veil("wrap", "--veil", VEIL, str(path)).exit_code == 0
    assert b"\r\n" in path.read_bytes() and b"\n" not in path.read_bytes().replace(b"\r\n", b"")
    assert veil("unwrap", str(path)).exit_code == 0
    assert path.read_bytes() == original


def test_the_wrapped_command_is_written_absolute_so_a_desktop_client_finds_it(
    tmp_path: Path, veil_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "bin" / "veil"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr("sys.argv", ["python -m proxy"])
    path = tmp_path / "claude_desktop_config.json"
    shutil.copyfile(FIXTURES / "claude_desktop_config.json", path)
    assert veil("wrap", str(path)).exit_code == 0
    assert {e["command"] for e in servers(path, [["mcpServers"]]).values()} == {str(fake)}


def test_two_servers_of_one_name_in_one_file_get_their_own_policies(tmp_path: Path, veil_home: Path) -> None:
    path = tmp_path / ".claude.json"
    entry = {"command": "python", "args": ["-m", "ads_mcp"]}
    doc = {
        "mcpServers": {"ads": {**entry, "env": {"USER_WIDE_TOKEN": "a"}}},
        "projects": {"/p": {"mcpServers": {"ads": {**entry, "env": {"PROJECT_TOKEN": "b"}}}}},
    }
    path.write_text(json.dumps(doc, indent=2))
    assert veil("wrap", "--veil", VEIL, str(path)).exit_code == 0
    found = servers(path, [["mcpServers"], ["projects", "/p", "mcpServers"]])
    policies = {k: Path(e["args"][e["args"].index("--policy") + 1]) for k, e in found.items()}
    assert policies["0/ads"] != policies["1/ads"]
    assert "USER_WIDE_TOKEN" in policies["0/ads"].read_text()
    assert "PROJECT_TOKEN" in policies["1/ads"].read_text()


@pytest.mark.parametrize("config", CLIENTS[:1], indirect=True, ids=["claude_desktop"])
def test_server_limits_wrap_and_unwrap_to_the_servers_named(
    config: tuple[Path, list[list[str]]], veil_home: Path
) -> None:
    path, where = config
    before = servers(path, where)
    assert veil("wrap", "--server", "filesystem", "--veil", VEIL, str(path)).exit_code == 0
    after = servers(path, where)
    assert after["0/google-ads"] == before["0/google-ads"] and after["0/filesystem"]["command"] == VEIL
    assert veil("unwrap", "--server", "google-ads", str(path)).stderr.count("restored") == 0
    assert veil("unwrap", "--server", "filesystem", str(path)).exit_code == 0
    assert servers(path, where) == before


def test_the_usual_places_follow_the_platform(tmp_path: Path) -> None:
    from proxy.wrap.locations import candidates

    home, cwd = Path("/Users/me"), Path("/work/project")
    mac = candidates(home, cwd, {}, platform="darwin")
    assert home / "Library/Application Support/Claude/claude_desktop_config.json" in mac
    assert home / "Library/Application Support/Code/User/mcp.json" in mac
    linux = candidates(Path("/home/me"), cwd, {"XDG_CONFIG_HOME": "/cfg"}, platform="linux")
    assert Path("/cfg/Claude/claude_desktop_config.json") in linux
    for both in (mac, linux):
        assert {cwd / ".mcp.json", cwd / ".cursor/mcp.json", cwd / ".vscode/mcp.json"} <= set(both)
