"""Blobs and media: a value inside bytes the proxy sniffs (resource blobs, image/audio data).
Documented: charsets, gzip/zlib/bz2/xz/zstd/zip opened; media read by printable and UTF-16 runs,
inflated zTXt and PDF Flate/ASCII85 text. Here: containers and layouts beside those.

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_blobs.py
"""

import base64
import bz2
import gzip
import io
import lzma
import struct
import sys
import zipfile
import zlib
from collections import defaultdict

from driver import judge, report, run, save
from values import email


def B(b):
    return base64.b64encode(b).decode()


def png(chunks):
    def ch(typ, data):
        return (
            struct.pack(">I", len(data)) + typ + data + struct.pack(">I", zlib.crc32(typ + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + ch(b"IHDR", ihdr)
        + b"".join(ch(t, d) for t, d in chunks)
        + ch(b"IDAT", idat)
        + ch(b"IEND", b"")
    )


def gif_comment(text, block=7):
    data = text.encode()
    subs = b"".join(
        bytes([len(data[i : i + block])]) + data[i : i + block] for i in range(0, len(data), block)
    )
    return (
        b"GIF89a"
        + struct.pack("<HHBBB", 1, 1, 0, 0, 0)
        + b"\x21\xfe"
        + subs
        + b"\x00"
        + b"\x2c"
        + struct.pack("<HHHHB", 0, 0, 1, 1, 0)
        + b"\x02\x02\x44\x01\x00"
        + b"\x3b"
    )


def pdf(stream_bytes, filt, xref=True):
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d%s >>\nstream\n" % (len(stream_bytes), (b" /Filter " + filt) if filt else b"")
        + stream_bytes
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    if not xref:
        return out + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(
        b"%010d 00000 n \n" % o for o in offs
    )
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)


def lzw_encode(data):
    # PDF LZWDecode (EarlyChange 1), MSB-first codes
    table = {bytes([i]): i for i in range(256)}
    nxt, width, bits, nbits, out = 258, 9, 0, 0, bytearray()

    def emit(code):
        nonlocal bits, nbits
        bits = (bits << width) | code
        nbits += width
        while nbits >= 8:
            nbits -= 8
            out.append((bits >> nbits) & 0xFF)

    emit(256)
    w = b""
    for c in data:
        wc = w + bytes([c])
        if wc in table:
            w = wc
        else:
            emit(table[w])
            table[wc] = nxt
            nxt += 1
            if nxt + 1 >= (1 << width) and width < 12:
                width += 1
            w = bytes([c])
    if w:
        emit(table[w])
    emit(257)
    if nbits:
        out.append((bits << (8 - nbits)) & 0xFF)
    return bytes(out)


def tj_per_char(s):
    return ("BT /F1 12 Tf 10 100 Td " + " ".join(f"({ch}) Tj 6 0 Td" for ch in s) + " ET").encode()


def zip_with(name, data, method):
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", compression=method) as z:
        z.writestr(name, data)
    return bio.getvalue()


def nest_gzip(b, n):
    for _ in range(n):
        b = gzip.compress(b)
    return b


def nest_b64gzip(s, n):
    b = s.encode()
    for _ in range(n):
        b = base64.b64encode(gzip.compress(b))
    return b


def pdf_cid(text):
    """A PDF as Word/Chrome write it: a Type0 font with Identity-H encoding, the page text as 2-byte glyph
    ids in hex, and a ToUnicode CMap that maps each glyph id to its character (pdftotext reads it)."""
    chars = sorted(set(text))
    gid = {ch: i + 3 for i, ch in enumerate(chars)}  # glyph ids that are not the code points
    shown = "".join(f"{gid[ch]:04X}" for ch in text)
    content = zlib.compress(f"BT /F1 12 Tf 10 100 Td <{shown}> Tj ET".encode())
    bf = "\n".join(f"<{gid[ch]:04X}> <{ord(ch):04X}>" for ch in chars)
    cmap = zlib.compress(
        (
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Adobe-Identity-UCS def "
            "/CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange "
            f"{len(chars)} beginbfchar\n{bf}\nendbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
        ).encode()
    )
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Calibri /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Calibri /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(
        b"%010d 00000 n \n" % o for o in offs
    )
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)


