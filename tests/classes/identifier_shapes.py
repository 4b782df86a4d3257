"""Person names written into identifiers in every shape systems and people use (red team round eight,
leak classes 6 and 7), and the look-alike identifiers written in the same shapes that hold no name.

`names_in_identifier_shapes` draws a given name and a surname from the name lists (accented ones kept, or
an accent put on a vowel as Spanish writes `González`), then varies, independently:
- the order: given name first, or surname first (`Gonzalez_Maria_Resume.pdf`);
- how the two are joined: any separator (`-`, `_`, `.`, `+`, `~`, `:`, `---`, `%20`), a case change
  (`GonzalezMaria`, `mariaGonzalez`), all capitals (`MARIA_GONZALEZ`), digits (`maria2gonzalez`,
  `mariagonzalez1987`), nothing (`mariagonzalez`), a middle initial (`maria-j-gonzalez`);
- the Unicode form (NFC or NFD accents);
- where the identifier stands: a file name, a profile URL, a neutral reference, a hashtag
  (`#MariaGonzalez4Mayor`, `#teammariagonzalez`);
- the carrier: a log line, a sentence, a JSON field, a nested `structuredContent` value.

Beside it, in the same case, an identifier of the same shape that holds no person: a place slug
(`paris-texas`), a product (`georgia_peach_tea`, `JordanAir`), a code identifier (`MAX_VALUE`,
`maxRetries`), a SKU. The label says whether the name lists know the pair with a clear given name and a
surname of no dictionary (`strong`, held to the bar) or not (`other`, reported), and the shape.
"""

from __future__ import annotations

import re
import unicodedata
from random import Random

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.identifier_names import strong_pair
from tests.classes.planting import Planted
from tests.classes.structured_names import _name

_ACUTE = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú"}


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _accented(rng: Random, word: str) -> str:
    """An acute on one vowel (`Gonzalez` → `González`): the lexicon must read it off."""
    spots = [i for i, c in enumerate(word) if c in _ACUTE]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + _ACUTE[word[i]] + word[i + 1 :]


def _pair(rng: Random) -> tuple[str, str, bool]:
    """A given name and a one-word surname of letters only, and whether either carries an accent."""
    while True:
        first, last = _name(rng)
        if not (first.isalpha() and last.isalpha() and len(first) >= 3 and len(last) >= 3):
            continue
        if first.isascii() and last.isascii() and rng.random() < 0.4:
            first, last = _accented(rng, first), _accented(rng, last)
        return first, last, not (first.isascii() and last.isascii())


def _letters(word: str) -> str:
    return r"(?<![^\W\d_])" + re.escape(word) + r"s?(?![^\W\d_])"


def _needle(first: str, last: str) -> Planted:
    """Found while either part is readable on its own (letters around it are no boundary, separators and
    digits are), or both glued in either order: in the casefolded view, accents as written or folded."""
    alts = []
    for form in {unicodedata.normalize("NFC", w.casefold()) for w in (first, last)} | {
        _fold(w.casefold()) for w in (first, last)
    }:
        alts.append(_letters(form))
    f, la = unicodedata.normalize("NFC", first.casefold()), unicodedata.normalize("NFC", last.casefold())
    for glued in {f + la, la + f, _fold(f + la), _fold(la + f)}:
        alts.append(re.escape(glued))
    return Planted("person", f"{first} {last}", "|".join(alts))


# ----------------------------------------------------------------------------------------------- shapes
_SEPARATORS = ("-", "_", ".", "+", "~", ":", "---", "__", "%20")


