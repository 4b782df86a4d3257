"""Email addresses disguised with other languages' words for "at" and "dot" (red team round 10, class 7;
`proxy/detect/email_words.py`), and the prose in those languages that must stay.

`disguised_emails`: a local part, a stand-in for `@` (an at-word in round, square, curly or angle brackets,
joined by `_` or `-`, or a name of the sign between spaces: `arobase`, `arroba`, `chiocciola`, `małpa`…),
a domain whose labels are joined by a dot stand-in of the same kinds or by real dots, and a TLD; in a
sentence of the language, a structured field or a table row. The local part and the domain's own label are
planted.

`word_lookalikes`: sentences that hold the same words without an address (`Treffen at 10 Uhr`, `punto de
venta`, `le point de vue`, `I'm at home. Dot com bubble`, `at 10:00`, `data-at-rest.de`), each a survivor.
(A capitalized foreign noun at a sentence's start, `Treffen at 10 Uhr` after another sentence, is read as a
person by the name rules on main already: no part of this class, left out here.)
"""

from __future__ import annotations

import re
from random import Random

from tests.classes.case import Case, Survivor, call, filler_record, tool_result
from tests.classes.name_lists import US_FIRST, US_LAST, ascii_only
from tests.classes.planting import Planted

_AT_BRACKETED = tuple(
    ["at", "ät", "AT", "At", "Ät", "arobase", "arroba", "chiocciola", "małpa", "zavináč", "snabel-a"]
)
_AT_NAMED = tuple(
    [
        "arobase",
        "arroba",
        "chiocciola",
        "apenstaartje",
        "snabel-a",
        "klammeraffe",
        "małpa",
        "zavináč",
        "kukac",
        "Arroba",
        "ARROBA",
    ]
)
_DOT_WORDS = tuple(
    [
        "punkt",
        "point",
        "punto",
        "punt",
        "ponto",
        "dot",
        "kropka",
        "tečka",
        "nokta",
        "piste",
        "prik",
        "PUNKT",
        "Punto",
    ]
)
_BRACKETS = ("()", "[]", "{}", "<>")
_DOMAINS = tuple(
    [
        "firma-schulz",
        "cabinet-dufresne",
        "estudio-quintana",
        "studio-ferri",
        "bakkerij-jansen",
        "kancelaria-nowak",
        "advokat-lindqvist",
        "hukuk-yilmaz",
        "agencia-mota",
        "pekarna-dvorak",
    ]
)
_TLDS = tuple(
    [
        "de",
        "fr",
        "es",
        "it",
        "nl",
        "se",
        "dk",
        "no",
        "pl",
        "cz",
        "tr",
        "pt",
        "com",
        "net",
        "org",
        "eu",
        "at",
        "ch",
        "be",
        "info",
    ]
)
_FRAMES = (
    "Kontakt: {}",
    "Contact : {}",
    "Escríbenos a {}",
    "Scrivici: {}",
    "Mail: {}",
    "{}",
    "E-post: {}",
    "Napisz do nas: {}",
    "Iletişim: {}",
    "Schreiben Sie an {} oder rufen Sie an.",
)


def _bracket(rng: Random, word: str) -> str:
    o, c = rng.choice(_BRACKETS)
    pad = rng.choice(("", " "))
    around = rng.choice(("", " "))
    return f"{around}{o}{pad}{word}{pad}{c}{around}"


def _at(rng: Random) -> tuple[str, str]:
    style = rng.choice(("bracketed", "joined", "named"))
    if style == "bracketed":
        return _bracket(rng, rng.choice(_AT_BRACKETED)), style
    if style == "joined":
        j = rng.choice("_-")
        return f"{rng.choice(('', ' '))}{j}{rng.choice(('at', 'AT', 'ät'))}{j}", style
    return f" {rng.choice(_AT_NAMED)} ", style


