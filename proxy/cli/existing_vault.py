"""The operator commands work on the vault a proxy made, and never make one.

`veil tokens|sessions|keys|audit` pointed at the wrong place (an unset or mistyped `VEIL_HOME`) must say
so and exit non-zero: a fresh empty vault and a new master key there would answer "no tokens" and leave a
compliance officer believing the data is gone, and a stray key file would never open the real vault.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from proxy.config import Settings
from vault.keys import KEY_FILE_NAME

FIX = "point VEIL_HOME (or --vault) at the proxy's data dir; `veil run` or `veil db upgrade` creates a vault"


def where(settings: Settings, vault_option: str | None) -> str:
    """How the location was chosen, for the error: the option, `$VEIL_VAULT_URL` or `VEIL_HOME`."""
    if vault_option:
        return "given by --vault"
    if os.environ.get("VEIL_VAULT_URL"):
        return "from $VEIL_VAULT_URL"
    if os.environ.get("VEIL_HOME"):
        return f"VEIL_HOME={settings.home}"
    return f"VEIL_HOME is not set: the default data dir {settings.home}"


def require_vault(settings: Settings, vault_option: str | None) -> None:
    """A ClickException unless the resolved location holds a vault (SQLite: the file; else the tables)."""
    url = make_url(settings.vault_url)
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database in ("", ":memory:") or Path(database).exists():
            return
        raise click.ClickException(
            f"no vault at {database} ({where(settings, vault_option)}); nothing was created: {FIX}"
        )
    from vault.store import create_vault_engine

    engine = create_vault_engine(settings.vault_url)
    try:
        present = inspect(engine).has_table("audit_head")
    except SQLAlchemyError as exc:
        raise click.ClickException(f"vault unavailable: {type(exc).__name__}") from None
    finally:
        engine.dispose()
    if not present:
        rendered = url.render_as_string(hide_password=True)
        raise click.ClickException(f"no vault in {rendered} ({where(settings, vault_option)}): {FIX}")


def require_master_key(settings: Settings) -> None:
    """The key must exist already (`$VEIL_MASTER_KEY`, `$VEIL_MASTER_KEY_FILE` or the key file): a new one
    would open nothing."""
    if os.environ.get("VEIL_MASTER_KEY") or os.environ.get("VEIL_MASTER_KEY_FILE"):
        return
    path = settings.home / KEY_FILE_NAME
    if not path.exists():
        raise click.ClickException(
            f"no master key at {path} (VEIL_HOME={settings.home}); nothing was created: set VEIL_HOME to "
            "the proxy's data dir, or $VEIL_MASTER_KEY / $VEIL_MASTER_KEY_FILE"
        )
