"""Did a planted value reach the client? Everything the client can read, every way a reader could read it.

The client's message is taken apart the way a model (or a tool it calls) could: every string, object key and
number, JSON inside strings parsed again (every duplicate key kept), and each string decoded through every
layer a reader might peel (Unicode tag characters and variation-selector bytes, base64 and base64url,
MIME-wrapped or not, percent, HTML entities, `\\u` escapes, quoted-printable, gzip/zlib/bz2/xz/deflate,
UTF-16 and Latin-1), up to three layers deep. Each view is then normalized (NFKC, invisible and format
characters dropped, digits to ASCII, confusables folded, casefolded) and searched for the value's needle.
"""

from __future__ import annotations

import base64
import binascii
import bz2
import contextlib
import gzip
import html
import html.entities
import json
import lzma
import quopri
import re
import unicodedata
import zlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, unquote_plus

import zstandard

from tests.classes.planting import Planted
from tests.classes.readings import joined, readings
from tests.classes.transforms import CONFUSABLE
from tests.detect.view_classes import invisible_pool

_FOLD = {ord(v): k.lower() for k, v in CONFUSABLE.items()}
_MAX_VIEWS = 96
_B64_RUN = re.compile(r"[A-Za-z0-9+/_\-]{12,}={0,2}")
_MIME_RUN = re.compile(r"(?:[A-Za-z0-9+/]{16,}={0,2}(?:\r?\n|\\r\\n|\\n)+)+[A-Za-z0-9+/]*={0,2}")
_U_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})")
_QP = re.compile(r"=[0-9A-Fa-f]{2}")
# Readings a sloppy decoder (a browser, a shell, a model) also makes: entities without `;` (printable ASCII
# by number, HTML5 names by their longest prefix), `\\u{40}`, `\\U00000040`, `%u0040`; base64 cut into
# chunks by spaces or breaks; hex text; an address spelled out (`[at]`, ` dot `, ` . `).
_LOOSE_NUMERIC = re.compile(r"&#(1[01][0-9]|12[0-6]|[3-9][0-9])(?!;)|&#[xX]([2-7][0-9A-Fa-f])(?!;)")
_LOOSE_NAMED = re.compile(r"&([A-Za-z]{2,32})(?!;)")
_ENTITY_NAMES = frozenset(n[:-1] for n in html.entities.html5 if n.endswith(";"))
_WIDE_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]{1,6})\}|\\U([0-9a-fA-F]{8})|%[uU]([0-9a-fA-F]{4})")
_CHUNKED = re.compile(r"(?:[A-Za-z0-9+/_\-]{2,}={0,2}(?:\r?\n|[ \t]|\\r\\n|\\n)){1,}[A-Za-z0-9+/_\-]+={0,2}")
_HEX = re.compile(r"(?:0[xX])?((?:[0-9a-fA-F]{2}){8,})")
_SPELLED_AT = re.compile(r"\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+|\s*@\s*", re.IGNORECASE)
_SPELLED_DOT = re.compile(r"\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+|\s+\.\s+", re.IGNORECASE)
_INVISIBLE = frozenset(invisible_pool())


def leaves(node: Any) -> Iterator[str]:
    """Every string, key and number of a JSON value, and of JSON documents inside its strings."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(k)
            yield from leaves(v)
    elif isinstance(node, list):
        if len(node) >= 4 and all(type(v) is int and 0 <= v <= 255 for v in node):
            yield bytes(node).decode("latin-1")  # bytes as numbers (`Buffer.toJSON()`): a reader decodes them
        for v in node:
            yield from leaves(v)
    elif isinstance(node, str):
        yield node
        s = node.strip()
        if s[:1] in "{[":
            try:
                doc = json.loads(s, object_pairs_hook=_all_pairs)
            except ValueError:
                return
            yield from leaves(doc)
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield str(node)


def _all_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Duplicate keys kept: `{"a": x, "a": y}` becomes {"a": x, "a\\x00": y}` (both readable)."""
    out: dict[str, Any] = {}
    for k, v in pairs:
        while k in out:
            k += "\x00"
        out[k] = v
    return out


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if (cat in ("Cf", "Cc") and ch not in "\t\n\r") or ch in _INVISIBLE:
            continue
        if cat == "Nd":
            out.append(str(unicodedata.digit(ch)))
        elif cat == "Zs":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out).translate(_FOLD).casefold()


_PDF_STREAM = re.compile(rb"<<([^>]*)>>\s*stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_PDF_STRING = re.compile(rb"\(((?:\\.|[^\\)])*)\)|<([0-9A-Fa-f]+)>", re.DOTALL)


def _pdf_strings(data: bytes) -> Iterator[str]:
    """Every string a PDF's streams hold, in order and glued: what its pages show, however cut."""
    for head, body in _PDF_STREAM.findall(data):
        with contextlib.suppress(Exception):
            if b"ASCII85" in head:
                body = base64.a85decode(re.sub(rb"\s", b"", body.split(b"~>")[0]))
            if b"Flate" in head:  # a stream cut short by a byte (the EOL before `endstream`) still opens
                body = zlib.decompressobj().decompress(body)
        parts = []
        for lit, hexed in _PDF_STRING.findall(body):
            if hexed:
                parts.append(bytes.fromhex(hexed.decode()))
            else:
                parts.append(re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m[1], 8) & 255]), lit))
        if parts:
            yield b"".join(parts).decode("latin-1")


