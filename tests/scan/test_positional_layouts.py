"""The readers of `proxy.scan.positional`: which cell each column label is paired with, in the SQL, COPY
and HTML layouts whose header is not beside the value. The class judge (`tests/classes/test_positional.py`)
measures what reaches the client; these pin the pairing itself."""

from __future__ import annotations

from proxy.scan.positional import text_pairs


def _pairs(text: str) -> list[tuple[str, str]]:
    return [(label, text[a:b]) for label, a, b in text_pairs(text)]


def test_each_value_of_a_multi_row_insert_is_paired_with_its_column_whatever_its_quoting() -> None:
    sql = (
        'INSERT INTO public.users ("full_name", `ssn`, phone) VALUES '
        "('Maria O''Neill', 512483967, N'415 555 0123'),\n  (E'Lena Graf', '078-05-1120', NULL);"
    )
    assert _pairs(sql) == [
        ("full_name", "Maria O''Neill"),
        ("ssn", "512483967"),
        ("phone", "415 555 0123"),
        ("full_name", "Lena Graf"),
        ("ssn", "078-05-1120"),
        ("phone", "NULL"),
    ]


def test_a_tuple_whose_cells_do_not_match_the_column_list_pairs_nothing() -> None:
    """A function call's own commas and parentheses stay inside its cell; a row of another width is
    skipped, never shifted onto the wrong labels."""
    sql = (
        "insert into t (ssn, created) values ('512483967', now()), ('1', '2', '3'), "
        "('078051120', coalesce(a, b))"
    )
    assert _pairs(sql) == [
        ("ssn", "512483967"),
        ("created", "now()"),
        ("ssn", "078051120"),
        ("created", "coalesce(a, b)"),
    ]


def test_a_copy_dump_pairs_its_tab_separated_lines_with_the_column_list_until_its_end_marker() -> None:
    dump = "COPY public.users (name, ssn) FROM stdin;\nMaria Gonzalez\t512483967\nLena Graf\t\\N\n\\.\nx\ty"
    assert _pairs(dump) == [("name", "Maria Gonzalez"), ("ssn", "512483967"), ("name", "Lena Graf")]


def test_html_td_cells_are_paired_with_the_th_row_above_them() -> None:
    html = (
        '<table class="x"><thead><tr><th>Name</th><th> SSN </th></tr></thead>\n'
        "<tbody><tr><td>Maria Gonzalez</td><td> 512483967 </td></tr>"
        "<tr><td><b>Lena</b> Graf</td><td>078051120</td></tr></tbody></table>"
    )
    assert _pairs(html) == [("Name", "Maria Gonzalez"), ("SSN", "512483967"), ("SSN", "078051120")]


def test_text_without_an_insert_copy_or_header_cell_pairs_nothing() -> None:
    for text in (
        "the values (a, b) we chose",
        "SELECT * FROM users WHERE ssn IN ('512483967')",
        "<table><tr><td>512483967</td></tr></table>",
        "copy the file (ssn) from stdin",
    ):
        assert _pairs(text) == []
