"""`veil policy check`: validate policy files without starting anything."""

from __future__ import annotations

from typing import Any

import click

from proxy.cli.common import cli_errors


@click.group()
def policy() -> None:
    """Policy files."""


@policy.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--no-default-policies",
    "no_default_policies",
    is_flag=True,
    help="Check FILES alone, without the shipped policies they would add to.",
)
@click.option(
    "--against",
    metavar="COMMAND",
    help="Also check the rules against this backend's tools (the command is started and its tools listed).",
)
def check(files: tuple[str, ...], against: str | None, no_default_policies: bool) -> None:
    """Validate FILES with the policies they add to (the shipped ones and $VEIL_HOME/policies/): schema,
    rules, recognizer names, and the field paths of every tool rule with a `response` against that API's
    own schema (offline)."""
    from proxy.config import data_dir
    from proxy.detect.presidio_engine import build_recognizers
    from proxy.policy import load_policy
    from proxy.policy.api_schema import checked_path_count, validate_paths
    from proxy.policy.sources import policy_files

    with cli_errors():
        policy = load_policy(policy_files(files, data_dir(), defaults=not no_default_policies))
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
    if against:
        _check_against(policy, against)


def _check_against(policy: Any, against: str) -> None:
    import shlex

    import anyio

    from proxy.policy.backend_check import check_against, tools_from_listing
    from proxy.wiring import backend_label

    command = shlex.split(against)
    if not command:
        raise click.UsageError("--against needs a command")

    async def listing() -> Any:
        from mcp import Client, StdioServerParameters

        params = StdioServerParameters(command=command[0], args=command[1:])
        with anyio.fail_after(60):
            async with Client(params, mode="legacy") as client:
                return await client.list_tools()

    try:
        tools = tools_from_listing(anyio.run(listing))
    except Exception as exc:
        raise click.ClickException(
            f"could not list the tools of {command[0]!r}: {type(exc).__name__}"
        ) from None
    label = backend_label(command)
    findings = check_against(policy, tools, label=label)
    for finding in findings:
        click.echo(str(finding), err=finding.level == "error")
    errors = [f for f in findings if f.level == "error"]
    click.echo(f"{len(tools)} tools of {label} checked: {len(errors)} problem(s)")
    if errors:
        raise click.ClickException(f"{len(errors)} rule(s) name tools or arguments {label} does not have")
