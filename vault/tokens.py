"""The token format: `[[ENTITY_TYPE:id]]`.

Printable ASCII, self-describing, delimited so a token can be found inside any text (a sentence, a JSON
string, a URL path) and survives those round trips unchanged. The id is 16 base32 characters (80 bits) of
an HMAC keyed per session, so the same value maps to the same token within a session and to an unlinkable
one in another.
"""

from __future__ import annotations

import base64
import hmac
import re
import unicodedata
from dataclasses import dataclass

ID_LENGTH = 16  # base32 characters -> 80 bits
_ID_BYTES = 10
ENTITY_RE = r"[A-Z][A-Z0-9_]{0,47}"
TOKEN_RE = re.compile(r"\[\[(" + ENTITY_RE + r"):([a-z2-7]{" + str(ID_LENGTH) + r"})\]\]")
# Anything shaped like a token: used toward backends so a near-miss is refused, never forwarded.
TOKEN_LIKE_RE = re.compile(r"\[\[(" + ENTITY_RE + r"):([^\[\]\s]{0,64})\]\]")
_ENTITY_FULL = re.compile(ENTITY_RE)
# Cheap pre-check before the regexes.
TOKEN_MARK = "[["


@dataclass(frozen=True, slots=True)
class ParsedToken:
    entity_type: str
    token_id: str

    def __str__(self) -> str:
        return format_token(self.entity_type, self.token_id)


def format_token(entity_type: str, token_id: str) -> str:
    return f"[[{entity_type}:{token_id}]]"


def parse_token(text: str) -> ParsedToken | None:
    m = TOKEN_RE.fullmatch(text)
    return ParsedToken(m.group(1), m.group(2)) if m else None


def normalize(entity_type: str, value: str) -> str:
    """The form a value is fingerprinted in: NFC, trimmed; emails and domains case-folded."""
    v = unicodedata.normalize("NFC", value).strip()
    if entity_type in ("EMAIL_ADDRESS", "DOMAIN_NAME", "URL"):
        v = v.casefold()
    return v


def derive_token(hmac_key: bytes, entity_type: str, value: str, scope: str | None = None) -> str:
    """The token for a value in the session whose HMAC key is given. Pure: no database needed.

    `scope`: the backend the value came from, when several share one session (`veil.toml`): the same
    value then has one token per backend, each bound to its own. None: the single-backend token."""
    if not _ENTITY_FULL.fullmatch(entity_type):
        raise ValueError("entity type must be upper-case letters, digits and underscores")
    msg = entity_type.encode() + b"\x1f" + normalize(entity_type, value).encode("utf-8", "surrogatepass")
    if scope is not None:
        msg = b"backend\x1e" + scope.encode("utf-8", "surrogatepass") + b"\x1e" + msg
    digest = hmac.digest(hmac_key, msg, "sha256")[:_ID_BYTES]
    token_id = base64.b32encode(digest).decode("ascii").lower()
    return format_token(entity_type, token_id)
