"""The per-message detection budget and the bait strings it exists for.

Wall-clock bounds here are only a safety net (the machine is shared): the assertions are on the error the
client gets and the audit row, and the regex bounds are two orders of magnitude above the linear cost.
"""

from __future__ import annotations

import json
import re
import time

import presidio_analyzer.pattern_recognizer as presidio_patterns
import pytest
import regex
from mcp import MCPError
from mcp.server.mcpserver import MCPServer

from proxy.detect import concatenated, decoders, vertical, views
from proxy.detect.batch_scan import VIEW_TRIGGERS as _VIEW_TRIGGERS
from proxy.detect.deadline import Deadline
from proxy.detect.detector import _NAME_TRIGGER, _PROSE, Detector
from proxy.detect.recognizers import OUR_RECOGNIZERS
from proxy.detect.triggers import DIGIT_TRIGGER as _DIGIT_TRIGGER
from proxy.detect.triggers import IPV6_TRIGGER as _IPV6_TRIGGER
from proxy.detect.triggers import STRUCTURED_TRIGGER as _STRUCTURED_TRIGGER
from proxy.errors import MESSAGE_BLOCKED, DetectionBudgetExceeded, PolicyError, to_jsonrpc_error
from proxy.policy import DETECTION_SECONDS, load_policy
from proxy.scan.to_backend import ENCODED_TOKEN_LIKE_RE
from vault.audit import AuditQuery, query
from vault.tokens import TOKEN_LIKE_RE

pytestmark = pytest.mark.anyio

