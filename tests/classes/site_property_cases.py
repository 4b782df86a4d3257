"""Cases for the class "a Search Console property names the client's site", on the default install.

`properties`: a client's property in the shapes Search Console servers write it: a domain property
(`sc-domain:…`) or a URL-prefix property (`https://www.…/`) under `siteUrl` in `sites.list`,
`sites.get` and a search analytics request echoed back, at any depth, in structured content or JSON text,
as a logfmt pair, and a domain property in a sentence or under a key no policy names.

`lookalikes`: what a Search Console report must keep readable: the pages and queries of analytics rows,
URLs under other keys, and the words `sc-domain` and `siteUrl` with nothing identifying after them.
"""

from __future__ import annotations

import json
import re
from random import Random
from typing import Any

from tests.classes.case import Case, Survivor, call, filler_record, nest, tool_result
from tests.classes.planting import Planted

_TRADES = ("dental", "roofing", "law", "plumbing", "bakery", "optik", "realty", "physio", "autohaus")
_SURNAMES = ("whitcombe", "dellafield", "stanczyk", "halvorsen", "okonkwo", "brightwater", "lefevre", "mori")
_TLDS = ("com", "co.uk", "de", "fr", "com.au", "net", "io")


def _site(rng: Random) -> tuple[str, str]:
    """(the host, the label that names the client in it)."""
    label = f"{rng.choice(_SURNAMES)}-{rng.choice(_TRADES)}{rng.choice(['', str(rng.randrange(10, 99))])}"
    return f"{label}.{rng.choice(_TLDS)}", label


def _property(rng: Random, host: str, domain: bool) -> str:
    if domain:
        return f"sc-domain:{host}"
    return f"{rng.choice(['https://www.', 'http://', 'https://'])}{host}/"


def properties(rng: Random) -> Case:
    """A client's property in one Search Console placement (module doc)."""
    host, label = _site(rng)
    shape = rng.randrange(7)
    prop = _property(rng, host, domain=shape in (4, 5) or rng.random() < 0.5)
    key = rng.choice(["siteUrl", "site_url", "SiteURL", "site-url", "propertyUrl"])
    record: Any
    if shape == 0:
        record = {"siteEntry": [{key: prop, "permissionLevel": rng.choice(["siteOwner", "siteFullUser"])}]}
    elif shape == 1:
        record = {key: prop, "permissionLevel": "siteOwner"}
    elif shape == 2:
        record = {"request": {key: prop, "startDate": "2026-11-01", "dimensions": ["query"]}, "rows": []}
    elif shape == 3:
        record = nest(rng, {key: prop, **filler_record(rng)}, rng.randrange(1, 4))
    elif shape == 4:
        record = {rng.choice(["property", "target", "scope", "resource"]): prop, **filler_record(rng)}
    elif shape == 5:
        verb = rng.choice(["Verified", "Queried", "Removed owner from", "Sitemap submitted for"])
        sentence = f"{verb} {prop} on 2026-11-0{rng.randrange(1, 10)}."
        return _case([call(tool_result(sentence))], label, "prose")
    else:
        line = f'level=info msg="query done" {key}={prop} rows={rng.randrange(1, 999)}'
        return _case([call(tool_result(line))], label, "logfmt")
    payload = tool_result(structured=record) if rng.random() < 0.5 else tool_result(json.dumps(record))
    return _case([call(payload)], label, f"shape{shape}")


def _case(messages: list[Any], label: str, where: str) -> Case:
    needle = r"(?<![0-9a-z])" + re.escape(label) + r"(?![0-9a-z])"
    return Case("site-properties", messages, [Planted("site", label, needle)], label=where)


def lookalikes(rng: Random) -> Case:
    """Analytics rows, URLs under other keys, bare words: each must reach the client unchanged. The host
    is never one `_site` writes with `dellafield`: a given name glued to a surname (`della` + `field`) in a
    host is read as a person's name by design (`name_identifiers`), a class of its own."""
    host, _ = _site(rng)
    while host.startswith("dellafield"):
        host, _ = _site(rng)
    page = f"https://www.{host}/{rng.choice(['services', 'contact', 'blog/winter-tips', 'about-us'])}"
    query = rng.choice(["emergency plumber near me", "teeth whitening cost", "roof repair quote"])
    shape = rng.randrange(4)
    if shape == 0:
        record: Any = {"rows": [{"keys": [query, page], "clicks": rng.randrange(99), "ctr": 0.12}]}
        keep = page
    elif shape == 1:
        record = {rng.choice(["url", "page", "landingPage", "canonical"]): page, **filler_record(rng)}
        keep = page
    elif shape == 2:
        record = {"note": "Use the sc-domain: prefix for a domain property", "clicks": 4}
        keep = "Use the sc-domain: prefix for a domain property"
    else:
        record = {"help": "Pass siteUrl as it appears in Search Console", "rows": 0}
        keep = "Pass siteUrl as it appears in Search Console"
    payload = tool_result(structured=record) if rng.random() < 0.5 else tool_result(json.dumps(record))
    survivors = [Survivor(keep, label=f"shape{shape}")]
    return Case("site-property-lookalikes", [call(payload)], survivors=survivors, label=f"shape{shape}")
