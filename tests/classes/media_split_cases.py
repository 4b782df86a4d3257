"""Media and PDFs whose text is cut by their own structure, for `test_media_split.py`.

- `metadata_split`: a value's sentence spread over a format's text slots: PNG `tEXt`/`zTXt`/`iTXt` chunks
  (some `iTXt` in UTF-16, either order, BOM or not, cut at any byte), GIF comment extensions written in
  sub-blocks of random sizes (a length byte may read as a letter), JPEG `COM` segments, XMP over extended
  XMP segments, EXIF `XPComment`/`UserComment` in UTF-16.
- `pdf_drawn`: a PDF with no xref table, whose page draws a value's sentence glyph by glyph (`TJ` with a
  kerning number between glyphs, one `Tj` per glyph placed by `Td` or `Tm`, one text object per glyph),
  maybe in glyph codes a `ToUnicode` CMap maps (`bfchar`, `bfrange` with a list or an offset), in a
  content stream that is plain, LZW, ASCII85+LZW, Flate or ASCIIHex.
- `lookalikes`: the same structures carrying what ordinary files carry (`media.CLEAN_META`, report text).

Each case is one message: the bytes as a resource blob or as an image content item's data (base64).
"""

from __future__ import annotations

import base64
import struct
import zlib
from random import Random
from typing import Any

from proxy.detect.lzw import lzw_encode
from tests.classes import media
from tests.classes.case import Case, Message, Survivor, call
from tests.classes.planting import reliable_value, sentence

CLEAN_PDF = [
    "Quarterly report",
    "Revenue grew 4.2% over the quarter",
    "Table 3: regional totals",
    "Prepared for the board meeting",
    "Appendix B - methodology",
]


def _cuts(rng: Random, raw: bytes, most: int = 4) -> list[bytes]:
    """`raw` cut at random bytes; text of several values (a look-alike's: one per line) at its lines,
    one value a slot, as files that hold several metadata values have them."""
    if raw.count(b"\n") > 1:
        return raw.splitlines(keepends=True)
    n = min(len(raw) - 1, rng.randrange(1, most))
    cuts = sorted(rng.sample(range(1, len(raw)), n))
    return [raw[a:b] for a, b in zip([0, *cuts], [*cuts, len(raw)], strict=True)]


# ---------------------------------------------------------------------------------------- metadata
def _png(rng: Random, text: str) -> tuple[bytes, str]:
    utf16 = rng.random() < 0.3
    codec = rng.choice(["utf-16-be", "utf-16-le", "utf-16"]) if utf16 else "plain"
    raw = text.encode(codec if utf16 else "utf-8")
    if text.count("\n") > 1:  # a look-alike's values: each in its own chunk, encoded alone
        pieces = [line.encode(codec if utf16 else "utf-8") for line in text.splitlines(keepends=True)]
    else:
        pieces = _cuts(rng, raw)
    chunks = []
    key = rng.choice([b"Comment", b"Description", b"Author"])
    for piece in pieces:
        kind = "iTXt" if utf16 else rng.choice(["tEXt", "zTXt", "iTXt"])
        if kind == "tEXt":
            chunks.append(media._chunk(b"tEXt", key + b"\x00" + piece))
        elif kind == "zTXt":
            chunks.append(media._chunk(b"zTXt", key + b"\x00\x00" + zlib.compress(piece)))
        else:
            packed = rng.random() < 0.4
            body = zlib.compress(piece) if packed else piece
            chunks.append(media._chunk(b"iTXt", key + b"\x00" + bytes([packed, 0]) + b"en\x00\x00" + body))
    image = media.png(rng, media.Meta(None))
    at = image.index(b"IDAT") - 4
    return image[:at] + b"".join(chunks) + image[at:], f"png:{codec}"


def _blocks(rng: Random, data: bytes) -> bytes:
    out, at = [], 0
    while at < len(data):
        n = rng.randrange(1, 60)
        out.append(bytes([len(data[at : at + n])]) + data[at : at + n])
        at += n
    return b"".join(out) + b"\x00"


def _gif(rng: Random, text: str) -> tuple[bytes, str]:
    pieces = _cuts(rng, text.encode(), 3)
    extensions = b"".join(b"\x21\xfe" + _blocks(rng, p) for p in pieces)
    image = media.gif(rng, media.Meta(None))
    at = image.index(b"\x2c\x00\x00\x00\x00")
    return image[:at] + extensions + image[at:], f"gif:{len(pieces)}-comments"


