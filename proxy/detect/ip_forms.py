"""IPv4 addresses in every notation `inet_aton` (and a browser's URL parser) reads, as their dotted quad.

A reader does not need the dotted-decimal quad: `0313.0.0161.0115` (octal parts), `0xcb.0x0.0x71.0x4d`
(hex parts), `203.29005` and `203.0.29005` (the last part fills the remaining bytes), `3405803853` or
`3,405,803,853` (one 32-bit number), `0xCB00714D`, `031300070515`, and blanks around the dots
(`203 . 0 . 113 . 77`) all name 203.0.113.77. The view rewrites each to its quad, so the IP recognizer
judges it and the original span is what gets replaced.

Two kinds, by how sure the shape is:
- *Dotted four-part forms* with a hex or octal part the decimal quad pattern cannot read, or blanks
  around their dots: an address whatever surrounds it.
- *Short forms* (one to three parts): a bare number is usually a count, an ID or an amount, so these are
  read only where an address is expected: a URL's host (`http://3405803853/`, `user@0xcb00714d`) or right
  after a word that names one (`ip`, `address`, `host`, `server`, `from`, `via`, …). A one-part number must
  also have a non-zero first byte (eight digits or more); a zero-padded quad (`203.000.113.077`) is
  `views`' dotted groups.

And one IPv6 notation: Windows' UNC host name for an IPv6 address (`2001-db8--1.ipv6-literal.net`), read
with its colons back.
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View, replace_ranges, rewrite

_SPACED = re.compile(r"(?<![\d.])\d{1,3}(?:[ \t]{0,2}\.[ \t]{0,2}\d{1,3}){3}(?![\d]|\.\d)")
_PART = r"(?:0[xX][0-9A-Fa-f]{1,2}|0[0-7]{1,3}|[1-9]\d{0,2}|0)"
_DOTTED = re.compile(rf"(?<![\w.]){_PART}(?:\.{_PART}){{3}}(?![\w]|\.\w)")
# One to three parts, the last one wide; a one-part decimal may be grouped by commas.
_WIDE = r"(?:0[xX][0-9A-Fa-f]{1,8}|[1-9]\d{0,2}(?:,\d{3}){2,3}(?![\d,])|\d{1,12})"
_SHORT = re.compile(
    rf"(?<![\w.,]){_PART}(?:\.{_PART}){{0,1}}\.{_WIDE}(?![\w]|\.\w)|(?<![\w.,]){_WIDE}(?![\w]|\.\w)"
)
# An address in a host name's label, its dots written as dashes (`ec2-93-184-216-35.compute-1.amazonaws.com`,
# `ip-10-0-0-1`): four parts after a lower-case label word and a dash, or before a dot and a domain.
_DASHED = re.compile(
    r"(?:(?<=[a-z]-)|(?<=[a-z][0-9]-))\d{1,3}(?:-\d{1,3}){3}(?=\.[A-Za-z]|[^\w-]|$)"
    r"|(?<![\w-])\d{1,3}(?:-\d{1,3}){3}(?=\.[A-Za-z])"
)
# An IPv6 address in Windows' UNC host form (`2001-db8--1.ipv6-literal.net`, a zone after `s`:
# `fe80--1s4.ipv6-literal.net`): its colons written as dashes, its `%` as `s`, before that domain only.
_UNC_IPV6 = re.compile(
    r"(?<![\w-])[0-9A-Fa-f]{0,4}(?:-[0-9A-Fa-f]{0,4}){2,7}(?:s[0-9A-Za-z]{1,15})?(?=\.ipv6-literal\.net)",
    re.IGNORECASE,
)
# Where an address is expected: a URL's host (after `//` or a userinfo's `@`), or after a word naming one,
# with a separator (`:`, `=`, quotes, blanks) between.
_HOST_BEFORE = re.compile(r"(?://|@)$")
_WORD_BEFORE = re.compile(
    r"(?i)\b(?:ip|ipv4|inet|addr|address|host|hostname|server|peer|remote|client|src|dst|source|"
    r"destination|from|via|gateway|gw|origin|endpoint|node|router|proxy|resolved?|connect(?:ed|ion)?"
    r"(?:\s+(?:to|from))?)(?:[ _-]?(?:ip|addr|address))?[\"']?\s*[:=]?\s*[\"'(\[]?$"
)
_HOST_AFTER = re.compile(r"[:/?#\s\]\)\"',;]|$")
# The words for the batch pre-scan's Aho-Corasick pass (`word_triggers`), each checked there by
# `WORD_TRIGGER` at its place.
CONTEXT_WORDS = (
    "ip", "inet", "addr", "address", "host", "server", "peer", "remote", "client", "src", "dst", "source",
    "destination", "from", "via", "gateway", "gw", "origin", "endpoint", "node", "router", "proxy",
    "resolve", "resolved", "connect", "connected", "connection",
)  # fmt: skip
WORD_TRIGGER = re.compile(
    r"(?i)(?<![a-z])(?:" + "|".join(sorted(CONTEXT_WORDS, key=len, reverse=True)) + r")[a-z]{0,4}\W{1,4}\d"
)
# What the batch pre-scan looks for besides the words.
TRIGGERS = (
    re.compile(r"\d[ \t]{1,2}\.|\.[ \t]{1,2}\d"),
    re.compile(r"\d-\d{1,3}-\d{1,3}-\d"),
    re.compile(r"0[xX][0-9A-Fa-f]"),
    re.compile(r"(?<![\w.])0[0-7]{1,3}\.\d"),
    re.compile(r"(?://|@)\d"),
    re.compile(r"(?i)\.ipv6-literal\.net"),
)


_DIGIT = re.compile(r"\d")
# What a short form needs before its word is looked for (slow: a case-insensitive alternation): eight
# digits in a row, a dotted part, a grouped thousand, or a hex number.
_SHORT_SHAPE = re.compile(r"\d(?:\d{7}|\.\d|,\d{3})|0[xX]")


def may_hold(text: str) -> bool:
    if _DIGIT.search(text) is None:  # every notation has a digit; a class scan is the cheap test
        return False
    # Each trigger only where its tell is (substring tests run at C speed, unlike a pattern's search).
    if ("0x" in text or "0X" in text) and TRIGGERS[2].search(text) is not None:
        return True
    if ("//" in text or "@" in text) and TRIGGERS[4].search(text) is not None:
        return True
    if ("-literal." in text or "-LITERAL." in text) and TRIGGERS[5].search(text) is not None:
        return True
    if "0" in text and TRIGGERS[3].search(text) is not None:
        return True
    if (" ." in text or ". " in text or "\t" in text) and TRIGGERS[0].search(text) is not None:
        return True
    if "-" in text and TRIGGERS[1].search(text) is not None and _DASHED.search(text) is not None:
        return True
    return _SHORT_SHAPE.search(text) is not None and WORD_TRIGGER.search(text) is not None


def _number(part: str) -> int:
    if part[:2] in ("0x", "0X"):
        return int(part[2:], 16)
    part = part.replace(",", "")
    if len(part) > 1 and part[0] == "0":
        return int(part, 8) if set(part) <= set("01234567") else -1
    return int(part)


def quad(form: str) -> str | None:
    """The dotted quad `form` names as `inet_aton` reads it (parts in decimal, octal with a leading 0, hex
    with 0x; the last part fills the remaining bytes), or None if it names none."""
    parts = [p.strip() for p in form.split(".")]
    if not 1 <= len(parts) <= 4 or not all(parts):
        return None
    try:
        numbers = [_number(p) for p in parts]
    except ValueError:
        return None
    head, last = numbers[:-1], numbers[-1]
    if any(not 0 <= n <= 255 for n in head) or not 0 <= last < 256 ** (5 - len(parts)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    value = value * 256 ** (5 - len(parts)) + last
    return ".".join(str(value >> shift & 255) for shift in (24, 16, 8, 0))


def _spaced(form: str) -> str:
    return quad(form) or form


def _dotted(form: str) -> str:
    """A four-part form with a hex or octal part, read as `inet_aton` reads it (a zero-padded quad is octal
    there, and an address either way); a plain decimal quad is left as it is."""
    if all(p.isdigit() and int(p) <= 255 and (p == "0" or p[0] != "0") for p in form.split(".")):
        return form
    return quad(form) or form


def _dashed(form: str) -> str:
    parts = form.split("-")
    ok = all(int(p) <= 255 for p in parts) and (form[0] != "0" or form[1] == "-")
    return ".".join(parts) if ok else form


def _unc_ipv6(form: str) -> str:
    address, _, zone = form.partition("s")
    return address.replace("-", ":") + ("%" + zone if zone else "")


def _expected_at(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 48) : start]
    if _HOST_BEFORE.search(before) is not None:
        return _HOST_AFTER.match(text, end) is not None
    return _WORD_BEFORE.search(before) is not None


def _short_forms(view: View) -> View:
    text = view.text
    edits: list[tuple[int, int, str]] = []
    for m in _SHORT.finditer(text):
        form = m.group()
        read = quad(form)
        if read is None or read.startswith("0.") or not _expected_at(text, *m.span()):
            continue
        if "." not in form and _number(form) < 256**3:
            continue
        edits.append((*m.span(), read))
    return replace_ranges(view, edits) if edits else view


def read(view: View) -> View:
    """`view` with every notation of an IPv4 address read as its dotted quad (module doc)."""
    view = rewrite(rewrite(rewrite(view, _SPACED, _spaced), _DOTTED, _dotted), _DASHED, _dashed)
    if "-literal." in view.text or "-LITERAL." in view.text:
        view = rewrite(view, _UNC_IPV6, _unc_ipv6)
    return _short_forms(view)
