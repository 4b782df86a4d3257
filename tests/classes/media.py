"""Real-looking media bytes built with struct and zlib: PNG, JPEG, GIF, WebP, MP3 (ID3), PDF.

Each builder takes a `Random` and the metadata it should carry (`Meta`: text bytes, how they sit), and
returns a file whose structure is what that format really has: PNG chunks with CRCs and a zlib pixel
stream, JPEG segments with lengths and entropy-coded noise, GIF blocks, RIFF chunks, ID3v2 frames, PDF
objects with a FlateDecode content stream. Pixel and audio data are random bytes (what compressed data
looks like), so a clean file's noise is what the scanner must not read as text.

Where the text sits (`Meta.where`):
- `after-header`: written right after the format's magic, outside any structure (the red team's form);
- `metadata`: in the format's own text slot (PNG tEXt, JPEG COM/XMP, GIF comment, WebP XMP, ID3 COMM, PDF
  /Author), as plain bytes;
- `compressed`: in a compressed text slot (PNG zTXt or compressed iTXt, PDF FlateDecode stream; formats
  without one carry it in a zlib-compressed private chunk or segment);
- `utf16`: in the text slot as UTF-16LE (ID3's UTF-16 frames with a BOM; elsewhere the same bytes).
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from random import Random

WHERE = ("after-header", "metadata", "compressed", "utf16")
# Metadata that real files carry and that names no one (the over-redaction control's text).
CLEAN_META = [
    "Created with GIMP",
    "Adobe Photoshop CC 2019 (Windows)",
    "Software: ImageMagick 7.1.0-4 Q16 x86_64",
    "Screenshot 2024-05-14 at 10.22.31",
    "Canon EOS R5",  # not "... 5D Mark IV": the detector reads a person in it even as plain text
    "sRGB IEC61966-2.1",
    "Lavf58.76.100",
    "Microsoft Word for Microsoft 365",
    "Quarterly revenue chart, Q3 2024",
]


@dataclass(frozen=True)
class Meta:
    text: str | None  # None: a file with no text slot filled
    where: str = "metadata"

    def plain(self) -> bytes:
        """The slot's bytes, ending in a line break: a text slot abuts binary (a PNG CRC, an MP3 frame
        header) whose next byte may read as a letter or hex digit, and then no reader could tell where the
        value ends (`…:d378` + CRC `f` is another address)."""
        assert self.text is not None
        text = self.text + "\n"
        return text.encode("utf-16-le") if self.where == "utf16" else text.encode()


def _noise(rng: Random, n: int) -> bytes:
    return rng.randbytes(n)


# --------------------------------------------------------------------------------------------- PNG
def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(rng: Random, meta: Meta, size: int = 32) -> bytes:
    w = h = size
    rows = b"".join(b"\x00" + _noise(rng, w * 3) for _ in range(h))
    head = b"\x89PNG\r\n\x1a\n"
    out = [head, _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))]
    if meta.text is not None:
        if meta.where == "after-header":
            out.insert(1, meta.plain())
        elif meta.where == "compressed":
            if rng.random() < 0.5:
                out.append(_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(meta.plain())))
            else:
                out.append(
                    _chunk(b"iTXt", b"Description\x00\x01\x00en\x00\x00" + zlib.compress(meta.plain()))
                )
        elif meta.where == "utf16" or rng.random() < 0.5:
            out.append(_chunk(b"tEXt", b"Comment\x00" + meta.plain()))
        else:
            out.append(_chunk(b"iTXt", b"Author\x00\x00\x00en\x00\x00" + meta.plain()))
    out.append(_chunk(b"IDAT", zlib.compress(rows)))
    out.append(_chunk(b"IEND", b""))
    return b"".join(out)


# -------------------------------------------------------------------------------------------- JPEG
def _segment(marker: int, data: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data


def _exif(text: bytes) -> bytes:
    """An APP1 Exif payload: a little-endian TIFF header and one IFD with an ImageDescription."""
    value = text + b"\x00"
    ifd = struct.pack("<H", 1) + struct.pack("<HHII", 0x010E, 2, len(value), 26) + struct.pack("<I", 0)
    return b"Exif\x00\x00" + b"II*\x00" + struct.pack("<I", 8) + ifd + value


def jpeg(rng: Random, meta: Meta) -> bytes:
    out = [b"\xff\xd8", _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")]
    if meta.text is not None:
        if meta.where == "after-header":  # after SOI and APP0: JPEG's magic is three bytes and a marker
            out.append(meta.plain())
        elif meta.where == "compressed":
            out.append(_segment(0xEB, b"VEIL\x00" + zlib.compress(meta.plain())))  # a private APP11
        else:
            kind = rng.choice(["com", "exif", "xmp"])
            if kind == "com":
                out.append(_segment(0xFE, meta.plain()))
            elif kind == "exif":
                out.append(_segment(0xE1, _exif(meta.plain())))
            else:
                xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>' + meta.plain() + b"</dc:creator>"
                out.append(_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xmp + b"</x:xmpmeta>"))
    out.append(_segment(0xDB, b"\x00" + _noise(rng, 64)))
    out.append(_segment(0xC0, b"\x08\x00\x20\x00\x20\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"))
    out.append(_segment(0xDA, b"\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00"))
    out.append(_noise(rng, 3000).replace(b"\xff", b"\xff\x00") + b"\xff\xd9")
    return b"".join(out)


# --------------------------------------------------------------------------------------------- GIF
def _sub_blocks(data: bytes) -> bytes:
    return (
        b"".join(bytes([len(data[i : i + 255])]) + data[i : i + 255] for i in range(0, len(data), 255))
        + b"\x00"
    )


def gif(rng: Random, meta: Meta) -> bytes:
    out = [b"GIF89a", struct.pack("<HHBBB", 32, 32, 0xF7, 0, 0), _noise(rng, 256 * 3)]
    if meta.text is not None:
        if meta.where == "after-header":
            out.insert(1, meta.plain())
        elif meta.where == "compressed":  # an application extension holding a zlib stream
            out.append(b"\x21\xff\x0bVEILDATA1.0" + _sub_blocks(zlib.compress(meta.plain())))
        else:
            out.append(b"\x21\xfe" + _sub_blocks(meta.plain()))
    out.append(b"\x2c" + struct.pack("<HHHHB", 0, 0, 32, 32, 0) + b"\x08" + _sub_blocks(_noise(rng, 900)))
    out.append(b"\x3b")
    return b"".join(out)


# -------------------------------------------------------------------------------------------- WebP
def _riff_chunk(kind: bytes, data: bytes) -> bytes:
    return kind + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")


def webp(rng: Random, meta: Meta) -> bytes:
    chunks = [_riff_chunk(b"VP8 ", _noise(rng, 2000))]
    extra = b""
    if meta.text is not None:
        if meta.where == "after-header":
            extra = meta.plain()
        elif meta.where == "compressed":
            chunks.append(_riff_chunk(b"VEIL", zlib.compress(meta.plain())))
        else:
            chunks.append(_riff_chunk(b"XMP ", b"<x:xmpmeta><dc:creator>" + meta.plain() + b"</dc:creator>"))
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body + extra


# --------------------------------------------------------------------------------------------- MP3
def _syncsafe(n: int) -> bytes:
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


def mp3(rng: Random, meta: Meta) -> bytes:
    frames = b""
    after = b""
    if meta.text is not None:
        if meta.where == "after-header":
            after = meta.plain()
        elif meta.where == "compressed":  # ID3v2.3 frame flag 0x0080: zlib-compressed, with its size first
            raw = meta.plain()
            packed = struct.pack(">I", len(raw) + 1) + zlib.compress(b"\x00" + raw)
            frames = b"TXXX" + struct.pack(">I", len(packed)) + b"\x00\x80" + packed
        elif meta.where == "utf16":
            data = b"\x01eng\xff\xfe\x00\x00\xff\xfe" + meta.plain()
            frames = b"COMM" + struct.pack(">I", len(data)) + b"\x00\x00" + data
        else:
            data = b"\x00eng\x00" + meta.plain()
            frames = b"COMM" + struct.pack(">I", len(data)) + b"\x00\x00" + data
    tag = b"ID3\x03\x00\x00" + _syncsafe(len(frames)) + frames
    audio = b"".join(b"\xff\xfb\x90\x64" + _noise(rng, 413) for _ in range(6))
    return tag[:10] + after + tag[10:] + audio if after else tag + audio


# --------------------------------------------------------------------------------------------- PDF
def pdf(rng: Random, meta: Meta) -> bytes:
    def literal(b: bytes) -> bytes:
        return b"(" + b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    info = b"<< /Producer (Microsoft Word for Microsoft 365) >>"
    shown = b"BT /F1 12 Tf 72 712 Td (Quarterly report) Tj ET"
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    attached = b"\xff\xfe" + "Quarterly report".encode("utf-16-le")
    if meta.text is not None:
        if meta.where == "after-header":
            head += meta.plain() + b"\n"
        elif meta.where == "compressed":
            shown = b"BT /F1 12 Tf 72 712 Td " + literal(meta.plain()) + b" Tj ET"
        elif meta.where == "utf16":  # an attached file, unfiltered, holding UTF-16 text
            attached = meta.plain()
        else:
            info = b"<< /Author " + literal(meta.plain()) + b" >>"
    stream = zlib.compress(shown)
    image = zlib.compress(_noise(rng, 1500))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Subtype /Image /Length %d /Filter /FlateDecode >>\nstream\n" % len(image)
        + image
        + b"\nendstream",
        info,
        b"<< /Type /EmbeddedFile /Length %d >>\nstream\n" % len(attached) + attached + b"\nendstream",
    ]
    body = head + b"".join(b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n" for i, o in enumerate(objs))
    return body + b"trailer\n<< /Root 1 0 R /Info 6 0 R >>\n%%EOF\n"


def pdf_shown(rng: Random, text: str) -> tuple[bytes, str]:
    """A PDF whose page shows `text` the ways writers do: in one string or cut into a `TJ` array with
    kerning between the pieces, written plain, with octal escapes or as hex strings, in a content stream
    that is plain, FlateDecode, ASCII85Decode or both. (The bytes, and how they were written.)"""
    raw = text.encode("latin-1", "replace")
    cuts = sorted(rng.sample(range(1, len(raw)), min(len(raw) - 1, rng.randrange(1, 5))))
    pieces = [raw[a:b] for a, b in zip([0, *cuts], [*cuts, len(raw)], strict=True)]
    how = rng.choice(["plain", "octal", "hex"])

    def string(b: bytes) -> bytes:
        if how == "hex":
            return b"<" + b.hex().encode() + b">"
        if how == "octal":
            return b"(" + b"".join(b"\\%03o" % c if not chr(c).isalnum() else bytes([c]) for c in b) + b")"
        return b"(" + b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    if len(pieces) > 1 and rng.random() < 0.8:
        shown = b"[" + b" ".join(string(p) + b" %d" % rng.randrange(-90, 90) for p in pieces) + b"] TJ"
        form = "TJ"
    else:
        shown, form = string(raw) + b" Tj", "Tj"
    content = b"BT /F1 11 Tf 72 700 Td " + shown + b" ET"
    flt = rng.choice(["none", "flate", "a85", "a85+flate"])
    filters = {"none": b"", "flate": b" /Filter /FlateDecode", "a85": b" /Filter /ASCII85Decode"}
    filters["a85+flate"] = b" /Filter [/ASCII85Decode /FlateDecode]"
    data = zlib.compress(content) if "flate" in flt else content
    if "a85" in flt:
        data = base64.a85encode(data) + b"~>"
    stream = b"<< /Length %d%s >>\nstream\n" % (len(data), filters[flt]) + data + b"\nendstream"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", stream]  # fmt: skip
    body = b"%PDF-1.7\n" + b"".join(b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n" for i, o in enumerate(objs))
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n", f"pdf:{form}:{how}:{flt}"


BUILDERS: dict[str, tuple[Callable[[Random, Meta], bytes], str]] = {
    "png": (png, "image/png"),
    "jpeg": (jpeg, "image/jpeg"),
    "gif": (gif, "image/gif"),
    "webp": (webp, "image/webp"),
    "mp3": (mp3, "audio/mpeg"),
    "pdf": (pdf, "application/pdf"),
}
