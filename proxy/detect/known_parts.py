"""Known values found laundered beyond their separators: a distinctive part alone, backwards, or with every
character doubled.

Once a session knows `Osvaldo Thistlewood`, `ofelia.quattlebaum@harborline.com` or `+1 312 784 3395`, a
backend that was given the value back can re-emit a part that identifies the person just as well: the
surname alone (`Thistlewood approved the budget.`), the mailbox's local part (`user ofelia.quattlebaum
logged in`), the subscriber part of the number (`784-3395`). Those parts are registered as known values of
the same entity (`distinctive_parts`). Over-redaction is guarded: a surname counts only when it is long and
no word of the dictionary (`Brown`, `Baker`, `Park` stay readable after a known `Anna Park`); a
local part only with six characters or more and a dot or a digit in it (`info`, `sales`, `admin` do not);
a phone's part only as its last seven digits, which the digit skeleton matches only as a grouped number
standing on its own.

A value written backwards (`dooweltsihT odlavsO`) or with every character doubled (`ooffeelliiaa..`) is
matched by registering those forms of the value as exact patterns (`laundered_forms`): the automaton grows,
the text is read once as before. An email is also matched on the letters and digits of a text holding an
`@` whatever separates them (`loose_form`): one more automaton pass, only over such texts.
"""

from __future__ import annotations

import re

from proxy.detect.known_skeleton import unmark
from proxy.detect.name_lexicon import in_dictionary, is_english_word
from proxy.detect.view_map import View, rewrite

MIN_SURNAME = 5
MIN_LOCAL = 6
SUBSCRIBER_DIGITS = 7
MIN_PHONE_DIGITS = 10  # a national number with an area code: its last seven digits are the subscriber
MIN_REVERSED = 6
_LOCAL_TELL = re.compile(r"[.\d]")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
MIN_LOOSE = 12
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _distinctive_surname(word: str) -> bool:
    bare = word.replace("-", "").replace("'", "").replace("’", "")
    return (
        len(bare) >= MIN_SURNAME
        and bare.isalpha()
        and not is_english_word(word)
        and not in_dictionary(word)
    )


def distinctive_parts(value: str, entity: str) -> list[str]:
    """Parts of a known value that identify its subject alone (module docstring), to be known too."""
    if "PERSON" in entity:
        words = value.split()
        if len(words) >= 2 and _WORD.fullmatch(words[-1]) and _distinctive_surname(words[-1]):
            return [words[-1]]
        return []
    if entity == "EMAIL_ADDRESS" and value.count("@") == 1:
        local = value.split("@")[0].strip()
        if len(local) >= MIN_LOCAL and _LOCAL_TELL.search(local) and any(c.isalpha() for c in local):
            return [local]
        return []
    if entity == "PHONE_NUMBER":
        digits = "".join(c for c in value if c.isdigit())
        if len(digits) >= MIN_PHONE_DIGITS:
            # grouped, so that only the digit skeleton (no digit touching, no decimal) finds it bare: the
            # exact matcher takes a value as given even inside a longer run of digits
            sub = digits[-SUBSCRIBER_DIGITS:]
            return [f"{sub[:3]}-{sub[3:]}"]
    return []


def laundered_forms(folded: str, needle: str) -> list[tuple[str, str]]:
    """Exact patterns for a folded value written backwards and with every character doubled, each with its
    needle (its longest word, read the same way)."""
    out = [("".join(c + c for c in folded), "".join(c + c for c in needle))]
    if len(folded) >= MIN_REVERSED and folded[::-1] != folded:
        out.append((folded[::-1], needle[::-1]))
    return out


def loose_form(folded: str, entity: str) -> str | None:
    """An email's letters and digits alone (`giselamarquardt2quellwerkde`), matched on the same skeleton of
    a text that holds an `@` (`g-i_s.e|l-a . m_a.r-q_u…@ q-u_e.l-l w e r k . d e`): any separator between
    any characters is read through. Long enough (`MIN_LOOSE`) not to stand by chance in a text's letters."""
    if entity != "EMAIL_ADDRESS" or "@" not in folded:
        return None
    form = _NOT_ALNUM.sub("", "".join(c if c.isascii() else unmark(c) for c in folded))
    return form if len(form) >= MIN_LOOSE and form.isascii() else None


def alnum_view(base: View) -> View:
    """A view of `base` with everything but ASCII letters and digits removed; its map points where
    `base`'s does."""
    return rewrite(base, _NOT_ALNUM, lambda _s: "")
