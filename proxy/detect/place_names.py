"""Names of places a comma pairs with a city (`Austin, Texas`, `Paris, France`, `Hamilton, Ontario`): the
region or country half of a place written as a person's `Surname, Given` is (`Dallas, Georgia`,
`Madison, Virginia` read as names to the lexicon).

Countries and regions come from the regions the town index pairs with its towns (`town_index`: derived
from libphonenumber's geocoding data without holding it), cities from the time-zone database
(`path_folders` reads it too); a few regions that index lacks are listed here. A region's code (`TX`,
`ON`) is no place name here: as the given half of a `Surname, Given` pair it is an initial or a name
(`Gonzalez, Al`)."""

from __future__ import annotations

from functools import lru_cache

_REGIONS = """
alabama, alaska, arizona, arkansas, california, colorado, connecticut, delaware, florida, georgia, hawaii,
idaho, illinois, indiana, iowa, kansas, kentucky, louisiana, maine, maryland, massachusetts, michigan,
minnesota, mississippi, missouri, montana, nebraska, nevada, new hampshire, new jersey, new mexico, new york,
north carolina, north dakota, ohio, oklahoma, oregon, pennsylvania, rhode island, south carolina,
south dakota, tennessee, texas, utah, vermont, virginia, washington, west virginia, wisconsin, wyoming,
district of columbia, puerto rico, alberta, british columbia, manitoba, new brunswick, newfoundland,
nova scotia, ontario, quebec, saskatchewan, yukon, england, scotland, wales, northern ireland, bavaria,
catalonia, tuscany, ile-de-france
"""


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    import zoneinfo

    from proxy.detect.town_index import town_regions

    names = {" ".join(r.split()) for r in _REGIONS.split(",") if r.strip()}
    names |= {region for regions in set(town_regions().values()) for region in regions if len(region) > 3}
    try:
        zones = zoneinfo.available_timezones()
    except (OSError, ValueError):  # pragma: no cover - a system without zone data
        zones = set()
    names |= {z.rsplit("/", 1)[-1].replace("_", " ").casefold() for z in zones if "/" in z}
    return frozenset(names)


def is_place_name(words: str) -> bool:
    """`Texas`, `North Carolina`, `France`, `Chicago`: a region, a country, or a time zone's city."""
    return " ".join(words.split()).casefold() in _places()