def _jpeg(rng: Random, text: str) -> tuple[bytes, str]:
    how = rng.choice(["com", "xmp", "exif-xp", "exif-unicode"])
    raw = text.encode()
    if how == "com":
        segments = b"".join(media._segment(0xFE, p) for p in _cuts(rng, raw))
    elif how == "xmp":
        packet = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>' + raw + b"</dc:creator></x:xmpmeta>"
        cut = rng.randrange(50, len(packet) - 14)
        guid = rng.randbytes(16).hex().upper().encode()
        segments = media._segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + packet[:cut])
        tail = struct.pack(">II", len(packet), cut)
        segments += media._segment(
            0xE1, b"http://ns.adobe.com/xmp/extension/\x00" + guid + tail + packet[cut:]
        )
    else:
        if how == "exif-xp":
            tag, kind, value = 0x9C9C, 1, text.encode("utf-16-le") + b"\x00\x00"
        else:
            tag, kind, value = 0x9286, 7, b"UNICODE\x00" + text.encode("utf-16-le")
        ifd = struct.pack("<H", 1) + struct.pack("<HHII", tag, kind, len(value), 26) + struct.pack("<I", 0)
        segments = media._segment(0xE1, b"Exif\x00\x00II*\x00" + struct.pack("<I", 8) + ifd + value)
    image = media.jpeg(rng, media.Meta(None))
    at = image.index(b"\xff\xdb")
    return image[:at] + segments + image[at:], f"jpeg:{how}"


_META = {"png": (_png, "image/png"), "gif": (_gif, "image/gif"), "jpeg": (_jpeg, "image/jpeg")}


def _message(rng: Random, data: bytes, mime: str) -> tuple[Message, str, str]:
    blob = base64.b64encode(data).decode()
    if rng.random() < 0.5:
        resource = {"uri": "file:///m", "mimeType": mime, "blob": blob}
        return call({"content": [{"type": "resource", "resource": resource}]}), blob, "blob"
    item = "document" if mime == "application/pdf" else "image"
    if item == "document":  # a PDF as base64 in a structured field
        return (
            call({"content": [{"type": "text", "text": "attached"}], "structuredContent": {"data": blob}}),
            blob,
            "field",
        )
    return call({"content": [{"type": "image", "mimeType": mime, "data": blob}]}), blob, "content"


def metadata_split(rng: Random) -> Case:
    value = reliable_value(rng)
    kind = rng.choice(sorted(_META))
    build, mime = _META[kind]
    data, label = build(rng, sentence(rng, value) + "\n")
    msg, _, where = _message(rng, data, mime)
    return Case("media-split", [msg], [value], label=f"{label}:{where}")


# --------------------------------------------------------------------------------------------- PDF
def _cmap(rng: Random, text: str) -> tuple[bytes, dict[str, bytes]]:
    """A ToUnicode CMap for the characters of `text`, and each character's glyph code."""
    chars = sorted(set(text))
    how = rng.choice(["bfchar", "bfrange-list", "bfrange-offset"])
    two = rng.random() < 0.7
    width = 2 if two else 1
    if how == "bfrange-offset":
        base = rng.randrange(1, 0x100 if two else 0x60)
        codes = {c: (base + ord(c) - 0x20).to_bytes(width, "big") for c in chars}
        body = b"1 beginbfrange\n<%s> <%s> <0020>\nendbfrange" % (
            base.to_bytes(width, "big").hex().encode(),
            (base + 0x5E).to_bytes(width, "big").hex().encode(),
        )
    else:
        start = rng.randrange(1, 0x3000 if two else 0x80)
        order = chars[:]
        rng.shuffle(order)
        codes = {c: (start + i).to_bytes(width, "big") for i, c in enumerate(order)}
        if how == "bfchar":
            pairs = b"\n".join(
                b"<%s> <%s>" % (codes[c].hex().encode(), c.encode("utf-16-be").hex().encode()) for c in order
            )
            body = b"%d beginbfchar\n%s\nendbfchar" % (len(order), pairs)
        else:
            dsts = b" ".join(b"<%s>" % c.encode("utf-16-be").hex().encode() for c in order)
            lo, hi = codes[order[0]].hex().encode(), codes[order[-1]].hex().encode()
            body = b"1 beginbfrange\n<%s> <%s> [%s]\nendbfrange" % (lo, hi, dsts)
    space = b"<%s> <%s>" % (b"00" * width, b"FF" * width)
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"1 begincodespacerange\n" + space + b"\nendcodespacerange\n" + body + b"\nendcmap end end"
    )
    return cmap, codes


