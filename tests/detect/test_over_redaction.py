"""Numbers that identify nobody keep their place: decimals, micros amounts, versions, dates, query strings
around a value, base64-looking identifiers, text with `%`, `&`, `=`."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.detect.helpers import tokenized
from tests.detect.strategies import emails

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
digits = st.text("0123456789", min_size=1, max_size=1)


@st.composite
def decimals(draw: st.DrawFn) -> str:
    whole = str(draw(st.integers(0, 99_999)))
    frac = "".join(draw(st.lists(digits, min_size=6, max_size=14)))
    return draw(st.sampled_from(["", "-"])) + f"{whole}.{frac}"


@st.composite
def micros(draw: st.DrawFn) -> str:
    amount = draw(st.integers(10**6, 10**13))
    label = draw(st.sampled_from(["spend (micros):", "costMicros", "budget_micros =", "amount_micros:"]))
    return f"{label} {amount}"


@st.composite
def versions(draw: st.DrawFn) -> str:
    parts = ".".join(str(draw(st.integers(0, 255))) for _ in range(draw(st.integers(3, 4))))
    word = draw(st.sampled_from(["version ", "Version: ", "v", "build ", "release ", "firmware v"]))
    return word + parts


@st.composite
def dates(draw: st.DrawFn) -> str:
    y, m, d = draw(st.integers(1990, 2040)), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    sep = draw(st.sampled_from(["-", "/", ".", "_", "\u2013"]))
    return draw(st.sampled_from([f"{y}{sep}{m:02d}{sep}{d:02d}", f"{d:02d}{sep}{m:02d}{sep}{y}"]))


@st.composite
def plain_markup(draw: st.DrawFn) -> str:
    word = st.sampled_from(["sale", "50% off", "AT&T", "Q&A", "a=b", "x+y", "C++", "R&D", "100%", "a/b"])
    ident = st.text(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=16, max_size=40
    )
    return " ".join(draw(st.lists(st.one_of(word, ident), min_size=1, max_size=5)))


@FAST
@given(st.one_of(decimals(), micros(), versions(), dates(), plain_markup()))
def test_numbers_that_identify_nobody_come_back_unchanged(detector, text):
    out, _ = tokenized(detector, f"row {text} done")
    assert out == f"row {text} done"


@FAST
@given(st.data())
def test_in_a_query_string_only_the_value_goes(detector, data):
    email = data.draw(emails())
    fields = data.draw(
        st.lists(st.sampled_from(["status=ok", "count=5", "page=2", "sort=desc", "v=1.2.3.4"]), max_size=4)
    )
    at = data.draw(st.integers(0, len(fields)))
    fields.insert(at, f"email={email}")
    text = "&".join(fields)
    out, _ = tokenized(detector, text)
    assert out == text.replace(email, "[[EMAIL_ADDRESS:0]]")
