"""Classes about a value laid out in pieces a reader joins again: down a column in list, quote, array or
table markup, a few characters per line, base64 one character per line; string literals concatenated in
code (`"jane" + ".doe@" + "acme.com"`, `'415' || '555'`, Python's implicit concatenation); and an 11-digit
US number with its leading 1 beside a phone word.

Each builder is `f(rng) -> Case`; the judge reads each layout back on its own
(`tests.classes.readings_layouts`).
"""

from __future__ import annotations

import base64
import json
from random import Random

from tests.classes.case import Case, Survivor, call, filler_record, tool_result
from tests.classes.layers import _carry
from tests.classes.planting import Planted, card_digits, digits_needle, reliable_value, sentence, ssn_digits

# ---------------------------------------------------------------------------------------- in a column
_BULLETS = ("- ", "* ", "• ", "+ ", "– ")


def _chunks(rng: Random, text: str, width: int) -> list[str]:
    """`text` cut every `width` characters (the last piece may be shorter)."""
    return [text[i : i + width] for i in range(0, len(text), width)]


def _column(rng: Random, pieces: list[str]) -> tuple[str, str]:
    """Pieces one per line in one of the markups a list, an array or a table is written in."""
    style = rng.choice(
        ["bullet", "numbered", "quoted", "array", "table", "table-indexed", "table-char-first", "plain"]
    )
    brk = rng.choice(["\n", "\n", "\r\n"])
    if style == "bullet":
        mark = rng.choice(_BULLETS)
        lines = [mark + p for p in pieces]
    elif style == "numbered":
        end = rng.choice([". ", ") ", ": "])
        lines = [f"{i}{end}{p}" for i, p in enumerate(pieces, 1)]
    elif style == "quoted":
        q = rng.choice(["'", '"', "`"])
        lead = rng.choice(["", "  ", "> "])
        lines = [f"{lead}{q}{p}{q}" for p in pieces]
    elif style == "array":
        q = rng.choice(["'", '"'])
        lines = [f"  {q}{p}{q}," for p in pieces]
        lines[-1] = lines[-1].rstrip(",")
        lines = ["[", *lines, "]"]
    elif style == "table":
        lines = ["| ch |", "|----|", *(f"| {p} |" for p in pieces)]
    elif style == "table-indexed":
        lines = ["| # | char |", "|---|:---:|", *(f"| {i} | {p} |" for i, p in enumerate(pieces, 1))]
    elif style == "table-char-first":
        lines = ["| char | pos |", "|:----:|----:|", *(f"| {p} | {i} |" for i, p in enumerate(pieces))]
    else:
        lines = list(pieces)
    return brk.join(lines), style


def column_layouts(rng: Random) -> Case:
    """A value's characters down a column, one to three per line, in list, quote, array or table markup;
    or a sentence holding one, base64-encoded, one character per line."""
    value = reliable_value(rng)
    if rng.random() < 0.2:
        body = base64.b64encode(sentence(rng, value).encode()).decode()
        width, what = 1, "base64"
    else:
        body = value.text
        width = rng.choice([1, 1, 2, 3])
        what = f"w{width}"
    written, style = _column(rng, _chunks(rng, body, width))
    head = rng.choice(["Contact", "Value", "Details", "Here it is"])
    text = f"{head}:\n{written}\n{rng.choice(['end', 'thanks', ''])}"
    result, where = _carry(rng, text)
    return Case("layouts", [call(result)], [value], label=f"column-{style}-{what}:{where}")


# -------------------------------------------------------------------------------------- concatenation
_JOINERS = {
    "js-plus": ("{q}", " + "),
    "python-implicit": ("{q}", " "),
    "sql-pipes": ("'", " || "),
    "lua-dots": ("{q}", " .. "),
    "php-dot": ("{q}", " . "),
}