def _shape(rng: Random, first: str, last: str) -> tuple[str, str, bool]:
    """The two names joined in one of the shapes; the shape's name, and whether it holds a separator."""
    order = rng.choice(["given-first", "surname-first"])
    a, b = (first, last) if order == "given-first" else (last, first)
    style = rng.choice(["separator", "separator", "upper", "pascal", "camel", "digits", "glued", "middle"])
    if style in ("glued", "middle") or (style == "digits" and rng.random() < 0.5):
        a, b, order = first, last, "given-first"  # glued and bridged: given name first only
    if style == "separator":
        case = rng.choice([str.lower, str.title, lambda w: w])
        return f"{case(a)}{rng.choice(_SEPARATORS)}{case(b)}", f"{order}:sep", True
    if style == "upper":
        return f"{a.upper()}{rng.choice('_-.')}{b.upper()}", f"{order}:upper", True
    if style == "pascal":
        return a.title() + b.title(), f"{order}:pascal", False
    if style == "camel":
        return a.lower() + b.title(), f"{order}:camel", False
    if style == "digits":
        if order == "given-first" and rng.random() < 0.5:
            return f"{a.lower()}{rng.randrange(1, 99)}{b.lower()}", "given-first:digit-between", False
        return (
            f"{a.lower()}{rng.choice('_-')}{b.lower()}{rng.randrange(1960, 2010)}",
            f"{order}:digit-after",
            True,
        )
    if style == "glued":
        return a.lower() + b.lower(), "given-first:glued", False
    return f"{a.lower()}-{rng.choice('abcdefghjklmnprstvw')}-{b.lower()}", "given-first:middle", True


# Where an identifier stands. `{x}` is the identifier. Places for any shape (a separator, a path segment,
# a hashtag, a file's affix set the identifier apart); `_JOINED` only for shapes with a separator.
_ANYWHERE = (
    "{x}_Resume_{y}.pdf", "{x}-cv.pdf", "scans/{x}_passport_scan.jpg", "https://www.linkedin.com/in/{x}",
    "https://github.com/{x}", "https://acme.example/people/{x}", "https://zoom.us/my/{x}",
    "https://calendly.com/{x}/30min", "attachments/{x}_offer_letter.docx",
)  # fmt: skip
_JOINED = ("ref {x} ok", "{x}.json", "owner={x}", "{x}-notes.txt", "backup of {x} done")
_HASHTAGS = ("Vote #{x} today", "#{x} trending in Austin", "Congrats #{x} on the promotion", "#Team{x}")


def _place(rng: Random, ident: str, joined: bool, style: str) -> tuple[str, str]:
    hashtag_ok = ":sep" not in style or re.search(r"[.+~:%]", ident) is None
    kinds = ["anywhere", "anywhere"] + (["joined"] if joined else []) + (["hashtag"] if hashtag_ok else [])
    kind = rng.choice(kinds)
    pool = {"anywhere": _ANYWHERE, "joined": _JOINED, "hashtag": _HASHTAGS}[kind]
    template = rng.choice(pool)
    if template == "#{x} trending in Austin" and rng.random() < 0.5:
        ident += str(rng.randrange(2, 9)) + "Mayor"
    return template.format(x=ident, y=rng.randrange(2018, 2027)), kind


# ---------------------------------------------------------------------------------------- look-alikes
# Words that lead like a given name or end like a surname, and are places, products, teams, code.
LOOKALIKE_WORDS = (
    ("paris", "texas"), ("georgia", "peach", "tea"), ("max", "value"), ("jordan", "air"), ("grant", "park"),
    ("chase", "bank"), ("florence", "italy"), ("virginia", "beach"), ("sydney", "opera", "house"),
    ("madison", "square", "garden"), ("lincoln", "park", "zoo"), ("austin", "texas"), ("dallas", "cowboys"),
    ("phoenix", "suns"), ("max", "retries"), ("jordan", "retro", "high"), ("victoria", "station"),
    ("georgia", "tech"), ("orlando", "magic"), ("houston", "rockets"), ("victoria", "secret"),
    ("santa", "maria"), ("san", "jose"), ("santa", "clara"), ("rio", "grande"), ("costa", "rica"),
    ("april", "sales"), ("june", "report"), ("summer", "sale"), ("max", "length"), ("min", "width"),
    ("charlotte", "airport"), ("savannah", "river"), ("hamilton", "beach", "blender"), ("regent", "street"),
)  # fmt: skip


