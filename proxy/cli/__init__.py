"""`veil`: the command line. The only package that prints, and the only one that raises CLI errors.

Subcommands are imported when they are used: `veil run` is started by MCP clients at launch, and must not
pay for the vault administration, audit or demo commands' imports.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

# name -> (module, attribute), in the order `veil --help` lists them.
COMMANDS = {
    "run": ("proxy.cli.run", "run"),
    "serve": ("proxy.cli.serve", "serve"),
    "wrap": ("proxy.cli.wrap", "wrap"),
    "unwrap": ("proxy.cli.wrap", "unwrap"),
    "demo": ("proxy.cli.demo", "demo"),
    "policy": ("proxy.cli.policy_cmds", "policy"),
    "db": ("proxy.cli.run", "db"),
    "audit": ("proxy.cli.audit_cmds", "audit_group"),
    "approvals": ("proxy.cli.approvals_cmds", "approvals_group"),
    "tools": ("proxy.cli.tools_cmds", "tools_group"),
    "keys": ("proxy.cli.vault_cmds", "keys_group"),
    "sessions": ("proxy.cli.vault_cmds", "sessions_group"),
    "tokens": ("proxy.cli.token_cmds", "tokens_group"),
    "quota": ("proxy.cli.quota_cmds", "quota_group"),
    "top": ("proxy.cli.top", "top"),
}
# Commands that start a backend take `--pass-env NAME` (proxy/cli/pass_env.py).
_PASS_ENV = frozenset({"run", "serve"})


def _load(name: str) -> click.Command:
    module, attr = COMMANDS[name]
    command: click.Command = getattr(importlib.import_module(module), attr)
    if name in _PASS_ENV and not any(p.name == "pass_env" for p in command.params):
        from proxy.cli.pass_env import add_pass_env_option

        command = add_pass_env_option(command)
    return command


class _LazyCommands(dict[str, click.Command]):
    """`group.commands[name]` imports the command the first time it is looked up."""

    def __missing__(self, name: str) -> click.Command:
        if name not in COMMANDS:
            raise KeyError(name)
        self[name] = command = _load(name)
        return command


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _LazyCommands(self.commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self.commands[cmd_name] if cmd_name in COMMANDS else super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mcp-veil", prog_name="veil")
def cli() -> None:
    """mcp-veil: a privacy proxy for MCP. The model sees tokens; backends see real values."""


def main() -> None:
    cli(prog_name="veil")
