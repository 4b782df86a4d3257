"""The text a PNG, GIF, JPEG or TIFF holds in its own text slots, read by the format's structure.

Printable runs (`carried_text`) read a slot's text only where it lies in one piece. A format's framing can
cut it: a GIF comment is written in sub-blocks of at most 255 bytes, each after a length byte (`\\x07jane.do`
`\\x0ae@acme.com`), and a file may hold several comments; a PNG's text may be spread over several `tEXt`,
`zTXt` and `iTXt` chunks, each between a length, a type and a CRC; a JPEG's over several `COM` segments, an
XMP packet over extended-XMP segments. A viewer shows each slot's text, and a reader who joins the slots
reads the value whole. So this module walks the structure, and gives all slots of one kind glued in order,
one view (a lone slot: its text): a value cut between two chunks reads whole there.

A slot's bytes are read as text by their BOM, then by UTF-16/32 shape (`text_codecs.unit_codec`: an `iTXt`
written in UTF-16BE), then as UTF-8, at last as Latin-1. EXIF (in a JPEG's APP1, or a TIFF's own IFDs):
its ASCII strings, `UserComment` in its declared charset, and Windows' `XP…` UTF-16 tags.

Nothing is written back: media that carries a value blocks its message (`proxy.scan.blobs._media`). The
walk is bounded by the bytes it is given (and `MAX_SLOTS`); zTXt/iTXt streams are inflated by the caller's
`inflate`, within its budget. Damaged structure ends the walk with what was read so far.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from proxy.detect.text_codecs import bom_codec, unit_codec

MAX_SLOTS = 4096  # text slots read from one file at most
_MAX_IFDS = 8
_XMP = b"http://ns.adobe.com/xap/1.0/\x00"
_XMP_EXTENSION = b"http://ns.adobe.com/xmp/extension/\x00"
_XP_TAGS = frozenset(range(0x9C9B, 0x9CA0))  # XPTitle, XPComment, XPAuthor, XPKeywords, XPSubject
_USER_COMMENT = 0x9286
_SUB_IFDS = frozenset({0x8769, 0xA005})  # the Exif IFD and its interoperability IFD

Inflate = Callable[[bytes], bytes]


def as_text(raw: bytes) -> str:
    """A slot's bytes as text: BOM, UTF-16/32 shape, UTF-8, Latin-1 (module doc)."""
    found = bom_codec(raw)
    if found is not None:
        return raw[found[1] :].decode(found[0], "replace")
    even = raw + b"\x00" * (len(raw) % 2)
    shape = unit_codec(even)
    if shape is not None:
        return even.decode(shape, "replace").replace("\x00", "")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _views(kinds: dict[str, list[bytes]]) -> list[str]:
    out: list[str] = []
    for pieces in kinds.values():
        texts = [as_text(p).strip("\x00") for p in pieces]
        if len(pieces) == 1:  # pieces alone are read as printable runs already, and out of context here
            out += [t for t in texts if t.strip()]
        else:
            out.append("".join(texts))
            whole = as_text(b"".join(pieces))  # a UTF-16 text cut at an odd byte reads whole only so
            if whole not in out:
                out.append(whole)
    return out


def slot_text(raw: bytes, inflate: Inflate) -> str | None:
    """Each text slot's text and each kind's slots glued (module doc), one per line; None if none."""
    kinds: dict[str, list[bytes]] = {}
    if raw[:8] == b"\x89PNG\r\n\x1a\n":
        _png(raw, inflate, kinds)
    elif raw[:6] in (b"GIF87a", b"GIF89a"):
        _gif(raw, kinds)
    elif raw[:3] == b"\xff\xd8\xff":
        _jpeg(raw, kinds)
    elif raw[:4] in (b"II*\x00", b"MM\x00*"):
        kinds["exif"] = _tiff_strings(raw)
    views = _views({k: v for k, v in kinds.items() if v})
    return "\n".join(views) or None


# --------------------------------------------------------------------------------------------- PNG
def _png(raw: bytes, inflate: Inflate, kinds: dict[str, list[bytes]]) -> None:
    texts = kinds.setdefault("text", [])
    at = 8
    while at + 8 <= len(raw) and len(texts) < MAX_SLOTS:
        (size,) = struct.unpack(">I", raw[at : at + 4])
        kind, data = raw[at + 4 : at + 8], raw[at + 8 : at + 8 + size]
        at += 12 + size
        _key, _, rest = data.partition(b"\x00")
        if kind == b"tEXt":
            texts.append(rest)
        elif kind == b"zTXt" and rest[:1] == b"\x00":
            texts.append(inflate(rest[1:]))
        elif kind == b"iTXt" and len(rest) >= 2:
            compressed = rest[0] == 1
            _lang, _, rest = rest[2:].partition(b"\x00")
            translated, _, text = rest.partition(b"\x00")
            if translated:
                kinds.setdefault("keyword", []).append(translated)
            texts.append(inflate(text) if compressed else text)
        elif kind == b"IEND":
            break


