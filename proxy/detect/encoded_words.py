"""MIME encoded words (RFC 2047): `=?UTF-8?Q?Mar=C3=ADa_Gonz=C3=A1lez?=`, `=?utf-8?B?TWFyaWEgR29uemFsZXo=?=`.

Mail headers (`From:`, `To:`, `Subject:`) and the exports of mail and directory tools write non-ASCII text
so; every mail reader shows it decoded. A pattern over the text sees `Mar=C3=ADa_Gonz=C3=A1lez`: neither
quoted-printable alone (the `_` is a space) nor base64 alone (the run is framed). An encoded word is a
*local* encoding (`decoders`): a run of them, the blanks between them dropped as RFC 2047 says, decodes in
place to its text, and a value found in it maps back to the whole run.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re

# One encoded word: `=?charset?Q|B?text?=` (a language tag after `*` allowed: `=?utf-8*en?Q?…?=`).
_WORD = r"=\?[A-Za-z0-9_.:+-]{1,40}(?:\*[A-Za-z-]{1,20})?\?[QqBb]\?[^?\s]{0,200}\?="
# A run of them: blanks between two encoded words are no part of the text (RFC 2047 §6.2).
ENCODED_WORDS = _WORD + r"(?:[ \t]*(?:\r?\n[ \t]+)?" + _WORD + r"){0,20}"
_ONE = re.compile(_WORD)
_Q_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")


def decode_run(run: str) -> str:
    """The text a run of encoded words spells; the run unchanged where a word is not valid (an unknown
    charset, bytes the charset cannot read, bad base64): a decoder never raises."""
    raw: list[tuple[bytes, str]] = []
    for m in _ONE.finditer(run):
        charset_part, encoding, body = m.group()[2:-2].split("?", 2)
        charset = charset_part.split("*", 1)[0]
        try:
            codecs.lookup(charset)
        except LookupError:
            return run
        data = body.encode("ascii", "replace")
        if encoding in "Qq":
            data = _Q_ESCAPE.sub(lambda b: bytes([int(b.group(1), 16)]), data.replace(b"_", b" "))
        else:
            try:
                data = base64.b64decode(data + b"=" * (-len(data) % 4), validate=False)
            except (binascii.Error, ValueError):
                return run
        # Words of one charset in a row are joined before decoding: a character's bytes may be split.
        if raw and raw[-1][1] == charset.casefold():
            raw[-1] = (raw[-1][0] + data, raw[-1][1])
        else:
            raw.append((data, charset.casefold()))
    try:
        return "".join(data.decode(charset) for data, charset in raw)
    except (UnicodeDecodeError, LookupError):
        return run
