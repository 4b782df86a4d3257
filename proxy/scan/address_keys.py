"""Postal address keys read by their words, and the evidence a value beside one must carry.

Backends name the street line of an address in many ways: Salesforce's `MailingStreet`, `BillingStreet`,
HubSpot's `street`, Stripe's `line1`, `addressLine`, `addr`, `residence`, `street_name`, and in their users'
languages `Anschrift`, `strasse`, `Lieferanschrift`, `direccion`, `indirizzo`, `endereco`, `straat`. A list
of keys never ends, so a key is read by its words: its head word (the last one, trailing numbers and
modifiers such as `line`, `name`, `full` aside) is a postal head word (`street`, `address`, `addr`,
`residence` ...), or a compound ending in one (`Lieferanschrift`, `Rechnungsadresse`), or `line` with a
number (`line1`, `address_line_2`).

The same words also name things that are no postal address (`ip_address`, `email_address`, `mac_address`,
`wallet_address`, a chart's `line1`), and `location` holds a city, a country code or a geo target as often
as a street. So the key only gives the value a context (`proxy.scan.shapes.key_context`): it is taken as an
address when it carries an address's evidence, a house number beside a word of letters, written with
blanks, no `@`, no URL, no hex; under `location` (a weak head) a street-type word as well (`Ave`, `Rd`,
`Straße`, `Calle`, `Rue`, `Apt`), and so under a bare numbered `line1` (a chart's series is `line1` too).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from proxy.policy.keys import key_words

ENTITY = "LOCATION"

# Words that name the street line of a postal address by themselves, in the usual languages (accents
# folded: `dirección` reads `direccion`).
_HEADS = frozenset(
    {
        # en
        "street", "streets", "address", "addresses", "addr", "adr", "residence", "domicile",  # fr too
        "streetaddress", "homeaddress", "postaladdress",
        # de
        "anschrift", "adresse", "adressen", "strasse", "wohnadresse", "wohnanschrift",
        # es
        "direccion", "domicilio", "calle",
        # it
        "indirizzo", "residenza",
        # pt
        "endereco", "morada", "logradouro",
        # nl, pl, cz, scandinavian
        "adres", "straat", "straatnaam", "adresa", "gatuadress", "adress",
    }
)  # fmt: skip
# Compound heads a longer word may end in (`Lieferanschrift`, `Rechnungsadresse`, `Hauptstrasse`,
# `homeaddress`): the part before must not name a non-postal address (`ipaddress`).
_COMPOUND_ENDS = ("anschrift", "adresse", "strasse", "straat", "address", "street", "indirizzo", "direccion")
# Weak heads: the value needs a street-type word too.
_WEAK = frozenset({"location", "locations", "ubicacion", "standort", "lieu", "luogo"})
# Words after the head that keep it the head (`street_name`, `addressLine`, `address_full`).
_MODIFIERS = frozenset(
    {"line", "lines", "name", "full", "text", "value", "str", "string", "one", "two", "composite",
     "formatted"}
)  # fmt: skip
# A key holding one of these names an address that is no postal one.
_NOT_POSTAL = frozenset(
    {
        "ip", "ipv4", "ipv6", "email", "emails", "mail", "mac", "wallet", "contract", "memory", "mem",
        "server", "host", "hostname", "bind", "listen", "remote", "local", "web", "website", "url", "uri",
        "link", "hardware", "hex", "pointer", "ptr", "base", "return", "broadcast", "gateway", "network",
        "net", "socket", "proxy", "dns", "node", "peer", "btc", "bitcoin", "eth", "ethereum", "crypto",
        "token", "deposit", "withdrawal", "smtp", "sip", "mx", "ens", "multisig", "vault", "pool",
    }
)  # fmt: skip


def not_postal_key(key: str) -> bool:
    """A key the `address` field rule's qualified reading would take (`contract_address`,
    `wallet_address`, `memory_address`, `email_address`) that names no postal address."""
    return any(w in _NOT_POSTAL for w in key_words(_fold(key)))


_HEX_ADDRESS = re.compile(r"0x[0-9a-fA-F]{4,}")


def is_hex_address(value: str) -> bool:
    """A memory or blockchain address (`0x7ffd5e8c`, `0x84d7…54bc`): no postal address, whatever its key."""
    return _HEX_ADDRESS.fullmatch(value.strip()) is not None


def _fold(text: str) -> str:
    """Accents dropped and `ß` spelled `ss` (`Dirección` → `Direccion`, `Straße` → `Strasse`)."""
    if text.isascii():
        return text
    text = text.replace("ß", "ss").replace("ẞ", "SS")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=8192)
def address_head(key: str) -> str | None:
    """`strong` if the key names a street address by its head word, `weak` for `location` and a bare
    `line1`, else None."""
    # Numbers anywhere are the address's or the line's index (`line1`, Dataverse's `address1_line1`).
    all_words = key_words(_fold(key))
    words = [w for w in all_words if not w.isdigit()]
    numbered = len(words) < len(all_words)
    if not words or any(w in _NOT_POSTAL for w in words):
        return None
    before_modifiers = len(words)
    while len(words) > 1 and words[-1] in _MODIFIERS:
        words.pop()
    head = words[-1]
    if head == "line":  # `line1`, `line_2`: a numbered line is an address line, or a chart's series
        return "weak" if numbered and before_modifiers == 1 else None
    if head in _HEADS:
        return "strong"
    if head in _WEAK:
        return "weak"
    for end in _COMPOUND_ENDS:
        if head.endswith(end) and len(head) > len(end):
            qualifier = head[: -len(end)]
            if not any(qualifier.endswith(w) for w in _NOT_POSTAL if len(w) >= 2):
                return "strong"
    return None


# A house number: digits (a letter or a range after them: `12a`, `12-14`, `4/2`), or `No. 5`, `Nr. 5`.
_HOUSE = re.compile(r"\d{1,5}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?|(?:No|Nr|N°|Nº)\.?\d{1,5}")
_WORD = re.compile(r"[^\W\d_][^\W\d_'’.-]{2,}\.?")
_NOT_ADDRESS = re.compile(r"@|://|\b0x[0-9a-f]|^[\d.:/\[\]a-f]+$", re.IGNORECASE)
# Street-type words (as whole words, or a German/Dutch compound's end: `Kastanienallee`, `Dorfstraße`).
_STREET_WORDS = frozenset(
    {
        "st", "street", "ave", "av", "avenue", "rd", "road", "ln", "lane", "dr", "drive", "ct", "court",
        "blvd", "boulevard", "way", "pl", "place", "terrace", "ter", "crescent", "cres", "row", "hwy",
        "highway", "pkwy", "parkway", "cir", "circle", "sq", "square", "trl", "trail", "close", "grove",
        "mews", "walk", "suite", "ste", "apt", "unit", "floor", "po", "box",
        "rue", "chemin", "impasse", "quai", "route", "cours",
        "calle", "avenida", "plaza", "paseo", "camino", "carrera", "avda",
        "via", "viale", "piazza", "corso", "vicolo", "strada", "piazzale",
        "rua", "travessa", "praca", "estrada", "largo",
        "str", "strasse", "weg", "platz", "gasse", "ring", "damm", "ufer", "allee", "chaussee",
        "straat", "laan", "plein", "gracht", "kade", "steeg",
    }
)  # fmt: skip
_STREET_ENDS = (
    "strasse",
    "str.",
    "weg",
    "allee",
    "platz",
    "gasse",
    "damm",
    "straat",
    "laan",
    "plein",
    "gracht",
)


def _street_word(token: str) -> bool:
    t = _fold(token).casefold()
    bare = t.rstrip(".,")
    return bare in _STREET_WORDS or (len(bare) > 5 and t.endswith(_STREET_ENDS))


def is_street_address(value: str, weak: bool = False) -> bool:
    """Whether `value` carries a street address's evidence (module doc); `weak`: a street-type word too."""
    if (
        not 5 <= len(value) <= 200
        or not any(c.isspace() for c in value)
        or _NOT_ADDRESS.search(value.strip())
    ):
        return False
    tokens = [t for t in re.split(r"[\s,;]+", value.strip()) if t]
    if len(tokens) > 24:
        return False
    house = any(_HOUSE.fullmatch(t) for t in tokens)
    words = [t for t in tokens if _WORD.fullmatch(t)]
    if not house or not words:
        return False
    return not weak or any(_street_word(t) for t in tokens)


def _strong(value: str) -> bool:
    return is_street_address(value)


def _weak(value: str) -> bool:
    return is_street_address(value, weak=True)


def context(key: str) -> tuple[str, Callable[[str], bool]] | None:
    """The (entity, validator) an address key gives a value beside it (`shapes.key_context`), or None."""
    head = address_head(key)
    if head is None:
        return None
    return (ENTITY, _weak if head == "weak" else _strong)
