"""The judge's own readings of the notations in `tests.classes.numerals`, written apart from the product's
views: CJK numerals, Braille and Morse digits as digits; `O`/`o`/`l`/`I`/`S`/`B`/`Z` among digits as
digits; digit words of English, German and French (tens pairs, `double`, a spelled `dot`) as digits; a
number in E notation as the integer it spells."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

_CJK_TABLES = ("〇一二三四五六七八九", "零壹贰叁肆伍陆柒捌玖", "零壹貳參肆伍陸柒捌玖")
_CJK = str.maketrans({c: str(i) for t in _CJK_TABLES for i, c in enumerate(t)})
_BRAILLE = str.maketrans({c: str(i) for i, c in enumerate("⠚⠁⠃⠉⠙⠑⠋⠛⠓⠊")} | {"⠼": ""})
_MORSE = {m: str(i) for i, m in enumerate(
    ("-----", ".----", "..---", "...--", "....-", ".....", "-....", "--...", "---..", "----."))}  # fmt: skip
_MORSE_RUN = re.compile(r"[.\-]{5}(?:(?: / | )[.\-]{5}){3,}")
_LOOKALIKE_RUN = re.compile(r"(?:(?<![A-Za-z])[OolISBZ]|[0-9+(])[0-9OolISBZ ()+\-.]{5,}[0-9OolISBZ]")
_AS_DIGITS = str.maketrans("OolISBZ", "0011582")

_ONES = {}
for _lang in ("zero one two three four five six seven eight nine", "null eins zwei drei vier fünf sechs "
              "sieben acht neun", "zéro un deux trois quatre cinq six sept huit neuf"):  # fmt: skip
    _ONES.update({w: str(i) for i, w in enumerate(_lang.split())})
_TEEN_WORDS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
               "eighteen", "nineteen")  # fmt: skip
_TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_TEENS = {w: str(10 + i) for i, w in enumerate(_TEEN_WORDS)}
_TENS = {w: str(i + 2) for i, w in enumerate(_TENS_WORDS)}
_ANY_WORD = "|".join(sorted((*_ONES, *_TEENS, *_TENS), key=len, reverse=True))
_GAP = r"(?:[\s,\-]+|\s+dot\s+)(?:double |triple )?"
_TWO_WORDS = re.compile(rf"(?i)\b(?:{_ANY_WORD}){_GAP}(?:{_ANY_WORD}|\d)")
_TOKENS = re.compile(r"[^\W\d_]+|\d+|[^\w\s]+|\s+")


def _lookalikes(run: str) -> str:
    """Letters for digits in a run of mostly digits, or in any run that then spells a card (Luhn)."""
    read = run.translate(_AS_DIGITS)
    if sum(c.isdigit() for c in run) < 5 and not _luhn_card("".join(c for c in read if c.isdigit())):
        return run
    return read


def _luhn_card(number: str) -> bool:
    if not 13 <= len(number) <= 19:
        return False
    total = 0
    for i, c in enumerate(reversed(number)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _spoken(text: str) -> str:
    """Words to digits token by token; separators between two digits dropped, `dot` between them a dot."""
    tokens = _TOKENS.findall(text.lower())
    out: list[str] = []
    times = 1
    for i, tok in enumerate(tokens):
        if times > 1 and tok.isspace():
            continue  # `double five`: the repeat carries over the blank
        if tok in ("double", "triple"):
            times = 2 if tok == "double" else 3
            continue
        if tok in _ONES:
            out.append(_ONES[tok] * times)
        elif tok in _TEENS:
            out.append(_TEENS[tok])
        elif tok in _TENS:
            nxt = tokens[i + 2] if i + 2 < len(tokens) else ""
            out.append(_TENS[tok] + ("" if nxt in _ONES and _ONES[nxt] != "0" else "0"))
        else:
            out.append(tok)
        times = 1
    joined = "".join(out)
    joined = re.sub(r"(?<=\d) dot (?=\d)", ".", joined)
    return re.sub(r"(?<=\d)[\s,\-]+(?=\d)", "", joined)


_E_NUMBER = re.compile(r"\d\.\d+[eE]\+?\d+")


def _e_integer(number: str) -> str:
    value = Decimal(number)
    return str(int(value)) if value == value.to_integral_value() else number


def readings(text: str) -> Iterator[str]:
    """The text as a reader of these notations reads it (module doc); nothing when it holds none."""
    if not text.isascii():
        cjk = text.translate(_CJK)
        if cjk != text:
            yield cjk
        if "⠼" in text:
            yield re.sub(r"(?<=[⠚⠁⠃⠉⠙⠑⠋⠛⠓⠊]) (?=⠼)", "", text).translate(_BRAILLE)
    if "----" in text or "...." in text or "--.." in text or "..--" in text:
        yield _MORSE_RUN.sub(lambda m: "".join(_MORSE.get(c, c) for c in m.group().split() if c != "/"), text)
    if any(c in text for c in "OolISBZ") and any(c.isdigit() for c in text):
        yield _LOOKALIKE_RUN.sub(lambda m: _lookalikes(m.group()), text)
        # a remark in brackets after the number (`4OOo IOlo lllI OOo2 (lOl 42)`) read on its own
        yield _LOOKALIKE_RUN.sub(lambda m: " (".join(map(_lookalikes, m.group().split(" ("))), text)
    if _E_NUMBER.search(text) is not None:
        yield _E_NUMBER.sub(lambda m: _e_integer(m.group()), text)
    if _TWO_WORDS.search(text) is not None:
        yield _spoken(text)
