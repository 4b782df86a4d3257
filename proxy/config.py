"""Typed settings, resolved once from options and the environment."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def data_dir(env: dict[str, str] | None = None) -> Path:
    """`$VEIL_HOME`, else `$XDG_DATA_HOME/veil`, else `~/.local/share/veil`."""
    env = dict(os.environ) if env is None else env
    if env.get("VEIL_HOME"):
        return Path(env["VEIL_HOME"]).expanduser()
    xdg = env.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "veil"


def default_vault_url(home: Path) -> str:
    return f"sqlite:///{home / 'vault.db'}"


def parse_duration(text: str) -> timedelta:
    """`90s`, `15m`, `12h`, `30d`, `2w`."""
    m = _DURATION.match(text)
    if not m:
        raise ValueError(f"invalid duration {text!r}: use a number and a unit s/m/h/d/w, e.g. 12h or 30d")
    return timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})


@dataclass(frozen=True)
class Settings:
    home: Path
    vault_url: str
    policies: list[Path] = field(default_factory=list)
    session_name: str | None = None
    session_ttl: timedelta | None = None
    durability: str = "normal"
    default_policies: bool = True  # the shipped policies apply (--no-default-policies: off)

    @classmethod
    def resolve(
        cls,
        *,
        vault: str | None = None,
        policies: tuple[str, ...] = (),
        session: str | None = None,
        session_ttl: str | None = None,
        durability: str = "normal",
        default_policies: bool = True,
    ) -> Settings:
        """`policies`: the files given; they add to the shipped ones and `$VEIL_HOME/policies/`
        (`proxy.policy.sources`). ValueError when `default_policies` is off and no policy is left."""
        from proxy.policy.sources import policy_files

        home = data_dir()
        return cls(
            home=home,
            vault_url=vault or os.environ.get("VEIL_VAULT_URL") or default_vault_url(home),
            policies=policy_files(policies, home, defaults=default_policies),
            default_policies=default_policies,
            session_name=session,
            session_ttl=parse_duration(session_ttl) if session_ttl else None,
            durability=durability,
        )


# Variables the proxy never hands to a backend it spawns.
SECRET_ENV = ("VEIL_MASTER_KEY", "VEIL_MASTER_KEY_FILE", "VEIL_VAULT_URL")
