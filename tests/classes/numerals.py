"""Classes about digits written as something other than ASCII digits or a plain digit run: CJK numerals
(everyday and financial forms), Braille digits, Morse digits; letters standing for digits inside a digit
run (`4l2-58-339l`); digits spelled as words in German or French, mixed with digits, as tens pairs, in
spoken groups or around a spelled `dot`.

Each builder is `f(rng) -> Case`; the judge reads each notation back on its own
(`tests.classes.readings_numerals`).
"""

from __future__ import annotations

from random import Random

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.layers import _carry
from tests.classes.planting import (
    Planted,
    card_digits,
    digits_needle,
    iban,
    luhn_complete,
    reliable_value,
    sentence,
)

_CJK = ("〇一二三四五六七八九", "零壹贰叁肆伍陆柒捌玖", "零壹貳參肆伍陸柒捌玖")
_BRAILLE = "⠚⠁⠃⠉⠙⠑⠋⠛⠓⠊"
_MORSE = ("-----", ".----", "..---", "...--", "....-", ".....", "-....", "--...", "---..", "----.")


def _value(rng: Random) -> Planted:
    return reliable_value(rng, rng.choice(["phone", "card", "ssn", "customer-id"]))


def _in_sentence(rng: Random, value: Planted, written: str, label: str) -> Case:
    text = sentence(rng, value).replace(value.text, written)
    result, where = _carry(rng, text)
    return Case("numerals", [call(result)], [value], label=f"{label}:{where}")


def other_numerals(rng: Random) -> Case:
    """A phone, card, SSN or customer ID written in CJK numerals (separators kept), Braille digits (a number
    sign before each group) or Morse digits (cells apart by spaces, groups by ` / `, a phone's `+` kept)."""
    value = _value(rng)
    how = rng.choice(["cjk", "braille", "morse"])
    if how == "cjk":
        table = rng.choice(_CJK)
        written = "".join(table[int(c)] if c.isdigit() else c for c in value.text)
    elif how == "braille":
        groups = "".join(c if c.isdigit() else " " for c in value.text).split()
        written = " ".join("⠼" + "".join(_BRAILLE[int(c)] for c in g) for g in groups)
    else:
        groups = "".join(c if c.isdigit() else " " for c in value.text).split()
        sep = rng.choice([" / ", " "])
        written = sep.join(" ".join(_MORSE[int(c)] for c in g) for g in groups)
        written = ("+" if value.text.startswith("+") else "") + written  # Morse has no plus sign of its own
    return _in_sentence(rng, value, written, f"numerals-{how}")


_LOOKALIKE = {"0": "Oo", "1": "lI", "5": "S", "8": "B", "2": "Z"}
# Codes and words with those letters beside digits, that are no number: they stay as written.
_LOOKALIKE_WORDS = ("ISO 9001", "B2B", "SOS at 10", "Z80 CPU", "S3 bucket", "Room 2B", "BOSS 2", "lOl 42",
                    "O2 Arena", "SO-2024-17", "B-52", "IBM Z15")  # fmt: skip


def _typed(rng: Random, text: str, at_most: int, spots: list[int] | None = None) -> str:
    """`text` with one to `at_most` of its digits (at `spots`, else anywhere) typed as look-alike letters."""
    spots = [i for i in (spots if spots is not None else range(len(text))) if text[i] in _LOOKALIKE]
    chars = list(text)
    for i in rng.sample(spots, min(len(spots), max(1, at_most))):
        chars[i] = rng.choice(_LOOKALIKE[chars[i]])
    return "".join(chars)


def _letters_iban(rng: Random) -> tuple[Planted, str]:
    """An IBAN (grouped or not) with two to five digits of its check digits or BBAN typed as letters; its
    own letters hold none of them (the judge reads every such letter in a run as a digit)."""
    while True:
        value = iban(rng)
        if not any(c in "OISBZ" for c in value.text[2:]):
            break
    digits = [i for i, c in enumerate(value.text) if i >= 2 and c.isdigit()]
    return value, _typed(rng, value.text, rng.randint(2, 5), digits)


