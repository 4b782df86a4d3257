"""The layers of a blob, decoded: base64 (either alphabet, padded or not, line-wrapped: the form is kept
to write it back the same way), compressions opened within a size limit (a bomb is blocked, not
expanded), and bytes read as text by BOM, declared charset, UTF-8, UTF-16 by shape, a guess, and at last
Latin-1. What the decoded bytes *are* (media, PDF, text) is decided by the sniffer in `proxy.scan.blobs`.
"""

from __future__ import annotations

import base64
import binascii
import bz2
import codecs
import io
import lzma
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from proxy.detect.text_codecs import BOMS, unit_codec
from proxy.errors import LimitExceeded, blocked

# --------------------------------------------------------------------------- base64


@dataclass(frozen=True)
class B64Form:
    url: bool
    padded: bool
    width: int  # line length of a MIME-wrapped blob; 0 when on one line
    newline: str

    def encode(self, raw: bytes) -> str:
        out = (base64.urlsafe_b64encode(raw) if self.url else base64.b64encode(raw)).decode("ascii")
        if not self.padded:
            out = out.rstrip("=")
        if self.width:
            out = self.newline.join(out[i : i + self.width] for i in range(0, len(out), self.width))
        return out


_B64_CHARS = re.compile(r"[A-Za-z0-9+/\-_=]*")


def decode_base64(blob: str) -> tuple[bytes, B64Form] | None:
    """The bytes of a base64 or base64url blob and its form, or None if it is not base64 at all."""
    lines = blob.split()
    compact = "".join(lines)
    if not _B64_CHARS.fullmatch(compact):
        return None
    url = "-" in compact or "_" in compact
    if url and ("+" in compact or "/" in compact):
        return None
    core = compact.rstrip("=")
    if "=" in core or len(core) % 4 == 1 or len(compact) - len(core) > 2:
        return None
    try:
        raw = base64.b64decode(core + "=" * (-len(core) % 4), altchars=b"-_" if url else None, validate=True)
    except (binascii.Error, ValueError):
        return None
    width = len(lines[0]) if len(lines) > 1 else 0
    newline = "\r\n" if "\r\n" in blob else "\n"
    # Unpadded only where padding was due and left out; a blob that needed none is written back padded.
    padded = compact != core or len(core) % 4 == 0
    return raw, B64Form(url, padded, width, newline)


# --------------------------------------------------------------------------- compressions


def too_big(limit: int) -> LimitExceeded:
    return blocked(f"a compressed blob expands past {limit} bytes")


def _bounded(data: bytes, limit: int) -> bytes:
    if len(data) > limit:
        raise too_big(limit)
    return data


