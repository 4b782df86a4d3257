"""What a hostile or merely unusual backend does to a value's text on the way out: normalized-view tricks
(invisible characters, confusables, other digits, other separators), encoded layers (base64, percent, HTML
entities, `\\u` escapes, quoted-printable, nested) and blob encodings (charsets, compressions).

Each transform is `f(rng, text) -> (text, label)`; the label is value-free and says what was done, for a
failure message or a report.
"""

from __future__ import annotations

import base64
import bz2
import gzip
import lzma
import zlib
from collections.abc import Callable
from random import Random
from urllib.parse import quote, quote_plus

import zstandard

from tests.detect.decoder_classes import BLOCK as MORE_BLOCK
from tests.detect.decoder_classes import LOCAL as MORE_LOCAL
from tests.detect.view_classes import compatibility_forms as compat_pool
from tests.detect.view_classes import invisible_pool, separator_pool

Transform = Callable[[Random, str], tuple[str, str]]

# ----------------------------------------------------------------------------------- normalized views
INVISIBLE = {
    "zwsp": "\u200b",
    "zwnj": "\u200c",
    "zwj": "\u200d",
    "word-joiner": "\u2060",
    "bom": "\ufeff",
    "soft-hyphen": "\u00ad",
    "lrm": "\u200e",
    "rlm": "\u200f",
    "lro": "\u202d",
    "pdf": "\u202c",
    "rli": "\u2067",
    "pdi": "\u2069",
    "vs16": "\ufe0f",
    "vs1": "\ufe00",
    "tag": "\U000e0041",
    "nul": "\x00",
    "mongolian-vs": "\u180e",
    "invisible-times": "\u2062",
    "hangul-filler": "\u3164",
    "halfwidth-hangul-filler": "\uffa0",
    "choseong-filler": "\u115f",
    "jungseong-filler": "\u1160",
    "braille-blank": "\u2800",
    "tatweel": "\u0640",
    "cgj": "\u034f",
    "replacement-char": "\ufffd",
    "vs17": "\U000e0100",
    "c1-control": "\x85",
    "strikethrough": "\u0336",
}
CONFUSABLE = {
    "a": "а",
    "e": "е",
    "o": "о",
    "c": "с",
    "p": "р",
    "x": "х",
    "i": "і",
    "j": "ј",
    "s": "ѕ",
    "y": "у",
    "A": "Α",
    "B": "В",
    "E": "Ε",
    "H": "Н",
    "K": "Κ",
    "M": "М",
    "O": "Ο",
    "P": "Р",
    "T": "Т",
    "X": "Χ",
    "D": "Ꭰ",
    "G": "Ԍ",
    "@": "＠",
    ".": "．",
}
DIGIT_ZEROS = {
    "arabic-indic": 0x660,
    "eastern-arabic": 0x6F0,
    "devanagari": 0x966,
    "bengali": 0x9E6,
    "thai": 0xE50,
    "fullwidth": 0xFF10,
    "math-bold": 0x1D7CE,
    "math-monospace": 0x1D7F6,
}
SEPARATORS = {
    "en-dash": "\u2013",
    "em-dash": "\u2014",
    "nbsp": "\u00a0",
    "narrow-nbsp": "\u202f",
    "thin-space": "\u2009",
    "middle-dot": "\u00b7",
    "underscore": "_",
    "slash": "/",
    "dot": ".",
    "fullwidth-hyphen": "\uff0d",
    "minus": "\u2212",
    "ideographic-space": "\u3000",
    "pipe": "|",
    "spaced-pipe": " | ",
    "tab": "\t",
    "cr": "\r",
    "lf": "\n",
    "bullet": " \u2022 ",
    "double-tab": "\t\t",
    "figure-space": "\u2007",
}


def invisible(rng: Random, text: str) -> tuple[str, str]:
    """The named invisibles, or one drawn from the whole property-defined class (default-ignorable, Cf,
    Mn/Me, Cc, join-causing, fillers and blanks: `tests.detect.view_classes.invisible_pool`)."""
    if rng.random() < 0.5:
        name = rng.choice(sorted(INVISIBLE))
        ch = INVISIBLE[name]
    else:
        ch = rng.choice(invisible_pool())
        name = f"U+{ord(ch):04X}"
    positions = sorted(rng.sample(range(1, len(text)), min(len(text) - 1, rng.randrange(1, 6))))
    out, last = [], 0
    for p in positions:
        out += [text[last:p], ch]
        last = p
    out.append(text[last:])
    return "".join(out), f"invisible:{name}"


