"""Class: blobs of any label, charset, compression and base64 form are sniffed; only verified media passes."""

import base64
import bz2
import gzip
import json
import lzma
import zlib

import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.errors import LimitExceeded
from proxy.policy import Policy
from proxy.scan.blobs import open_blob
from proxy.scan.to_client import ToClientWalker
from tests.scan.generators import emails

SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

CHARSETS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252", "utf-32"]
COMPRESSIONS = {
    "none": lambda b: b,
    "gzip": gzip.compress,
    "zlib": zlib.compress,
    "bz2": bz2.compress,
    "xz": lambda b: lzma.compress(b, format=lzma.FORMAT_XZ),
    "deflate": lambda b: (lambda p: p.compress(b) + p.flush())(zlib.compressobj(wbits=-zlib.MAX_WBITS)),
    "zstd": lambda b: zstandard.ZstdCompressor().compress(b),
}
MIMES = [
    None,
    "text/plain",
    "application/octet-stream",
    "image/png",
    "application/pdf",
    "text/plain; charset={cs}",
    "application/json",
]


def _b64(raw: bytes, form: str) -> str:
    if form == "url":
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")
    if form == "mime":
        s = base64.b64encode(raw).decode()
        return "\r\n".join(s[i : i + 76] for i in range(0, len(s), 76))
    return base64.b64encode(raw).decode()


@st.composite
def text_blobs(draw):
    value = draw(emails)
    body = draw(st.sampled_from(["contact {}", '{{"owner": "{}"}}', "Über: {} - ok", "%PDF-1.4\n({})"]))
    charset = draw(st.sampled_from(CHARSETS))
    raw = body.format(value).encode(charset)
    packed = COMPRESSIONS[draw(st.sampled_from(sorted(COMPRESSIONS)))](raw)
    mime = draw(st.sampled_from(MIMES))
    mime = mime.format(cs=charset) if mime else None
    entry = {"uri": "file:///r", "blob": _b64(packed, draw(st.sampled_from(["std", "url", "mime"])))}
    if mime:
        entry["mimeType"] = mime
    return entry, value, charset


def test_a_value_in_a_text_blob_of_any_label_charset_compression_and_base64_form_is_tokenized(through):
    @SETTINGS
    @given(text_blobs())
    def check(case):
        entry, value, _charset = case
        out = json.loads(through({"contents": [entry]}, method="resources/read", tool=None))
        sent = out["contents"][0]["blob"]
        opened = open_blob(sent, entry.get("mimeType"), 10**7)
        assert opened is not None and opened.texts
        assert value not in "".join(opened.texts)
        assert "[[EMAIL_ADDRESS:" in "".join(opened.texts)  # patched in place, written back the same way

    check()


def test_a_blob_that_is_not_base64_is_scanned_as_text(through):
    @SETTINGS
    @given(emails)
    def check(value):
        out = through(
            {"contents": [{"uri": "x", "mimeType": "image/png", "blob": f"see {value}"}]},
            method="resources/read",
            tool=None,
        )
        assert value not in out

    check()


MEDIA = [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"\xff\xd8\xff\xe0\x00\x10JFIF",
    b"GIF89a\x01\x00",
    b"RIFF\x10\x00\x00\x00WEBPVP8 ",
    b"ID3\x03\x00",
    b"\x00\x00\x00\x18ftypmp42",
    b"OggS\x00\x02",
]


def test_real_media_passes_unchanged_whatever_its_label_and_the_policy_can_block_it(through):
    @SETTINGS
    @given(st.sampled_from(MEDIA), st.binary(min_size=0, max_size=64), st.sampled_from([None, "text/plain"]))
    def check(magic, rest, mime):
        blob = base64.b64encode(magic + rest).decode()
        entry = {"uri": "x", "blob": blob, **({"mimeType": mime} if mime else {})}
        out = json.loads(through({"contents": [entry]}, method="resources/read", tool=None))
        assert out["contents"][0]["blob"] == blob
        strict = Policy(sources=[], opaque_blobs="block")
        with pytest.raises(LimitExceeded, match="media"):
            ToClientWalker(strict, None).collect({"contents": [dict(entry)]})

    check()


def test_a_compression_bomb_of_any_kind_is_refused(through):
    small = Policy(sources=[], max_message_bytes=10_000)
    for name, pack in COMPRESSIONS.items():
        if name == "none":
            continue
        blob = base64.b64encode(pack(b"a" * 1_000_000)).decode()
        with pytest.raises(LimitExceeded, match="expands"):
            ToClientWalker(small, None).collect({"contents": [{"blob": blob}]})
