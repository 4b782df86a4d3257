"""A resource's `blob`, sniffed whatever its label says.

The `mimeType` is the backend's claim, so it decides nothing but a charset hint. The blob's base64 (standard
or base64url, padded or not, MIME line-wrapped) is decoded; known compressions (gzip, zlib, raw deflate, bz2,
xz/lzma, zip) are opened within the message size limit, layer by layer; what is inside is then either *media*,
verified by its magic bytes (PNG, JPEG, GIF, WebP, TIFF, ICO, WAV, AVI, MP3, MP4/MOV/HEIC/AVIF, OGG, FLAC,
WebM/MKV), which passes as opaque (or is blocked: `limits.opaque_blobs: block`) once the text it carries
(`proxy.detect.carried_text`: printable runs, UTF-16 runs, inflated zlib streams) is found clean — a value in
it blocks the message; a binary PDF is read the same way (not opaque); or it is read as text: by its BOM, the
declared charset, UTF-8, UTF-16 by shape, charset-normalizer's guess, and at last Latin-1, which reads any
byte string one character per byte — so an unknown binary is scanned too, and a patch (tokens are ASCII)
re-encodes to the same bytes around it (a guessed charset in which ASCII is not ASCII also has the bytes'
printable runs read). A patched blob is written back the way it came: same charset and BOM, same compressions,
same base64 alphabet, padding and line width.

Magic bytes come from a small table, not a library: only what the table names can pass unscanned, so it is
kept short and auditable; a library that recognises hundreds of formats would only widen what passes.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from proxy.errors import blocked
from proxy.scan.blob_layers import (
    COMPRESSIONS,
    charset_of,
    decode_base64,
    decode_text,
    unit_shape,
    zip_members,
)

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


# --------------------------------------------------------------------------- the sniffer


def sniff(raw: bytes, charset: str | None, limit: int, depth: int = 0) -> Decoded:
    """What these bytes hold, layer by layer (see the module docstring)."""
    if depth > _MAX_LAYERS:
        raise blocked("a blob nests compressions too deep")
    for name, matches, open_, close in COMPRESSIONS:
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
    # A declared charset is the backend's claim, as its mimeType is: one in which ASCII does not read as
    # ASCII (UTF-16, EBCDIC), declared for bytes without its BOM or shape, is as good as a guess.
    claimed = not guessed and not prefix and codec == charset and unit_shape(raw) is None
    if (guessed or claimed) and not _ascii_safe(codec):
        # A guessed charset in which ASCII does not read as ASCII (UTF-16, EBCDIC): the printable runs of
        # the bytes are a second reading (`_guarded`).
        return _guarded(raw, text, codec, prefix)
    if raw[:5] == b"%PDF-":  # a PDF that is text: patched as text, but what its pages show is read too
        return _pdf_as_text(raw, text, codec, prefix, guessed)
    return Decoded([text], lambda texts: prefix + texts[0].encode(codec), codecs=[codec], weak=guessed)


def _pdf_as_text(raw: bytes, text: str, codec: str, prefix: bytes, guessed: bool) -> Decoded:
    """A PDF written as text: its text is patched where it reads as written; what its text operators show
    (`proxy.detect.pdf_text`: strings cut by `TJ`, escaped, hex, in encoded streams) is a second reading
    that cannot be patched, so a value found only there blocks the message."""
    from proxy.detect.carried_text import pdf_shown_text

    shown = pdf_shown_text(raw, beside=text)
    extra = [shown] if shown else []

    def encode(new: list[str]) -> bytes:
        if new[1:] != extra:
            raise blocked("a PDF shows personal data it cannot patch")
        return prefix + new[0].encode(codec)

    return Decoded([text, *extra], encode, codecs=[codec, "pdf-shown"], weak=guessed)


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
    from proxy.detect.carried_text import media_text  # proxy.detect opens compressions with ours

    carried = media_text(raw)  # printable runs, and what a PDF's pages show
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
    read = zip_members(raw, limit)
    if read is None:
        return None
    try:
        members = [(info, sniff(data, None, limit, depth + 1)) for info, data in read]
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
