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
    """Validate FILES (default: the shipped policies): schema, rules, recognizer names, and the field paths
    of every tool rule with a `response` against that API's own schema (offline)."""
    from proxy.detect.presidio_engine import build_recognizers
    from proxy.policy import load_policy
    from proxy.policy_schema import checked_path_count, validate_paths

    with cli_errors():
        policy = load_policy(list(files))
        build_recognizers(policy)
    problems = [p for source in policy.sources for p in validate_paths(source)]
    for problem in problems:
        click.echo(f"error  {problem}", err=True)
    bad = {p.source for p in problems}
    for source in policy.sources:
        if source not in bad:
            click.echo(f"ok  {source}")
    n_tools = len(policy.tool_rules)
    click.echo(
        f"{len(policy.recognizers)} recognizers, {len(policy.global_rules.keys)} key rules, "
        f"{n_tools} tool rule sets, NER: {policy.ner.model or 'off (blank pipeline)'}"
    )
    checked = sum(checked_path_count(source) for source in policy.sources)
    click.echo(f"{checked} field paths checked against their API response schemas, {len(problems)} problems")
    if problems:
        raise click.ClickException(
            f"{len(problems)} problem(s) with field paths against API response schemas"
        )
