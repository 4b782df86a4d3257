"""One value split across the fields of a record: each field alone is no value, the record read whole is.

- a person's name: `{"first": "Maria", "last": "Gonzalez"}`: a family name beside a given name that reads
  as one is a name whatever word it is (`proxy.detect.name_parts`), and so is the given name;
- a phone number: `{"country_code": "+1", "area_code": "415", "number": "5550132"}`;
- an SSN: `{"area": "123", "group": "45", "serial": "6789"}`;
- an email address: `{"local": "maria.gonzalez", "domain": "example.com"}`.

The parts are joined the way a reader joins them (digits in order; `local@domain`); when the joined view is
the value, every part that carries it becomes the joined value's token (as a value in pieces does,
`proxy.scan.pieces`): the record keeps its keys, the value is tokenized once. The domain of an address
stays readable (it names a company, not a person).

In text, a handle named beside its domain (`user maria.gonzalez on domain example.com`, `login: jdoe, domain:
acme.example`) is the same split address: `handle_spans` gives the handle's span.

Cheap where it does not apply: the walker runs `record` only on objects of a message in which a part key
(`role`) was seen, and a long list of records holding one is walked row by row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from proxy.policy import normalize_key
from proxy.scan import names

if TYPE_CHECKING:
    from proxy.scan.to_client import ToClientWalker

Parts = list[tuple[str, str]]
GIVEN, FAMILY, CC, AREA, NUMBER, SSN_AREA, GROUP, SERIAL, LOCAL, DOMAIN = range(1, 11)
MAX_KEYS = 40
DIGIT_ROLES = frozenset({CC, AREA, NUMBER, SSN_AREA, GROUP, SERIAL})  # the parts of a phone number or an SSN

_ROLES: dict[str, int] = {
    **dict.fromkeys(
        ("countrycode", "countrycallingcode", "callingcode", "dialcode", "countrydialcode",
         "phonecountrycode", "intlcode", "internationalcode", "countryprefix", "dialingcode"),
        CC,
    ),
    **dict.fromkeys(
        ("areacode", "phoneareacode", "citycode", "ndc", "regioncode", "trunkcode", "vorwahl", "prefijo",
         "area", "npa"),
        AREA,
    ),
    **dict.fromkeys(
        ("number", "num", "localnumber", "subscribernumber", "subscriber", "line", "linenumber",
         "nationalnumber", "phonenumber", "phone", "exchange", "rufnummer", "numero", "local", "nxx",
         "exchangecode", "centralofficecode"),
        NUMBER,
    ),
    **dict.fromkeys(("ssnarea", "areanumber"), SSN_AREA),
    **dict.fromkeys(("group", "ssngroup", "groupnumber", "groupcode"), GROUP),
    **dict.fromkeys(("serial", "ssnserial", "serialnumber"), SERIAL),
    **dict.fromkeys(
        ("localpart", "emaillocal", "emaillocalpart", "mailbox", "emailuser", "emailusername", "username",
         "user", "login", "handle"),
        LOCAL,
    ),
    **dict.fromkeys(("domain", "emaildomain", "maildomain", "domainname", "emailhost"), DOMAIN),
}  # fmt: skip
# `local` is a phone's local number or an address's local part: which, the record's other keys say.
_LOCAL_TOO = frozenset({"local"})


@lru_cache(maxsize=4096)
def role(key: str) -> int:
    """The part a key names (0: none)."""
    found = _ROLES.get(normalize_key(key), 0)
    if found:
        return found
    from proxy.detect.name_parts import is_family_key, is_given_key

    return GIVEN if is_given_key(key) else FAMILY if is_family_key(key) else 0


def _bit(*roles: int) -> int:
    return sum(1 << r for r in roles)


# The roles that make a split value together (a number needs an area or a country code beside it).
_COMBOS = (
    _bit(GIVEN, FAMILY),
    _bit(NUMBER, AREA),
    _bit(NUMBER, CC),
    _bit(GROUP, SERIAL, AREA),
    _bit(GROUP, SERIAL, SSN_AREA),
    _bit(LOCAL, DOMAIN),
    _bit(NUMBER, DOMAIN),  # `local` is both a number and a local part
)


def mask(key: str) -> int:
    """The key's role as a bit of a message's mask (`combined`)."""
    r = role(key)
    return 1 << r if r else 0


def combined(roles: int) -> bool:
    """Whether the part roles seen in a message can make a split value (a key named `number` or `user`
    alone runs no record pass)."""
    return any(roles & c == c for c in _COMBOS)


def _text(v: Any) -> str | None:
    t = type(v)
    if t is str:
        return v.strip() or None
    if t is int and v >= 0:
        return str(v)
    return None


def _parts(pairs: Iterable[tuple[str, Any]]) -> dict[int, Parts]:
    parts: dict[int, Parts] = {}
    for k, v in pairs:
        r = role(k)
        if r:
            text = _text(v)
            if text is not None:
                parts.setdefault(r, []).append((k, text))
                if r == NUMBER and normalize_key(k) in _LOCAL_TOO:
                    parts.setdefault(LOCAL, []).append((k, text))
    return parts


def record(walker: ToClientWalker, node: dict[str, Any], doc: int) -> None:
    """Every split value of one record (module docstring)."""
    if len(node) > MAX_KEYS:
        return
    parts = _parts(node.items())
    if len(parts) < 2:
        return
    if GIVEN in parts and FAMILY in parts:
        _name(walker, node, doc, parts[GIVEN], parts[FAMILY])
    for where, fv in _digit_values(parts):
        _tokenize(walker, node, doc, where, fv)
    if LOCAL in parts and DOMAIN in parts:
        _email(walker, node, doc, parts[LOCAL], parts[DOMAIN])


def digit_values(pairs: Iterable[tuple[str, str]]) -> list[tuple[Parts, tuple[str, str]]]:
    """The phone numbers and SSNs split across `(key, text)` pairs (a CSV row under its header, an XML
    record's elements): the pairs that carry each, and its (entity, joined value)."""
    parts = _parts(pairs)
    return _digit_values(parts) if len(parts) >= 2 else []


def _digit_values(parts: dict[int, Parts]) -> list[tuple[Parts, tuple[str, str]]]:
    out = []
    if NUMBER in parts and (AREA in parts or CC in parts) and not (GROUP in parts and SERIAL in parts):
        out.append(_phone(parts))
    if GROUP in parts and SERIAL in parts and (SSN_AREA in parts or AREA in parts):
        out.append(_ssn(parts))
    return [found for found in out if found is not None]


def _name(walker: ToClientWalker, node: dict[str, Any], doc: int, given: Parts, family: Parts) -> None:
    from proxy.detect.name_parts import given_value

    is_person = names.is_person_value

    named = [(k, v) for k, v in given if type(node[k]) is str and (given_value(v) or is_person(v))]
    if not named:
        return
    surnames = [(k, v) for k, v in family if type(node[k]) is str and names.family_value(k, v, True)]
    if not surnames:
        return
    for k, _ in (*named, *surnames):
        walker._field(node, k, node[k], doc, "PERSON")


_DIGITS = re.compile(r"[\s().\-/]")


def _digits(text: str) -> str | None:
    d = _DIGITS.sub("", text)
    return d if d.isascii() and d.isdigit() else None


def _phone(parts: dict[int, Parts]) -> tuple[Parts, tuple[str, str]] | None:
    cc = parts.get(CC, [])[:1]
    area = parts.get(AREA, [])[:1]
    number = parts[NUMBER][:3]  # `exchange` and `line` of a North American number, in record order
    cc_digits = _digits(cc[0][1].lstrip("+").removeprefix("00")) if cc else ""
    area_digits = _digits(area[0][1]) if area else ""
    pieces = [_digits(v) for _, v in number]
    if cc_digits is None or area_digits is None or None in pieces:
        return None
    local = "".join(p for p in pieces if p is not None)
    if len(cc_digits) > 4 or len(area_digits) > 5 or not 4 <= len(local) <= 12:
        return None
    national = area_digits + local
    explicit = any(normalize_key(k) != "area" for k, _ in area) or bool(cc)
    if not (7 if explicit else 9) <= len(national) <= 14:
        return None
    value = (f"+{cc_digits} " if cc_digits else "") + (f"{area_digits} " if area_digits else "") + local
    return [*cc, *area, *number], ("PHONE_NUMBER", value)


def _ssn(parts: dict[int, Parts]) -> tuple[Parts, tuple[str, str]] | None:
    area = (parts.get(SSN_AREA) or parts[AREA])[:1]
    group, serial = parts[GROUP][:1], parts[SERIAL][:1]
    digits = [_digits(p[0][1]) for p in (area, group, serial)]
    if any(d is None or not d for d in digits):
        return None
    a, g, s = (d.zfill(n) for d, n in zip(digits, (3, 2, 4), strict=True) if d is not None)
    if (len(a), len(g), len(s)) != (3, 2, 4) or a in ("000", "666") or a[0] == "9":
        return None
    if g == "00" or s == "0000":
        return None
    return [*area, *group, *serial], ("US_SSN", f"{a}-{g}-{s}")


_LOCAL_PART = re.compile(r"[A-Za-z0-9._%+\-]{1,64}")
_DOMAIN = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}")


