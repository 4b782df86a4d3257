"""The town index `name_places` reads: built in a child, cached per `phonenumbers` release, never empty."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from proxy.detect import town_index

_PROBE = """
import json, sys
from proxy.detect.town_index import town_regions, _cache_path
towns = town_regions()
print(json.dumps({"geodata": "phonenumbers.geodata" in sys.modules, "towns": len(towns),
                  "austin": sorted(towns["austin"]), "cache": str(_cache_path())}))
"""


def _probe(home: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        check=True,
        timeout=180,
        env={
            "XDG_CACHE_HOME": str(home),
            "HOME": str(home),
            "PYTHONPATH": ":".join(sys.path),
            "PATH": "/usr/bin:/bin",
        },
    )
    return json.loads(done.stdout)


def test_a_proxy_reads_the_town_index_without_holding_the_geocoding_data(tmp_path: Path) -> None:
    first = _probe(tmp_path)
    assert first["geodata"] is False  # built in a child: the proxy never imports the 150 MB of data
    assert Path(first["cache"]).is_file()
    again = _probe(tmp_path)  # read from the cache
    assert again == first
    assert {"tx", "texas"} <= set(first["austin"]) and first["towns"] > 10_000


def test_the_cached_index_is_the_index_built_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    town_index.town_regions.cache_clear()
    try:
        cached = town_index.town_regions()
    finally:
        town_index.town_regions.cache_clear()
    built = {town: frozenset(regions - {""}) for town, regions in town_index._towns().items()}
    assert cached == built


@pytest.mark.parametrize(
    "damage",
    ["", "{", "[]", '{"sets": [], "towns": {"austin": 0}}', '{"sets": [["tx"]], "towns": {}}', "null"],
)
def test_a_damaged_cache_is_rebuilt_never_read_as_an_empty_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = town_index._cache_path()
    path.parent.mkdir(parents=True)
    path.write_text(damage, encoding="utf-8")
    monkeypatch.setattr(town_index, "_built_in_child", lambda: None)  # the in-process fallback
    town_index.town_regions.cache_clear()
    try:
        towns = town_index.town_regions()
    finally:
        town_index.town_regions.cache_clear()
    assert "tx" in towns["austin"]