def _literals(rng: Random, text: str) -> list[str]:
    cuts = sorted(rng.sample(range(1, len(text)), min(len(text) - 1, rng.choice([1, 2, 3]))))
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def concatenated(rng: Random) -> Case:
    """A value cut into string literals a program joins: `+`, `||`, `..`, `.`, juxtaposed literals,
    `concat(…)`, on one line or one piece per line."""
    value = reliable_value(rng)
    pieces = _literals(rng, value.text)
    how = rng.choice([*_JOINERS, "concat-call"])
    survivors: list[Survivor] = []
    if how == "concat-call":
        q = rng.choice(["'", '"'])
        func = rng.choice(["concat", "CONCAT", "String.concat", "CONCAT"])
        expr = f"{func}(" + ", ".join(f"{q}{p}{q}" for p in pieces) + ")"
        survivors.append(Survivor(f"{func}(", label="function-name"))  # code, not a name after `to =`
    else:
        quote, joiner = _JOINERS[how]
        q = quote.format(q=rng.choice(["'", '"']))
        if rng.random() < 0.3:  # one piece per line, as a formatter wraps a long expression
            joiner = (
                rng.choice(["\n    ", " \\\n    "])
                if how == "python-implicit"
                else joiner.rstrip() + "\n    "
            )
        expr = joiner.join(f"{q}{p}{q}" for p in pieces)
        if how == "python-implicit":
            expr = f"({expr})"
    line = rng.choice(
        [
            "const contact = {};",
            "to = {}",
            "$to = {};",
            "SELECT {} AS contact FROM dual;",
            "local contact = {}",
            "send_mail({}, subject)",
        ]
    ).format(expr)
    if rng.random() < 0.5:
        line = f"```\n{line}\n```"
    result, where = _carry(rng, line)
    return Case("layouts", [call(result)], [value], survivors, label=f"concat-{how}:{where}")


# ------------------------------------------------------------------------------------- 1 + ten digits
PHONE_KEYS = ("phone", "phoneNumber", "mobile", "tel", "cell", "contact_phone", "whatsapp", "sms")
_PHONE_WORDS = ("call", "phone:", "tel", "mobile", "text me at", "cell:", "reach me on", "phone number")


def nanp_digits(rng: Random) -> str:
    """A US/Canada number in NANP shape: area and exchange codes start with 2–9, no N11 area."""
    while True:
        area = f"{rng.randrange(2, 10)}{rng.randrange(10)}{rng.randrange(10)}"
        if area[1:] != "11":
            break
    exchange = f"{rng.randrange(2, 10)}{rng.randrange(10)}{rng.randrange(10)}"
    return area + exchange + f"{rng.randrange(10000):04d}"


def us_eleven_digits(rng: Random, key: str | None = None) -> Case:
    """`1` and a NANP number, no separators (`14155550123`), under a phone key (as a string or a JSON
    number) or after a phone word."""
    nsn = nanp_digits(rng)
    written = rng.choice(["1", "+1"]) + nsn if rng.random() < 0.2 else "1" + nsn
    value = Planted("phone", written, digits_needle(nsn, bounded=False))
    if key is not None or rng.random() < 0.5:
        key = key or rng.choice(PHONE_KEYS)
        field = int(written) if rng.random() < 0.3 and written.isdigit() else written
        record = filler_record(rng) | {key: field}
        result = tool_result(json.dumps(record)) if rng.random() < 0.5 else tool_result(structured=record)
        where = "key"
    else:
        head = rng.choice(["Customer said", "Note", "Ticket"])
        text = f"{head}: {rng.choice(_PHONE_WORDS)} {written} after 5pm"
        result, where = _carry(rng, text)
    return Case("layouts", [call(result)], [value], label=f"us-eleven:{where}")


# ------------------------------------------------------------------------------------- across a row
_ROW_DELIMITERS = ("|", ",", ";", "\t")


def _row(rng: Random, digits: str, delimiter: str) -> str:
    if delimiter == "|":
        return "| " + " | ".join(digits) + " |"
    return (delimiter if delimiter == "\t" else delimiter + rng.choice(["", " "])).join(digits)


