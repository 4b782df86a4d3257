"""A backend's stderr, by class (red team 9, classes 6 and 7).

Class 6: a structured log line (pino, structlog, zap, after a timestamp or a tag, nested one level down)
whose value only a key rule names (`{"descriptiveName": …}`, `{"customerId": 4821937}`): the keys are the
shipped policy's own field-rule keys, spelled every way a logger writes them. Class 7: a line cut at
`MAX_LINE_CHARS` inside a value written in groups (a card, an IBAN, a phone): whatever group the cut lands
in, no group of the value is written. Each class also measures what it must leave alone.
"""

from __future__ import annotations

import io
import json
import re
from random import Random
from types import SimpleNamespace
from typing import Any

import anyio
import pytest

from proxy.detect.detector import Detector
from proxy.detect.known import KnownValues
from proxy.policy import load_policy
from proxy.transports import backend_stderr
from proxy.transports.backend_stderr import CUT, MAX_LINE_CHARS, StderrFilter, redactor
from tests.classes import national_ids
from tests.classes.name_lists import FIRST, LAST
from tests.classes.org_cases import company, spell

CASES = 150


def stderr_session() -> SimpleNamespace:
    """What `redactor` reads: the default policy, its detector loaded (before a batch's deadline starts)
    and a session's known values."""
    policy = load_policy()
    detector = Detector(policy)
    detector.detect(["warm up: the detectors load before the first batch's deadline starts"])
    return SimpleNamespace(detector=detector, known=KnownValues(), policy=policy)


@pytest.fixture(scope="module")
def session() -> Any:
    return stderr_session()


class _Pipe:
    def __init__(self, data: bytes) -> None:
        self.chunks = [data]

    async def receive(self, max_bytes: int = 65536) -> bytes:
        if not self.chunks:
            raise anyio.EndOfStream
        return self.chunks.pop(0)


def _through(scrub: Any, lines: list[str]) -> list[str]:
    out = io.StringIO()

    async def main() -> None:
        data = "".join(line + "\n" for line in lines).encode()
        await StderrFilter(scrub, out).run(_Pipe(data))  # type: ignore[arg-type]

    anyio.run(main)
    return out.getvalue().splitlines()


# ------------------------------------------------------------------------- class 6: keyed log lines
_WORDS = tuple(
    [
        "descriptive",
        "customer",
        "client",
        "account",
        "business",
        "company",
        "organization",
        "linked",
        "login",
        "manager",
        "billing",
        "contact",
        "personal",
        "work",
        "home",
        "mobile",
        "user",
        "full",
        "first",
        "last",
        "given",
        "family",
        "middle",
        "owner",
        "person",
        "postal",
        "street",
        "remote",
        "email",
        "mail",
        "address",
        "addr",
        "line1",
        "line2",
        "phone",
        "telephone",
        "number",
        "fax",
        "name",
        "id",
        "ip",
    ]
)


def _words(key: str) -> list[str]:
    """A normalized field-rule key back into its words (`descriptivename` → descriptive, name)."""
    best: list[list[str] | None] = [[]] + [None] * len(key)
    for end in range(1, len(key) + 1):
        for w in _WORDS:
            start = end - len(w)
            if start >= 0 and key[start:end] == w and best[start] is not None:
                best[end] = [*best[start], w]  # type: ignore[misc]
                break
    return best[-1] or [key]


_SHORT_FIRST = tuple(n for n in FIRST if 2 <= len(n) <= 3)