MB = 1_000_000
# Strings that made a regex here (or Presidio's) backtrack or scan slowly: runs without spaces, long digit
# runs after `+`, separator soup, nested-looking label chains.
BAIT = {
    "backslashes": "\\" * MB,
    "letters": "a" * MB,
    "plus-digit-runs": "+1234567890123456789012345678901234567890 " * (MB // 42),
    "plus-digit-runs-glued": "+12345678901234567890123456789012345678901x" * (MB // 43),
    "email-label-chain": "a@" + "a." * (MB // 2) + "1",
    "long-local-parts": ("a" * 60 + "@") * (MB // 61),
    "digit-separator-soup": "1-1 1.1(1)1/" * (MB // 12),
    "hex-colons": "abcd:" * (MB // 5),
    "capitalised-run": "A" + "a" * MB + " B",
    "percent-escapes": "%5B%5B" * (MB // 6),
    "token-marks": "[[A:" * (MB // 4),
    "table-cells": "| a " * (MB // 4) + "|x",
    "short-lines": "- a\n" * (MB // 4),
    "literals": "(\"a\" + " * (MB // 7),
}


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector(load_policy())


def _our_patterns() -> list[tuple[str, regex.Pattern[str] | re.Pattern[str]]]:
    out: list[tuple[str, regex.Pattern[str] | re.Pattern[str]]] = []
    for name, cls in OUR_RECOGNIZERS.items():
        for p in cls.PATTERNS:
            # As Presidio compiles them (the `regex` module, its default flags).
            out.append((f"{name}/{p.name}", regex.compile(p.regex, flags=cls().global_regex_flags)))
    for name, rx in {
        "local encodings": decoders._LOCAL,
        "base64 run": decoders._BASE64_RUN,
        "escape run": decoders._ESCAPE_RUN,
        **{f"view trigger {i}": rx for i, rx in enumerate(_VIEW_TRIGGERS)},
        "dotted digits": views._DOTTED_DIGITS,
        "column item": vertical._ITEM,
        "literal chain": concatenated._OPERATOR,
        "concat call": concatenated._CALL,
        "implicit concatenation": concatenated._IMPLICIT,
        "structured trigger": _STRUCTURED_TRIGGER,
        "digit trigger": _DIGIT_TRIGGER,
        "ipv6 trigger": _IPV6_TRIGGER,
        "name trigger": _NAME_TRIGGER,
        "prose": _PROSE,
        "token-like": TOKEN_LIKE_RE,
        "encoded token-like": ENCODED_TOKEN_LIKE_RE,
    }.items():
        out.append((name, rx))  # as the proxy runs them (the standard `re` engine)
    return out


@pytest.mark.parametrize("bait", sorted(BAIT))
def test_our_regexes_scan_a_megabyte_of_bait_in_linear_time(bait):
    """Each of our patterns over 1 MB of bait: linear work is a few tens of ms; the quadratic escape pattern
    (before the fix) needed hours, the old international phone pattern tens of seconds."""
    text = BAIT[bait]
    slow = []
    for name, rx in _our_patterns():
        t = time.perf_counter()
        for _ in rx.finditer(text):
            pass
        if time.perf_counter() - t > 2.0:
            slow.append(name)
    assert slow == []


def test_a_value_after_a_run_of_backslashes_is_found_whole(detector):
    # Escapes are decoded pair by pair, round after round: `\\\t` ends as a tab before the value.
    text = "x" + "\\" * 3 + "t4111 1111 1111 1111"
    [span] = detector.detect([text])[text]
    assert text[span.start : span.end] == "4111 1111 1111 1111"


INTERNATIONAL = [
    "+1 (415) 555-0134",
    "+44 20 7946 0958",
    "+4420794609581",
    "+49 (0)30 1234567",
    "+1.415.555.0134",
]


@pytest.mark.parametrize("phone", INTERNATIONAL)
def test_the_linear_international_phone_pattern_still_finds_international_numbers(detector, phone):
    spans = detector.detect([f"call {phone} today"])[f"call {phone} today"]
    assert [(f"call {phone} today"[s.start : s.end], s.entity) for s in spans] == [(phone, "PHONE_NUMBER")]


def test_a_spent_budget_stops_detection_before_the_next_string(detector):
    deadline = Deadline(0.0)
    with pytest.raises(DetectionBudgetExceeded):
        detector.detect(["jane@acme.example"], deadline=deadline)


def test_a_long_string_is_cut_off_between_chunks_not_scanned_to_the_end(detector):
    """1 MB of digit soup goes to Presidio chunk by chunk (libphonenumber alone needs minutes for all of
    it); a 0.3 s budget stops it after the chunk in progress."""
    detector._cache.clear()
    t = time.perf_counter()
    with pytest.raises(DetectionBudgetExceeded) as err:
        detector.detect([BAIT["digit-separator-soup"]], deadline=Deadline(0.3))
    assert time.perf_counter() - t < 30  # safety net only
    assert err.value.code == MESSAGE_BLOCKED
    assert err.value.data == {"limit": "detection_seconds", "seconds": 0.3}


def test_the_budget_error_is_value_free_and_names_the_option():
    error = to_jsonrpc_error(DetectionBudgetExceeded(2.5))
    assert error["code"] == MESSAGE_BLOCKED
    assert error["message"] == (
        "mcp-veil blocked this message: scanning it took longer than the detection budget of 2.5 s "
        "(limits.detection_seconds)"
    )


def test_presidio_skips_a_timed_out_pattern_only_after_the_budget_is_spent():
    """Presidio logs and skips a pattern whose regex times out; that timeout is never shorter than the
    budget, so a skipped pattern always means a spent budget (and a blocked message)."""
    policy = load_policy()
    Detector(policy)
    assert policy.detection_seconds <= presidio_patterns.REGEX_TIMEOUT_SECONDS


def test_detection_seconds_is_a_limit_with_a_documented_default(tmp_path):
    assert load_policy().detection_seconds == DETECTION_SECONDS
    p = tmp_path / "p.yaml"
    p.write_text("version: 1\nname: t\nlimits:\n  detection_seconds: 2.5\n")
    assert load_policy([p]).detection_seconds == 2.5
    p.write_text("version: 1\nname: t\nlimits:\n  detection_seconds: 0\n")
    with pytest.raises(PolicyError, match=r"line 4.*detection_seconds"):
        load_policy([p])


def _bait_backend() -> MCPServer:
    server = MCPServer("bait-backend")

    @server.tool()
    def bait(kind: str) -> str:
        if kind == "nested":
            return json.dumps({"notes": [BAIT["digit-separator-soup"]], "contact": "jane@acme.example"})
        return BAIT[kind] + " jane@acme.example"

    @server.tool()
    def small() -> str:
        return "write to jane@acme.example"

    return server


@pytest.mark.parametrize("kind", ["digit-separator-soup", "nested"])
async def test_a_response_that_outlasts_the_budget_is_blocked_audited_and_the_session_goes_on(
    proxied, engine, kind
):
    engine.policy.detection_seconds = 0.3
    engine.detector._cache.clear()
    async with proxied(_bait_backend()) as (client, session):
        t = time.perf_counter()
        with pytest.raises(MCPError) as err:
            await client.call_tool("bait", {"kind": kind})
        assert time.perf_counter() - t < 60  # safety net only
        assert err.value.error.code == MESSAGE_BLOCKED
        assert "detection budget of 0.3 s" in err.value.error.message
        assert "jane" not in str(err.value.error)
        after = await client.call_tool("small", {})
        assert re.fullmatch(r"write to \[\[EMAIL_ADDRESS:[a-z2-7]+\]\]", after.content[0].text)
    rows = list(
        query(engine.vault.engine, AuditQuery(session_id=session.session_id, event="message-blocked"))
    )
    assert [(r["reason"], r["tool"]) for r in rows] == [("DetectionBudgetExceeded", "bait")]
