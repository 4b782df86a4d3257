"""`veil policy check`: validate policy files without starting anything."""

from __future__ import annotations

import click

from proxy.cli.common import cli_errors


@click.group()
def policy() -> None:
    """Policy files."""


@policy.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def check(files: tuple[str, ...]) -> None:
    """Validate FILES (default: the shipped policies): schema, rules, recognizer names."""
    from proxy.detect.presidio_engine import build_recognizers
    from proxy.policy import load_policy

    with cli_errors():
        policy = load_policy(list(files))
        build_recognizers(policy)
    for source in policy.sources:
        click.echo(f"ok  {source}")
    n_tools = len(policy.tool_rules)
    click.echo(
        f"{len(policy.recognizers)} recognizers, {len(policy.global_rules.keys)} key rules, "
        f"{n_tools} tool rule sets, NER: {policy.ner.model or 'off (blank pipeline)'}"
    )
