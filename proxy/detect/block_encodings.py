"""Binary-to-text blocks with their own frame: Ascii85 (`<~ … ~>`, as PostScript, PDF and Python's
`a85encode(adobe=True)` write it) and uuencode (`begin 644 name` … `end`). Each block is read as the UTF-8
text its bytes spell (undecodable bytes as blanks), set apart by spaces; a value found there maps to the
whole block, which is what gets replaced. Decoded text is shorter than its block, so blocks cannot grow a
bomb.
"""

from __future__ import annotations

import base64
import binascii
import re

from proxy.detect.view_map import View, rewrite

# A block is read with its closing frame or without it: a writer that leaves out `~>` or `end` leaves the
# reader no less able to decode it (an open Ascii85 block runs to the end of its lines of the alphabet).
_A85 = re.compile(r"<~[!-u\sz]*~>|<~[!-uz]+(?:\r?\n[!-uz]+)*")
_UU = re.compile(r"(?m)^begin [0-7]{3,4} [^\n]*\n(?:[!-`][ -`]*(?:\r?\n|\Z))*(?:end[ \t]*$)?")
TRIGGER = re.compile(r"(?m)<~|^begin [0-7]{3,4} ")


def _text(raw: bytes) -> str:
    return " " + raw.decode("utf-8", errors="replace").replace("\ufffd", " ") + " "


def _a85(block: str) -> str:
    closed = block.endswith("~>")
    body = block if closed else block[2:]
    for cut in range(0, 1 if closed else 5):  # an open block may end in a word glued to it
        try:
            raw = base64.a85decode(body[: len(body) - cut], adobe=closed, ignorechars=b" \t\n\r\x0b")
        except ValueError:
            continue
        return _text(raw)
    return block


def _uu(block: str) -> str:
    out = bytearray()
    for line in block.splitlines()[1:]:
        if line.strip() in ("end", "`", ""):
            continue
        try:
            out += binascii.a2b_uu(line)
        except (binascii.Error, ValueError):
            if not out:
                return block
            break  # without `end`, the block is over where its lines stop decoding
    return _text(bytes(out))


def blocks_view(text: str) -> View | None:
    """`text` with each Ascii85 or uuencode block read as the text it carries; None if it has none."""
    if TRIGGER.search(text) is None:
        return None
    view = rewrite(rewrite(View(text), _A85, _a85), _UU, _uu)
    return None if view.identity else view