KINDS = {
    "pdf-flate-no-xref": lambda e: (
        "resource",
        "application/pdf",
        pdf(zlib.compress(f"BT /F1 12 Tf 10 100 Td ({e}) Tj ET".encode()), b"/FlateDecode", xref=False),
    ),
    "pdf-flate-with-xref (control)": lambda e: (
        "resource",
        "application/pdf",
        pdf(zlib.compress(f"BT /F1 12 Tf 10 100 Td ({e}) Tj ET".encode()), b"/FlateDecode"),
    ),
    "pdf-lzw-no-xref": lambda e: (
        "resource",
        "application/pdf",
        pdf(lzw_encode(f"BT /F1 12 Tf 10 100 Td ({e}) Tj ET".encode()), b"/LZWDecode", xref=False),
    ),
    "pdf-identity-h-tounicode": lambda e: ("resource", "application/pdf", pdf_cid("Contact: " + e)),
    "png-itxt-compressed": lambda e: (
        "image",
        "image/png",
        png([(b"iTXt", b"Author\x00\x01\x00\x00\x00" + zlib.compress(e.encode()))]),
    ),
    "png-ztxt (documented, control)": lambda e: (
        "image",
        "image/png",
        png([(b"zTXt", b"Author\x00\x00" + zlib.compress(e.encode()))]),
    ),
    "png-text-split-two-chunks": lambda e: (
        "image",
        "image/png",
        png(
            [
                (b"tEXt", b"Author\x00" + e.split("@")[0].encode()),
                (b"tEXt", b"Domain\x00@" + e.split("@")[1].encode()),
            ]
        ),
    ),
    "gif-comment-subblocks": lambda e: ("image", "image/gif", gif_comment("contact " + e)),
    "pdf-asciihex-stream": lambda e: (
        "resource",
        "application/pdf",
        pdf(f"BT /F1 12 Tf 10 100 Td ({e}) Tj ET".encode().hex().encode() + b">", b"/ASCIIHexDecode"),
    ),
    "pdf-lzw-stream": lambda e: (
        "resource",
        "application/pdf",
        pdf(lzw_encode(f"BT /F1 12 Tf 10 100 Td ({e}) Tj ET".encode()), b"/LZWDecode"),
    ),
    "pdf-tj-per-char-flate": lambda e: (
        "resource",
        "application/pdf",
        pdf(zlib.compress(tj_per_char(e)), b"/FlateDecode"),
    ),
    "lzma-alone-blob": lambda e: (
        "resource",
        "application/octet-stream",
        lzma.compress(("owner " + e).encode(), format=lzma.FORMAT_ALONE),
    ),
    "lzma-raw-blob": lambda e: (
        "resource",
        "application/octet-stream",
        lzma.compress(("owner " + e).encode(), format=lzma.FORMAT_RAW, filters=[{"id": lzma.FILTER_LZMA2}]),
    ),
    "zip-lzma-member": lambda e: (
        "resource",
        "application/zip",
        zip_with("a.txt", "owner " + e, zipfile.ZIP_LZMA),
    ),
    "zip-bzip2-member": lambda e: (
        "resource",
        "application/zip",
        zip_with("a.txt", "owner " + e, zipfile.ZIP_BZIP2),
    ),
    "zip-in-zip": lambda e: (
        "resource",
        "application/zip",
        zip_with("inner.zip", zip_with("a.txt", "owner " + e, zipfile.ZIP_DEFLATED), zipfile.ZIP_DEFLATED),
    ),
    "gzip-x6": lambda e: ("resource", "application/octet-stream", nest_gzip(("owner " + e).encode(), 6)),
    "b64gzip-x4-in-text": lambda e: ("text", None, nest_b64gzip("owner " + e, 4)),
    "bz2-of-gzip-blob": lambda e: (
        "resource",
        "application/octet-stream",
        bz2.compress(gzip.compress(("owner " + e).encode())),
    ),
    "utf16be-no-bom-blob": lambda e: ("resource", "text/plain", ("owner " + e).encode("utf-16-be")),
    "utf32-blob": lambda e: ("resource", "text/plain", ("owner " + e).encode("utf-32")),
    "ebcdic-cp500-blob": lambda e: ("resource", "text/plain", ("owner " + e).encode("cp500")),
}


def case_for(kind, e):
    where, mime, data = KINDS[kind](e)
    if where == "image":
        item = {"type": "image", "mimeType": mime, "data": B(data)}
    elif where == "text":
        item = {"type": "text", "text": "payload " + data.decode()}
    else:
        item = {"type": "resource", "resource": {"uri": "file:///blob", "mimeType": mime, "blob": B(data)}}
    enc = item.get("data") or item.get("resource", {}).get("blob") or data.decode()
    return {
        "cls": kind,
        "desc": f"{kind} ({len(data)} bytes)",
        "reply": {"result": {"content": [item]}},
        "plant": [e, enc[:60]],
    }


def main():
    want = sys.argv[1:] or list(KINDS)
    cases = [case_for(k, email()) for k in want for _ in range(3)]
    _, outs, late, err = run(cases)
    save("blobs", cases, outs, err)
    rows = judge(cases, outs, err, late)
    report(rows)
    tally = defaultdict(lambda: [0, 0])
    for v, c, _o, b in rows:
        tally[c["cls"]][1] += 1
        tally[c["cls"]][0] += v.startswith("LEAK")
    print("\nper class:")
    for k, (a, b) in tally.items():
        print(f"  {k}: {a}/{b}")


if __name__ == "__main__":
    main()
