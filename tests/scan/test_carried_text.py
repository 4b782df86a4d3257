"""Class: text carried by bytes that are no text (`proxy.detect.carried_text`), through the real chain.

- Media (PNG, JPEG, GIF, WebP, MP3, PDF) × where its text sits (after the magic, in a metadata slot, in a
  compressed slot, as UTF-16) × value kind × carrier (a resource blob, an image/audio content item's data):
  a file carrying a value never reaches the client as it was sent (blob: the message is blocked or the
  value patched in place; content data: the base64 run is replaced by a token), and no value is readable.
- The same media with no personal text (or with ordinary software metadata) passes byte for byte, as a blob,
  as content data, and as a base64 data URI inside a text.
- Compressed text (gzip, zlib, bz2, xz, zip) × base64 form (standard, url-safe, MIME-wrapped) × placement
  (text content, a JSON string inside a text, a log notification's data) in a TEXT field is tokenized.
"""

import base64
import bz2
import gzip
import io
import json
import lzma
import random
import zipfile
import zlib

import pytest
import zstandard
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from proxy.detect import carried_text
from proxy.errors import LimitExceeded
from tests.classes.judge import leaked
from tests.classes.media import BUILDERS, CLEAN_META, WHERE, Meta
from tests.classes.planting import Planted, person, reliable_value, sentence

SETTINGS = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: a failure is described by its labels
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
KINDS = ["email", "phone", "card", "name"]
RANDOMS = st.randoms(use_true_random=False, note_method_calls=False)


def _value(rng: random.Random, kind: str) -> tuple[Planted, str]:
    if kind == "name":
        planted, _, _ = person(rng, reliable=True)
        return planted, rng.choice(["Owner: {v}", "Account manager: {v}", "Contact person: {v}"]).format(
            v=planted.text
        )
    planted = reliable_value(rng, kind)
    return planted, sentence(rng, planted)


def _carry(through, media: str, raw: bytes, carrier: str) -> tuple[str | None, str]:
    """(what the client got in place of the base64 sent, None if the message was blocked; the base64)."""
    mime = BUILDERS[media][1]
    b64 = base64.b64encode(raw).decode()
    try:
        if carrier == "blob":
            out = through(
                {"contents": [{"uri": "file:///m", "mimeType": mime, "blob": b64}]}, "resources/read"
            )
            return json.loads(out)["contents"][0]["blob"], b64
        kind = "audio" if mime.startswith("audio") else "image"
        out = through({"content": [{"type": kind, "mimeType": mime, "data": b64}]})
        return json.loads(out)["content"][0]["data"], b64
    except LimitExceeded:
        return None, b64


@SETTINGS
@given(
    rng=RANDOMS,
    media=st.sampled_from(sorted(BUILDERS)),
    where=st.sampled_from(WHERE),
    kind=st.sampled_from(KINDS),
    carrier=st.sampled_from(["blob", "data"]),
)
def test_media_carrying_a_value_never_reaches_the_client_as_sent(through, rng, media, where, kind, carrier):
    planted, text = _value(rng, kind)
    raw = BUILDERS[media][0](rng, Meta(text, where))
    got, sent = _carry(through, media, raw, carrier)
    assert got != sent, f"{media}/{where}/{kind}/{carrier} passed unchanged"
    if got is not None:
        assert not leaked([planted], {"v": got}), f"{media}/{where}/{kind}/{carrier} leaked"


@SETTINGS
@given(
    rng=RANDOMS,
    media=st.sampled_from(sorted(BUILDERS)),
    meta=st.sampled_from([None, *CLEAN_META]),
    where=st.sampled_from(["metadata", "compressed"]),
    carrier=st.sampled_from(["blob", "data", "data-uri"]),
)
def test_media_with_no_personal_text_passes_byte_for_byte(through, rng, media, meta, where, carrier):
    raw = BUILDERS[media][0](rng, Meta(meta, where))
    if carrier == "data-uri":
        uri = f"data:{BUILDERS[media][1]};base64,{base64.b64encode(raw).decode()}"
        text = f"Here is the chart: ![chart]({uri})"
        out = json.loads(through({"content": [{"type": "text", "text": text}]}))
        assert out["content"][0]["text"] == text
        return
    got, sent = _carry(through, media, raw, carrier)
    assert got == sent, f"{media}/{meta}/{carrier} altered or blocked"


