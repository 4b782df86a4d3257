"""IPv4 addresses written so that the dotted-quad pattern misses them but a reader (and `inet_aton`) does
not: blanks around the dots (`203 . 0 . 113 . 77`) and octets in hex (`0xcb.0x0.0x71.0x4d`). The view
reads each as the dotted quad it is; a zero-padded quad (`203.000.113.077`) is `views`' dotted groups.
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View, rewrite

_SPACED = re.compile(r"(?<![\d.])\d{1,3}(?:[ \t]{0,2}\.[ \t]{0,2}\d{1,3}){3}(?![\d]|\.\d)")
_HEX = re.compile(r"(?<![\w.])0[xX][0-9A-Fa-f]{1,2}(?:\.0[xX][0-9A-Fa-f]{1,2}){3}(?![\w]|\.\w)")
TRIGGERS = (re.compile(r"\d[ \t]{1,2}\.|\.[ \t]{1,2}\d"), re.compile(r"0[xX][0-9A-Fa-f]{1,2}\.0[xX]"))


def may_hold(text: str) -> bool:
    return any(t.search(text) is not None for t in TRIGGERS)


def _spaced(quad: str) -> str:
    parts = [p.strip() for p in quad.split(".")]
    return ".".join(parts) if all(int(p) <= 255 for p in parts) else quad


def _hex(quad: str) -> str:
    return ".".join(str(int(p, 16)) for p in quad.split("."))


def read(view: View) -> View:
    """`view` with spaced and hex dotted quads read as the address (module doc)."""
    return rewrite(rewrite(view, _SPACED, _spaced), _HEX, _hex)
