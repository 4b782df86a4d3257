"""Encoded layers in text: decoded for detection, never for forwarding.

Two kinds. *Local* encodings turn each escape into a character or two (`%40`, `&#64;`, `&commat;`,
`\\u0040`, quoted-printable `=40`): they are decoded in place as one more view (`proxy.detect.views`), so a
value found in the decoded view maps back to exactly the encoded characters, escapes and all; rounds repeat
for double encodings (`%2540`). *Block* encodings (base64, base64url, MIME line-wrapped base64) cannot map
a decoded character back to an encoded one: a run is decoded whole, scanned, and if anything personal is in
it the whole run is replaced.

Robust by construction: every decoder takes any input without raising, and decoded text is never longer
than what it came from (so layers cannot grow a bomb); the detector bounds the depth.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import html
import html.entities
import re

from proxy.detect import byte_escapes, carried_text
from proxy.detect.encoded_words import ENCODED_WORDS, decode_run
from proxy.detect.text_codecs import bom_codec, unit_codec
from proxy.detect.views import View, normalize, rewrite
from proxy.errors import blocked

# Local decoding rounds per chain: `%252540` is three layers of percent-encoding, and layers that mix
# (HTML entities over `\u` escapes over `\u` escapes) can need a round more than they have layers.
MAX_ROUNDS = 5
MIN_BASE64 = 12

# Each family of escapes, strict forms first, then the forms a browser, a shell or a sloppy encoder also
# reads: `%u0040` (IIS), entities without their `;` (`&#64`, `&#x40`, `&commat`: numeric ones only for
# printable ASCII, so `&#x40acme` is `@acme`, never U+40AC), `\xNN` byte runs, `\u{40}` (ES6, Rust),
# `\U00000040` (Python, C), lowercase quoted-printable (`=3d`).
_PERCENT = r"(?:%[0-9A-Fa-f]{2})+|%[uU][0-9A-Fa-f]{4}"
_FORM_SPACE = r"(?<=\d)\+(?=\d)"  # a form body's space between digits (`%2B1+415+555+0134`)
_ENTITY = (
    r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
    r"|&#(?:1[01][0-9]|12[0-6]|[3-9][0-9])|&#[xX][2-7][0-9A-Fa-f]|&[A-Za-z]{2,32}(?![A-Za-z=])"
)  # `&note=` is a form field, as HTML reads it in an attribute: no `¬` before `e=`
_BACKSLASH = (
    byte_escapes.BACKSLASH_RUNS  # octal and CSS escape runs (`proxy.detect.byte_escapes`)
    + r"|\\u[0-9A-Fa-f]{4}(?:\\u[0-9A-Fa-f]{4})?"  # JSON \u escapes (a surrogate pair as one)
    r"|\\u\{[0-9A-Fa-f]{1,6}\}|\\U[0-9A-Fa-f]{8}|(?:\\x[0-9A-Fa-f]{2})+"
    r"|\\[nrtbf\"/\\]"  # JSON / C escapes
)
# MIME encoded words first (`encoded_words`): their `=C3=AD` and `_` read only inside their frame.
_WEB = "|".join((ENCODED_WORDS, _PERCENT, _ENTITY, _BACKSLASH, _FORM_SPACE, byte_escapes.LISTS))
# Quoted-printable bytes and soft line breaks. Decoded in a chain of its own as well as with the others:
# `q=4000%20…` is a form field, and reading its `=40` as `@` would hide the card number after it.
# A base64 run's padding at a line's end (`SmVzc2UgTWltdW4=`, the run a whole number of quanta with it) is
# matched first and kept as written: read as a soft break it would glue the next line to the run.
_PADDED_LINE_END = (
    r"(?<![A-Za-z0-9+/_=-])(?:[A-Za-z0-9+/_-]{4}){2,}(?:[A-Za-z0-9+/_-]{3}=|[A-Za-z0-9+/_-]{2}==)\r?\n"
)
# An `=40` (`@`) right before a number is an assignment's value (`bytes=4040659019`, `ratio=40.5` in a
# logfmt line), not an address: read as `bytes@40659019` it would be a host written as one number.
_QP = _PADDED_LINE_END + r"|(?:=[0-9A-Fa-f]{2})+(?!(?<==40)[\d.,]*(?!\w))|=\r?\n"
_LOCAL_WEB = re.compile(_WEB)
_DEEPER = re.compile(_PERCENT + "|" + _ENTITY)  # a layer left below the last round read (`_chain`)
_LOCAL = re.compile(_WEB + "|" + _QP)
_QP_RE = re.compile(_QP)
# The same escapes one family at a time, for layers decoded in their order (below).
_FAMILIES = [
    re.compile(ENCODED_WORDS),
    re.compile(_PERCENT + "|" + _FORM_SPACE),
    re.compile(_ENTITY),
    re.compile(_BACKSLASH),
    byte_escapes.FAMILY,
    _QP_RE,
]
# Cheap pre-test for `_LOCAL`: one of these characters must be in the text.
_LOCAL_CHARS = ("%", "&", "\\", "=", "+")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": " ", "f": " ", '"': '"', "/": "/", "\\": "\\"}
# HTML5's entity names that take a `;`, for reading one written without it by its longest prefix.
_ENTITY_NAMES = frozenset(name[:-1] for name in html.entities.html5 if name.endswith(";"))


def _bytes(run: str, marker: str) -> str:
    """A run of byte escapes as the UTF-8 text it spells; unchanged when it spells none (`=aa` in a form
    field is not a byte, and a replacement character there would glue `key=` to a value)."""
    raw = bytes(int(h, 16) for h in run.split(marker)[1:])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return run


def _quoted_printable(run: str) -> str:
    """A quoted-printable run. Lowercase escapes (`=3d`, `=40`) are read only where they spell punctuation:
    `id=4e` in a query string is a value, not an `N`; a lone escape of a control character is a value too
    (`os_version=10.0.19045.3803`, `=10` being DLE): no text hides in one byte that shows nothing."""
    if len(run) == 3 and int(run[1:], 16) < 0x20 and run[1:] not in ("09", "0A", "0D", "0a", "0d"):
        return run
    out: list[str] = []
    pending = ""
    for pair in run.split("=")[1:]:
        if pair != pair.upper() and chr(int(pair, 16)).isalnum():
            out.append(_bytes(pending, "=") + "=" + pair)
            pending = ""
        else:
            pending += "=" + pair
    out.append(_bytes(pending, "="))
    return "".join(out)


def _loose_entity(s: str) -> str:
    """An entity written without its `;`: numeric (printable ASCII, by the pattern) or the longest HTML5
    name the letters start with, the letters after it kept (`&commatacme` is `@acme`)."""
    if s[1] == "#":
        return chr(int(s[3:], 16) if s[2] in "xX" else int(s[2:]))
    for cut in range(len(s), 2, -1):
        if s[1:cut] in _ENTITY_NAMES:
            return html.unescape(s[:cut] + ";") + s[cut:]
    return s


def _decode_local(s: str) -> str:
    head = s[0]
    if s[-1] == "\n" and head != "=":
        return s  # base64 padding at a line's end (`_PADDED_LINE_END`)
    if head not in _LOCAL_CHARS or (head == "\\" and len(s) > 3 and s[1] in _HEX_DIGITS):
        return byte_escapes.decode(s)
    if head == "%":
        return _char(int(s[2:], 16)) if s[1] in "uU" else _bytes(s, "%")
    if head == "&":
        return html.unescape(s) if s.endswith(";") else _loose_entity(s)
    if head == "+":
        return " "
    if head == "=" and s[1] == "?":
        return decode_run(s)
    if head == "=":
        return "" if s[1] in "\r\n" else _quoted_printable(s)
    if s[1] == "x":
        return _bytes(s, "\\x")
    if s[1] == "U" or s[2:3] == "{":
        unit = int(s[2:].strip("{}"), 16)
        return _char(unit) if unit <= 0x10FFFF else s
    if s[1] == "u":
        units = [int(s[i + 2 : i + 6], 16) for i in range(0, len(s), 6)]
        if len(units) == 2 and not (0xD800 <= units[0] < 0xDC00 and 0xDC00 <= units[1] < 0xE000):
            return "".join(_char(u) for u in units)
        if len(units) == 2:
            return chr(0x10000 + ((units[0] - 0xD800) << 10) + (units[1] - 0xDC00))
        return _char(units[0])
    return _ESCAPES[s[1]]


def _char(unit: int) -> str:
    return " " if 0xD800 <= unit < 0xE000 else chr(unit)  # a lone surrogate cannot be encoded later


def has_local(text: str) -> bool:
    return (any(c in text for c in _LOCAL_CHARS) and _LOCAL.search(text) is not None) or (
        byte_escapes.has_runs(text)
    )


def decoded_views(view: View) -> list[View]:
    """The views of `view` with local encodings decoded and re-normalized, one per round that changed
    something (at most `MAX_ROUNDS` per chain): one chain without quoted-printable, one with it when the
    text has any."""
    out = _chain(view, _LOCAL_WEB)
    if any("=" in v.text and _QP_RE.search(v.text) for v in (view, *out)):
        out += _chain(view, _LOCAL)
    if len(out) > 1 or has_local((out[-1] if out else view).text):
        # layers over layers, or escapes one family's run swallowed whole (a digit list read as byte codes
        # around `%20`: `4000 0000%200000`): also peel them one family at a time
        out += [v for v in _layered(view) if all(v.text != o.text for o in out)]
    if len(out) >= MAX_ROUNDS and all(rewrite(v, _DEEPER, _decode_local) is not v for v in out):
        # Every way of peeling stopped at its last round with a percent or HTML-entity layer left: refused,
        # never forwarded unread (`%252540` eight times over is no text a server writes by accident).
        # Backslash escapes left over are not: deeply nested JSON logs double them honestly.
        raise blocked(f"it nests encodings deeper than the {MAX_ROUNDS} layers read")
    return out


def _layered(view: View) -> list[View]:
    """Layers peeled one family per round, the family whose escapes cover the most text first (the outer
    layer): decoding two layers in one round can pair an outer layer's backslash with an inner layer's
    `u0075` and read an escape that was never written."""
    out: list[View] = []
    for _ in range(MAX_ROUNDS + 1):
        best: tuple[int, View] | None = None
        for family in _FAMILIES:
            covered = sum(m.end() - m.start() for m in family.finditer(view.text))
            if covered and (best is None or covered > best[0]):
                decoded = rewrite(view, family, _decode_local)
                if decoded is not view:
                    best = (covered, decoded)
        if best is None:
            break
        view = normalize(best[1])
        out.append(view)
    return out


def _chain(view: View, pattern: re.Pattern[str]) -> list[View]:
    out: list[View] = []
    for _ in range(MAX_ROUNDS):
        if not has_local(view.text):
            break
        decoded = rewrite(view, pattern, _decode_local)
        if decoded is view:
            break
        view = normalize(decoded)
        out.append(view)
    return out


# Escape sequences left in text that is JSON inside a string nobody parses (an object key, a double-escaped
# payload) glue their letter to a value (`\\tjane@…`, `\\u00e4203.0.113.77`): besides decoding them, one
# view reads each run of them as a space. The lookbehind starts a match only at a run's first backslash
# (retrying from every backslash of a long run would be quadratic).
_ESCAPE_RUN = re.compile(r"(?<!\\)\\+(?:[nrtbf\"/]|u[0-9A-Fa-f]{4})")


def escapes_as_spaces(view: View) -> View | None:
    """`view` with each run of escape sequences read as one space; None if it has none."""
    if "\\" not in view.text:
        return None
    spaced = rewrite(view, _ESCAPE_RUN, lambda _s: " ")
    return None if spaced is view else spaced


# A base64 or base64url run: 16+ characters of the alphabet (padding included), optionally continued on
# further lines (MIME wraps at 76), with its padding; or a short one, 12 to 15 characters standing alone
# (nine bytes are enough for `j@acme.io`), whose text must then look like what it could hide.
# A run shorter than this decodes to at most 11 bytes, and many ordinary words are valid base64 of noise:
# it counts only with a capital, and its text only when printable with an `@` or a digit in it.
MIN_SHORT_TRUSTED = 16
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{16,}(?:\r?\n[A-Za-z0-9+/_-]+)*={0,2}|[A-Za-z0-9+/_-]{14,15}={1,2}")
_SHORT_RUN = re.compile(
    r"(?<![A-Za-z0-9+/_-])(?=[a-z0-9+/_-]{0,14}[A-Z])"
    r"(?:[A-Za-z0-9+/_-]{10,13}={1,2}|[A-Za-z0-9+/_-]{12,15}(?![A-Za-z0-9+/_=-]))"
)
# Base64 cut into chunks by spaces or line breaks at any width (`amFu ZS5k b2VA`, 8-column wraps): chunks
# of one length, a multiple of four, and a last one no longer. Found by `_CHUNKED_RUN` from a chunk with a
# capital (`_BASE64_TELL`; the chunks of the same width before it are taken back in), checked in Python.
_CHUNKED_RUN = re.compile(
    r"(?<![A-Za-z0-9+/_-])(?=[a-z0-9+/_-]{0,75}[A-Z])"
    r"(?:[A-Za-z0-9+/_-]{4,76}={0,2}(?:\r?\n|[ \t]))+[A-Za-z0-9+/_-]{1,76}={0,2}"
)
_CHUNK = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")
# What base64 of text nearly always has and lowercase words never do: a capital. A short or chunked run
# counts only with one (`boiler repair 2025` is words, not chunks).
_BASE64_TELL = re.compile(r"[A-Z]")
# Cheap gates, each a superset of where `base64_runs` finds a run of its kind (the detector's batch scan
# runs them one by one over a whole message: an alternation of them would lose the engine's fast scan).
LONG_TRIGGER = re.compile(r"[A-Za-z0-9+/_-]{14}")  # 16+, or 14 and padding
SHORT_TRIGGER = re.compile(r"[A-Za-z0-9+/_-]{10}")  # only in a text with a capital (`has_short_run`)
CHUNK_TRIGGERS = (re.compile(r"[A-Z][A-Za-z0-9+/_-]{0,75}=?=?[\r\n \t]"),)  # a chunk with a tell, a break
_CAPITAL = _BASE64_TELL
_HEX = re.compile(r"(?:0[xX])?((?:[0-9a-f]{2}){8,}|(?:[0-9A-F]{2}){8,})")
_BASE32 = re.compile(r"[A-Z2-7]{16,}=*")
_URLSAFE = str.maketrans("-_", "+/")
_WRAP = str.maketrans("", "", "\r\n= \t")
MIN_CHUNKS = 2


def has_short_run(text: str) -> bool:
    return _CAPITAL.search(text) is not None and SHORT_TRIGGER.search(text) is not None


def has_base64_run(text: str) -> bool:
    return len(text) >= MIN_BASE64 and (
        LONG_TRIGGER.search(text) is not None
        or has_short_run(text)
        or any(t.search(text) is not None for t in CHUNK_TRIGGERS)
    )


def base64_runs(text: str) -> list[tuple[int, int]]:
    """Base64 runs (hex runs among them: the alphabet holds hex; a short one only with a capital) and
    chunked base64 runs in `text`."""
    runs = [m.span() for m in _BASE64_RUN.finditer(text)]
    if has_short_run(text):  # a short run holds a capital: looked for around each one
        short: set[tuple[int, int]] = set()
        for capital in _CAPITAL.finditer(text):
            at = capital.start()  # a run of up to 15 holding it, and the character after that run
            short.update(m.span() for m in _SHORT_RUN.finditer(text, max(at - 15, 0), at + 16))
        runs.extend(sorted(short))
    if CHUNK_TRIGGERS[0].search(text) is not None:
        for m in _CHUNKED_RUN.finditer(text):
            runs.extend(_even_chunks(text, _chunks_before(text, m.start()), m.end()))
    return runs


_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-")


def _chunks_before(text: str, start: int) -> int:
    """Where the chunks of the same width as the one at `start`, before it and a break apart, begin."""
    first = _CHUNK.match(text, start)
    width = first.end() - start if first is not None else 0
    pos = start
    while width:
        k = pos - 1
        if k < 1 or text[k] not in " \t\r\n":
            break
        k -= 1 if text[k] == "\n" and text[k - 1] == "\r" else 0
        s = k - width
        if s < 0 or not all(c in _ALPHABET for c in text[s:k]) or (s > 0 and text[s - 1] in _ALPHABET):
            break
        pos = s
    return pos


def _even_chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The stretches of `MIN_CHUNKS`+ chunks in text[start:end] that may be chunked base64: chunks of one
    length (a multiple of four), the last one maybe shorter (not after padding), with a `_BASE64_TELL`
    before the last. A word of that length beside the run is a chunk too, so a stretch is also given without
    its first and without its last chunk (the detector decodes each; one that is not base64 of text decodes
    to nothing)."""
    chunks = [m.span() for m in _CHUNK.finditer(text, start, end)]
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(chunks):
        width = chunks[i][1] - chunks[i][0]
        j = i + 1
        if width % 4 == 0:
            while (
                j < len(chunks) and chunks[j][1] - chunks[j][0] == width and text[chunks[j - 1][1] - 1] != "="
            ):
                j += 1
            # Padding ends the encoding: a shorter chunk after a padded one is the next line's word.
            shorter = j < len(chunks) and chunks[j][1] - chunks[j][0] < width
            last = j + 1 if shorter and text[chunks[j - 1][1] - 1] != "=" else j
            if last - i >= MIN_CHUNKS and _BASE64_TELL.search(text, chunks[i][0], chunks[last - 2][1]):
                out.append((chunks[i][0], chunks[last - 1][1]))
                if last - i > MIN_CHUNKS:
                    out.append((chunks[i + 1][0], chunks[last - 1][1]))
                    out.append((chunks[i][0], chunks[last - 2][1]))
                j = last
        i = j
    return out


