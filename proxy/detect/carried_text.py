"""Text carried by bytes that are not text: a compressed payload, media with metadata.

Base64 in a string (a text field, an image's `data`, a blob read as text) decodes to bytes; when those bytes
are no text themselves (`decoders._as_text`), they may still carry text, and the detector scans what this
module reads out of them (a hit replaces the whole base64 run). A resource blob's media is read here too
(`proxy.scan.blobs`), and blocks its message if what it carries is personal.

- *Compressed* (`opened_text`): gzip, zlib, bz2, xz/lzma or zip, recognised by magic and opened layer by
  layer with the blob sniffer's own openers (`proxy.scan.blob_layers.open_layer`), within the same bomb limit.
- *Media or a PDF* (`media_text`, `printable_text`): PNG tEXt/iTXt/zTXt, JPEG EXIF/XMP/COM, PDF text and
  metadata, GIF comments, ID3, RIFF INFO, or text simply written after a real magic header. Its printable
  runs, the way `strings(1)` reads them (ASCII runs of `MIN_RUN`+ characters continued over UTF-8
  characters, and UTF-16LE runs), found at C speed by `bytes.find` on a class-translated copy; plus the
  runs of every zlib/gzip stream inside (PNG zTXt/iTXt, PDF FlateDecode, a private chunk), inflated within
  the bomb limit. A PNG's pixel stream (after `IDAT`) is not inflated: pixels are the image, not text it
  carries, and inflating them would cost the image's full size. Noise runs are dropped (`_text_like`).
  Other binary is left to the blob sniffer, which reads it as text in a charset (Latin-1 at last).

Fail closed: past `MAX_TEXT` characters of carried text, or `INFLATE_LIMIT` inflated bytes, the message is
blocked (`LimitExceeded`) rather than passed partly unscanned.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

from proxy.detect.lzw import TooLarge, lzw_decode
from proxy.detect.media_slots import slot_text
from proxy.detect.pdf_text import pdf_text
from proxy.errors import LimitExceeded, blocked
from proxy.scan.blob_layers import is_raw_deflate, open_layer
from proxy.scan.blobs import is_media

MIN_RUN = 6  # characters in a printable run, as `strings -n 6`
MAX_TEXT = 1 << 20  # characters of carried text scanned at most; beyond, the message is blocked
INFLATE_LIMIT = 64 * 1024 * 1024  # bytes inflated at most from one payload (the default message limit)
_MAX_LAYERS = 4  # compressions inside compressions

# Runs are found on a translated copy (a printable ASCII byte reads `A`, NUL `Z`, any other byte `.`) by
# `bytes.find`, at C speed (a regex over the bytes costs several times more on a megabyte of noise).
_CLASSES = bytes(
    ord("A") if 0x20 <= i < 0x7F or i in (9, 10, 13) else ord("Z") if i == 0 else ord(".") for i in range(256)
)
_ASCII_START = b"A" * MIN_RUN
_UTF16_START = b"AZ" * MIN_RUN
_NOT_A = re.compile(rb"[^A]")
# The start of a zlib stream (the four usual headers: no preset dictionary) or of a gzip member.
_STREAM = re.compile(rb"\x78[\x01\x5e\x9c\xda]|\x1f\x8b\x08")
_PIXELS = b"IDAT"
# A PDF font's name (`/BaseFont /ABCDEF+Helvetica-Bold`) is syntax no page shows, and a name finder reads
# a person in it (`Helvetica`): read as `/Font`. Only names of letters, digits, `,`, `-` (no `@`, `.`).
_FONT_NAME = re.compile(
    rb"(/(?:BaseFont|FontName|FontFamily)\s*)/(?:[A-Z]{6}\+)?[A-Za-z][A-Za-z0-9,\-]{0,63}(?![\w@.#])"
)

# First bytes of gzip, zlib, bz2 (`B`), xz, lzma and zip (`P`); raw deflate has none (`is_raw_deflate`).
_COMPRESSED_FIRST = frozenset(b"\x1f\x78B\xfd\x5dP")

AsText = Callable[[bytes], "str | None"]


def _too_much(what: str) -> LimitExceeded:
    return blocked(f"a binary payload carries more {what} than is scanned")


def opened_text(raw: bytes, as_text: AsText, depth: int = 0) -> str | None:
    """The text inside compressed bytes (every zip member's, joined), or None if `raw` is not compressed."""
    if not raw or (raw[0] not in _COMPRESSED_FIRST and not is_raw_deflate(raw)):
        return None  # most base64 runs: one set lookup, or a deflate stream's first bytes that fail
    if depth > _MAX_LAYERS:
        raise blocked("a payload nests compressions too deep")
    inner = open_layer(raw, INFLATE_LIMIT)
    if inner is None:
        return None
    parts: list[str] = []
    for data in inner:
        text = as_text(data)
        if text is None:
            text = opened_text(data, as_text, depth + 1)
        if text is None:
            text = printable_text(data)
        if text:
            parts.append(text)
    joined = "\n".join(parts)
    if len(joined) > MAX_TEXT:
        raise _too_much("text")
    return joined or None


def media_text(raw: bytes) -> str | None:
    """`printable_text` of media (by the blob sniffer's magic table) or a PDF; None for other bytes, which a
    blob reads as text in a charset (and a text field never held as anything but noise)."""
    if raw[:5] != b"%PDF-" and not is_media(raw):
        return None
    runs = printable_text(_FONT_NAME.sub(rb"\1/Font", raw) if raw[:5] == b"%PDF-" else raw)
    shown = pdf_shown_text(raw, beside=runs)
    slots = slot_text(raw, _budgeted()) if raw[:5] != b"%PDF-" else None
    if slots is not None and len(slots) > MAX_TEXT:
        raise _too_much("text")
    if slots and runs:  # only what the runs do not hold already: a text read twice reads otherwise
        slots = "\n".join(line for line in slots.split("\n") if line.strip() and line.strip() not in runs)
    return "\n".join(t for t in (runs, shown, slots) if t) or None


def _budgeted() -> Callable[[bytes], bytes]:
    """An inflater of zlib streams sharing one `INFLATE_LIMIT` over all its calls."""
    spent = 0

    def inflate(data: bytes) -> bytes:
        nonlocal spent
        out = _inflate(memoryview(data), INFLATE_LIMIT - spent)
        spent += len(out)
        return out

    return inflate


def pdf_shown_text(raw: bytes, beside: str | None = None) -> str | None:
    """What a PDF's text operators show (`pdf_text`), its streams inflated within one budget for all; None
    for bytes that are no PDF. Only what `beside` (the text it is read with) does not already hold: a
    string read as written stays in its context, where a name finder judges it as before."""
    if raw[:5] != b"%PDF-":
        return None
    spent = 0

    def inflate(data: bytes) -> bytes:
        nonlocal spent
        out = _inflate(memoryview(data), INFLATE_LIMIT - spent)
        spent += len(out)
        return out

    def unlzw(data: bytes, early_change: int) -> bytes:
        nonlocal spent
        try:
            out = lzw_decode(data, INFLATE_LIMIT - spent, early_change)
        except TooLarge:
            raise _too_much("compressed data") from None
        spent += len(out)
        return out

    shown = pdf_text(raw, inflate, unlzw)
    if shown is not None and len(shown) > MAX_TEXT:
        raise _too_much("text")
    if shown and beside:
        shown = "\n".join(line for line in shown.split("\n") if line.strip() and line.strip() not in beside)
    return shown or None


def printable_text(raw: bytes) -> str | None:
    """The printable runs of `raw` and of the zlib/gzip streams inside it, one per line; None if none."""
    parts = _runs(raw)
    size = sum(map(len, parts))
    inflated = 0
    view = memoryview(raw)
    for m in _STREAM.finditer(raw):
        at = m.start()
        if raw[max(at - 4, 0) : at] == _PIXELS:
            continue
        data = _inflate(view[at:], INFLATE_LIMIT - inflated)
        if not data:
            continue
        inflated += len(data)
        found = _runs(data)
        parts += found
        size += sum(map(len, found))
        if size > MAX_TEXT:
            raise _too_much("text")
    if size > MAX_TEXT:
        raise _too_much("text")
    return "\n".join(parts) or None


def _runs(raw: bytes) -> list[str]:
    """The printable runs of `raw` (ASCII, continued over UTF-8 characters; UTF-16LE) that read as text."""
    classes = raw.translate(_CLASSES)
    out = []
    for text in (*_ascii_runs(raw, classes), *_utf16_runs(raw, classes)):
        kept = _text_like(text)
        if kept is not None:
            out.append(kept)
    return out


def _ascii_runs(raw: bytes, classes: bytes) -> list[str]:
    out, at, end = [], 0, len(raw)
    while (at := classes.find(_ASCII_START, at)) >= 0:
        stop = _stop(classes, at + MIN_RUN, end)
        while stop < end and raw[stop] >= 0xC2:  # a UTF-8 character, then maybe more of the run
            width = 2 if raw[stop] < 0xE0 else 3 if raw[stop] < 0xF0 else 4
            try:
                raw[stop : stop + width].decode("utf-8")
            except UnicodeDecodeError:
                break
            stop = _stop(classes, stop + width, end)
        out.append(raw[at:stop].decode("utf-8", "replace"))
        at = stop
    return out


def _stop(classes: bytes, at: int, end: int) -> int:
    m = _NOT_A.search(classes, at)
    return m.start() if m is not None else end


def _utf16_runs(raw: bytes, classes: bytes) -> list[str]:
    """UTF-16 runs: found by `MIN_RUN` ASCII units, then extended both ways over any character of
    U+0000..U+00FF that is printable (`Noël`), which the ASCII classes alone would cut. A run whose first
    unit has its zero byte before it is big-endian (`\0i\0b\0a\0n`): read as such, its last character is
    whole (read little-endian from one byte on, it would pair with the byte after the run)."""
    out, at = [], 0
    while (at := classes.find(_UTF16_START, at)) >= 0:
        start = at
        while start >= 2 and raw[start - 1] == 0 and (classes[start - 2] == 0x41 or raw[start - 2] >= 0xA0):
            start -= 2
        end = at
        while end + 1 < len(raw) and raw[end + 1] == 0 and (classes[end] == 0x41 or raw[end] >= 0xA0):
            end += 2
        if start >= 1 and raw[start - 1] == 0:  # big-endian: `\0X` pairs from the byte before
            big = start - 1
            while big + 1 < len(raw) and raw[big] == 0 and (classes[big + 1] == 0x41 or raw[big + 1] >= 0xA0):
                big += 2
            out.append(raw[start - 1 : big].decode("utf-16-be"))
        else:
            out.append(raw[start:end].decode("utf-16-le"))
        at = max(end, start + 2)
    return out


# Compressed or pixel data holds printable runs by chance (a thousand of six characters or more per MB),
# and a name finder reads a person in noise (`L Xm`, `QxHN`). A run is text when, its noise tokens (letter
# case switching at random: `XIHWwscl`, `W5M0MpCehiHzreSzNTczkc9d`) blanked, it holds what a structured
# recognizer reads in any length (an e-mail address, seven digits, an IP address), or it is long: `LONG_RUN`+
# characters (never by chance: 0.37^24 per byte), or `MIN_TEXT`+ letters, digits and spaces making 80% of
# it (noise has 65%). A short name alone is no finding anyway.
MIN_TEXT = 12
LONG_RUN = 24
_NOISE_TOKEN = re.compile(
    r"[^\s<>\"']*(?:[a-z][A-Z][^\s<>\"']*[a-z][A-Z]|[A-Z]{2}[a-z]|[a-z]{1,2}[A-Z]{2})[^\s<>\"']*"
)
_ESCAPED_PAREN = re.compile(r"\\([()\\])")
_WORDS = re.compile(r"[^\W_]+|\s")
_VALUE = re.compile(
    r"[\w.+-]{2}@[\w-]{2,}\.[A-Za-z]{2}"  # an e-mail address
    r"|\d(?:[\s().\-/+]{0,2}\d){6}"  # phones, cards, IBAN digits, IDs
    r"|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"  # IPv4
    r"|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{1,4}"  # IPv6 groups
)


def _text_like(run: str) -> str | None:
    if "\\" in run:  # PDF and PostScript string literals escape their parentheses: `\(212\) 555-0134`
        run = _ESCAPED_PAREN.sub(r"\1", run)
    text = _NOISE_TOKEN.sub(" ", run) if not run.islower() else run
    if _VALUE.search(text) is not None or len(run) >= LONG_RUN:
        return text
    words = sum(map(len, _WORDS.findall(text)))
    return text if words >= MIN_TEXT and words * 5 >= len(text.strip()) * 4 else None


def _inflate(data: memoryview, budget: int) -> bytes:
    """What a stream starting at `data` inflates to (a truncated one: as far as it goes); b"" when it is no
    stream after all."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib or gzip, by its header
    try:
        out = inflater.decompress(data, budget + 1)
    except zlib.error:
        return b""
    if len(out) > budget:
        raise _too_much("compressed data")
    return out