def _glyphs(rng: Random, text: str, code: Any) -> tuple[bytes, str]:
    """Content drawing `text` glyph by glyph (a move, no glyph, for each space)."""
    how = rng.choice(["TJ", "Td", "Tm", "BT"])
    size, x, y = 11, 72.0, 700.0
    ops: list[bytes] = []
    if how == "TJ":
        parts = []
        for c in text:
            parts.append(b"-280" if c == " " else code(c) + b" %d" % rng.randrange(-30, 30))
        return b"BT /F1 11 Tf 72 700 Td [" + b" ".join(parts) + b"] TJ ET", how
    ops.append(b"BT /F1 %d Tf 72 700 Td" % size if how != "BT" else b"")
    last = 0.0
    for c in text:
        advance = size * rng.uniform(0.25, 0.9)
        if c != " ":
            if how == "Td":
                ops.append(b"%.2f 0 Td %s Tj" % (last, code(c)))
                last = advance
            elif how == "Tm":
                ops.append(b"1 0 0 1 %.2f %.2f Tm %s Tj" % (x, y, code(c)))
            else:
                ops.append(b"BT /F1 %d Tf %.2f %.2f Td %s Tj ET" % (size, x, y, code(c)))
        else:
            last += advance
        x += advance
    ops.append(b"ET" if how != "BT" else b"")
    return b"\n".join(ops), how


def _stream(rng: Random, content: bytes, extra: bytes = b"") -> tuple[bytes, str]:
    flt = rng.choice(["none", "lzw", "a85+lzw", "flate", "ahx"])
    if flt == "lzw":
        data, names = lzw_encode(content), b" /Filter /LZWDecode"
    elif flt == "a85+lzw":
        data, names = base64.a85encode(lzw_encode(content)) + b"~>", b" /Filter [/ASCII85Decode /LZWDecode]"
    elif flt == "flate":
        data, names = zlib.compress(content), b" /Filter /FlateDecode"
    elif flt == "ahx":
        data, names = content.hex().encode() + b">", b" /Filter /ASCIIHexDecode"
    else:
        data, names = content, b""
    return b"<< /Length %d%s%s >>\nstream\n" % (len(data), names, extra) + data + b"\nendstream", flt


def pdf_drawn_bytes(rng: Random, text: str) -> tuple[bytes, str]:
    """A PDF with no xref table drawing `text` glyph by glyph, maybe through a ToUnicode CMap."""
    mapped = rng.random() < 0.5
    if mapped:
        cmap, codes = _cmap(rng, text)

        def code(c: str) -> bytes:
            return b"<" + codes[c].hex().encode() + b">"
    else:

        def code(c: str) -> bytes:
            return (
                b"("
                + c.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
                + b")"
            )

    content, how = _glyphs(rng, text, code)
    heading = b"BT /F2 14 Tf 72 740 Td (Quarterly report) Tj ET\n" if rng.random() < 0.5 else b""
    page, flt = _stream(rng, heading + content)
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R /F2 7 0 R >> >> >>",
        4: page,
        5: b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Arial"
        + (b" /ToUnicode 6 0 R" if mapped else b"")
        + b" >>",
        7: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    if mapped:
        objs[6], _ = _stream(rng, cmap)
    order = list(objs)
    rng.shuffle(order)  # no xref: objects in any order, found by scanning
    body = b"%PDF-1.4\n" + b"".join(b"%d 0 obj\n" % n + objs[n] + b"\nendobj\n" for n in order)
    label = f"pdf:{how}:{'cmap' if mapped else 'plain'}:{flt}"
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n", label


def pdf_drawn(rng: Random) -> Case:
    value = reliable_value(rng)
    data, label = pdf_drawn_bytes(rng, sentence(rng, value))
    msg, _, where = _message(rng, data, "application/pdf")
    return Case("media-split", [msg], [value], label=f"{label}:{where}")


# --------------------------------------------------------------------------------------- look-alikes
def lookalikes(rng: Random) -> Case:
    """The same structures carrying ordinary text: must reach the client byte for byte."""
    kind = rng.choice(["png", "gif", "jpeg", "pdf"])
    if kind == "pdf":
        data, label = pdf_drawn_bytes(rng, rng.choice(CLEAN_PDF))
        mime = "application/pdf"
    else:
        build, mime = _META[kind]
        values = rng.sample(media.CLEAN_META, rng.randrange(2, 5))
        data, label = build(rng, "".join(v + "\n" for v in values))
    msg, blob, where = _message(rng, data, mime)
    return Case(
        "media-split-lookalike", [msg], survivors=[Survivor(blob, label="media")], label=f"{label}:{where}"
    )


def delivered_unchanged(received: list[Any], case: Case) -> bool:
    """Whether the case's bytes reached the client as sent (media cannot carry a token: a value in it must
    block the message, or replace the base64 run that holds it)."""
    blob = _blob_of(case.messages[0].payload)
    return any(r is not None and blob in _strings(r) for r in received)


def _blob_of(payload: dict[str, Any]) -> str:
    if "structuredContent" in payload:
        return str(payload["structuredContent"]["data"])
    item = payload["content"][0]
    return str(item["resource"]["blob"] if item["type"] == "resource" else item["data"])


def _strings(node: Any) -> str:
    if isinstance(node, dict):
        return "\n".join(_strings(v) for v in node.values())
    if isinstance(node, list):
        return "\n".join(_strings(v) for v in node)
    return node if isinstance(node, str) else ""
