"""Text shaped like a token that the session never issued is refused; the session's own tokens pass."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from proxy.errors import InvalidMessage
from proxy.scan.forged_tokens import refuse_forged
from tests.classes.case import Case, call, tool_result
from tests.classes.checks import assert_no_leak, class_settings
from tests.classes.forged import forged_tokens
from tests.classes.harness import ChainHarness
from vault.tokens import TOKEN_RE


@class_settings(60)
@given(case=st.randoms(use_true_random=False).map(forged_tokens))
def test_a_value_inside_a_token_shaped_text_the_session_never_issued_never_reaches_the_client(
    chain: ChainHarness, case: Case
) -> None:
    assert_no_leak(chain, case)


def test_the_sessions_own_tokens_pass_unchanged_in_text_and_under_a_field_rule(chain: ChainHarness) -> None:
    first = chain.deliver(Case("forged", [call(tool_result("Reply to ida.marsh@example.org today"))], []))
    token = TOKEN_RE.search(first[0]["content"][0]["text"])
    assert token is not None
    text = f"as before: {token.group()}"
    again = chain.deliver(
        Case("forged", [call(tool_result(text, structured={"customerId": token.group(), "note": text}))], [])
    )
    assert again[0] is not None, "the session's own token was refused"
    assert again[0]["structuredContent"] == {"customerId": token.group(), "note": text}


def test_a_forged_token_is_refused_with_a_clear_value_free_error() -> None:
    forged = "call [[PHONE_13124706655:abcdefghijklmnop]]"
    try:
        refuse_forged(["plain text", forged], lambda _t: False)
    except InvalidMessage as exc:
        assert "never issued" in str(exc) and "1312" not in str(exc)
    else:
        raise AssertionError("a forged token passed")
    refuse_forged([forged], lambda t: re.fullmatch(r"\[\[PHONE_\d+:[a-z]+\]\]", t) is not None)
