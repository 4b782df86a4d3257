"""The towns libphonenumber's geocoding data names, each with the regions it is written before
(`austin` → `tx`, `texas`, `united states`): the index `name_places` reads.

Why a child process and a cache: the geocoding data is every prefix's name in every language, and
importing it costs about 150 MB of resident memory and a second, for an index of a few MB. The index is
built once per `phonenumbers` release in a child process (`python -m proxy.detect.town_index`), written
under the user's cache directory (`$XDG_CACHE_HOME/veil`, else `~/.cache/veil`: public data derived from an
installed package, shared by every `$VEIL_HOME`), and read from there by every later start: a proxy never
holds the data itself.
Where the cache cannot be written or the child fails, the index is built in this process (the same index,
at the memory cost): never an empty index, which would silently change what is read as a place.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = 2


def _country_code(key: str, codes: frozenset[int]) -> int | None:
    for n in (1, 2, 3):
        if key[:n].isdigit() and int(key[:n]) in codes:
            return int(key[:n])
    return None


def build() -> dict[str, Any]:
    """The index in the cache's form: `sets` lists each distinct region set once (a North American town's
    set is the same two dozen countries and its state), `towns` maps a town to its set's position."""
    by_town = _towns()
    sets: dict[tuple[str, ...], int] = {}
    towns = {t: sets.setdefault(tuple(sorted(r - {""})), len(sets)) for t, r in by_town.items()}
    return {"sets": [list(k) for k in sets], "towns": towns}


def _towns() -> dict[str, set[str]]:
    """Casefolded town → the casefolded regions it is written before: for the US and Canada the state's
    or province's code and name (`austin` → `tx`, `texas`, …), elsewhere the country's name (and the
    region the data writes after a comma)."""
    import phonenumbers
    from phonenumbers import geocoder
    from phonenumbers.geodata import GEOCODE_DATA

    codes = frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
    countries: dict[int, set[str]] = defaultdict(set)
    for code, regions in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items():
        for region in regions:
            example = phonenumbers.example_number(region)
            if example is not None:
                countries[code].add(geocoder.country_name_for_number(example, "en").casefold())
    # North America: an area code's own entry names its state (`1512` → `Texas`); its towns carry the
    # state's code (`Austin, TX`): together, the code's name.
    area_state = {
        k: v["en"].casefold() for k, v in GEOCODE_DATA.items() if k[:1] == "1" and len(k) == 4 and "en" in v
    }
    towns: dict[str, set[str]] = defaultdict(set)
    for key, names in GEOCODE_DATA.items():
        name = names.get("en")
        if not name:
            continue
        found = _country_code(key, codes)
        if found is None:
            continue
        cc = found
        town, _, region = name.partition(", ")
        town = town.casefold()
        if cc == 1:
            towns[town].update(countries[cc])
            if region:
                towns[town].add(region.casefold())
                state = area_state.get(key[:4])
                if state and "," not in state:
                    towns[town].add(state)
            continue
        towns[town].update(countries[cc])
        if region:
            towns[town].add(region.casefold())
    return towns


def _cache_path() -> Path:
    from phonenumbers import __version__ as pn_version

    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "veil" / f"towns-{FORMAT}-{pn_version}.json"


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if _well_formed(data) else None


def _well_formed(data: object) -> bool:
    if type(data) is not dict or type(data.get("sets")) is not list or type(data.get("towns")) is not dict:
        return False
    count = len(data["sets"])
    return bool(data["towns"]) and all(type(i) is int and 0 <= i < count for i in data["towns"].values())


def _built_in_child() -> dict[str, Any] | None:
    try:
        done = subprocess.run(
            [sys.executable, "-m", "proxy.detect.town_index"],
            capture_output=True,
            timeout=120,
            check=True,
            env={
                **{k: v for k, v in os.environ.items() if not k.startswith("VEIL_")},  # no master key
                "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
            },
        )
        data = json.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        log.info("town index: the child build failed (%s); building it in this process", type(exc).__name__)
        return None
    return data if _well_formed(data) else None


def _write(path: Path, data: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".towns-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, separators=(",", ":"))
        os.replace(tmp, path)


@lru_cache(maxsize=1)
def town_regions() -> dict[str, frozenset[str]]:
    """Casefolded town → the casefolded regions it is written before: for the US and Canada the state's
    or province's code and name, elsewhere the country's name (and the region the data writes after a
    comma)."""
    path = _cache_path()
    data = _read(path)
    if data is None:
        data = _built_in_child()
        if data is None:
            data = build()
        else:
            _write(path, data)
    sets = [frozenset(regions) for regions in data["sets"]]
    return {town: sets[i] for town, i in data["towns"].items()}


if __name__ == "__main__":
    json.dump(build(), sys.stdout, separators=(",", ":"))
