"""The text a PDF shows, as its text operators spell it.

A PDF's printable runs (`carried_text`) hold its strings as written: a value split across a `TJ` array for
kerning (`[(jane.d) -20 (oe@acme) 10 (-corp.com)] TJ`), written with octal escapes (`jane.doe\\100acme…`)
or as a hex string (`<6a616e65>`), or inside a stream encoded with `ASCII85Decode`, `ASCIIHexDecode`,
`LZWDecode` or `FlateDecode` (in the order its `/Filter` names them), reads in pieces or not at all. This
module reads every stream (decoded within the caller's budget) and joins what its `Tj`, `TJ`, `'` and `"`
operators show: the strings of one array glued (a kerning number moves a glyph, it is no space unless it is
a word's width), one operator's text per line; and, where several operators draw one line (text drawn
glyph by glyph, each placed by `Td` or `Tm`, in one text object or many), that line's pieces glued too.

Objects are found by scanning `N G obj … endobj`, not through the xref table (a file may have none, or a
wrong one). A font's `ToUnicode` CMap (`pdf_cmap`) maps the glyph codes it shows to text: the font a `Tf`
names is looked up in the file's `/Font` resources; with one CMap in the file, a font not found uses it.

Robust by construction: it reads any bytes without raising but for the budget (`LimitExceeded`).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import re
from collections.abc import Callable

from proxy.detect.pdf_cmap import CMap, parse_cmap

_STREAM = re.compile(rb"stream\r?\n")
_END = re.compile(rb"\s*endstream")
_LENGTH = re.compile(rb"/Length\s+(\d{1,9})(?!\s+\d+\s+R)")  # a direct length, not a reference
_DICT_BEFORE = 512  # bytes before `stream` where its dictionary (and its /Filter) is looked for
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_EARLY = re.compile(rb"/EarlyChange\s+0")
_OBJ = re.compile(rb"(?<![\d.])(\d{1,9})\s+\d{1,5}\s+obj\b")
_REF = rb"(\d{1,9})\s+\d{1,5}\s+R\b"
_TO_UNICODE = re.compile(rb"/ToUnicode\s+" + _REF)
_FONTS_INLINE = re.compile(rb"/Font\s*<<((?:[^<>]|<<[^<>]*>>)*)>>")
_FONTS_REF = re.compile(rb"/Font\s+" + _REF)
_FONT_ENTRY = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+" + _REF)
# A string operand: a literal `( … )` (balanced, backslash-escaped) or a hex string `< … >`; a number.
_LITERAL = rb"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)"
_HEX = rb"<[0-9A-Fa-f\s]*>"
_OPERAND = re.compile(rb"(" + _LITERAL + rb")|(" + _HEX + rb")|(-?\d*\.?\d+)")
_TOKEN = re.compile(
    rb"(" + _LITERAL + rb")|(" + _HEX + rb")"  # a string
    rb"|\[((?:" + _LITERAL + rb"|" + _HEX + rb"|[^\]])*)\]"  # an array (a TJ's operand)
    rb"|(-?\d*\.?\d+)"  # a number
    rb"|(/[^\s/\[\]()<>{}%]+)"  # a name
    rb"|([A-Za-z'\"*]+)"  # an operator
)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r?\n|.)", re.DOTALL)
_WORD_GAP = 200  # a TJ displacement (thousandths of a text unit) wider than this is a space between words
_GLYPHS = 3  # characters a piece of a line drawn glyph by glyph holds at most (a ligature, a kerned pair)
_SHOWS = frozenset({b"Tj", b"TJ", b"'", b'"'})

Decode = Callable[[bytes], bytes]


def _literal(body: bytes) -> bytes:
    def one(m: re.Match[bytes]) -> bytes:
        e = m.group(1)
        if e[:1].isdigit():
            return bytes([int(e, 8) & 0xFF])
        if e[:1] in (b"\r", b"\n"):
            return b""  # a line continuation
        return _ESCAPES.get(e, e)

    return _ESCAPE.sub(one, body[1:-1])


def _string(token: bytes) -> bytes:
    if token[:1] == b"(":
        return _literal(token)
    return _ascii_hex(token[1:-1])


def _ascii_hex(body: bytes) -> bytes:
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", body.split(b">")[0])
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())


def _as_text(raw: bytes, cmap: CMap | None) -> str:
    if cmap is not None:
        return cmap.decode(raw)
    return raw.decode("utf-16", "replace") if raw[:2] in (b"\xfe\xff", b"\xff\xfe") else raw.decode("latin-1")


class _Page:
    """Text state while reading one content stream: the font's CMap, the current line's height, and the
    pieces drawn on it so far."""

    def __init__(self, fonts: dict[bytes, CMap | None], fallback: CMap | None) -> None:
        self.fonts, self.fallback = fonts, fallback
        self.cmap: CMap | None = None
        self.guessed = False  # the CMap is the file's only one, not the named font's: raw bytes read too
        self.out: list[str] = []
        self.line: list[str] = []
        self.y: float | None = None
        self.line_y = 0.0

    def move_to(self, y: float | None) -> None:
        """A new position: the same line when its height is the line's; `None` is a new line."""
        if y is None or self.y is None or abs(y - self.y) > 0.01:
            self.flush()
        self.y = y

    def show(self, pieces: list[bytes | float]) -> None:
        text = "".join(
            (" " if p < -_WORD_GAP else "") if isinstance(p, float) else _as_text(p, self.cmap)
            for p in pieces
        )
        if text.strip():
            self.line.append(text)
        if self.cmap is not None and self.guessed:
            raw = b"".join(p for p in pieces if isinstance(p, bytes))
            self.out.append(_as_text(raw, None))

    def flush(self) -> None:
        """The line's pieces, one per line as drawn, and glued; a line drawn glyph by glyph (no piece
        longer than `_GLYPHS`) only glued: its glyphs one per line would read as a column."""
        if len(self.line) > 1 and max(map(len, self.line)) <= _GLYPHS:
            self.out.append("".join(self.line))
        elif len(self.line) > 1:
            self.out += [*self.line, "".join(self.line)]
        else:
            self.out += self.line
        self.line = []


