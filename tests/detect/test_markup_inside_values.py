"""Markup that renders as nothing inside a value (HTML comments and tags, Markdown emphasis and code marks,
emphasis around an address's `@` and at its edges) does not cut it; markup between the cells of a table
does not join them into one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.detect.helpers import survives, tokenized
from tests.detect.strategies import embed
from tests.detect.view_classes import with_markup

FAST = settings(max_examples=150, deadline=None, derandomize=True)


@FAST
@given(st.data())
def test_a_value_with_markup_inside_is_one_value(detector, data):
    kind, value = data.draw(with_markup())
    text, start, end = embed(data.draw, "", value)
    # Emphasis marks at the edges carry nothing and may stay beside the token.
    assert survives(detector, text, start, end, slack=4 if kind == "email-edges" else 0) == ""


@FAST
@given(
    cells=st.lists(
        st.sampled_from(["clicks", "42", "Berlin", "shoes", "0.35", "2024-05-01", "brand"]),
        min_size=2,
        max_size=6,
    ),
    tag=st.sampled_from(["</td><td>", "**|**", "<br>", "`, `"]),
)
def test_markup_between_table_cells_leaves_every_cell_readable(detector, cells, tag):
    text = "<td>" + tag.join(cells) + "</td>"
    assert tokenized(detector, text)[0] == text