def _inflate(raw: bytes, wbits: int, limit: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    data = inflater.decompress(raw, limit + 1)
    if inflater.unconsumed_tail:
        raise too_big(limit)
    if not inflater.eof:
        raise zlib.error("truncated")
    if inflater.unused_data:  # another gzip member, or trailing bytes: read as what they are, not dropped
        raise zlib.error("trailing data")
    return _bounded(data, limit)


def _bz2(raw: bytes, limit: int) -> bytes:
    d = bz2.BZ2Decompressor()
    data = d.decompress(raw, limit + 1)
    if not d.eof:
        if not d.needs_input:
            raise too_big(limit)
        raise OSError("truncated")
    if d.unused_data:
        raise OSError("trailing data")
    return _bounded(data, limit)


def _xz(raw: bytes, limit: int) -> bytes:
    d = lzma.LZMADecompressor()
    data = d.decompress(raw, limit + 1)
    if not d.eof:
        if not d.needs_input:
            raise too_big(limit)
        raise lzma.LZMAError("truncated")
    if d.unused_data:
        raise lzma.LZMAError("trailing data")
    return _bounded(data, limit)


def _zstd(raw: bytes, limit: int) -> bytes:
    import zstandard

    try:
        reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
        data = reader.read(limit + 1)
    except zstandard.ZstdError as exc:  # one error family for `open_layer`: not a zstd frame after all
        raise ValueError("not a zstd frame") from exc
    if len(data) > limit:
        raise too_big(limit)
    return data


def _zstd_pack(data: bytes) -> bytes:
    import zstandard

    return zstandard.ZstdCompressor().compress(data)


def is_raw_deflate(raw: bytes) -> bool:
    """Whether `raw` starts as a deflate stream does (`_inflate` then checks it to its end, within the
    limit): reserved block types and bad codes fail within the first bytes."""
    if len(raw) < 2 or (raw[0] >> 1) & 3 == 3:
        return False
    try:
        zlib.decompressobj(-zlib.MAX_WBITS).decompress(raw[:1024], 4096)
    except zlib.error:
        return False
    return True


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def _is_zlib(raw: bytes) -> bool:
    return len(raw) > 2 and raw[0] == 0x78 and (raw[0] << 8 | raw[1]) % 31 == 0


COMPRESSIONS: tuple[
    tuple[str, Callable[[bytes], bool], Callable[[bytes, int], bytes], Callable[[bytes], bytes]], ...
] = (
    (
        "gzip",
        lambda r: r[:2] == b"\x1f\x8b",
        lambda r, n: _inflate(r, 16 + zlib.MAX_WBITS, n),
        lambda d: _gzip(d),
    ),
    ("zlib", _is_zlib, lambda r, n: _inflate(r, zlib.MAX_WBITS, n), zlib.compress),
    ("bz2", lambda r: r[:3] == b"BZh", _bz2, bz2.compress),
    ("xz", lambda r: r[:6] == b"\xfd7zXZ\x00", _xz, lambda d: lzma.compress(d, format=lzma.FORMAT_XZ)),
    ("lzma", lambda r: r[:3] == b"\x5d\x00\x00", _xz, lambda d: lzma.compress(d, format=lzma.FORMAT_ALONE)),
    ("zstd", lambda r: r[:4] == b"\x28\xb5\x2f\xfd", _zstd, _zstd_pack),
    # Last: raw deflate (what zlib wraps, as a ZIP member or `Content-Encoding: deflate` sometimes sends it)
    # has no magic bytes; a byte string is one only if it inflates to its very end (`_inflate`).
    ("deflate", is_raw_deflate, lambda r, n: _inflate(r, -zlib.MAX_WBITS, n), _deflate),
)


def open_layer(raw: bytes, limit: int) -> list[bytes] | None:
    """What one compression layer (or a zip archive, member by member) holds, within `limit` bytes in all;
    None when `raw` is none of them (or only looks like one). The detector opens base64 runs in text with
    it (`proxy.detect.carried_text`), so a text field and a blob open the same compressions alike."""
    for _name, matches, open_, _close in COMPRESSIONS:
        if matches(raw):
            try:
                return [open_(raw, limit)]
            except (zlib.error, OSError, lzma.LZMAError, EOFError, ValueError):
                continue
    if raw[:4] == b"PK\x03\x04":
        members = zip_members(raw, limit)
        return None if members is None else [data for _, data in members]
    return None


def zip_members(raw: bytes, limit: int) -> list[tuple[zipfile.ZipInfo, bytes]] | None:
    """Every member of a zip archive with its bytes, within `limit` bytes in all; None if `raw` is no
    readable archive. An encrypted member blocks the message: it cannot be scanned."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        out: list[tuple[zipfile.ZipInfo, bytes]] = []
        total = 0
        for info in archive.infolist():
            if info.flag_bits & 0x1:
                raise blocked("an encrypted zip member is unreadable")
            with archive.open(info) as f:
                data = f.read(limit + 1)
            total += len(data)
            if total > limit:
                raise too_big(limit)
            out.append((info, data))
    except (zipfile.BadZipFile, zlib.error, OSError, NotImplementedError, EOFError, ValueError):
        return None
    return out


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, mtime=0)


# --------------------------------------------------------------------------- text

_CHARSET = re.compile(r";\s*charset\s*=\s*\"?([A-Za-z0-9_.:\-]+)", re.IGNORECASE)


def charset_of(mime: object) -> str | None:
    if not isinstance(mime, str):
        return None
    m = _CHARSET.search(mime)
    if m is None:
        return None
    try:
        return codecs.lookup(m.group(1)).name
    except LookupError:
        return None


def unit_shape(raw: bytes) -> str | None:
    """UTF-16 or UTF-32 without a BOM: ASCII-range text has zero bytes at fixed places of each code unit
    (`text_codecs.unit_codec`)."""
    return unit_codec(raw)


def _guess(raw: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:65536]).best()
    return best.encoding if best is not None else None


def decode_text(raw: bytes, charset: str | None) -> tuple[str, str, bytes, bool]:
    """(text, codec, prefix, guessed): how these bytes read as text. Always succeeds (Latin-1 at last);
    `guessed` when no BOM, declared charset, UTF-8 or UTF-16 shape said so."""
    for bom, codec in BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(codec), codec, bom, False
            except UnicodeDecodeError:
                break
    for candidate in (charset, unit_shape(raw), "utf-8"):  # ASCII as UTF-16/32 is valid UTF-8 too
        if candidate is not None:
            try:
                return raw.decode(candidate), candidate, b"", False
            except (UnicodeDecodeError, LookupError):
                pass
    if b"\x00" not in raw[:4096]:
        guess = _guess(raw)
        if guess is not None:
            try:
                return raw.decode(guess), guess, b"", True
            except (UnicodeDecodeError, LookupError):
                pass
    return raw.decode("latin-1"), "latin-1", b"", True