def shown_text(
    content: bytes, fonts: dict[bytes, CMap | None] | None = None, fallback: CMap | None = None
) -> list[str]:
    """The text each text-showing operator of a content stream's text objects (`BT` … `ET`) shows, and each
    line drawn in pieces glued (module doc). Only inside text objects: an image's compressed bytes hold
    `(…)'` by chance."""
    page = _Page(fonts or {}, fallback)
    page.cmap, page.guessed = fallback, True
    stack: list[re.Match[bytes]] = []
    inside, y, leading = False, 0.0, 0.0
    for m in _TOKEN.finditer(content):
        op = m.group(6)
        if op is None:
            stack.append(m)
            if len(stack) > 8:
                del stack[0]
            continue
        nums = [float(t.group(4)) for t in stack if t.group(4) is not None]
        if op == b"BT":
            inside, y = True, 0.0
        elif op == b"ET":
            inside = False
        elif op == b"Tf":
            names = [t.group(5)[1:] for t in stack if t.group(5) is not None]
            if names and names[-1] in page.fonts:  # a font the resources name: its CMap, or none
                page.cmap, page.guessed = page.fonts[names[-1]], False
            else:
                page.cmap, page.guessed = page.fallback, True
        elif op == b"TL" and nums:
            leading = nums[-1]
        elif inside and op in (b"Td", b"TD") and len(nums) >= 2:
            y += nums[-1]
            if op == b"TD":
                leading = -nums[-1]
            page.move_to(y)
        elif inside and op == b"Tm" and len(nums) >= 6:
            y = nums[-1]
            page.move_to(y)
        elif inside and op == b"T*":
            y -= leading or 1.0
            page.move_to(None)
        elif inside and op in _SHOWS and stack:
            if op in (b"'", b'"'):
                y -= leading or 1.0
                page.move_to(None)
            last = stack[-1]
            if last.group(3) is not None and op == b"TJ":
                pieces: list[bytes | float] = [
                    float(o.group(3)) if o.group(3) is not None else _string(o.group(1) or o.group(2))
                    for o in _OPERAND.finditer(last.group(3))
                ]
                page.show(pieces)
            elif last.group(1) is not None or last.group(2) is not None:
                page.show([_string(last.group(1) or last.group(2))])
        stack.clear()
    page.flush()
    return page.out


def _ascii85(data: bytes) -> bytes | None:
    body = data.strip()
    end = body.find(b"~>")
    body = body[:end] if end >= 0 else body
    if body.startswith(b"<~"):
        body = body[2:]
    try:
        return base64.a85decode(re.sub(rb"\s", b"", body))
    except (ValueError, binascii.Error):
        return None


