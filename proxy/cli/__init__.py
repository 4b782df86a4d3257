"""`veil`: the command line. The only package that prints, and the only one that raises CLI errors."""

from __future__ import annotations

import click

from proxy.cli.approvals_cmds import approvals_group
from proxy.cli.audit_cmds import audit_group
from proxy.cli.demo import demo
from proxy.cli.policy_cmds import policy
from proxy.cli.run import db, run
from proxy.cli.serve import serve
from proxy.cli.vault_cmds import keys_group, sessions_group, tokens_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mcp-veil", prog_name="veil")
def cli() -> None:
    """mcp-veil: a privacy proxy for MCP. The model sees tokens; backends see real values."""


cli.add_command(run)
cli.add_command(serve)
cli.add_command(demo)
cli.add_command(policy)
cli.add_command(db)
cli.add_command(audit_group)
cli.add_command(approvals_group)
cli.add_command(keys_group)
cli.add_command(sessions_group)
cli.add_command(tokens_group)


def main() -> None:
    cli(prog_name="veil")
