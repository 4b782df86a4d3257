"""Alembic environment for the vault.

Programmatic use (vault.migrate) passes an open connection in config.attributes["connection"], inside the
caller's transaction. The command line gives a URL with `-x url=...`, $VEIL_VAULT_URL or sqlalchemy.url.
"""

from __future__ import annotations

import os
from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection

from vault.models import Base

config = context.config
target_metadata = Base.metadata
# Serializes concurrent upgrades from several proxy processes sharing one PostgreSQL database.
_PG_MIGRATION_LOCK = 0x7665696C  # "veil"


def _url() -> str:
    url = (
        context.get_x_argument(as_dictionary=True).get("url")
        or os.environ.get("VEIL_VAULT_URL")
        or config.get_main_option("sqlalchemy.url")
    )
    if not url:
        raise SystemExit("no vault URL: pass -x url=..., set $VEIL_VAULT_URL or sqlalchemy.url")
    return url


def _configure(**kwargs: Any) -> None:
    context.configure(target_metadata=target_metadata, render_as_batch=True, compare_type=True, **kwargs)


def _run(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from vault.store import create_vault_engine  # the vault's own engine: same SQLite pragmas and driver

    engine = create_vault_engine(_url())
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if config.attributes.get("connection") is None and config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