def decode_base64(run: str) -> str | None:
    """The text a base64/base64url (or hex) run encodes, or None when it is not an encoding of text. A run
    glued to a word (`ID` + base64) is tried from each of its first four characters; a wrapped run whose
    next line was ordinary text, as its first line alone."""
    hexed = _HEX.fullmatch(run)
    if hexed is not None:
        text = _as_text(bytes.fromhex(hexed.group(1)))
        if text is not None:
            return text
    body = run.translate(_WRAP)
    if _BASE32.fullmatch(body) is not None:  # upper-case letters and 2-7: base32 before base64 reads it
        with contextlib.suppress(binascii.Error, ValueError):
            text = _as_text(base64.b32decode(body + "=" * (-len(body) % 8)))
            if text is not None:
                return text
    text = _decode_body(body)
    if text is None and "\n" in run:
        text = _decode_body(run.split("\n", 1)[0].translate(_WRAP))
    if text is not None and len(body) < MIN_SHORT_TRUSTED and not _short_text_holds_value(text):
        return None
    return text


def _short_text_holds_value(text: str) -> bool:
    return text.isprintable() and ("@" in text or any(c.isdigit() for c in text))


def _decode_body(body: str) -> str | None:
    if ("-" in body or "_" in body) and ("+" in body or "/" in body):
        return None  # both alphabets at once: a path or an identifier, not base64
    body = body.translate(_URLSAFE)
    first: bytes | None = None
    for skip in range(4):
        part = body[skip:]
        part = part[: len(part) - len(part) % 4] if len(part) % 4 == 1 else part
        try:
            raw = binascii.a2b_base64(part + "=" * (-len(part) % 4), strict_mode=True)
        except (binascii.Error, ValueError):
            continue
        text = _as_text(raw)
        if text is not None and raw[:5] == b"%PDF-":  # a PDF written as text: what its pages show, too
            text = "\n".join(t for t in (text, carried_text.pdf_shown_text(raw, beside=text)) if t)
        if text is None:  # compressed text (gzip, zlib, bz2, xz, zip): `carried_text`
            text = carried_text.opened_text(raw, _as_text)
        if text is not None:
            return text
        first = raw if first is None else first
    # Media that is no text may still carry some: its printable runs (`carried_text`); so may other binary
    # that is mostly text (a length prefix, msgpack, a record format) — not random bytes, whose few short
    # printable runs are noise.
    if first is None:
        return None
    carried = carried_text.media_text(first)
    if carried is None:
        runs = carried_text.printable_text(first)
        if runs is not None and len(runs.replace("\n", "")) * 2 >= len(first):
            carried = runs
    return carried


def _as_text(raw: bytes) -> str | None:
    """Decoded bytes as text if they are text: UTF-8, or a fixed-width Unicode encoding (UTF-16 or UTF-32,
    either byte order) by its byte-order mark or by where its zero bytes fall (`text_codecs`), with few
    control characters."""
    marked = bom_codec(raw)
    if marked is not None:
        codec, skip = marked
    else:
        codec, skip = unit_codec(raw, zeros=0.75) or "utf-8", 0
    try:
        text = raw[skip:].decode(codec)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for c in text if c < " " and c not in "\t\r\n")
    return text if text and controls * 10 <= len(text) else None