def _email(walker: ToClientWalker, node: dict[str, Any], doc: int, local: Parts, domain: Parts) -> None:
    k, lp = local[0]
    host = domain[0][1].lstrip("@")
    if type(node[k]) is not str or "@" in lp or not _LOCAL_PART.fullmatch(lp) or not _DOMAIN.fullmatch(host):
        return
    _tokenize(walker, node, doc, [(k, lp)], ("EMAIL_ADDRESS", f"{lp}@{host}"))


def _tokenize(
    walker: ToClientWalker, node: dict[str, Any], doc: int, where: Parts, fv: tuple[str, str]
) -> None:
    plan = walker._plan
    plan.field_values[fv] = None
    plan.field_locations.extend(((node, k, doc), fv) for k, _ in where)


# A handle's word, the handle, a few words, the domain's word, the domain (`user x on domain y.com`).
_HANDLE = re.compile(
    r"\b(?:user(?:name)?|login|mailbox|handle|local[ _-]?part)\b[\s:=\"']{1,4}"
    r"([A-Za-z0-9][A-Za-z0-9._%+\-]{0,63})[\"']?[^\n@]{0,40}?\b(?:domain|mail ?domain)\b[\s:=\"']{1,4}"
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})\b",
    re.IGNORECASE,
)


def handle_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, entity) of each handle written beside its domain in `text` (module docstring)."""
    if "omain" not in text and "OMAIN" not in text:
        return []
    return [(*m.span(1), "EMAIL_ADDRESS") for m in _HANDLE.finditer(text) if "@" not in m[1]]