def _zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("note.txt", data)
    return out.getvalue()


COMPRESSIONS = {
    "gzip": gzip.compress,
    "zlib": zlib.compress,
    "bz2": bz2.compress,
    "xz": lambda b: lzma.compress(b, format=lzma.FORMAT_XZ),
    "zip": _zip,
    "zstd": lambda b: zstandard.ZstdCompressor().compress(b),
}


def _b64(raw: bytes, form: str) -> str:
    if form == "url":
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")
    s = base64.b64encode(raw).decode()
    if form == "wrapped":
        return "\n".join(s[i : i + 76] for i in range(0, len(s), 76))
    return s


@SETTINGS
@given(
    rng=RANDOMS,
    comp=st.sampled_from(sorted(COMPRESSIONS)),
    form=st.sampled_from(["std", "url", "wrapped"]),
    placement=st.sampled_from(["text", "json-string", "log-data"]),
    kind=st.sampled_from(["email", "phone", "card"]),
)
def test_compressed_base64_in_a_text_field_is_tokenized(through, rng, comp, form, placement, kind):
    planted, text = _value(rng, kind)
    run = _b64(COMPRESSIONS[comp](text.encode()), form)
    if placement == "text":
        out = through({"content": [{"type": "text", "text": run}]})
    elif placement == "json-string":
        out = through({"content": [{"type": "text", "text": json.dumps({"attachment": run, "rows": 3})}]})
    else:
        params = {"level": "info", "logger": "export", "data": f"payload={run}"}
        out = through(params, method="notifications/message", kind="notification", tool=None)
    assert run not in out, f"{comp}/{form}/{placement} passed unchanged"
    assert not leaked([planted], json.loads(out)), f"{comp}/{form}/{placement} leaked"


def test_carried_text_past_its_cap_blocks_rather_than_passes_unscanned():
    raw = b"\x89PNG\r\n\x1a\n" + b"plain words here " * (carried_text.MAX_TEXT // 16)
    with pytest.raises(LimitExceeded):
        carried_text.printable_text(raw)


def test_a_compressed_stream_inside_media_is_inflated_within_the_bomb_limit(monkeypatch):
    monkeypatch.setattr(carried_text, "INFLATE_LIMIT", 10_000)
    raw = b"GIF89a" + zlib.compress(b"a" * 100_000)
    with pytest.raises(LimitExceeded):
        carried_text.printable_text(raw)


def test_noise_reads_as_no_text():
    """A megabyte of random bytes (what compressed pixels look like) carries no text to scan."""
    rng = random.Random(7)
    texts = [carried_text.printable_text(rng.randbytes(1 << 20)) for _ in range(3)]
    assert sum(len(t or "") for t in texts) < 200


@SETTINGS
@given(rng=RANDOMS, order=st.sampled_from(["utf-16-be", "utf-16-le"]), last=st.booleans())
def test_utf16_text_in_binary_is_read_whole_in_either_byte_order(rng, order, last):
    """Text in UTF-16 inside binary (a PNG tEXt chunk written so), whatever its byte order, is read whole,
    its last character too when the value ends the text and random bytes follow it."""
    value = reliable_value(rng)
    text = f"contact: {value.text}" if last else sentence(rng, value)
    after = bytes([rng.randrange(1, 256)]) + rng.randbytes(8)  # a CRC: its first byte is no zero
    raw = rng.randbytes(24) + b"Comment\x00" + text.encode(order) + after
    carried = carried_text.printable_text(raw) or ""
    assert leaked([value], carried) == [value], f"{order}: {carried!r}"
