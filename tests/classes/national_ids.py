"""National identifiers of nine families (`proxy/detect/national_id_recognizers.py`) where results hold
them, and the codes and numbers that look like them but are no one's.

Each family's values are drawn afresh: random digits and letters in the ID's layout, its check digit or
letter completed by trying every candidate against Presidio's own validator (the checksum under test is
Presidio's; the recognizers only score where it stands). Placements: a sentence with the ID's label (in
English or the country's language), a sentence with no label, a JSON value under its key, a JSON value
under a neutral key, `key=value` text; each in a spacing the ID is written in (Aadhaar `2345 6789 0124` /
`2345-6789-0124`, NINO `AB 12 34 56 C`, TFN `123 456 782`, NHS `943 476 5919`, NIF `12345678-Z`).
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from random import Random

from presidio_analyzer.predefined_recognizers import (
    AuTfnRecognizer,
    InAadhaarRecognizer,
    ItFiscalCodeRecognizer,
    NhsRecognizer,
    PlPeselRecognizer,
)

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.planting import Planted

_UP = string.ascii_uppercase
_NIF_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _digits(rng: Random, n: int, first: str = string.digits) -> str:
    return rng.choice(first) + "".join(rng.choice(string.digits) for _ in range(n - 1))


def _complete(rng: Random, body: Callable[[Random], str], alphabet: str, valid: Callable[[str], bool]) -> str:
    """`body` and the one character of `alphabet` after it that `valid` accepts (a body none completes is
    drawn again)."""
    while True:
        b = body(rng)
        for c in alphabet:
            if valid(b + c):
                return b + c


_AADHAAR = InAadhaarRecognizer()
_TFN = AuTfnRecognizer()
_PESEL = PlPeselRecognizer()
_FISCAL = ItFiscalCodeRecognizer()
_NHS = NhsRecognizer()


def aadhaar(rng: Random) -> str:
    return _complete(rng, lambda r: _digits(r, 11, "23456789"), string.digits, _AADHAAR.validate_result)


_NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
_NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"


def nino(rng: Random) -> str:
    while (prefix := rng.choice(_NINO_FIRST) + rng.choice(_NINO_SECOND)) in (
        "BG",
        "GB",
        "NK",
        "KN",
        "NT",
        "TN",
        "ZZ",
    ):
        pass
    return prefix + _digits(rng, 6) + rng.choice("ABCD")


def pan(rng: Random) -> str:
    letters = "".join(rng.choice(_UP) for _ in range(3)) + rng.choice("ABCFGHLJPT") + rng.choice(_UP)
    return letters + _digits(rng, 4) + rng.choice(_UP)


def tfn(rng: Random) -> str:
    return _complete(rng, lambda r: _digits(r, 8), string.digits, lambda v: bool(_TFN.validate_result(v)))


def pesel(rng: Random) -> str:
    def body(r: Random) -> str:
        year, century = r.randrange(100), r.choice((0, 20))  # 19xx or 20xx
        return f"{year:02d}{r.randrange(1, 13) + century:02d}{r.randrange(1, 29):02d}{_digits(r, 4)}"

    return _complete(rng, body, string.digits, lambda v: bool(_PESEL.validate_result(v)))


_CONSONANTS = "BCDFGHJKLMNPQRSTVWXZ"


def fiscal_code(rng: Random) -> str:
    def body(r: Random) -> str:
        names = "".join(r.choice(_CONSONANTS) for _ in range(6))
        day = r.randrange(1, 29) + r.choice((0, 40))  # a woman's day is +40
        place = r.choice("ABCDEFGHLM") + _digits(r, 3, "123456789")
        return f"{names}{r.randrange(100):02d}{r.choice('ABCDEHLMPRST')}{day:02d}{place}"

    return _complete(rng, body, _UP, lambda v: bool(_FISCAL.validate_result(v)))


def nif(rng: Random) -> str:
    number = _digits(rng, 8)
    return number + _NIF_LETTERS[int(number) % 23]


def nie(rng: Random) -> str:
    prefix, number = rng.choice("XYZ"), _digits(rng, 7)
    return prefix + number + _NIF_LETTERS[int(str("XYZ".index(prefix)) + number) % 23]


def nhs(rng: Random) -> str:
    return _complete(
        rng, lambda r: _digits(r, 9, "123456789"), string.digits, lambda v: bool(_NHS.validate_result(v))
    )


def _spaced(value: str, sizes: tuple[int, ...], sep: str) -> str:
    out, at = [], 0
    for n in sizes:
        out.append(value[at : at + n])
        at += n
    return sep.join(out)


@dataclass(frozen=True)
class Family:
    kind: str
    draw: Callable[[Random], str]
    writings: tuple[Callable[[str], str], ...]  # the ways the ID is written
    labels: tuple[str, ...]  # prose labels, English and the country's language
    keys: tuple[str, ...]  # JSON keys naming it
    alone: Callable[[str], bool]  # whether the written form is found with no label (by design)


def _same(v: str) -> str:
    return v


FAMILIES: dict[str, Family] = {
    f.kind: f
    for f in (
        Family(
            "aadhaar",
            aadhaar,
            (_same, lambda v: _spaced(v, (4, 4, 4), " "), lambda v: _spaced(v, (4, 4, 4), "-")),
            ("Aadhaar:", "Aadhaar number", "UIDAI no.", "आधार संख्या"),
            ("aadhaar", "aadhaarNumber", "aadhaar_no"),
            lambda w: not w.isdigit(),
        ),
        Family(
            "nino",
            nino,
            (_same, lambda v: _spaced(v, (2, 2, 2, 2, 1), " ")),
            ("National Insurance number", "NI number:", "NINO"),
            ("nino", "national_insurance_number", "niNumber"),
            lambda w: " " in w,
        ),
        Family(
            "pan",
            pan,
            (_same,),
            ("PAN:", "PAN card no.", "Permanent Account Number"),
            ("panNumber", "pan_card", "permanentAccountNumber"),
            lambda w: False,
        ),
        Family(
            "tfn",
            tfn,
            (_same, lambda v: _spaced(v, (3, 3, 3), " ")),
            ("TFN", "Tax File Number:"),
            ("tfn", "taxFileNumber"),
            lambda w: False,
        ),
        Family(
            "pesel",
            pesel,
            (_same,),
            ("PESEL:", "numer PESEL"),
            ("pesel", "numer_pesel"),
            lambda w: False,
        ),
        Family(
            "fiscal-code",
            fiscal_code,
            (_same, str.lower),
            ("codice fiscale", "Cod. Fiscale:", "C.F."),
            ("codice_fiscale", "codiceFiscale", "fiscalCode"),
            lambda w: True,
        ),
        Family(
            "nif",
            nif,
            (_same, lambda v: v[:-1] + "-" + v[-1]),
            ("DNI", "NIF:", "documento nacional de identidad"),
            ("dni", "nif", "numero_dni"),
            lambda w: True,
        ),
        Family(
            "nie",
            nie,
            (_same,),
            ("NIE", "número de identificación de extranjero"),
            ("nie", "numeroNie"),
            lambda w: True,
        ),
        Family(
            "nhs",
            nhs,
            (_same, lambda v: _spaced(v, (3, 3, 4), " "), lambda v: _spaced(v, (3, 3, 4), "-")),
            ("NHS number", "NHS No:"),
            ("nhsNumber", "nhs_no"),
            lambda w: False,
        ),
    )
}

# placement -> whether it names the ID (a label or a key naming it)
PLACEMENTS = {
    "label-prose": True,
    "bare-prose": False,
    "json-key": True,
    "json-neutral": False,
    "key-value": True,
}


def _needle(written: str) -> str:
    chars = [c for c in written if c.isalnum()]
    return r"(?<![0-9a-z])" + r"[\W_]{0,3}".join(c.casefold() for c in chars) + r"(?![0-9a-z])"


def national_id_case(kind: str) -> Callable[[Random], Case]:
    family = FAMILIES[kind]

    def build(rng: Random) -> Case:
        written = rng.choice(family.writings)(family.draw(rng))
        where = rng.choice(list(PLACEMENTS))
        if where == "label-prose":
            result = tool_result(
                f"Applicant verified. {rng.choice(family.labels)} {written} matches the form."
            )
        elif where == "bare-prose":
            result = tool_result(f"The record shows {written} for this applicant as of today.")
        elif where == "json-key":
            result = tool_result(structured={"applicant": {rng.choice(family.keys): written, "status": "ok"}})
        elif where == "json-neutral":
            result = tool_result(structured={"applicant": {"detail": written, "status": "ok"}})
        else:
            result = tool_result(f"event=verify {rng.choice(family.keys)}={written} result=ok")
        planted = Planted(kind, written, _needle(written))
        return Case(f"national-id-{kind}", [call(result, "applicants")], [planted], label=f"{where}")

    return build


def expected_found(case: Case) -> bool:
    """Whether the design finds this case's ID: a placement that names it, or a written form that stands
    alone (`FAMILIES[…].alone`)."""
    family = FAMILIES[case.planted[0].kind]
    return PLACEMENTS[case.label] or family.alone(case.planted[0].text)


# ------------------------------------------------------------------------------------------ look-alikes
def _failing(rng: Random, draw: Callable[[Random], str], check: Callable[[str], bool]) -> str:
    while check(v := draw(rng)):
        pass
    return v


def _lookalike(rng: Random) -> tuple[str, str]:
    """(label, text) of a code or number that is nobody's ID, written as results write them."""
    kind = rng.choice(
        ["order", "invoice-grouped", "invoice", "product-code", "pan-like", "sku-16", "nif-like",
         "postcode", "tracking", "amount"]
    )  # fmt: skip
    if kind == "order":
        return kind, rng.choice([f"Order #{_digits(rng, 12, '23456789')}", f"order_id={_digits(rng, 11)}"])
    if kind == "invoice-grouped":  # four-four-four like an Aadhaar, its Verhoeff digit failing
        v = _failing(rng, lambda r: _digits(r, 12, "23456789"), lambda x: bool(_AADHAAR.validate_result(x)))
        return kind, f"Invoice {_spaced(v, (4, 4, 4), rng.choice(' -'))}"
    if kind == "invoice":
        return kind, f"Invoice No. {_digits(rng, 12, '123456789')} paid"
    if kind == "product-code":  # a NINO's shape with a prefix or suffix no NINO has
        code = rng.choice(["GB", "ZZ", "DF", "QQ"]) + _digits(rng, 6) + rng.choice("ABCD")
        code = (
            code
            if rng.random() < 0.5
            else rng.choice("ABCEGH") + rng.choice("ABCEGH") + _digits(rng, 6) + rng.choice("EFGXYZ")
        )
        return kind, f"Part {code} in stock"
    if kind == "pan-like":  # a PAN's shape with a fourth letter no holder has
        return kind, "SKU " + "".join(rng.choice(_UP) for _ in range(3)) + rng.choice(
            "DEIKMNOQRSUVWXYZ"
        ) + rng.choice(_UP) + _digits(rng, 4) + rng.choice(_UP)
    if kind == "sku-16":  # a codice fiscale's layout, its check letter failing
        v = fiscal_code(rng)
        return kind, f"lot {v[:-1]}{_UP[(_UP.index(v[-1]) + 1 + rng.randrange(24)) % 26]}"
    if kind == "nif-like":  # eight digits and a letter that is not the mod-23 one
        number = _digits(rng, 8)
        wrong = rng.choice([c for c in _UP if c != _NIF_LETTERS[int(number) % 23]])
        return kind, f"Ticket {number}{wrong}"
    if kind == "postcode":
        return kind, rng.choice(
            ["SW1A 1AA", "EC1A 1BB", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT"]
        ) + " London"
    if kind == "tracking":
        return kind, f"Tracking: 1Z{''.join(rng.choice(_UP + string.digits) for _ in range(16))}"
    return (
        kind,
        f"Total: {rng.randrange(1, 999)},{rng.randrange(1000):03d},{rng.randrange(1000):03d}"
        f".{rng.randrange(100):02d}",
    )


def national_id_lookalikes(rng: Random) -> Case:
    survivors = []
    lines = []
    for _ in range(rng.randrange(2, 5)):
        label, text = _lookalike(rng)
        survivors.append(Survivor(text, label=label))
        lines.append(text)
    return Case(
        "national-id-lookalikes",
        [call(tool_result("\n".join(lines)), "orders")],
        [],
        survivors,
        label="lines",
    )
