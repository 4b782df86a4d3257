"""Text that media and PDFs carry cut by their own structure, through the real to-client chain of a default
install (`media_split_cases.py`); `make test` runs the first 60 seeded cases of each class (each case is a
file to build and read; the figures below are of 150, the ceilings hold for any prefix of them). Media
cannot carry a token: a value in it blocks the message (or, in base64 in a text field, the run is
replaced), so a case leaks when its bytes reach the client as sent.

Figures at the time of writing (2026-12-07), leaky cases / 150 after; before, the cases whose value the
code before this change did not read whole from the bytes (`media_text`, in process; the chain run was cut
for time):
- a value spread over PNG text chunks (some UTF-16 iTXt), GIF comment sub-blocks and extensions, JPEG COM
  segments, XMP over extended XMP, EXIF UTF-16 comments: 94 → 0 (`proxy.detect.media_slots`);
- a PDF with no xref drawing a value glyph by glyph, maybe in CMap-mapped glyph codes, in a plain, LZW,
  ASCII85+LZW, Flate or ASCIIHex stream: 143 → 7 (`proxy.detect.pdf_text`, `pdf_cmap`, `lzw`); the 7 are
  IBANs and IPv6 addresses whose line, drawn glyph by glyph with word gaps as moves, reads glued to the
  words before it (`refundtoIBANGB…`): no word boundary. (An earlier draft that also gave each glyph a
  line had 0, but read columns in look-alikes.)
Look-alikes (the same structures with several ordinary metadata values, report text): 38 / 150 altered
(`MAX_LOOKALIKES_ALTERED`, a ceiling, not a goal); those examined: digits of an ASCIIHex-encoded or
plain content stream's bytes and coordinates read as phone numbers by the printable runs, and
`Microsoft Word` read as a person among other metadata lines; see the report of branch h12-media.
"""

from __future__ import annotations

from random import Random

import pytest

from tests.classes.harness import ChainHarness
from tests.classes.media_split_cases import delivered_unchanged, lookalikes, metadata_split, pdf_drawn

N = 60  # the first 60 of the 150 measured below: `make test` stays inside CI's time budget
MAX_LOOKALIKES_ALTERED = 38  # measured; lower it as the readings above are fixed
# (generator, seed, leaky cases allowed: measured; the PDF ones are words glued with the value, see below)
BUILDERS = {"metadata-split": (metadata_split, 20261271, 0), "pdf-drawn": (pdf_drawn, 20261272, 7)}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_value_cut_by_a_media_files_structure_never_reaches_the_client(
    fresh: ChainHarness, name: str
) -> None:
    build, seed, allowed = BUILDERS[name]
    rng = Random(seed)
    leaky = []
    for _ in range(N):
        case = build(rng)
        outcome = ChainHarness(fresh.engine).run(case)
        if outcome.leaked or delivered_unchanged(outcome.received, case):
            leaky.append(case.describe())
    assert len(leaky) <= allowed, f"{len(leaky)}/{N}: {leaky[:8]}"


def test_media_and_pdfs_with_ordinary_text_in_the_same_structures_pass_byte_for_byte(
    fresh: ChainHarness,
) -> None:
    rng = Random(20261273)
    altered = []
    for _ in range(N):
        outcome = ChainHarness(fresh.engine).run(lookalikes(rng))
        if outcome.altered or outcome.blocked:
            altered.append(outcome.summary())
    assert len(altered) <= MAX_LOOKALIKES_ALTERED, f"{len(altered)}/{N}: {altered[:8]}"
