"""The decoded layers of a text that carry a record: JSON (or any keyed notation) inside a percent-encoded
`state=` parameter, a JWT's payload, a `data:` URL, an HTML attribute, a gzip+base64 blob in a text.

The detectors read every such layer, but only as text: a value a key rule names (an account name, a bare
customer number under `customerId`) has no shape they could find it by. `keyed_text` reads the pairs of
the layers returned here, so their values become field values of the message, learnt before detection;
the known-value matching on the same decoded views then tokenizes the encoded run where it stands. A text
is peeled only when it holds an encoded record's opening (an encoded quote or brace, base64 of `{"`, a gzip
header in base64); layers go as deep as the detector's own (`MAX_DEPTH` base64 layers, `MAX_ROUNDS` local
encodings each).
"""

from __future__ import annotations

import re

from proxy.detect import decoders, views
from proxy.scan.joined_scan import holding

MAX_DEPTH = 3
# An encoded record's opening: percent-encoded `"`, `'`, `{` or `%` (a layer over a layer); an HTML-escaped
# quote; JSON escapes of a quote in a text that is no JSON; base64 of `{"`, `{'`, `{ "`, `[{` (standard or
# URL-safe); a gzip stream's first bytes in base64.
_OPENINGS = (
    "%22", "%27", "%7B", "%7b", "%25", "&quot", "&#34", "&#x22", "&#39", "&#x27", "&apos", '\\"', "\\u0022",
    "eyJ", "eyI", "eyc", "eyAi", "W3s", "H4sI",
)  # fmt: skip
_OPENING = re.compile("|".join(re.escape(o) for o in _OPENINGS))


def layers(texts: list[str], joined: str | None = None) -> list[str]:
    """Every decoded layer of the texts that hold an encoded record's opening (`joined`: as `holding`)."""
    out: list[str] = []
    for text in holding(texts, _OPENINGS, _OPENING, joined):
        _peel(text, 0, out)
    return out


def _peel(text: str, depth: int, out: list[str]) -> None:
    decoded = [v.text for v in decoders.decoded_views(views.View(text))]
    out.extend(decoded)
    if depth >= MAX_DEPTH:
        return
    for layer in (text, *decoded):
        for a, b in decoders.base64_runs(layer):
            inner = decoders.decode_base64(layer[a:b])
            if inner is not None:
                out.append(inner)
                _peel(inner, depth + 1, out)
