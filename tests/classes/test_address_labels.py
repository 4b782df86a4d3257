"""Street addresses beside an address label written in text, through the real to-client chain
(`address_label_cases`; mechanisms `proxy.scan.label_lines` and the quoted cells of `labels.table_rows`,
read by the address context of `proxy.scan.address_keys`)."""

from __future__ import annotations

from random import Random

from tests.classes import address_label_cases
from tests.classes.harness import ChainHarness


def test_a_street_address_beside_an_address_label_in_text_is_tokenized(fresh: ChainHarness) -> None:
    """YAML, TOML, INI, an XML element, CSV (a quoted cell holding a comma or a line break), a Markdown
    table, an SQL `INSERT`, a form's `Address:` line, vCard's `ADR`. 150 seeded cases: 138 / 150 leaked on
    main, 72 / 150 with `label_lines` removed (the address context alone), 0 / 150 after."""
    rng = Random(20261210)
    outcomes = [fresh.run(address_label_cases.labelled_addresses(rng)) for _ in range(150)]
    assert [o.summary() for o in outcomes if o.leaked or o.blocked] == []


def test_a_city_code_or_note_beside_an_address_label_in_text_stays(fresh: ChainHarness) -> None:
    """`location: US`, a geo target, a chart's `line1`, `Address: on file`: each in a session of its own."""
    rng = Random(20261211)
    outcomes = [ChainHarness(fresh.engine).run(address_label_cases.lookalikes(rng)) for _ in range(150)]
    assert [o.summary() for o in outcomes if o.altered or o.blocked] == []