def _filters(head: bytes) -> list[bytes]:
    m = _FILTER.search(head)
    return re.findall(rb"/([A-Za-z0-9]+)", m.group(1)) if m is not None else []


def _decoded(data: bytes, head: bytes, inflate: Decode, unlzw: Callable[[bytes, int], bytes] | None) -> bytes:
    """A stream's data through its filters in order; at a filter that cannot be opened, what it is so far."""
    for name in _filters(head):
        if name in (b"ASCII85Decode", b"A85"):
            data = _ascii85(data) or data
        elif name in (b"ASCIIHexDecode", b"AHx"):
            data = _ascii_hex(data)
        elif name in (b"FlateDecode", b"Fl"):
            data = inflate(data) or data
        elif name in (b"LZWDecode", b"LZW") and unlzw is not None:
            data = unlzw(data, 0 if _EARLY.search(head) else 1) or data
        else:
            break
    return data


def _streams(
    raw: bytes, inflate: Decode, unlzw: Callable[[bytes, int], bytes] | None
) -> list[tuple[int, bytes, bytes]]:
    """Every stream: (where it starts, its dictionary, its data decoded)."""
    out = []
    for m in _STREAM.finditer(raw):
        start = m.end()
        head = raw[max(0, m.start() - _DICT_BEFORE) : m.start()]
        head = head[head.rfind(b"<<") :] if b"<<" in head else head
        length = _LENGTH.search(head)
        end = start + int(length.group(1)) if length is not None else -1
        if not (start <= end <= len(raw) and _END.match(raw, end)):  # no usable /Length: up to `endstream`
            end_m = _END.search(raw, start)
            end = end_m.start() if end_m is not None else len(raw)
        if b"/Image" in head:  # pixels, not text
            continue
        out.append((m.start(), head, _decoded(raw[start:end], head, inflate, unlzw)))
    return out


def _fonts(
    raw: bytes, streams: list[tuple[int, bytes, bytes]]
) -> tuple[dict[bytes, CMap | None], CMap | None]:
    """The CMap of each font resource name (objects found by scanning, module doc), and the one CMap of the
    file if it has exactly one."""
    starts = [(m.start(), m.group(1)) for m in _OBJ.finditer(raw)]
    positions = [s for s, _ in starts]
    cmaps: dict[bytes, CMap] = {}
    for at, _, data in streams:
        if b"beginbf" in data:
            i = bisect.bisect_right(positions, at) - 1
            cmap = parse_cmap(data)
            if cmap is not None and i >= 0:
                cmaps[starts[i][1]] = cmap
    if not cmaps:
        return {}, None
    bodies = {
        num: raw[s : (positions[i + 1] if i + 1 < len(positions) else len(raw))]
        for i, (s, num) in enumerate(starts)
    }
    font_cmap = {
        num: cmaps[m.group(1)]
        for num, body in bodies.items()
        if (m := _TO_UNICODE.search(body)) and m.group(1) in cmaps
    }
    found: dict[bytes, set[bytes]] = {}
    tables = [m.group(1) for m in _FONTS_INLINE.finditer(raw)]
    tables += [bodies.get(m.group(1), b"") for m in _FONTS_REF.finditer(raw)]
    for table in tables:
        for e in _FONT_ENTRY.finditer(table):
            found.setdefault(e.group(1), set()).add(e.group(2))
    # A name that stands for one font on every page: that font's CMap (or none); one that stands for
    # several is left out, read as a font not found.
    named = {name: font_cmap.get(nums.pop()) for name, nums in found.items() if len(nums) == 1}
    return named, next(iter(cmaps.values())) if len(cmaps) == 1 else None


def pdf_text(raw: bytes, inflate: Decode, unlzw: Callable[[bytes, int], bytes] | None = None) -> str | None:
    """What the text operators of every stream of a PDF show, one per line; None if nothing. `inflate`
    opens a zlib stream and `unlzw` an LZW one (with its EarlyChange) within the caller's budget (b"" when
    it is none)."""
    if raw[:5] != b"%PDF-":
        return None
    streams = _streams(raw, inflate, unlzw)
    fonts, fallback = _fonts(raw, streams)
    out: list[str] = []
    for _, _, data in streams:
        if b"BT" in data:
            out += shown_text(data, fonts, fallback)
    return "\n".join(out) or None