def confusables(rng: Random, text: str) -> tuple[str, str]:
    spots = [i for i, c in enumerate(text) if c in CONFUSABLE]
    if not spots:
        return invisible(rng, text)
    chosen = set(rng.sample(spots, max(1, len(spots) // rng.choice([1, 2, 3]))))
    return "".join(CONFUSABLE[c] if i in chosen else c for i, c in enumerate(text)), "confusables"


def other_digits(rng: Random, text: str) -> tuple[str, str]:
    if not any(c.isdigit() for c in text):
        return confusables(rng, text)
    name = rng.choice(sorted(DIGIT_ZEROS))
    zero = DIGIT_ZEROS[name]
    return "".join(chr(zero + int(c)) if "0" <= c <= "9" else c for c in text), f"digits:{name}"


def separators(rng: Random, text: str) -> tuple[str, str]:
    """Digit groups joined by another separator: the value's own ` `, `-`, `.` between digits replaced, or
    a bare digit run split in fours."""
    if sum(c.isdigit() for c in text) < 7:
        return invisible(rng, text)
    if rng.random() < 0.5:
        name = rng.choice(sorted(SEPARATORS))
        sep = SEPARATORS[name]
    else:  # a run of one to three drawn from the class (`tests.detect.view_classes.separator_pool`)
        sep = "".join(rng.choice(separator_pool()) for _ in range(rng.randrange(1, 4)))
        sep = sep if sep not in (" ", "-") else sep + "|"
        name = "run:" + "+".join(f"U+{ord(c):04X}" for c in sep)
    if text.isdigit():
        return sep.join(text[i : i + 4] for i in range(0, len(text), 4)), f"separator:{name}"
    out = [
        sep if c in " -." and 0 < i < len(text) - 1 and text[i - 1].isdigit() else c
        for i, c in enumerate(text)
    ]
    result = "".join(out)
    return (result, f"separator:{name}") if result != text else invisible(rng, text)


def compatibility_forms(rng: Random, text: str) -> tuple[str, str]:
    """Letters and digits written as forms NFKC folds back (fullwidth, mathematical, enclosed, super- and
    subscript) or as another script's digits."""
    forms = compat_pool()
    spots = [i for i, c in enumerate(text) if c in forms]
    if not spots:
        return invisible(rng, text)
    chosen = set(rng.sample(spots, max(1, len(spots) // rng.choice([1, 2]))))
    return "".join(rng.choice(forms[c]) if i in chosen else c for i, c in enumerate(text)), "compat-forms"


AT_FORMS = (" @ ", "[at]", "(at)", " [at] ", " (AT) ", " AT ", " at ", "{at}")
DOT_FORMS = (" . ", "[dot]", "(dot)", " [dot] ", " (DOT) ", " DOT ", " dot ")


def spelled_email(rng: Random, text: str) -> tuple[str, str]:
    """An email address with its `@` and its domain's last dot spelled out or spaced (`jane[at]acme[dot]com`,
    `jane . doe @ acme . com`); other text gets invisible characters instead."""
    if text.count("@") != 1 or "." not in text.split("@")[1]:
        return invisible(rng, text)
    local, domain = text.split("@")
    at, dot = rng.choice(AT_FORMS), rng.choice(DOT_FORMS)
    head, _, tld = domain.rpartition(".")
    if rng.random() < 0.5:
        local, head = local.replace(".", dot), head.replace(".", dot)
    return f"{local}{at}{head}{dot}{tld}", f"spelled:{at.strip()}:{dot.strip()}"


def smuggled(rng: Random, text: str) -> tuple[str, str]:
    """The value in characters a screen does not show but a model reads: printable ASCII as Unicode tag
    characters (other characters as they are), or its UTF-8 bytes as variation selectors after an emoji."""
    if rng.random() < 0.5:
        return "".join(chr(0xE0000 + ord(c)) if " " <= c <= "~" else c for c in text), "smuggled:tags"
    raw = text.encode()
    selectors = "".join(chr(0xFE00 + b) if b < 16 else chr(0xE0100 + b - 16) for b in raw)
    return rng.choice(["\U0001f600", "\u2764", "x"]) + selectors, "smuggled:variation-selectors"


NORMALIZED: dict[str, Transform] = {
    "smuggled": smuggled,
    "invisible": invisible,
    "confusables": confusables,
    "other-digits": other_digits,
    "separators": separators,
    "compat-forms": compatibility_forms,
    "spelled-email": spelled_email,
}


# ----------------------------------------------------------------------------------- encoded layers
def b64(rng: Random, text: str) -> tuple[str, str]:
    return base64.b64encode(text.encode()).decode(), "base64"


def framed_b64(rng: Random, text: str) -> tuple[str, str]:
    """Base64 of binary that is mostly text: a record's length prefix or msgpack-like framing (bytes that
    are no UTF-8) around the text."""
    raw = text.encode()
    head = rng.choice([bytes([0x00, 0x01, 0x02, 0xFF, 0xFE]), bytes([0xDA, len(raw) >> 8, len(raw) & 0xFF])])
    tail = rng.choice([b"", bytes([0xA4, 0x00]), bytes([0x80, 0xFF])])  # the next field's type byte
    return base64.b64encode(head + raw + tail).decode(), "framed-base64"


def byte_by_byte(rng: Random, text: str) -> tuple[str, str]:
    """The text's bytes one escape or one number at a time: C octal, CSS escapes, hex pairs with a
    separator (a dump), or decimal character codes (`String.fromCharCode`)."""
    raw = text.encode()
    how = rng.choice(["octal", "css", "hex-pairs", "char-codes", "xxd", "hexdump-c"])
    if how in ("xxd", "hexdump-c"):
        return _dump(raw, how), how
    if how == "octal":
        return "".join(f"\\{b:03o}" for b in raw), how
    if how == "css":
        return "".join(f"\\{b:x} " for b in raw), how
    if how == "hex-pairs":
        sep = rng.choice([" ", ":", "-"])
        return sep.join(f"{b:02x}" if rng.random() < 0.5 else f"{b:02X}" for b in raw), f"{how}:{sep!r}"
    if any(not 32 <= b <= 126 for b in raw):
        return "".join(f"\\{b:03o}" for b in raw), "octal"
    return rng.choice([", ", ","]).join(map(str, raw)), how


def _dump(raw: bytes, tool: str) -> str:
    """`raw` as `xxd` or `hexdump -C` print it: offsets, hex, and the characters column."""
    lines = []
    for at in range(0, len(raw), 16):
        chunk = raw[at : at + 16]
        shown = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        if tool == "xxd":
            groups = " ".join(chunk[i : i + 2].hex() for i in range(0, len(chunk), 2))
            lines.append(f"{at:08x}: {groups:<39}  {shown}")
        else:
            left, right = " ".join(f"{b:02x}" for b in chunk[:8]), " ".join(f"{b:02x}" for b in chunk[8:])
            lines.append(f"{at:08x}  {left:<23}  {right:<23}  |{shown}|")
    return "\n".join(lines) + "\n"


def b64url(rng: Random, text: str) -> tuple[str, str]:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("="), "base64url"


def mime_b64(rng: Random, text: str) -> tuple[str, str]:
    """MIME line-wrapped base64 (76 columns, CRLF); padded with prose so it spans several lines."""
    filler = " The quarterly report is attached; numbers are preliminary until the audit closes."
    raw = base64.b64encode((text + filler * 2).encode()).decode()
    return "\r\n".join(raw[i : i + 76] for i in range(0, len(raw), 76)), "mime-base64"


def percent(rng: Random, text: str) -> tuple[str, str]:
    if rng.random() < 0.5:
        return quote(text, safe=""), "percent"
    return "".join(f"%{b:02X}" for b in text.encode()), "percent-all"


def form_body(rng: Random, text: str) -> tuple[str, str]:
    return f"source=crm&count={rng.randrange(1, 99)}&note={quote_plus(text)}&ok=1", "form-body"


_NAMED = {
    "@": "&commat;",
    ".": "&period;",
    "-": "&hyphen;",
    "+": "&plus;",
    ":": "&colon;",
    " ": "&nbsp;",
    "(": "&lpar;",
    ")": "&rpar;",
    "_": "&lowbar;",
    "/": "&sol;",
}


def html_entities(rng: Random, text: str) -> tuple[str, str]:
    style = rng.choice(["named", "decimal", "hex", "mixed"])
    out = []
    for c in text:
        pick = style if style != "mixed" else rng.choice(["named", "decimal", "hex", "plain"])
        if pick == "named" and c in _NAMED:
            out.append(_NAMED[c])
        elif pick == "decimal" and (c.isalnum() or c in _NAMED) and rng.random() < 0.7:
            out.append(f"&#{ord(c)};")
        elif pick == "hex" and (c.isalnum() or c in _NAMED) and rng.random() < 0.7:
            out.append(f"&#x{ord(c):x};")
        else:
            out.append(c)
    return "".join(out), f"html:{style}"


def u_escapes(rng: Random, text: str) -> tuple[str, str]:
    """JSON-style `\\u0040` escapes written as plain characters in a text that is not JSON."""
    every = rng.random() < 0.5
    return "".join(f"\\u{ord(c):04x}" if every or not c.isalnum() else c for c in text), "u-escapes"


def quoted_printable(rng: Random, text: str) -> tuple[str, str]:
    """Quoted-printable with the value's punctuation and some of its characters as `=XX`."""
    data = text.encode()
    out = "".join(f"={b:02X}" if not chr(b).isalpha() or rng.random() < 0.3 else chr(b) for b in data)
    lines = [out[i : i + 72] for i in range(0, len(out), 72)]
    return "=\r\n".join(_no_split_escape(lines)), "quoted-printable"


def _no_split_escape(lines: list[str]) -> list[str]:
    fixed: list[str] = []
    carry = ""
    for line in lines:
        line = carry + line
        cut = line.rfind("=", max(0, len(line) - 2))
        carry, line = (line[cut:], line[:cut]) if cut >= 0 else ("", line)
        fixed.append(line)
    if carry:
        fixed.append(carry)
    return [f for f in fixed if f]


def _named(name: str, encoder: Callable[[str, Random], str]) -> Transform:
    return lambda rng, text: (encoder(text, rng), name)


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def compressed_b64(rng: Random, text: str) -> tuple[str, str]:
    """The text compressed (gzip, zlib, bz2, xz or raw deflate), then base64: what an API's compressed
    field or a `Content-Encoding` body pasted into text looks like."""
    packers = {"gzip": gzip.compress, "zlib": zlib.compress, "bz2": bz2.compress, "xz": lzma.compress}
    packers["deflate"] = _raw_deflate
    name = rng.choice(sorted(packers))
    return base64.b64encode(packers[name](text.encode())).decode(), f"{name}-base64"


ENCODINGS: dict[str, Transform] = {
    "base64": b64,
    "compressed-base64": compressed_b64,
    "base64url": b64url,
    "mime-base64": mime_b64,
    "percent": percent,
    "form-body": form_body,
    "html": html_entities,
    "u-escapes": u_escapes,
    "quoted-printable": quoted_printable,
    # Loose escapes and other block shapes (`tests.detect.decoder_classes`): `&#64`, `&commat`, `\\x40`,
    # `\\u{40}`, `\\U00000040`, `%u0040`, lowercase `=40`; chunked base64, UTF-16 base64, hex.
    **{name: _named(name, f) for name, f in {**MORE_LOCAL, **MORE_BLOCK}.items()},
}


def layered(rng: Random, text: str, depth: int) -> tuple[str, str]:
    labels = []
    for _ in range(depth):
        name = rng.choice(sorted(ENCODINGS))
        text, label = ENCODINGS[name](rng, text)
        labels.append(label)
    return text, "+".join(labels)


# ----------------------------------------------------------------------------------- blobs
CHARSETS = ("utf-8", "utf-16", "utf-16-le", "latin-1", "cp1252")
COMPRESSIONS: dict[str, Callable[[bytes], bytes]] = {
    "none": lambda b: b,
    "gzip": gzip.compress,
    "zlib": zlib.compress,
    "bz2": bz2.compress,
    "xz": lzma.compress,
    "deflate": lambda b: _raw_deflate(b),  # no magic bytes: read by inflating to the stream's end
    "zstd": lambda b: zstandard.ZstdCompressor().compress(b),
}
BLOB_MIME = (
    None,
    "application/octet-stream",
    "image/png",
    "text/plain",
    "application/json",
    "text/csv; charset=utf-16",
    "application/gzip",
    "",
    "audio/wav",
)


def blob(rng: Random, text: str) -> tuple[str, str | None, str]:
    """(base64 or base64url blob, the label it carries, what was done)."""
    charset = rng.choice(CHARSETS)
    try:
        data = text.encode(charset)
    except UnicodeEncodeError:
        charset, data = "utf-8", text.encode()
    comp = rng.choice(sorted(COMPRESSIONS))
    data = COMPRESSIONS[comp](data)
    url = rng.random() < 0.3
    encoded = base64.urlsafe_b64encode(data).decode().rstrip("=") if url else base64.b64encode(data).decode()
    mime = rng.choice(BLOB_MIME)
    return encoded, mime, f"blob:{charset}:{comp}:{'b64url' if url else 'b64'}:mime={mime}"