def _dot(rng: Random, at_style: str) -> str:
    style = rng.choice(("real", "bracketed", "joined", "spaced"))
    if at_style == "joined" and style == "real":
        style = "joined"  # a glued `-at-` before real dots is a compound word (`data-at-rest.de`)
    if style == "real":
        return "."
    if style == "bracketed":
        return _bracket(rng, rng.choice(_DOT_WORDS))
    if style == "joined":
        j = rng.choice("_-")
        return f"{j}{rng.choice(_DOT_WORDS)}{j}"
    return f" {rng.choice(_DOT_WORDS)} "


def _local(rng: Random) -> str:
    first, last = ascii_only(rng.choice(US_FIRST)).lower(), ascii_only(rng.choice(US_LAST)).lower()
    n = rng.randrange(10, 100)
    return rng.choice([f"{first}.{last}{n}", f"{first[0]}{last}{n}", f"{last}{n}", f"{first}.{last}"])


def _needle(text: str) -> str:
    return r"(?<![0-9a-z])" + re.escape(text.casefold()) + r"(?![0-9a-z])"


def disguised_emails(rng: Random) -> Case:
    local, label = _local(rng), rng.choice(_DOMAINS)
    at, at_style = _at(rng)
    labels = [label, *(["mail"] if rng.random() < 0.2 else []), rng.choice(_TLDS)]
    if labels[1] == "mail":
        labels[0], labels[1] = "mail", label  # `mail.firma-schulz.de`: a subdomain first
    domain = labels[0]
    for part in labels[1:]:
        domain += _dot(rng, at_style) + part
    address = f"{local}{at}{domain}"
    where = rng.choice(("text", "field", "row"))
    if where == "text":
        payload = tool_result(rng.choice(_FRAMES).format(address))
    elif where == "field":
        payload = tool_result(structured={"contacts": [filler_record(rng) | {"contact": address}]})
    else:
        payload = tool_result(f"| {rng.randrange(1, 99)} | {address} | aktiv |")
    planted = [Planted("email-local", local, _needle(local)), Planted("email-domain", label, _needle(label))]
    return Case("email-words", [call(payload)], planted=planted, label=f"{at_style}:{where}")


_LOOKALIKES = (
    "Wir treffen uns at 10 Uhr im Büro, Punkt.",
    "Wir sehen uns at 10:00 am Bahnhof.",
    "Meeting at 10:00 (punkt) in Raum 4.",
    "El punto de venta abre a las 9.",
    "Il punto di vista del cliente è chiaro.",
    "Du point de vue technique, le point est réglé.",
    "I'm at home. Dot com bubble burst in 2000.",
    "Encryption data-at-rest.de is a conference site? No: data-at-rest is the default.",
    "Het punt is dat we at 9 beginnen.",
    "Vi ses at lunch, punkt slut.",
    "Mamy spotkanie at 12:30, kropka nad i.",
    "Le point de vente (at) la gare ouvre lundi.",
    "Nokta atışı, saat 14:00 (at) ofis.",
    "Stand at 10 Uhr: 3 Punkte, 2 punkt 5 Prozent.",
    "The [at] sign and the [dot] key are on the keyboard.",
    "Ver el punto 3 de la agenda at the meeting.",
    "Preis: 5 (at) 3 punkt de.",
    "Le rendez-vous est (at) 10h (point) fr.",
    "Status: data_at_rest_dot_enabled",
)


def word_lookalikes(rng: Random) -> Case:
    """One or two sentences that use the vocabulary without an address; each must reach the client whole."""
    chosen = rng.sample(_LOOKALIKES, rng.choice((1, 2)))
    text = " ".join(chosen)
    payload = (
        tool_result(text)
        if rng.random() < 0.5
        else tool_result(structured={"notes": [filler_record(rng) | {"note": text}]})
    )
    return Case(
        "email-word-lookalikes", [call(payload)], survivors=[Survivor(s, label="prose") for s in chosen]
    )
