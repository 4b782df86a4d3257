"""Encoded layers beyond the strict forms, as classes (`tests.detect.strategies.LAYERS` holds the strict
ones): escapes a browser, a shell or a sloppy encoder reads as well (entities without `;`, `\\xNN`,
`\\u{NN}`, `\\U0000NNNN`, `%uNNNN`, lowercase quoted-printable), and block encodings in their other shapes
(base64 cut into chunks by spaces or line breaks at any width, base64 of UTF-16 without a BOM, hex).

Each encoder is `f(text, rnd) -> text`; `LOCAL` ones work character by character (the context and the
value are encoded apart), `BLOCK` ones encode a run whole (the run must go).
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable

Encoder = Callable[[str, random.Random], str]


def loose_entities(s: str, rnd: random.Random) -> str:
    """Entities without their `;`: decimal or hex for printable ASCII, `&commat`/`&period` by name."""
    out = []
    for c in s:
        form = rnd.randrange(4)
        if form == 3 and c in "@.":
            out.append("&commat" if c == "@" else "&period")
        elif form == 0 and " " <= c <= "~":
            out.append(f"&#{ord(c)}")
        elif form == 1 and " " <= c <= "~":
            out.append(f"&#x{ord(c):x}")
        else:
            out.append(c if c != "&" else "&amp;")
    return "".join(out)


def _escaped(s: str, rnd: random.Random, fmt: Callable[[int], str]) -> str:
    return "".join(fmt(ord(c)) if not c.isalnum() or rnd.random() < 0.5 else c for c in s)


def x_escapes(s: str, rnd: random.Random) -> str:
    return "".join(
        "".join(f"\\x{b:02x}" for b in c.encode()) if not c.isalnum() or rnd.random() < 0.5 else c for c in s
    )


def u_braces(s: str, rnd: random.Random) -> str:
    return _escaped(s, rnd, lambda o: f"\\u{{{o:x}}}")


def u_long(s: str, rnd: random.Random) -> str:
    return _escaped(s, rnd, lambda o: f"\\U{o:08x}")


def percent_u(s: str, rnd: random.Random) -> str:
    return _escaped(s, rnd, lambda o: f"%u{o:04x}")


def qp_lower(s: str, rnd: random.Random) -> str:
    """Quoted-printable with punctuation escaped in lowercase hex (`=40`, `=2e`, `=3d`)."""
    return "".join("".join(f"={b:02x}" for b in c.encode()) if not c.isalnum() else c for c in s)


def chunked_base64(s: str, rnd: random.Random) -> str:
    """Base64 cut every 4, 8, 12, 16 or 20 characters by a space, a tab or a line break."""
    raw = base64.b64encode(s.encode()).decode()
    width = rnd.choice([4, 8, 12, 16, 20])
    sep = rnd.choice([" ", "\n", "\r\n", "\t"])
    return sep.join(raw[i : i + width] for i in range(0, len(raw), width))


def utf16_base64(s: str, rnd: random.Random) -> str:
    return base64.b64encode(s.encode(rnd.choice(["utf-16-le", "utf-16-be"]))).decode()


def hex_text(s: str, rnd: random.Random) -> str:
    h = s.encode().hex()
    return rnd.choice(["", "0x"]) + (h.upper() if rnd.random() < 0.5 else h)


LOCAL: dict[str, Encoder] = {
    "html-loose": loose_entities,
    "x-escapes": x_escapes,
    "u-braces": u_braces,
    "u-long": u_long,
    "percent-u": percent_u,
    "qp-lower": qp_lower,
}
BLOCK: dict[str, Encoder] = {
    "base64-chunked": chunked_base64,
    "base64-utf16": utf16_base64,
    "hex": hex_text,
}
LAYERS = {**LOCAL, **BLOCK}
