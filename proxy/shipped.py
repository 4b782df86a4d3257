"""Where the files shipped with the proxy are: the policies and the example backends.

The repository keeps them at its top level (`policies/`, `examples/`) so they read as part of the project;
an installed wheel carries them inside this package, under `proxy/_shipped/` (pyproject maps the
directories there). Each lookup takes the installed copy when there is one, else the checkout's, so a
checkout run with `PYTHONPATH=.`, an editable install and a `pipx install .` all find the same files.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

CHECKOUT_ROOT = Path(__file__).resolve().parent.parent


def _shipped(package: str, name: str) -> Path:
    """The installed copy of `name` under `package/_shipped/`, else the checkout's top-level `name`."""
    bundled = Path(str(files(package).joinpath("_shipped", name)))
    return bundled if bundled.is_dir() else CHECKOUT_ROOT / name


POLICIES_DIR = _shipped("proxy", "policies")
# The directory holding the `examples` package: put first on a backend's PYTHONPATH, it makes our
# `examples.*` modules win over the top-level `examples` package google-ads installs.
EXAMPLES_ROOT = _shipped("proxy", "examples").parent


def shipped_policy_files() -> list[Path]:
    """The shipped default policy, then every shipped pack."""
    default = POLICIES_DIR / "default.yaml"
    packs = sorted(p for p in POLICIES_DIR.glob("*.yaml") if p.name != "default.yaml")
    return [default, *packs]