def _letters_plus_phone(rng: Random) -> tuple[Planted, str]:
    """A phone with its `+` and country code, laid out as people write it, up to half its digits (the
    country code's included: `+l`) typed as letters."""
    value = reliable_value(rng, "phone")
    digits = "".join(c for c in value.text if c.isdigit())
    if value.text.startswith("+1") or not value.text.startswith("+"):
        nsn = digits[-10:]
        text = rng.choice(
            [
                f"+1 ({nsn[:3]}) {nsn[3:6]}-{nsn[6:]}",
                f"+1-{nsn[:3]}-{nsn[3:6]}-{nsn[6:]}",
                f"+1 {nsn[:3]} {nsn[3:6]} {nsn[6:]}",
                f"+1{nsn}",
            ]
        )
        value = Planted("phone", text, digits_needle(nsn, bounded=False))
    count = sum(c.isdigit() for c in value.text)
    return value, _typed(rng, value.text, rng.randint(1, count // 2))


def letters_for_digits(rng: Random) -> Case:
    """A phone, card or SSN with one to three of its digits typed as look-alike letters (`O`/`o`, `l`/`I`,
    `S`, `B`, `Z`); a card of mostly zeros and ones (as test and dummy cards are) with every one of them
    typed as a letter; an IBAN with letters in its digits (mod 97 decides); a phone with its `+` and up to
    half its digits typed as letters (its numbering plan decides). Beside it, codes with such letters
    beside digits (`ISO 9001`, `B2B`), which stay."""
    survivors = [Survivor(w, label="lookalike-code") for w in rng.sample(_LOOKALIKE_WORDS, rng.randint(0, 2))]
    roll = rng.random()
    if roll < 0.2:
        digits = luhn_complete(rng.choice("3456") + "".join(rng.choice("01") for _ in range(14)))
        value = Planted("card", digits, digits_needle(digits))
        typed = "".join(rng.choice(_LOOKALIKE[c][:2]) if c in "01" else c for c in digits)
        written, label = " ".join(typed[i : i + 4] for i in range(0, 16, 4)), "letters-for-most-digits"
    elif roll < 0.4:
        (value, written), label = _letters_iban(rng), "letters-in-iban"
    elif roll < 0.6:
        (value, written), label = _letters_plus_phone(rng), "letters-in-plus-phone"
    else:
        for _ in range(20):
            value = reliable_value(rng, rng.choice(["phone", "card", "ssn"]))
            if any(c in _LOOKALIKE for c in value.text):
                break
        total = sum(c.isdigit() for c in value.text)
        written = _typed(rng, value.text, min(rng.randint(1, 3), max(1, (total * 3) // 10)))
        label = "letters-for-digits"
    text = sentence(rng, value).replace(value.text, written)
    if survivors:
        text += " (" + "; ".join(s.text for s in survivors) + ")"
    result, where = _carry(rng, text)
    return Case("numerals", [call(result)], [value], survivors, label=f"{label}:{where}")


_WORDS = {
    "de": ("null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"),
    "fr": ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"),
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
}
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen")  # fmt: skip


def _pair_words(pair: str) -> str | None:
    tens, ones = int(pair[0]), int(pair[1])
    if tens == 1:
        return _TEENS[ones]
    if tens < 2:
        return None
    return _TENS[tens] + ("" if ones == 0 else "-" + _WORDS["en"][ones])


def _spoken_group(rng: Random, group: str, how: str) -> str:
    words = _WORDS["en"]
    if how == "tens" and len(group) % 2 == 0:
        pairs = [_pair_words(group[i : i + 2]) for i in range(0, len(group), 2)]
        if all(pairs):
            return " ".join(p for p in pairs if p)
    if how == "mixed":
        return " ".join(c if rng.random() < 0.5 else words[int(c)] for c in group)
    out: list[str] = []
    i = 0
    while i < len(group):
        if how == "double" and group[i : i + 2] == group[i] * 2:
            out.append("double " + words[int(group[i])])
            i += 2
            continue
        out.append(words[int(group[i])])
        i += 1
    return " ".join(out)


def spelled_numbers(rng: Random) -> Case:
    """A phone, card, SSN or customer ID spelled in German or French digit words, or spoken in English the
    ways people say numbers: digits and digit words mixed, tens pairs (`eighty-eight`), `double five`,
    groups apart by commas; or an IPv4 address spelled with `dot` between its numbers."""
    how = rng.choice(["de", "fr", "mixed", "tens", "double", "commas", "ip"])
    kind = "ipv4" if how == "ip" else rng.choice(["phone", "card", "ssn", "customer-id"])
    value = reliable_value(rng, kind)
    groups = "".join(c if c.isdigit() else " " for c in value.text).split()
    if value.text.startswith("+"):
        groups = groups[1:]
    if how in ("de", "fr"):
        words = _WORDS[how]
        written = " ".join(words[int(c)] for g in groups for c in g)
    elif how == "ip":
        written = " dot ".join(" ".join(_WORDS["en"][int(c)] for c in g) for g in groups)
    else:
        sep = ", " if how == "commas" else rng.choice([", ", " "])
        written = sep.join(_spoken_group(rng, g, how) for g in groups)
        if how == "mixed" and sum(w.isalpha() for w in written.split()) < 2:
            written = " ".join(_WORDS["en"][int(c)] for g in groups for c in g)
    if value.text.startswith("+"):
        written = value.text.split()[0] + " " + written
    return _in_sentence(rng, value, written, f"spelled-{how}")


def _card16(rng: Random) -> str:
    while True:
        digits = card_digits(rng)
        if len(digits) == 16 and digits[0] in "3456":
            return digits


_ID_LABELS = {
    "ssn": ["ssn", "SSN:", "social security no.", "SSN #", "ssn="],
    "customer-id": ["cid", "customer id", "Customer ID:", "account", "client_id ="],
    "phone": ["phone", "tel:", "mobile", "Phone #", "cell ="],
}
_ID_KEYS = {
    "ssn": ["ssn", "social_security_number", "customerSsn"],
    "customer-id": ["customer_id", "cid", "customerId"],
    "phone": ["phone", "mobileNumber", "tel"],
}
_AMOUNT_LABELS = ["revenue", "impressions", "cost:", "spend (micros):", "clicks", "total =", "budget"]


def thousands(rng: Random) -> Case:
    """An SSN, customer ID or phone number written as an amount, in thousands groups with any one separator
    (`ssn 123,456,789`, `cid 1'234'567'890`, `1.234.567.890`, blanks, thin spaces), after a label or under a
    key naming it; beside it, an amount of the same shape after a label that names none, which
    must stay as written."""
    kind = rng.choice(sorted(_ID_LABELS))
    if kind == "ssn":
        digits = f"{rng.randrange(1, 666):03d}{rng.randrange(1, 100):02d}{rng.randrange(1, 10000):04d}"
    elif kind == "phone":
        area, exchange = rng.randrange(200, 1000), rng.randrange(200, 1000)
        digits = f"{area}{exchange}{rng.randrange(10**4):04d}"
    else:
        digits = str(rng.randrange(1, 10)) + f"{rng.randrange(10**9):09d}"
    value = Planted(kind, digits, digits_needle(digits))
    sep = rng.choice([",", "'", ".", " ", "\u00a0", "\u2009"])
    written = f"{int(digits):,}".replace(",", sep)
    # The amount keeps commas where the ID has blanks: digits in blank-separated groups on a line with a
    # phone word read as a phone by the context recognizers (`phone 6 985 560 457; impressions 168 078 182`
    # loses both, before this class's change too): a known over-redaction, not this class's subject.
    amount = f"{rng.randrange(10**6, 10**10):,}".replace(",", sep if sep in ",'." else ",")
    if rng.random() < 0.3:  # under a key naming it, in a record
        key = rng.choice(_ID_KEYS[kind])
        result, where = tool_result(structured={key: written, "cost": amount}), "key"
    else:
        text = f"{rng.choice(_ID_LABELS[kind])} {written}; {rng.choice(_AMOUNT_LABELS)} {amount}"
        result, where = _carry(rng, text)
    survivor = Survivor(amount, label="amount")
    return Case("numerals", [call(result)], [value], [survivor], label=f"thousands-{kind}:{where}")


_LIST_SEPARATORS = (" / ", " | ", "; ", " or ", ", ")


def _listed_phone(rng: Random) -> Planted:
    """A UK, German or US number in one of the international or national forms a list of them mixes."""
    how = rng.choice(["uk", "uk", "de", "us"])
    if how == "uk":
        nsn = "20" + rng.choice("378") + f"{rng.randrange(10**7):07d}"
        text = rng.choice(
            [
                f"+44 (0){nsn[:2]} {nsn[2:6]} {nsn[6:]}",
                f"0044 {nsn[:2]} {nsn[2:6]} {nsn[6:]}",
                f"+44 {nsn[:2]} {nsn[2:6]} {nsn[6:]}",
                f"0{nsn[:2]} {nsn[2:6]} {nsn[6:]}",
            ]
        )
    elif how == "de":
        nsn = rng.choice(["30", "89", "40"]) + f"{rng.randrange(10**7, 10**8)}"
        text = rng.choice(
            [f"+49 (0){nsn[:2]} {nsn[2:]}", f"0049 {nsn[:2]} {nsn[2:]}", f"0{nsn[:2]} {nsn[2:]}"]
        )
    else:
        nsn = rng.choice(["415", "212", "312"]) + f"{rng.randrange(200, 999)}{rng.randrange(10**4):04d}"
        text = rng.choice([f"+1 {nsn[:3]} {nsn[3:6]} {nsn[6:]}", f"({nsn[:3]}) {nsn[3:6]}-{nsn[6:]}"])
    return Planted("phone", text, digits_needle(nsn, bounded=False))


def phone_list(rng: Random) -> Case:
    """Two or three phone numbers listed after one label with ` / `, ` | `, `; `, ` or ` or `, ` between
    them (`Tel: +44 (0)20 7946 0958 / 0044 20 7946 0959`): each is its own token, the separator stays."""
    sep = rng.choice(_LIST_SEPARATORS)
    values = [_listed_phone(rng) for _ in range(rng.choice([2, 2, 3]))]
    label = rng.choice(["Tel:", "Phone:", "Contact numbers:", "Call", "Numbers -"])
    text = f"{label} {sep.join(v.text for v in values)}"
    survivors = [Survivor("]]" + sep + "[[", label="list-separator")]
    result, where = _carry(rng, text)
    return Case("numerals", [call(result)], values, survivors, label=f"phone-list:{where}")


def separator_notations(rng: Random) -> Case:
    """A card in four groups of four joined by commas or colons, in E notation, or in pairs glued to a
    word by a dash; a phone with its area code on the line before; a customer ID in pairs after a label."""
    how = rng.choice(
        [
            "card-commas",
            "card-colons",
            "card-e",
            "card-glued-pairs",
            "phone-break",
            "cid-pairs",
            "thousands",
            "phone-list",
        ]
    )
    if how == "thousands":
        return thousands(rng)
    if how == "phone-list":
        return phone_list(rng)
    if how.startswith("card"):
        digits = _card16(rng)
        value = Planted("card", digits, digits_needle(digits))
        groups = [digits[i : i + 4] for i in range(0, 16, 4)]
        if how == "card-commas":
            written = ",".join(groups)
        elif how == "card-colons":
            written = ":".join(groups)
        elif how == "card-e":
            written = repr(float(int(digits)))
            written = written.upper() if rng.random() < 0.5 else written
        else:
            written = (
                rng.choice(["visa", "card", "mc", "pan"])
                + "-"
                + "-".join(digits[i : i + 2] for i in range(0, 16, 2))
            )
        text = f"{rng.choice(['card', 'amount field:', 'ref', 'paid with'])} {written}"
    elif how == "phone-break":
        digits = rng.choice(["312", "415", "206"]) + str(rng.randrange(200, 999))
        digits += f"{rng.randrange(10000):04d}"
        value = Planted("phone", digits, digits_needle(digits, bounded=False))
        text = f"call ({digits[:3]})\n{digits[3:6]}-{digits[6:]} {rng.choice(['tonight', 'after 5', ''])}"
    else:
        digits = str(rng.randrange(1, 10)) + f"{rng.randrange(10**9):09d}"
        value = Planted("customer-id", digits, digits_needle(digits))
        label = rng.choice(["customer id", "Customer ID:", "client number", "customer no."])
        text = f"{label} {'-'.join(digits[i : i + 2] for i in range(0, 10, 2))}"
    result, where = _carry(rng, text)
    return Case("numerals", [call(result)], [value], label=f"separators-{how}:{where}")
