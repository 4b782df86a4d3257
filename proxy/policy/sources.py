"""Which policy files a proxy runs with: policies add up.

The shipped `default.yaml` and packs come first, then every policy dropped in `$VEIL_HOME/policies/`, then
the `--policy` files (or a `veil.toml`'s `policy`), in that order. A file given twice counts once. So a user
who tightens one rule keeps every default field rule; `--no-default-policies` is the rare replace (the
shipped files are left out; the data dir's and the given ones still apply). Shipped packs apply only to
backends they are for (see `proxy.policy.load.pack_scope`); a contradiction between any two files (a key
given two entity types) stays a load-time error, whoever wrote them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from proxy.shipped import shipped_policy_files

HOME_POLICIES = "policies"


def home_policy_files(home: Path) -> list[Path]:
    """`$VEIL_HOME/policies/*.yaml` (and `.yml`), in name order."""
    folder = home / HOME_POLICIES
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def policy_files(given: Sequence[str | Path], home: Path, *, defaults: bool = True) -> list[Path]:
    """The files to merge, in order: shipped (unless `defaults` is off), the data dir's, the given ones.
    ValueError when that leaves none (`--no-default-policies` without a policy of one's own)."""
    files = [*(shipped_policy_files() if defaults else []), *home_policy_files(home), *map(Path, given)]
    seen: set[Path] = set()
    unique: list[Path] = []
    for f in files:
        key = f.resolve() if f.exists() else f
        if key not in seen:
            seen.add(key)
            unique.append(f)
    if not unique:
        raise ValueError(
            "--no-default-policies leaves no policy: give one with --policy FILE "
            f"(or put one in {home / HOME_POLICIES})"
        )
    return unique
