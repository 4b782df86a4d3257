"""Cases for the class "an address key written as a label in text" (red team round 10, class 3): the
value beside an address label in YAML, TOML, INI, an XML element, CSV (a quoted cell holding the
delimiter or a line break), a Markdown table, an SQL `INSERT`, a form's `Address:` line, vCard's `ADR`.

Labels are drawn from address words written here (`address`, `street`, `Street Address`, `Anschrift`,
`Mailing Street`, `direccion`), streets made up per case (`address_key_cases.street`), so a session's
known values cannot hide a leak. `lookalikes`: the same notations under address words holding no street
address (a city, a country code, a geo target, a chart series, an enum) must stay.
"""

from __future__ import annotations

from random import Random

from tests.classes.address_key_cases import _needle, street
from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.planting import Planted

LABELS = ["address", "Address", "street", "street_address", "Street Address", "Mailing Street",
          "BillingStreet", "Anschrift", "Lieferanschrift", "direccion", "indirizzo",
          "home_address"]  # fmt: skip


def _snake(label: str) -> str:
    return label.replace(" ", "_")


def _render(rng: Random, label: str, value: str) -> tuple[str, str]:
    """The value beside its label in one text notation: (notation, text)."""
    n = rng.randrange(100, 99999)
    key = _snake(label)
    shapes = {
        "yaml": f"customer:\n  id: {n}\n  {key}: {value}\n  tier: gold",
        "toml": f'[customer]\nid = {n}\n{key} = "{value}"\ntier = "gold"',
        "ini": f"[customer]\nid={n}\n{key}={value}\ntier=gold",
        "xml": f"<customer><id>{n}</id><{key}>{value}</{key}><tier>gold</tier></customer>",
        "csv": f'id,{key},tier\n{n},"{value}",gold\n{n + 1},,silver',
        "csv-newline": f'id,{key},tier\n{n},"{value}\nDover, DE 19901",gold',
        "markdown": f"| ID | {label} | Tier |\n|---|---|---|\n| {n} | {value} | gold |",
        "sql": f"INSERT INTO customers (id, {key}, tier) VALUES ({n}, '{value}', 'gold');",
        "form": f"Customer #{n}\n{label}: {value}\nTier: gold",
        "vcard": f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dover Dental {n}\r\n"
        f"ADR;TYPE=work:;;{value};Dover;DE;19901;USA"
        "\r\nEND:VCARD",
    }
    notation = rng.choice(sorted(shapes))
    return notation, shapes[notation]


def labelled_addresses(rng: Random) -> Case:
    """A made-up street address beside an address label in a text notation."""
    value, stem = street(rng)
    notation, text = _render(rng, rng.choice(LABELS), value)
    return Case(
        "address-labels",
        [call(tool_result(text))],
        [Planted("address", value, _needle(stem))],
        label=notation,
    )


def lookalikes(rng: Random) -> Case:
    """Address words beside values that are no street address, in the same notations: unchanged."""
    label, value = rng.choice(
        [
            ("location", rng.choice(["US", "DE", "Springfield", "Remote", "us-central1"])),
            ("Location", "Charlotte,North Carolina,United States"),
            ("location", f"geoTargetConstants/{rng.randrange(1000000, 3000000)}"),
            ("line1", rng.choice(["Revenue 2026", "Sessions 7d", "Cost per 1000"])),
            ("address_type", rng.choice(["billing", "shipping"])),
            ("Address", rng.choice(["see attached", "on file", "unknown"])),
            ("street", rng.choice(["n/a", "TBD"])),
        ]
    )
    notation, text = _render(rng, label, value)
    if notation in ("vcard", "csv-newline"):  # `ADR`, a cell going on with `Dover, DE 19901`: addresses
        text = f"{label}: {value}"
    return Case(
        "address-label-lookalikes",
        [call(tool_result(text))],
        survivors=[Survivor(value, label=f"{notation}:{label}")],
        label=notation,
    )
