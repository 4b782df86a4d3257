"""A resource's `blob`, sniffed whatever its label says.

The `mimeType` is the backend's claim, so it decides nothing but a charset hint. The blob's base64 (standard
or base64url, padded or not, MIME line-wrapped) is decoded; known compressions (gzip, zlib, bz2, xz/lzma,
zip) are opened within the message size limit, layer by layer; what is inside is then either *media*,
verified by its magic bytes (PNG, JPEG, GIF, WebP, TIFF, ICO, WAV, AVI, MP3, MP4/MOV/HEIC/AVIF, OGG, FLAC,
WebM/MKV), which passes as opaque (or is blocked: `limits.opaque_blobs: block`) once the text it carries
(`proxy.detect.carried_text`: printable runs, UTF-16 runs, inflated zlib streams) is found clean — a value in
it blocks the message; a binary PDF is read the same way (not opaque); or it is read as text:
by its BOM, the declared charset, UTF-8, UTF-16 by shape, charset-normalizer's guess, and at last Latin-1,
which reads any byte string one character per byte — so an unknown binary is scanned too, and a patch
(tokens are ASCII) re-encodes to the same bytes around it (a guessed charset in which ASCII is not ASCII
also has the bytes' printable runs read). A patched blob is written back the way it came: same charset
and BOM, same compressions, same base64 alphabet, padding and line width.

Magic bytes come from a small table, not a library: only what the table names can pass unscanned, so it is
kept short and auditable; a library that recognises hundreds of formats would only widen what passes.
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
from dataclasses import dataclass, field

from proxy.errors import LimitExceeded, blocked

_MAX_LAYERS = 4  # compressions inside compressions (and zips) opened at most


@dataclass
class Decoded:
    """The texts a blob holds (in order) and how to write the blob back with them patched."""

    texts: list[str]
    encode: Callable[[list[str]], bytes]
    opaque: bool = False  # holds media that passes unscanned (or is blocked by policy)
    # Read as text only by a guess or as Latin-1: the base64 reading itself may be wrong (a digit run is
    # valid base64 too), so the blob string is scanned as a text as well.
    weak: bool = False
    codecs: list[str] = field(default_factory=list)  # how each layer was read, outermost first (for tests)


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


# --------------------------------------------------------------------------- media magic

_MEDIA: tuple[tuple[int, bytes], ...] = (
    (0, b"\x89PNG\r\n\x1a\n"),
    (0, b"\xff\xd8\xff"),  # JPEG
    (0, b"GIF87a"),
    (0, b"GIF89a"),
    (0, b"II*\x00"),  # TIFF little-endian
    (0, b"MM\x00*"),  # TIFF big-endian
    (0, b"\x00\x00\x01\x00"),  # ICO
    (0, b"ID3"),  # MP3 with an ID3 tag
    (0, b"\xff\xfb"),  # MP3 frame sync (MPEG-1 layer III)
    (0, b"\xff\xf3"),
    (0, b"\xff\xf2"),
    (0, b"OggS"),
    (0, b"fLaC"),
    (0, b"\x1aE\xdf\xa3"),  # WebM / Matroska (EBML)
    (4, b"ftyp"),  # MP4, MOV, M4A, HEIC, AVIF
)
_RIFF_MEDIA = frozenset({b"WEBP", b"WAVE", b"AVI "})


_MEDIA_FIRST = frozenset(magic[0] for at, magic in _MEDIA if at == 0) | {ord("R")}


def is_media(raw: bytes) -> bool:
    if not raw or (raw[0] not in _MEDIA_FIRST and raw[4:8] != b"ftyp"):  # most bytes: a set lookup
        return False
    if raw[:4] == b"RIFF" and raw[8:12] in _RIFF_MEDIA:
        return True
    return any(raw[at : at + len(magic)] == magic for at, magic in _MEDIA)


# --------------------------------------------------------------------------- compressions


def _too_big(limit: int) -> LimitExceeded:
    return blocked(f"a compressed blob expands past {limit} bytes")


def _bounded(data: bytes, limit: int) -> bytes:
    if len(data) > limit:
        raise _too_big(limit)
    return data


def _inflate(raw: bytes, wbits: int, limit: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    data = inflater.decompress(raw, limit + 1)
    if inflater.unconsumed_tail:
        raise _too_big(limit)
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
            raise _too_big(limit)
        raise OSError("truncated")
    if d.unused_data:
        raise OSError("trailing data")
    return _bounded(data, limit)


def _xz(raw: bytes, limit: int) -> bytes:
    d = lzma.LZMADecompressor()
    data = d.decompress(raw, limit + 1)
    if not d.eof:
        if not d.needs_input:
            raise _too_big(limit)
        raise lzma.LZMAError("truncated")
    if d.unused_data:
        raise lzma.LZMAError("trailing data")
    return _bounded(data, limit)


def _is_zlib(raw: bytes) -> bool:
    return len(raw) > 2 and raw[0] == 0x78 and (raw[0] << 8 | raw[1]) % 31 == 0


_COMPRESSIONS: tuple[
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
)


def open_layer(raw: bytes, limit: int) -> list[bytes] | None:
    """What one compression layer (or a zip archive, member by member) holds, within `limit` bytes in all;
    None when `raw` is none of them (or only looks like one). The detector opens base64 runs in text with
    it (`proxy.detect.carried_text`), so a text field and a blob open the same compressions alike."""
    for _name, matches, open_, _close in _COMPRESSIONS:
        if matches(raw):
            try:
                return [open_(raw, limit)]
            except (zlib.error, OSError, lzma.LZMAError, EOFError, ValueError):
                continue
    if raw[:4] == b"PK\x03\x04":
        return _zip_members(raw, limit)
    return None


def _zip_members(raw: bytes, limit: int) -> list[bytes] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        out: list[bytes] = []
        total = 0
        for info in archive.infolist():
            if info.flag_bits & 0x1:
                raise blocked("an encrypted zip member is unreadable")
            with archive.open(info) as f:
                data = f.read(limit + 1)
            total += len(data)
            if total > limit:
                raise _too_big(limit)
            out.append(data)
    except (zipfile.BadZipFile, zlib.error, OSError, NotImplementedError, EOFError, ValueError):
        return None
    return out


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, mtime=0)


# --------------------------------------------------------------------------- text

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
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


def _utf16_shape(raw: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-range text has a NUL in every other byte."""
    sample = raw[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _guess(raw: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:65536]).best()
    return best.encoding if best is not None else None


