"""The start-up schema check reads the revision without alembic, and agrees with alembic at every revision."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

from vault import migrate
from vault.store import create_vault_engine

ROOT = Path(__file__).resolve().parents[2]


def test_the_fast_check_agrees_with_alembic_at_every_revision(tmp_path: Path) -> None:
    engine = create_vault_engine(f"sqlite:///{tmp_path / 'v.db'}")
    try:
        assert migrate._script_head() == migrate.head_revision()
        assert not migrate.is_current(engine)  # an empty database
        for revision in ("0001", "head"):
            migrate.upgrade(engine, revision)
            alembic_says = migrate.current_revision(engine) == migrate.head_revision()
            assert migrate.is_current(engine) == alembic_says == (revision == "head")
    finally:
        engine.dispose()


def test_opening_an_up_to_date_vault_does_not_import_alembic(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "VEIL_HOME": str(tmp_path),
        "VEIL_MASTER_KEY": base64.b64encode(b"k" * 32).decode(),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("VEIL_VAULT_URL", None)
    program = (
        "import sys\n"
        "from pathlib import Path\n"
        "from vault.keys import load_master_key\n"
        "from vault.store import Vault\n"
        "home = Path(sys.argv[1])\n"
        "Vault.open(f'sqlite:///{home / \"vault.db\"}', load_master_key(home)).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    first = subprocess.run(
        [sys.executable, "-c", program, str(tmp_path)], env=env, capture_output=True, text=True
    )
    assert first.stdout.strip() == "True", first.stderr  # created: migrated with alembic
    again = subprocess.run(
        [sys.executable, "-c", program, str(tmp_path)], env=env, capture_output=True, text=True
    )
    assert again.stdout.strip() == "False", again.stderr