def _bytes_views(data: bytes) -> Iterator[str]:
    """Text readings of bytes: as they are, and opened by every decompressor that accepts them (a raw
    deflate stream "opens" much garbage too, so the bytes as they are always stay a reading)."""
    opened = [data]
    for opener in (
        gzip.decompress,
        zlib.decompress,
        bz2.decompress,
        lzma.decompress,
        lambda b: zlib.decompress(b, -15),
        lambda b: zstandard.ZstdDecompressor().stream_reader(b).read(1 << 22),
    ):
        try:
            opened.append(opener(data))
        except Exception:
            continue
    opened.extend(_inner_streams(data))
    if data[:5] == b"%PDF-":
        yield from _pdf_strings(data)
    for raw in opened:
        yield from _text_views(raw)


_ZLIB_AT = re.compile(rb"\x78[\x01\x5e\x9c\xda]")


def _inner_streams(data: bytes) -> Iterator[bytes]:
    """zlib streams inside bytes (a PNG zTXt chunk, a PDF FlateDecode stream), each inflated."""
    for m in list(_ZLIB_AT.finditer(data))[:64]:
        with contextlib.suppress(zlib.error):
            out = zlib.decompressobj().decompress(data[m.start() :], 1 << 20)
            if out:
                yield out


def _text_views(data: bytes) -> Iterator[str]:
    if b"\x00" in data:  # UTF-16 text somewhere in binary: its ASCII with the NULs dropped
        yield data.replace(b"\x00", b"").decode("latin-1")
    if b"\x00" in data[:64]:
        for cs in ("utf-16", "utf-16-le", "utf-16-be"):
            with contextlib.suppress(UnicodeDecodeError):
                yield data.decode(cs)
    try:
        yield data.decode("utf-8")
    except UnicodeDecodeError:
        yield data.decode("latin-1")
        # binary around text (a printable run long enough to hold a value): that text, the rest as blanks;
        # random bytes are not read so (views are capped in number: noise would crowd out what matters)
        if re.search(rb"[\x20-\x7e]{12}", data) is not None:
            yield re.sub(rb"[^\x20-\x7e\t\r\n]+", b" ", data).decode("ascii")


def _b64(run: str) -> Iterator[bytes]:
    clean = re.sub(r"\\r|\\n|\s", "", run)
    for shift in range(4):
        chunk = clean[shift:].rstrip("=")
        chunk = chunk[: len(chunk) - len(chunk) % 4 if len(chunk) % 4 == 1 else len(chunk)]
        padded = chunk + "=" * (-len(chunk) % 4)
        for alt in (b"+/", b"-_"):
            with contextlib.suppress(binascii.Error, ValueError):
                yield base64.b64decode(padded, altchars=alt, validate=False)


def _loose_named(m: re.Match[str]) -> str:
    word = m[1]
    for cut in range(len(word), 1, -1):
        if word[:cut] in _ENTITY_NAMES:
            return html.unescape(f"&{word[:cut]};") + word[cut:]
    return m[0]


