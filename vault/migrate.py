"""Run the vault's Alembic migrations from code (on Vault.open and `veil db upgrade`).

The migration scripts live in the repository's `migrations/` directory, next to this package; an installed
wheel carries them as package data under `vault/_shipped/migrations/` (see pyproject's package-dir).
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config


def _migrations_dir() -> Path:
    bundled = Path(str(files("vault").joinpath("_shipped", "migrations")))
    return bundled if bundled.is_dir() else Path(__file__).resolve().parent.parent / "migrations"


MIGRATIONS_DIR = _migrations_dir()
# Alembic (its import and its script directory) costs a tenth of a second at every start; it is loaded only
# when the schema's revision differs from the scripts' head, read here without it.
_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:[\"']([^\"']+)[\"']|None)\s*$", re.M)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect().execution_options(veil_begin="DEFERRED") as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _script_head() -> str | None:
    """The head of the migration scripts, from their `revision`/`down_revision` lines; None where that is
    not one clear answer (then alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((m.group(1), m.group(2)) for m in _REVISION.finditer(script.read_text(encoding="utf-8")))
        if "revision" not in found or found["revision"] is None or "down_revision" not in found:
            return None
        revisions.add(found["revision"])
        if found["down_revision"] is not None:
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stamped_revision(engine: Engine) -> str | None:
    """The revision the database is stamped with (alembic's `alembic_version` table), read without alembic."""
    with engine.connect().execution_options(veil_begin="DEFERRED") as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def is_current(engine: Engine) -> bool:
    """Whether the schema is at the scripts' head: without alembic when both are plain to read."""
    head = _script_head()
    if head is not None and _stamped_revision(engine) == head:
        return True
    return current_revision(engine) == head_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade in one transaction; a no-op (and no write) when already at head."""
    if revision == "head" and is_current(engine):
        return
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
