"""`--pass-env NAME` (repeatable) for `veil run` and `veil serve`: let one variable through the scrub.

The scrub gives a backend only the basics and what a policy names (`sandbox.env_allow`); this is the
one-off way to pass a key without writing a policy. Exact names only: a glob belongs in a policy, where it
is reviewed. The proxy's own secrets never pass, whatever is named.
"""

from __future__ import annotations

import re
from typing import Any

import click

from proxy import sandbox

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _record(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    bad = [v for v in value if not _NAME.fullmatch(v)]
    if bad:
        raise click.BadParameter(f"{bad[0]!r} is not a variable name (globs go in a policy's env_allow)")
    sandbox.pass_env(value)  # also on (): each invocation starts from what its own command line says
    return value


def add_pass_env_option(command: Any) -> Any:
    """Add the option to an existing command (its callback does not take it: the value goes to the
    sandbox, which builds every backend's environment)."""
    return click.option(
        "--pass-env",
        "pass_env",
        multiple=True,
        metavar="NAME",
        expose_value=False,
        callback=_record,
        help="Pass this environment variable to the backend (repeatable); see also a policy's env_allow.",
    )(command)
