"""Address notations beside the usual (red team round nine, classes 8, 13 and 14).

`idn_emails`: email addresses whose top-level domain is an internationalized ccTLD (RFC 6531):
`ноор.линд93@почта.рф`, `ингрид@пошта.укр`, `…@փոստ.հայ`. The local part and the domain label are a
person's name of the TLD's script (Faker's Russian, Ukrainian and Armenian lists, read offline), the TLD
one of the IDN ccTLDs of scripts with Latin look-alikes (Cyrillic, Armenian, Greek).

`unc_ipv6`: an IPv6 address in Windows' UNC host form, its colons as dashes
(`\\\\2001-db8--1.ipv6-literal.net\\share`), perhaps with a zone after `s`.

`literal_emails`: an address whose domain is an address literal (`jane.doe@[IPv6:2001:db8::1]`,
`jane.doe@[192.0.2.7]`), its local part a person's name (the local part must go too).

Each in a sentence, a JSON text or structuredContent.
"""

from __future__ import annotations

import ipaddress
import json
import re
from random import Random

from faker.providers.person.hy_AM import Provider as _Hy
from faker.providers.person.ru_RU import Provider as _Ru
from faker.providers.person.uk_UA import Provider as _Uk

from tests.classes.case import Case, call, filler_record, tool_result
from tests.classes.judge import normalize
from tests.classes.name_lists import US_FIRST, US_LAST, ascii_only
from tests.classes.planting import Planted, ipv4, ipv6

_GREEK_NAMES = ("γιαννης", "ελενη", "νικος", "μαρια", "δημητρης", "σοφια", "κωστας", "αννα")
SCRIPTS = {
    "cyrillic": (
        tuple(_Ru.first_names) + tuple(_Uk.first_names),
        tuple(_Ru.last_names) + tuple(_Uk.last_names),
        ("рф", "укр", "бел", "срб", "мкд", "қаз", "мон", "бг", "рус", "сайт", "онлайн", "москва"),
    ),
    "armenian": (tuple(_Hy.first_names), tuple(_Hy.last_names), ("հայ",)),
    "greek": (_GREEK_NAMES, _GREEK_NAMES, ("ελ", "ευ")),
}


def _address(rng: Random) -> tuple[str, str]:
    script = rng.choice(sorted(SCRIPTS))
    first, last, tlds = SCRIPTS[script]
    f, ln = rng.choice(first).lower(), rng.choice(last).lower()
    local = rng.choice([f"{f}.{ln}", f"{f}{rng.randrange(10, 100)}", f"{f}_{ln}", ln])
    domain = f"{rng.choice(last).lower()}.{rng.choice(tlds)}"
    return f"{local}@{domain}", script


def idn_emails(rng: Random) -> Case:
    value, script = _address(rng)
    where = rng.choice(["text", "structured", "json-text"])
    if where == "text":
        payload = tool_result(rng.choice(["write {v}", "Contact: {v}.", "{v} wrote:"]).format(v=value))
    else:
        record = {**filler_record(rng), rng.choice(["contact", "note", "from"]): value}
        payload = tool_result(structured=record) if where == "structured" else tool_result(json.dumps(record))
    # The judge reads the client's text folded as it folds it (look-alikes to ASCII, case folded).
    needle = r"(?<![\w.+-])" + re.escape(normalize(value)) + r"(?![\w-])"
    return Case("idn-email", [call(payload)], [Planted("email", value, needle)], label=f"{script} {where}")


def _placed(rng: Random, line: str) -> tuple[dict[str, object], str]:
    where = rng.choice(["text", "structured", "json-text"])
    if where == "text":
        return tool_result(line), where
    record = {**filler_record(rng), "note": line}
    return (
        tool_result(structured=record) if where == "structured" else tool_result(json.dumps(record))
    ), where


def unc_ipv6(rng: Random) -> Case:
    addr = ipv6(rng)
    value = ipaddress.IPv6Address(addr.text)
    form = rng.choice([value.compressed, value.exploded])
    zone = rng.choice(["", "", "s4", "s12"])
    host = form.replace(":", "-") + zone + ".ipv6-literal.net"
    line = rng.choice(["open \\\\{h}\\share", "mapped {h}", "\\\\{h}\\c$\\logs", "host={h}"]).format(h=host)
    payload, where = _placed(rng, line)
    alts = "|".join(re.escape(a).replace(":", "[:-]") for a in (value.compressed, value.exploded))
    planted = Planted("ipv6", host, rf"(?<![0-9a-f:-])(?:{alts})(?![0-9a-f])")
    return Case("address-forms", [call(payload)], [planted], label=f"unc-ipv6 {where}")


def literal_emails(rng: Random) -> Case:
    first, last = ascii_only(rng.choice(US_FIRST)).lower(), ascii_only(rng.choice(US_LAST)).lower()
    local = rng.choice([f"{first}.{last}", f"{first}{rng.randrange(10, 100)}", f"{first[0]}{last}"])
    literal = f"IPv6:{ipv6(rng).text}" if rng.random() < 0.6 else ipv4(rng).text
    value = f"{local}@[{literal}]"
    line = rng.choice(["write {v}", "From: {v}", "reply to {v} please"]).format(v=value)
    payload, where = _placed(rng, line)
    needle = r"(?<![\w.+-])" + re.escape(local) + r"(?![\w])"
    return Case("address-forms", [call(payload)], [Planted("email", value, needle)], label=f"literal {where}")