def _row_table(rng: Random, digits: str) -> tuple[str, str]:
    """A row of one digit per cell, alone or in a table (a header of letters and a rule row over it)."""
    delimiter = rng.choice(_ROW_DELIMITERS)
    row = _row(rng, digits, delimiter)
    if rng.random() < 0.5:
        head = [chr(ord("a") + i) for i in range(len(digits))]
        if delimiter == "|":
            row = "| " + " | ".join(head) + " |\n|" + "---|" * len(digits) + "\n" + row
        else:
            row = delimiter.join(head) + "\n" + row
    return row, {"|": "markdown", ",": "csv", ";": "semicolon", "\t": "tsv"}[delimiter]


def row_layouts(rng: Random) -> Case:
    """A card, a US phone number or an SSN one digit per cell across a Markdown, CSV, semicolon or TSV row,
    with no label."""
    kind = rng.choice(["card", "phone", "ssn"])
    if kind == "card":
        digits = card_digits(rng)
    elif kind == "phone":
        digits = rng.choice(["415", "212", "312", "206", "617"]) + str(rng.randrange(200, 1000))
        digits += f"{rng.randrange(10**4):04d}"
    else:
        digits = ssn_digits(rng)
    value = Planted(kind, digits, digits_needle(digits))
    written, style = _row_table(rng, digits)
    result, where = _carry(rng, f"{rng.choice(['Data', 'Row', 'Export', 'Result'])}:\n{written}\n")
    return Case("layouts", [call(result)], [value], label=f"row-{style}-{kind}:{where}")


