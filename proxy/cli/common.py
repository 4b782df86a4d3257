"""Options shared by commands, and the translation of library errors into CLI errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import click

from proxy.config import parse_duration
from proxy.errors import ConfigError, PolicyError
from vault.clock import SYSTEM_CLOCK
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
    """`--policy FILE` (adds to the shipped policies and $VEIL_HOME/policies/) and `--no-default-policies`."""
    f = click.option(
        "--no-default-policies",
        "no_default_policies",
        is_flag=True,
        help="Leave out the shipped default policy and packs (--policy files then replace them).",
    )(f)
    return click.option(
        "--policy",
        "policies",
        multiple=True,
        type=click.Path(dir_okay=False),
        help="Policy file (repeatable), added on top of the shipped default policy and packs (each pack "
        "applies to the backends it is for) and of every policy in $VEIL_HOME/policies/.",
    )(f)


def log_level_option(default: str) -> Callable[[F], F]:
    """`--log-level`: `veil run` is quiet by default (its stderr shows in the client's log), `veil serve`
    is a service."""
    return click.option(
        "--log-level",
        default=default,
        show_default=True,
        type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
    )


TIME_HELP = "ISO 8601 time (2026-11-25, 2026-11-25T14:00Z) or an age (90m, 24h, 7d)"


class TimeParam(click.ParamType):
    """An absolute ISO 8601 time (UTC when no offset is given) or an age before now (`24h`, `7d`)."""

    name = "TIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        try:
            return SYSTEM_CLOCK.now() - parse_duration(text)
        except ValueError:
            pass
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"invalid time {text!r}: use an {TIME_HELP}", param, ctx)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


TIME = TimeParam()


@contextmanager
def cli_errors() -> Iterator[None]:
    """Library errors become one clear line on stderr and a non-zero exit."""
    try:
        yield
    except ConfigError as exc:
        raise click.ClickException(f"invalid config: {exc}") from None
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


def url_backend_options(f: F) -> F:
    """`--url URL [--transport …] [--header 'Name: value' …]`: an HTTP backend instead of a COMMAND."""
    f = click.option(
        "--header",
        "headers",
        multiple=True,
        metavar="'NAME: VALUE'",
        help="Header sent to the HTTP backend (repeatable); ${VAR} is read from the environment, "
        "so secrets stay out of the command line. Client headers are never forwarded.",
    )(f)
    f = click.option(
        "--transport",
        type=click.Choice(["auto", "streamable-http", "sse"]),
        default="auto",
        show_default=True,
        help="Backend transport with --url; auto: legacy SSE when the path ends in /sse.",
    )(f)
    f = click.option("--url", metavar="URL", help="The MCP server is at this HTTP URL (no COMMAND).")(f)
    return f


def http_backend(url: str | None, transport: str, headers: tuple[str, ...]) -> Any:
    """The `HttpBackend` for `--url`, or None. ValueError (a usage error) on a bad header. The HTTP
    transport (httpx, Starlette, the MCP SDK) is imported only for `--url`: a stdio backend is started
    before those imports (`proxy.transports.spawn`)."""
    if url is None:
        if headers:
            raise ValueError("--header applies to an HTTP backend: give --url")
        return None
    from proxy.transports.http import HttpBackend, guess_transport, parse_header

    if not url.startswith(("http://", "https://")):
        raise ValueError("--url takes an http:// or https:// URL")
    kind = guess_transport(url)
    if transport != "auto":
        kind = "sse" if transport == "sse" else "streamable-http"
    return HttpBackend(url=url, transport=kind, headers=dict(parse_header(h) for h in headers))


def check_backend(url: str | None, command: tuple[str, ...], config: str | None = None) -> None:
    if sum(map(bool, (url, command, config))) > 1:
        raise click.UsageError("give one of --url URL, --config FILE or -- COMMAND, not both")
    if not url and not command and not config:
        raise click.UsageError("give the backend: --url URL, --config FILE or -- COMMAND [ARGS...]")


def config_option(f: F) -> F:
    """`--config veil.toml`: several named backends behind one front (docs/backends.md)."""
    return click.option(
        "--config",
        "config",
        type=click.Path(dir_okay=False),
        help="A veil.toml listing several backends, served as one (tools named BACKEND__TOOL).",
    )(f)


def load_config(config: str | None, policies: tuple[str, ...]) -> tuple[Any, tuple[str, ...]]:
    """(BackendsConfig or None, the policy files: --policy, else the config's `policy`). Checks that every
    header's environment variable is set, so a missing secret fails at start, not on the first call."""
    if config is None:
        return None, policies
    from proxy.backend_config import header_values, load_backends

    backends = load_backends(config)
    for spec in backends.backends:
        header_values(spec)
    return backends, policies or tuple(str(p) for p in backends.policies)
