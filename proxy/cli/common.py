"""Options shared by commands, and the translation of library errors into CLI errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from proxy.errors import PolicyError
from vault.errors import MasterKeyError, VaultError, VaultUnavailable, WrongMasterKey

F = TypeVar("F", bound=Callable[..., Any])


def vault_options(f: F) -> F:
    f = click.option(
        "--vault",
        "vault",
        metavar="URL",
        help="SQLAlchemy URL of the vault (default: SQLite under $VEIL_HOME).",
    )(f)
    return f


def session_options(f: F) -> F:
    f = click.option("--session", "session", metavar="NAME", help="Resume (or create) a named session.")(f)
    f = click.option(
        "--session-ttl", "session_ttl", metavar="AGE", help="Lifetime of the session, e.g. 12h, 30d."
    )(f)
    return f


def policy_options(f: F) -> F:
    return click.option(
        "--policy",
        "policies",
        multiple=True,
        type=click.Path(dir_okay=False),
        help="Policy file (repeatable). Default: the shipped default policy and packs.",
    )(f)


@contextmanager
def cli_errors() -> Iterator[None]:
    """Library errors become one clear line on stderr and a non-zero exit."""
    try:
        yield
    except PolicyError as exc:
        raise click.ClickException(f"invalid policy: {exc}") from None
    except WrongMasterKey as exc:
        raise click.ClickException(f"{exc}; refusing to start (nothing was changed)") from None
    except MasterKeyError as exc:
        raise click.ClickException(str(exc)) from None
    except VaultUnavailable as exc:
        raise click.ClickException(f"vault unavailable: {exc}") from None
    except VaultError as exc:
        raise click.ClickException(f"vault error: {exc}") from None
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