_CARRIER = re.compile("[\U000e0020-\U000e007e\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def _carried(text: str, tags: bool = True, selectors: bool = True) -> str:
    """Runs of tag characters (ASCII at U+E0000) and variation selectors (bytes), invisible characters
    between them skipped, read as the UTF-8 text their bytes spell."""
    out: list[str] = []
    run: list[int] = []
    for ch in text:
        cp = ord(ch)
        if 0xE0020 <= cp <= 0xE007E or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
            is_tag = cp >= 0xE0020 and cp <= 0xE007E
            if (is_tag and tags) or (not is_tag and selectors):
                run.append(cp - 0xE0000 if is_tag else cp - 0xFE00 if cp <= 0xFE0F else cp - 0xE0100 + 16)
            continue
        if run and (unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc") or ch in _INVISIBLE):
            continue
        if run:
            out.append(" " + bytes(run).decode("utf-8", "replace") + " ")
            run = []
        out.append(ch)
    if run:
        out.append(" " + bytes(run).decode("utf-8", "replace") + " ")
    return "".join(out)


# Runs long enough to carry a value (shorter ones are dates, times and small lists, and views are capped).
_OCTAL_RUN = re.compile(r"(?:\\[0-7]{3}){4,}")
_CSS_RUN = re.compile(r"(?:\\[0-9A-Fa-f]{1,6} ?){4,}")
_HEX_PAIRS = re.compile(r"[0-9A-Fa-f]{2}(?:[ :\-][0-9A-Fa-f]{2}){5,}")
_BASE32_RUN = re.compile(r"[A-Z2-7]{16,}=*")
_DUMP_LINE = re.compile(
    r"[0-9a-f]{8}:?((?: [0-9a-f]{4})+(?: [0-9a-f]{2})?(?![0-9a-f])|(?: {1,2}[0-9a-f]{2}(?![0-9a-f]))+)"
)
_CHAR_CODES = re.compile(r"[0-9]{2,3}(?: ?, ?[0-9]{2,3}){5,}")


def _octal(m: re.Match[str]) -> str:
    return bytes(int(o, 8) & 0xFF for o in m.group().split("\\")[1:]).decode("utf-8", "replace")


def _css(m: re.Match[str]) -> str:
    return "".join(chr(min(int(h, 16), 0x10FFFF)) for h in re.findall(r"\\([0-9A-Fa-f]{1,6})", m.group()))


def _hex_pairs(m: re.Match[str]) -> str:
    return bytes.fromhex(re.sub("[^0-9A-Fa-f]", "", m.group())).decode("latin-1")


def _codes(m: re.Match[str]) -> str:
    return "".join(chr(int(c)) for c in re.split(r" ?, ?", m.group()) if int(c) < 0x110000)


def decodings(text: str) -> Iterator[str]:
    """One layer peeled, every way that applies."""
    dump = [m for m in map(_DUMP_LINE.search, text.splitlines()) if m is not None]
    if dump:  # a hex dump (`xxd`, `hexdump -C`): its bytes, read across its lines
        hexes = re.sub("[^0-9A-Fa-f]", "", "".join(m.group(1) for m in dump))
        yield bytes.fromhex(hexes[: len(hexes) // 2 * 2]).decode("latin-1")
    if _CARRIER.search(text):  # invisible to a person, read by a model: tag characters, selector bytes
        yield _carried(text)
        yield _carried(text, selectors=False)
        yield _carried(text, tags=False)
        yield _CARRIER.sub(lambda m: _carried(m.group()).strip(), text)  # in place
    if "%" in text:
        yield unquote_plus(text)
        yield unquote(text)
    if "&" in text:
        yield html.unescape(text)
    if "\\" in text:
        yield _U_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    if _QP.search(text):
        yield quopri.decodestring(text.encode("utf-8", "surrogatepass")).decode("utf-8", "replace")
    if "&" in text:
        yield _LOOSE_NAMED.sub(
            _loose_named, _LOOSE_NUMERIC.sub(lambda m: chr(int(m[1]) if m[1] else int(m[2], 16)), text)
        )
    if "\\" in text or "%" in text:
        yield _WIDE_ESCAPE.sub(lambda m: chr(min(int(m[1] or m[2] or m[3], 16), 0x10FFFF)), text)
    if _SPELLED_DOT.search(text) or _SPELLED_AT.search(text):
        yield _SPELLED_DOT.sub(".", _SPELLED_AT.sub("@", text))
    runs = [m.group() for m in _MIME_RUN.finditer(text)]
    for m in _CHUNKED.finditer(text):  # from each of its first chunks: a word before it is a chunk too
        starts = [c.start() for c in re.finditer(r"(?<![A-Za-z0-9+/_\-])[A-Za-z0-9+/_\-]", m.group())]
        runs += [m.group()[a:] for a in starts[:3]]
    runs += [m.group() for m in _B64_RUN.finditer(text)]
    for run in runs[:24]:
        for data in _b64(run):
            yield from _bytes_views(data)
    for m in list(_HEX.finditer(text))[:8]:
        yield from _text_views(bytes.fromhex(m[1]))
    if "\\" in text:  # bytes one escape at a time: C octal, CSS
        yield _OCTAL_RUN.sub(_octal, text)
        yield _CSS_RUN.sub(_css, text)
    if _HEX_PAIRS.search(text):  # a hex dump with separators
        yield _HEX_PAIRS.sub(_hex_pairs, text)
    if _CHAR_CODES.search(text):  # character codes (`String.fromCharCode`)
        yield _CHAR_CODES.sub(_codes, text)
    for m in list(_BASE32_RUN.finditer(text))[:4]:  # base32
        body = m.group().rstrip("=")
        with contextlib.suppress(binascii.Error, ValueError):
            yield from _text_views(base64.b32decode(body + "=" * (-len(body) % 8)))


def views(message: Any) -> list[str]:
    """Normalized views of everything the client can read in `message` (a JSON value or raw text)."""
    seen: dict[str, None] = {}
    roots = [message] if isinstance(message, str) else [*joined(message)]
    strings = list(dict.fromkeys([*roots, *leaves(message)]))
    # Other notations and orders of what is written (`readings`), then decoded like the rest.
    strings = list(dict.fromkeys([*strings, *(r for s in strings for r in readings(s))]))
    for s in strings:
        frontier = [s]
        for _depth in range(4):
            nxt: list[str] = []
            for t in frontier:
                if t in seen:
                    continue
                seen[t] = None
                if len(seen) > _MAX_VIEWS * max(1, len(strings)):
                    break
                nxt.extend(d for d in decodings(t) if d != t)
            frontier = nxt[:_MAX_VIEWS]
    out = dict.fromkeys(normalize(v) for v in seen)
    return list(out)


def leaked(planted: list[Planted], message: Any) -> list[Planted]:
    """The planted values a reader of `message` can recover."""
    vs = views(message)
    return [p for p in planted if any(p.found_in(v) for v in vs)]