def decode_text(raw: bytes, charset: str | None) -> tuple[str, str, bytes, bool]:
    """(text, codec, prefix, guessed): how these bytes read as text. Always succeeds (Latin-1 at last);
    `guessed` when no BOM, declared charset, UTF-8 or UTF-16 shape said so."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(codec), codec, bom, False
            except UnicodeDecodeError:
                break
    for candidate in (charset, _utf16_shape(raw), "utf-8"):  # ASCII as UTF-16 is valid UTF-8 too
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


# --------------------------------------------------------------------------- the sniffer


def sniff(raw: bytes, charset: str | None, limit: int, depth: int = 0) -> Decoded:
    """What these bytes hold, layer by layer (see the module docstring)."""
    if depth > _MAX_LAYERS:
        raise blocked("a blob nests compressions too deep")
    for name, matches, open_, close in _COMPRESSIONS:
        if not matches(raw):
            continue
        try:
            inner_raw = open_(raw, limit)
        except (zlib.error, OSError, lzma.LZMAError, EOFError, ValueError):
            continue  # looked like it, is not: read as what it is
        inner = sniff(inner_raw, None, limit, depth + 1)
        return Decoded(
            inner.texts,
            _layered(close, inner.encode),
            opaque=inner.opaque,
            weak=False,  # a valid compressed stream: the base64 reading is right (a text scan opens it too)
            codecs=[name, *inner.codecs],
        )
    if raw[:4] == b"PK\x03\x04":
        archive = _zip(raw, limit, depth)
        if archive is not None:
            return archive
    if is_media(raw):
        return _media(raw)
    text, codec, prefix, guessed = decode_text(raw, charset)
    if guessed and raw[:5] == b"%PDF-":  # a binary PDF (one that is text is patched as text)
        return _media(raw, opaque=False)  # scanned, not media: `opaque_blobs: block` does not block it
    if guessed and not _ascii_safe(codec):
        # A guessed charset in which ASCII does not read as ASCII (UTF-16, EBCDIC): the printable runs of
        # the bytes are a second reading (`_guarded`).
        return _guarded(raw, text, codec, prefix)
    return Decoded([text], lambda texts: prefix + texts[0].encode(codec), codecs=[codec], weak=guessed)


_ASCII_PROBE = bytes(range(0x20, 0x7F))


def _ascii_safe(codec: str) -> bool:
    try:
        return _ASCII_PROBE.decode(codec) == _ASCII_PROBE.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return False


def _media(raw: bytes, opaque: bool = True) -> Decoded:
    """Media (or a PDF) passes as it is, but the text it carries (metadata, text written after a real magic
    header, a PDF's strings and FlateDecode streams: `proxy.detect.carried_text`) is scanned; if anything in
    it is personal, the message is blocked, as a blob the policy blocks is. Such a file cannot be written
    back with a token in it (a PDF's offsets, a compressed chunk), a token in place of the whole blob would
    hand the client a broken file under a media label, and reading it whole as Latin-1 text has a name
    finder read persons in its compressed bytes (and patch them)."""
    from proxy.detect.carried_text import printable_text  # proxy.detect opens compressions with ours

    carried = printable_text(raw)
    texts = [carried] if carried else []

    def encode(new: list[str]) -> bytes:
        if new != texts:
            raise blocked("a media or PDF blob carries personal data")
        return raw

    return Decoded(texts, encode, opaque=opaque, codecs=["media" if opaque else "pdf"])


def _guarded(raw: bytes, text: str, codec: str, prefix: bytes) -> Decoded:
    """Bytes read as text, plus the text they carry that this reading cannot show
    (`proxy.detect.carried_text`): that text cannot be rewritten with a token in it, so a value found in it
    blocks the message."""
    from proxy.detect.carried_text import printable_text

    carried = printable_text(raw)
    extra = [carried] if carried else []

    def encode(new: list[str]) -> bytes:
        if new[1:] != extra:
            raise blocked("a blob carries personal data it cannot patch")
        return prefix + new[0].encode(codec)

    return Decoded([text, *extra], encode, codecs=[codec, "carried"], weak=True)


def _layered(
    close: Callable[[bytes], bytes], inner: Callable[[list[str]], bytes]
) -> Callable[[list[str]], bytes]:
    return lambda texts: close(inner(texts))


def _zip(raw: bytes, limit: int, depth: int) -> Decoded | None:
    """Every member of a zip archive sniffed in turn; written back member for member."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
        total = 0
        members: list[tuple[zipfile.ZipInfo, Decoded]] = []
        for info in infos:
            if info.flag_bits & 0x1:
                raise blocked("an encrypted zip member is unreadable")
            with archive.open(info) as f:
                data = f.read(limit + 1)
            total += len(data)
            if total > limit:
                raise _too_big(limit)
            members.append((info, sniff(data, None, limit, depth + 1)))
    except (zipfile.BadZipFile, zlib.error, OSError, NotImplementedError, EOFError, ValueError):
        return None
    texts = [t for _, d in members for t in d.texts]
    counts = [len(d.texts) for _, d in members]

    def encode(new: list[str]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            pos = 0
            for (info, d), n in zip(members, counts, strict=True):
                z.writestr(info, d.encode(new[pos : pos + n]), compress_type=info.compress_type)
                pos += n
        return out.getvalue()

    return Decoded(
        texts,
        encode,
        opaque=any(d.opaque for _, d in members),
        weak=False,  # a valid archive: the base64 reading is right
        codecs=["zip"],
    )


@dataclass
class Blob:
    """A blob as the walker sees it: its texts, how to write it back, whether it holds media."""

    texts: list[str]
    write: Callable[[list[str]], str]
    opaque: bool
    weak: bool
    codecs: list[str]


def open_blob(blob: str, mime: object, limit: int) -> Blob | None:
    """The blob's content, or None when it is not base64 at all (the walker then scans it as a text)."""
    decoded = decode_base64(blob)
    if decoded is None:
        return None
    raw, form = decoded
    inner = sniff(raw, charset_of(mime), limit)
    return Blob(
        inner.texts, lambda texts: form.encode(inner.encode(texts)), inner.opaque, inner.weak, inner.codecs
    )
