"""Where each MCP client keeps its server list, on Linux and macOS (user-wide and per project)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

# Claude Code expands ${VAR} in a server's args from its own environment: a header moved into `env` could
# not be referenced from the args, so its HTTP servers with headers are not wrapped automatically.
ARGS_EXPANDED = (".mcp.json", ".claude.json")


def candidates(home: Path, cwd: Path, env: Mapping[str, str], platform: str = sys.platform) -> list[Path]:
    """Every usual config location, existing or not, in a stable order."""
    if platform == "darwin":
        app_support = home / "Library" / "Application Support"
        claude_desktop, vscode_user = app_support / "Claude", app_support / "Code" / "User"
    else:
        config = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else home / ".config"
        claude_desktop, vscode_user = config / "Claude", config / "Code" / "User"
    return [
        claude_desktop / "claude_desktop_config.json",  # Claude Desktop: mcpServers
        home / ".claude.json",  # Claude Code, user and per-project (projects.<path>.mcpServers)
        cwd / ".mcp.json",  # Claude Code, project
        home / ".cursor" / "mcp.json",  # Cursor, user
        cwd / ".cursor" / "mcp.json",  # Cursor, project
        vscode_user / "mcp.json",  # VS Code, user: servers
        cwd / ".vscode" / "mcp.json",  # VS Code, workspace: servers (JSONC)
    ]


def found(home: Path, cwd: Path, env: Mapping[str, str], platform: str = sys.platform) -> list[Path]:
    seen: list[Path] = []
    for path in candidates(home, cwd, env, platform):
        if path.is_file() and path.resolve() not in {p.resolve() for p in seen}:
            seen.append(path)
    return seen


def args_expanded(path: Path) -> bool:
    return path.name in ARGS_EXPANDED
