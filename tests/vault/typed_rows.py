"""Reading audit rows back in tests the way `veil audit query` reads them."""

from __future__ import annotations

import json
from types import SimpleNamespace

from vault import audit
from vault.store import Vault


def audit_rows(vault: Vault, event_name: str) -> list[SimpleNamespace]:
    """An event's audit rows, oldest first, as `veil audit query` reads them: count, reason and detail
    (as JSON text) the way the first log format stored them, whichever format the row was written in."""
    rows = audit.query(vault.engine, audit.AuditQuery(event=event_name, oldest_first=True))
    return [SimpleNamespace(**{**r, "detail": _json_text(r["detail"])}) for r in rows]


def _json_text(detail: object) -> str | None:
    return None if detail is None else json.dumps(detail, sort_keys=True, separators=(",", ":"))
