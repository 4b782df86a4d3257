"""A key that writes out a phrase whose initials are a context word (`social_security_number` → `ssn`,
`taxIdentificationNumber` → `tin`) gives a bare number beside it the same meaning (`proxy.scan.shapes`),
in any spelling; a run that holds a short or generic word (`session_id_number`) does not."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
PHRASES = (
    ["social", "security", "number"],
    ["social", "security", "no"],
    ["social", "insurance", "number"],
    ["tax", "identification", "number"],
)
NOT_PHRASES = (["session", "id", "number"], ["transaction", "id", "number"], ["serial", "number"])


def spelled(words: list[str], style: str, prefix: str) -> str:
    words = ([prefix] if prefix else []) + words
    if style == "camel":
        return words[0] + "".join(w.capitalize() for w in words[1:])
    if style == "upper":
        return "_".join(words).upper()
    return {"snake": "_", "kebab": "-", "pascal": ""}[style].join(
        w.capitalize() if style == "pascal" else w for w in words
    )


STYLES = st.sampled_from(["snake", "camel", "kebab", "upper", "pascal"])
PREFIXES = st.sampled_from(["", "customer", "employee"])


def test_a_phrase_key_names_the_bare_number_beside_it(through):
    @SETTINGS
    @given(st.sampled_from(PHRASES), STYLES, PREFIXES, st.integers(100_000_000, 499_999_999), st.booleans())
    def check(words, style, prefix, number, as_string):
        key = spelled(words, style, prefix)
        value = str(number) if as_string else number
        out = through({"content": [], "structuredContent": {"rows": [{"id": 3, key: value}]}})
        assert str(number) not in out, key

    check()


def test_a_run_with_a_short_or_generic_word_names_nothing(through):
    @SETTINGS
    @given(
        st.sampled_from(NOT_PHRASES), STYLES, st.integers(500_000_000, 899_999_999)
    )  # never tokenized above
    def check(words, style, number):
        key = spelled(words, style, "")
        out = through({"content": [], "structuredContent": {"rows": [{"id": 3, key: number}]}})
        assert str(number) in out, key

    check()
