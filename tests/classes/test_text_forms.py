"""A mailbox in a text form a reader reads and a pattern did not, through the real to-client chain of a
default install (`text_form_cases.py`), 150 seeded cases each.

Figures at the time of writing, before → after (leaky cases / 150):
- address forms (UUCP bang paths, `%` hack, source routes): 52 → 0 (`proxy.detect.address_forms`);
- an email cut by CDATA, comments, processing instructions, empty elements: 74 → 0 (`markup_view`);
- an email cut across text blocks with a non-text block between: 60 → 0 (`proxy.filters.split_values`);
- base64 of UTF-32 text (LE/BE, with or without a BOM), a quarter as a resource blob: 114 → 0
  (`proxy.detect.text_codecs`; every case outside a resource blob leaked, 150/150 of an earlier draft).
Look-alikes (bangs in shell text, `module.dll!Symbol` frames, CSS `!important`, CDATA holding code,
blocks around an image, ordinary UTF-32 text, ordinary logfmt lines): 0 / 150 altered, before and after
(with the address-forms view reading a debugger's `ntdll.dll!RtlUserThreadStart` as a mailbox: 2 / 150).
"""

from __future__ import annotations

from random import Random

import pytest

from tests.classes.harness import ChainHarness
from tests.classes.text_form_cases import BUILDERS, lookalikes

N = 150


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_mailbox_in_a_text_form_a_reader_reads_is_tokenized(fresh: ChainHarness, name: str) -> None:
    build, seed = BUILDERS[name]
    rng = Random(seed)
    outcomes = [ChainHarness(fresh.engine).run(build(rng)) for _ in range(N)]
    leaky = [o.summary() for o in outcomes if o.leaked or o.blocked]
    assert leaky == [], f"{len(leaky)}/{N}: {leaky[:5]}"


def test_bangs_important_cdata_code_and_blocks_around_an_image_stay_as_written(fresh: ChainHarness) -> None:
    rng = Random(20261294)
    outcomes = [ChainHarness(fresh.engine).run(lookalikes(rng)) for _ in range(N)]
    altered = [o.summary() for o in outcomes if o.altered or o.blocked]
    assert altered == [], f"{len(altered)}/{N}: {altered[:5]}"