def benign_rows(rng: Random) -> Case:
    """Rows of small counts, one digit per cell: of lengths no identifier has, or of a phone's or an SSN's
    length failing its check (the NANP plan, SSN ranges), or beside a wider cell: unchanged. Rows of
    sixteen digits or more are left out: the main view reads `|`, `;` and tab runs between digits as one
    number's separators and finds a card or a phone there, before this class's change too (`make eval`); so
    does a row of ten apart by semicolons (`3;4;4;1;2;4;1;0;6;2`), left out too."""
    from proxy.detect.digit_rows import _identifier  # the check itself decides what a look-alike is

    while True:
        n = rng.choice([3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        digits = "".join(str(rng.randrange(10)) for _ in range(n))
        if rng.random() < 0.3:
            digits = digits[:-1] + str(rng.randrange(10, 100))  # a wider cell: a count row
        if _identifier(digits) is None:
            break
    cells = [*digits[: n - 1], digits[n - 1 :]] if len(digits) > n else list(digits)
    delimiter = rng.choice(["|", ",", "\t"])
    written = "| " + " | ".join(cells) + " |" if delimiter == "|" else delimiter.join(cells)
    result, where = _carry(rng, f"Counts:\n{written}\n")
    return Case(
        "layouts", [call(result)], [], [Survivor(written, label="count-row")], label=f"benign-row:{where}"
    )


def layouts(rng: Random) -> Case:
    """Any of the builders above."""
    return rng.choice([column_layouts, concatenated, us_eleven_digits, row_layouts])(rng)


# ------------------------------------------------------------------------------ columns that are data
BENIGN_KINDS = ("decimals", "two-digit", "small-ints", "codes", "sizes", "digits", "words", "times")


def _benign_items(rng: Random, kinds: tuple[str, ...] = BENIGN_KINDS) -> tuple[list[str], str]:
    kind = rng.choice(kinds)
    n = rng.randrange(4, 14)
    if kind == "decimals":
        items = [f"{rng.randrange(10)}.{rng.randrange(10)}" for _ in range(n)]
    elif kind == "two-digit":
        items = [f"{rng.randrange(10, 100)}" for _ in range(n)]
    elif kind == "small-ints":
        items = [str(rng.randrange(1000)) for _ in range(n)]
    elif kind == "codes":
        items = [
            rng.choice(["DE", "FR", "GB", "US", "NL", "AT", "CH", "EUR", "USD", "GBP", "JPY"])
            for _ in range(n)
        ]
    elif kind == "sizes":
        items = [rng.choice(["XS", "S", "M", "L", "XL", "XXL", "2XL"]) for _ in range(n)]
    elif kind == "digits":
        items = [str(rng.randrange(10)) for _ in range(rng.randrange(4, 13))]
    elif kind == "words":
        items = [rng.choice(["yes", "no", "ok", "n/a", "-", "TBD", "on", "off", "x", "✓"]) for _ in range(n)]
    else:
        items = [f"{rng.randrange(24)}h" for _ in range(n)]
    return items, kind


def benign_columns(rng: Random, kinds: tuple[str, ...] = BENIGN_KINDS) -> Case:
    """Columns of short items that are data (scores, ages, codes, sizes, a few digits, ticks): unchanged."""
    items, kind = _benign_items(rng, kinds)
    written, style = _column(rng, items)
    text = f"{rng.choice(['Scores', 'Sizes', 'Results', 'Values'])}:\n{written}\n"
    result, where = _carry(rng, text)
    survivors = [Survivor(written, label=f"column-{kind}")]
    return Case("layouts", [call(result)], [], survivors, label=f"benign-{style}-{kind}:{where}")


_BENIGN_CODE = (
    'query = "SELECT id, name FROM " + "campaigns" + " WHERE status = " + "\'ENABLED\'"',
    "greeting = 'Hello, ' + 'world' + '!'",
    'url = "https://" + "www.example-shop.example" + "/products/" + "shoes"',
    "$title = 'Report ' . '2026' . '-Q3';",
    'local label = "clicks" .. ": " .. "1234"',
    'msg = ("Campaign budget " "exceeded for " "Brand – Search – DE")',
    "SELECT 'Total: ' || '42' || ' rows' FROM dual;",
    'label = concat("PMax", " | ", "Shoes", " | ", "2026-Q3")',
    'He said "hi". "Bye", she said, "see you at 09:14".',
    '"12"\t"34"\t"56"\t"78"\t"90"\t"12"',
    '"2026-01-04","1532","0.0412","EUR"',
    'path = "/v17/customers/" + "reports" + "/daily"',
)


def benign_code(rng: Random) -> Case:
    """Concatenated literals that make no personal value (queries, URLs, labels, quoted columns)."""
    line = rng.choice(_BENIGN_CODE)
    if rng.random() < 0.5:
        line = f"```\n{line}\n```"
    result, where = _carry(rng, line)
    return Case(
        "layouts", [call(result)], [], [Survivor(line, label="benign-code")], label=f"benign-code:{where}"
    )


def benign_eleven_digits(rng: Random) -> Case:
    """Eleven digits in NANP shape after a `1` that are no phone: under a neutral key, beside a phone key
    that is not theirs, after an ID, order or metric label, or a call's own ID or duration."""
    # drawn from a stream of its own: the session is shared, and a number the phone classes planted is known
    number = "1" + nanp_digits(Random(f"benign-eleven:{rng.random()}"))
    how = rng.choice(["key", "beside-phone-key", "label", "call-id"])
    if how == "key":
        record = filler_record(rng) | {rng.choice(["id", "orderId", "campaignId", "row", "n"]): int(number)}
        result = tool_result(json.dumps(record))
    elif how == "beside-phone-key":
        record = {"phone": rng.choice([None, "", "n/a"]), rng.choice(["id", "ticketId", "ref"]): number}
        result = tool_result(json.dumps(record))
    elif how == "label":
        label = rng.choice(["Order", "Invoice #", "impressions", "costMicros", "Ticket", "row id"])
        result, _ = _carry(rng, f"{label} {number} processed")
    else:
        label = rng.choice(["Call ID", "call id:", "call duration (ms)", "Call log ref", "phone ids"])
        result, _ = _carry(rng, f"{label} {number}")
    return Case("layouts", [call(result)], [], [Survivor(number, label=how)], label=f"benign-eleven-{how}")