def _lookalike(rng: Random) -> str:
    words = list(rng.choice(LOOKALIKE_WORDS))
    style = rng.choice(["sep", "upper", "pascal", "camel", "sku", "hashtag", "reversed"])
    if style == "sep":
        return rng.choice(_SEPARATORS[:7]).join(words)
    if style == "upper":
        return "_".join(words).upper()
    if style == "pascal":
        return "".join(w.title() for w in words)
    if style == "camel":
        return words[0] + "".join(w.title() for w in words[1:])
    if style == "sku":
        return f"SKU-{'-'.join(words).upper()}-{rng.randrange(10, 99)}"
    if style == "hashtag":
        return "#" + "".join(w.title() for w in words)
    if words[0] in ("san", "santa"):
        return "-".join(words)  # `maria-santa` reads as a person, no look-alike
    return "-".join(reversed(words))


# Places a look-alike identifier stands in that say nothing of a person (a shop path, a tag, a reference).
_NEUTRAL = (
    "https://shop.example/products/{x}", "ref {x} ok", "{x}.json", "#{x}", "Vote {x} today", "/p/{x}/reviews",
    "SELECT * FROM {x};", "config.{x} = 42",
)  # fmt: skip


def identifier_lookalikes(rng: Random) -> Case:
    """Look-alike identifiers alone (no person in the case, so nothing another recognizer finds beside them
    colours the figure): they must reach the client as written."""
    texts = []
    for _ in range(3):
        x = _lookalike(rng)
        texts.append(rng.choice(_NEUTRAL).format(x=x.lstrip("#") if "#" in x and rng.random() < 0.5 else x))
    carrier = rng.choice(["log", "field"])
    if carrier == "log":
        result = tool_result("\n".join(texts))
    else:
        result = tool_result(structured={"items": [{"id": i, "value": t} for i, t in enumerate(texts)]})
    return Case(
        "names-identifier-lookalikes",
        [call(result, rng.choice(["read_logs", "list_products", "social_feed"]))],
        [],
        [Survivor(t, label="lookalike-identifier") for t in texts],
        label=carrier,
    )


def names_in_identifier_shapes(rng: Random) -> Case:
    """One identifier holding a person's name in one of the shapes, in one of the places and carriers,
    beside a look-alike identifier that holds none."""
    first, last, accented = _pair(rng)
    ident, style, joined = _shape(rng, first, last)
    text, kind = _place(rng, ident, joined, style)
    if accented and rng.random() < 0.3:
        text = unicodedata.normalize("NFD", text)
        style += ":nfd"
    planted = _needle(first, last)
    survivor = _lookalike(rng)
    while planted.found_in(survivor.casefold()):
        survivor = _lookalike(rng)
    known = "strong" if strong_pair(_fold(first), _fold(last)) else "other"
    carrier = rng.choice(["log", "sentence", "field", "nested"])
    if carrier == "log":
        result = tool_result(f"2026-12-07T10:0{rng.randrange(10)}:00Z seen {text}\nalso: {survivor}")
    elif carrier == "sentence":
        result = tool_result(f"The sync picked up {text} and {survivor} this morning.")
    elif carrier == "field":
        key = rng.choice(["url", "path", "file", "ref", "tag", "source"])
        result = tool_result(structured={key: text, "other": survivor, "n": rng.randrange(99)})
    else:
        result = tool_result(
            structured={"items": [{"id": rng.randrange(999), "value": text, "sku": survivor}]}
        )
    return Case(
        "names-identifier-shapes",
        [call(result, rng.choice(["read_logs", "list_files", "crawl", "social_feed"]))],
        [planted],
        [Survivor(survivor, label="lookalike-identifier")],
        label=f"{known}:{style}:{kind}:{'accented' if accented else 'ascii'}:{carrier}",
    )