def _value(rng: Random, entity: str) -> Any:
    """A value of the entity as a backend would log it (a customer ID also as a bare JSON number)."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    if entity == "ACCOUNT_NAME":
        return company(rng).text
    if entity == "PERSON":
        # A short given name too (`Al`, `Eva`): shorter than known-value matching reads.
        return rng.choice((f"{first} {last}", last, rng.choice(_SHORT_FIRST)))
    if entity == "LOCATION":
        street = rng.choice(LAST)
        kind = rng.choice(("Street", "Avenue", "Road", "Lane", "Drive"))
        city = f"{rng.choice(LAST)}ville, IL {rng.randint(60000, 62999)}"
        return f"{rng.randint(10, 9999)} {street} {kind}, {city}"
    if entity == "EMAIL_ADDRESS":
        return f"{first}.{last}@{rng.choice(LAST)}-mail.example".lower()
    if entity == "PHONE_NUMBER":
        n = f"1{rng.randint(201, 989)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
        return rng.choice((n, int(n), f"+{n[0]} {n[1:4]}-{n[4:7]}-{n[7:]}"))
    if entity == "GOOGLE_ADS_CUSTOMER_ID":
        c = rng.randint(10**6, 10**10 - 1)
        return rng.choice((c, str(c), f"{c:010d}"[:3] + "-" + f"{c:010d}"[3:6] + "-" + f"{c:010d}"[6:]))
    if entity == "IP_ADDRESS":
        return ".".join(str(rng.randint(11, 223)) for _ in range(4))
    if entity == "SITE_URL":  # a Search Console property: a URL prefix or a domain property
        host = f"{last}-{rng.choice(('dental', 'roofing', 'law'))}.example".lower()
        return rng.choice((f"https://www.{host}/", f"sc-domain:{host}"))
    if entity in _NATIONAL_IDS:  # valid by its checksum, written as its key's value is
        return _NATIONAL_IDS[entity](rng)
    raise AssertionError(entity)


_NATIONAL_IDS = {
    "IN_AADHAAR": national_ids.aadhaar,
    "UK_NINO": national_ids.nino,
    "IN_PAN": national_ids.pan,
    "AU_TFN": national_ids.tfn,
    "PL_PESEL": national_ids.pesel,
    "IT_FISCAL_CODE": national_ids.fiscal_code,
    "ES_NIF": national_ids.nif,
    "ES_NIE": national_ids.nie,
    "UK_NHS": national_ids.nhs,
}


_MSGS = ("synced", "fetch done", "request handled", "cache refreshed", "retrying upstream")


def _log_line(rng: Random, key: str, value: Any) -> tuple[str, str]:
    """(line, msg): the pair inside a pino, structlog or zap record (or a Python dict's `repr`), maybe
    nested, maybe after a prefix."""
    msg = rng.choice(_MSGS)
    pair: dict[str, Any] = {key: value}
    if rng.random() < 0.25:
        pair = {rng.choice(("data", "ctx", "fields", "account")): pair}
    shape = rng.randrange(3)
    if shape == 0:
        record = {"level": 30, "time": 1765000000000 + rng.randint(0, 10**6), "pid": 4242, "msg": msg, **pair}
    elif shape == 1:
        record = {"event": msg, **pair, "level": "info", "logger": "sync"}
    else:
        record = {"level": "debug", "caller": "sync/run.go:42", "msg": msg, **pair}
    items = list(record.items())
    rng.shuffle(items)
    compact = rng.random() < 0.5
    body = json.dumps(
        dict(items), ensure_ascii=rng.random() < 0.5, separators=(",", ":") if compact else None
    )
    if rng.random() < 0.25:  # a Python logger printing the dict itself (`log.info("%s", record)`)
        body = repr(dict(items))
    prefix = rng.choice(("", "", "2026-12-07T15:04:05.123Z INFO ", "[sync] ", "level=info json="))
    return prefix + body, msg


def _shown(value: Any) -> list[str]:
    text = str(value)
    return [text, json.dumps(text)[1:-1]]


def keyed_cases(rng: Random, keys: dict[str, str]) -> list[tuple[str, Any, str]]:
    out = []
    names = sorted(keys)
    for _ in range(CASES):
        nk = rng.choice(names)
        value = _value(rng, keys[nk])
        line, msg = _log_line(rng, spell(_words(nk), rng), value)
        out.append((line, value, msg))
    return out


@pytest.fixture
def unhurried(monkeypatch: pytest.MonkeyPatch) -> None:
    """All cases arrive as one batch: the per-batch detection budget is not what these tests measure."""
    monkeypatch.setattr(backend_stderr, "DETECTION_SECONDS", 600.0)


def _unscanned(lines: list[str]) -> list[str]:
    return lines


def test_a_structured_log_line_naming_a_value_by_a_field_rule_key_is_written_without_the_value(
    session, unhurried
):
    rng = Random(6)
    cases = keyed_cases(rng, session.policy.rules_for_tool(None).keys)
    written = _through(redactor(session), [line for line, _, _ in cases])
    assert len(written) == len(cases)
    leaks = [
        (line, out)
        for (line, value, _), out in zip(cases, written, strict=True)
        if any(form in out for form in _shown(value))
    ]
    # What the rule does not name stays: the message of the record.
    over = [out for (_, _, msg), out in zip(cases, written, strict=True) if msg not in out]
    assert leaks == [], f"{len(leaks)}/{len(cases)} keyed values on stderr: {leaks[:3]}"
    assert over == [], f"{len(over)}/{len(cases)} log messages redacted: {over[:3]}"


def test_a_log_line_whose_keys_name_no_value_is_written_as_it_came(session, unhurried):
    rng = Random(66)
    lines = []
    for _ in range(CASES):
        record = {
            "level": rng.choice(("info", "debug", "warn")),
            "msg": rng.choice(_MSGS),
            rng.choice(("durationMs", "retries", "status", "items", "page")): rng.randint(0, 999),
            rng.choice(("route", "op", "phase")): rng.choice(("/v1/sync", "fetch", "commit")),
        }
        lines.append(rng.choice(("", "[sync] ")) + json.dumps(record))
    written = _through(redactor(session), lines)
    changed = [out for line, out in zip(lines, written, strict=True) if out != "[backend] " + line]
    assert changed == [], f"{len(changed)}/{len(lines)} plain log lines altered: {changed[:3]}"


# ------------------------------------------------------------------- class 7: a value across the cut
def _luhn(digits: str) -> str:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return digits + str((10 - total % 10) % 10)


def _iban(rng: Random) -> str:
    country, length = rng.choice((("DE", 22), ("FR", 27), ("GB", 22), ("NL", 18), ("ES", 24), ("IT", 27)))
    if country == "GB":
        bban = rng.choice(("NWBK", "BARC", "MIDL")) + "".join(str(rng.randrange(10)) for _ in range(14))
    elif country == "NL":
        bban = rng.choice(("ABNA", "RABO", "INGB")) + "".join(str(rng.randrange(10)) for _ in range(10))
    else:
        bban = "".join(str(rng.randrange(10)) for _ in range(length - 4))
    moved = bban + country + "00"
    check = 98 - int("".join(str(int(c, 36)) for c in moved)) % 97
    return f"{country}{check:02d}{bban}"


def grouped_value(rng: Random) -> tuple[str, list[str]]:
    """(value as written, its groups): a card or an IBAN in groups of four, or a phone in its groups."""
    kind = rng.randrange(3)
    if kind == 0:
        raw = _luhn(
            rng.choice(("4", "51", "37", "6011")) + "".join(str(rng.randrange(10)) for _ in range(13))
        )
        raw = raw[-16:] if len(raw) > 16 else raw
        raw = _luhn(raw[:-1])
        groups = [raw[i : i + 4] for i in range(0, len(raw), 4)]
    elif kind == 1:
        raw = _iban(rng)
        groups = [raw[i : i + 4] for i in range(0, len(raw), 4)]
    else:
        groups = ["+1", f"({rng.randint(201, 989)})", f"{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"]
    sep = rng.choice((" ", " ", "  ", "\t")) if kind != 2 else " "
    return sep.join(groups), groups


def test_a_line_cut_inside_a_value_written_in_groups_keeps_none_of_its_groups():
    """The cut alone (no detector: what it keeps of a value cut in half is no longer one)."""
    rng = Random(7)
    lines, planted = [], []
    for _ in range(CASES):
        value, groups = grouped_value(rng)
        lead = rng.choice(("card", "acct", "iban", "phone", "paid with"))
        # The cut falls anywhere from the value's first character to its last.
        head = f"{lead} {value}"
        at = rng.randint(len(lead) + 2, len(head) - 1)
        filler = re.sub(r"\s", "x", rng.choice(("x", "y", "lorem ")) * MAX_LINE_CHARS)[: MAX_LINE_CHARS - at]
        line = filler[:-1] + " " + head + " tail words after"
        lines.append(line)
        planted.append(groups)
    written = _through(_unscanned, lines)
    assert all(out.endswith(CUT) for out in written)
    leaks = [out[-60:] for out, groups in zip(written, planted, strict=True) if any(g in out for g in groups)]
    assert leaks == [], f"{len(leaks)}/{len(lines)} cut lines keep a group: {leaks[:3]}"


def test_a_cut_through_prose_drops_only_the_word_it_went_through():
    rng = Random(77)
    lines, kept = [], []
    for _ in range(CASES):
        words = [rng.choice((*_MSGS, "the", "backend", "said", "upstream")) for _ in range(2000)]
        line = " ".join(words)
        cut = line[:MAX_LINE_CHARS]
        # The cut cannot tell a word it ended after from one it went through: the last word goes.
        expected = cut[: cut.rfind(" ")] if not cut[-1].isspace() else cut.rstrip()
        lines.append(line)
        kept.append(expected)
    written = _through(_unscanned, lines)
    over = [
        len(exp) - len(out) + len("[backend] ") + len(CUT)
        for out, exp in zip(written, kept, strict=True)
        if out != f"[backend] {exp}{CUT}"
    ]
    assert over == [], f"{len(over)}/{len(lines)} cut prose lines lost more than the cut word: {over[:5]}"


def test_a_batch_of_python_dict_log_lines_alone_is_read_with_the_key_rules_too(session, unhurried):
    """Lines printed as a Python dict (single quotes), with no JSON line in their batch to set off the
    reading: `keyed_text` reads every notation, and stderr takes all of it."""
    rng = Random(7)
    cases = [c for c in keyed_cases(rng, session.policy.rules_for_tool(None).keys) if '":' not in c[0]]
    assert len(cases) >= 20  # the generator's repr share
    written = _through(redactor(session), [line for line, _, _ in cases])
    leaks = [
        out for (_, value, _), out in zip(cases, written, strict=True) if any(f in out for f in _shown(value))
    ]
    assert leaks == [], f"{len(leaks)}/{len(cases)} keyed values on stderr: {leaks[:3]}"