# --------------------------------------------------------------------------------------------- GIF
def _sub_blocks(raw: bytes, at: int) -> tuple[bytes, int]:
    """The data of a run of sub-blocks starting at `at`, joined, and where the run ends."""
    parts = []
    while at < len(raw) and raw[at]:
        parts.append(raw[at + 1 : at + 1 + raw[at]])
        at += 1 + raw[at]
    return b"".join(parts), at + 1


def _gif(raw: bytes, kinds: dict[str, list[bytes]]) -> None:
    comments = kinds.setdefault("comment", [])
    at = 13
    if len(raw) > 10 and raw[10] & 0x80:
        at += 3 << ((raw[10] & 7) + 1)
    while at < len(raw) and len(comments) < MAX_SLOTS:
        if raw[at] == 0x21 and at + 1 < len(raw):
            label = raw[at + 1]
            data, at = _sub_blocks(raw, at + 2)
            if label == 0xFE:
                comments.append(data)
            elif label == 0x01:  # plain text extension: 12 bytes of grid and colours, then its text
                kinds.setdefault("plain", []).append(data[12:])
            elif label == 0xFF and data[:11] != b"XMP DataXMP":  # XMP is raw bytes (`printable_text`)
                kinds.setdefault("application", []).append(data[11:])
        elif raw[at] == 0x2C and at + 10 <= len(raw):
            packed = raw[at + 9]
            at += 10 + ((3 << ((packed & 7) + 1)) if packed & 0x80 else 0) + 1  # + local colours, code size
            _, at = _sub_blocks(raw, at)
        else:
            break


# -------------------------------------------------------------------------------------------- JPEG
def _jpeg(raw: bytes, kinds: dict[str, list[bytes]]) -> None:
    at, count = 2, 0
    while at + 4 <= len(raw) and raw[at] == 0xFF and count < MAX_SLOTS:
        marker = raw[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        if 0xD0 <= marker <= 0xD8 or marker == 0x01:
            at += 2
            continue
        if marker in (0xDA, 0xD9):  # entropy-coded data follows: the image, not text
            break
        (size,) = struct.unpack(">H", raw[at + 2 : at + 4])
        data = raw[at + 4 : at + 2 + size]
        at += 2 + size
        count += 1
        if marker == 0xFE:
            kinds.setdefault("comment", []).append(data)
        elif marker == 0xE1 and data.startswith(_XMP):
            kinds.setdefault("xmp", []).append(data[len(_XMP) :])
        elif marker == 0xE1 and data.startswith(_XMP_EXTENSION):
            kinds.setdefault("xmp", []).append(data[len(_XMP_EXTENSION) + 40 :])  # GUID, length, offset
        elif marker == 0xE1 and data.startswith(b"Exif\x00"):
            kinds.setdefault("exif", []).extend(_tiff_strings(data[6:]))


# -------------------------------------------------------------------------------------------- EXIF
def _tiff_strings(tiff: bytes) -> list[bytes]:
    """The text values of a TIFF structure's IFDs (EXIF): ASCII, UserComment, XP tags, as bytes a slot
    reads (`as_text`: a UTF-16 value has its shape)."""
    if tiff[:2] not in (b"II", b"MM") or len(tiff) < 8:
        return []
    order = "<" if tiff[:2] == b"II" else ">"
    out: list[bytes] = []
    todo: list[int] = [struct.unpack(order + "I", tiff[4:8])[0]]
    seen: set[int] = set()
    while todo and len(seen) < _MAX_IFDS:
        ifd = todo.pop(0)
        if ifd in seen or ifd + 2 > len(tiff):
            continue
        seen.add(ifd)
        (n,) = struct.unpack(order + "H", tiff[ifd : ifd + 2])
        for i in range(min(n, 512)):
            entry = tiff[ifd + 2 + 12 * i : ifd + 14 + 12 * i]
            if len(entry) < 12:
                break
            tag, kind, count = struct.unpack(order + "HHI", entry[:8])
            width = {1: 1, 2: 1, 3: 2, 4: 4, 7: 1}.get(kind, 0) * count
            value = entry[8 : 8 + width] if width <= 4 else b""
            if width > 4:
                (offset,) = struct.unpack(order + "I", entry[8:12])
                value = tiff[offset : offset + width]
            if tag in _SUB_IFDS and kind == 4:
                todo.append(struct.unpack(order + "I", entry[8:12])[0])
            elif kind == 2:
                out.append(value.rstrip(b"\x00"))
            elif tag in _XP_TAGS and kind == 1:
                out.append(value.rstrip(b"\x00").decode("utf-16-le", "replace").encode())
            elif tag == _USER_COMMENT and kind == 7:
                prefix, text = value[:8], value[8:]
                if prefix.startswith(b"UNICODE"):
                    text = text.decode("utf-16-" + ("le" if order == "<" else "be"), "replace").encode()
                out.append(text.rstrip(b"\x00"))
        end = ifd + 2 + 12 * min(n, 512)
        if end + 4 <= len(tiff):
            nxt = struct.unpack(order + "I", tiff[end : end + 4])[0]
            if nxt:
                todo.append(nxt)
    return out
