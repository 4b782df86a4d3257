"""What the wider views must not touch: rows of a table (markdown pipes, tabs, line breaks) mixing dates,
amounts, versions and counts; hashes, git shas and UUIDs (hex that decodes to no text); base64 images;
prose with `at`, `dot` and pipes. The class check is that none of it is changed on the way out."""

from __future__ import annotations

import base64
import hashlib
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.detect.helpers import tokenized

FAST = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@st.composite
def cells(draw: st.DrawFn) -> str:
    y, m, d = draw(st.integers(1990, 2040)), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    return draw(
        st.sampled_from(
            [
                f"{y}-{m:02d}-{d:02d}",
                f"{d:02d}/{m:02d}/{y}",
                f"{draw(st.integers(1, 99_999))}.{draw(st.integers(0, 99)):02d}",
                f"{draw(st.integers(1, 999))},{draw(st.integers(0, 999)):03d}.{draw(st.integers(0, 99)):02d}",
                ".".join(str(draw(st.integers(0, 30))) for _ in range(3)),
                f"v{draw(st.integers(0, 9))}.{draw(st.integers(0, 20))}",
                f"{draw(st.integers(0, 100))}%",
                f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}",
                "ok",
                "EUR",
            ]
        )
    )


@st.composite
def table_rows(draw: st.DrawFn) -> str:
    """A row of 3–7 cells, each a date, an amount, a version, a percentage or a time (at least one a
    date, an amount or a version: a row of bare small integers is indistinguishable from a number split by
    the same separator, and is not in this class)."""
    row = draw(st.lists(cells(), min_size=3, max_size=7))
    sep = draw(st.sampled_from([" | ", "|", "\t", "\n", " || ", " \u2022 ", " \u00b7 "]))
    text = sep.join(row)
    return f"| {text} |" if sep.strip() == "|" and draw(st.booleans()) else text


@st.composite
def identifiers(draw: st.DrawFn) -> str:
    seed = draw(st.binary(min_size=8, max_size=8))
    return draw(
        st.sampled_from(
            [
                hashlib.sha256(seed).hexdigest(),
                hashlib.sha256(seed).hexdigest().upper(),
                hashlib.sha1(seed).hexdigest(),
                "commit " + hashlib.sha1(seed).hexdigest()[:12],
                str(uuid.UUID(bytes=hashlib.md5(seed).digest())),
                "0x" + hashlib.md5(seed).hexdigest(),
                "data:image/png;base64,"
                + base64.b64encode(b"\x89PNG\r\n\x1a\n" + hashlib.sha512(seed).digest()).decode(),
                base64.b64encode(hashlib.sha256(seed).digest()).decode(),
            ]
        )
    )


PROSE = [
    "look at the dashboard dot by dot",
    "we met at Acme. Then lunch",
    "rank 3 | clicks 120 | ctr 2.5%",
    "steps 1 - 2 - 3",
    "see page 12 of 40",
    "Q3 | 2026 | Brand",
    "scores: 7/10, 8/10",
    "AT&T; R&D; Q&A",
]


@FAST
@given(st.one_of(table_rows(), identifiers(), st.sampled_from(PROSE)))
def test_tables_hashes_images_and_prose_come_back_unchanged(detector, text):
    out, _ = tokenized(detector, f"row {text} done")
    assert out == f"row {text} done"
