"""Key names as key rules read them: one normalization, one matcher, used wherever a key decides.

A backend names a field as it likes: `contactEmail`, `contact_email`, `CONTACT-EMAIL`,
`ｅｍａｉｌ` (fullwidth), `еmail` (a Cyrillic `е`). `normalize_key` folds all of these to one form:
NFKC, ASCII confusables folded (the detector's table, `proxy.detect.views`), case-folded, every
non-alphanumeric character dropped.

`key_rule_entity` then finds the rule a key falls under, also when the key qualifies a rule's key: a plural
(`emails`, `phoneNumbers`, `customerIds`, `addresses`), a prefix word (`primary_email`, `contactEmailAddress`,
`customerFirstName`), a trailing number (`email_address_2`). The key is split into words (separators,
camel humps, digits); trailing number words are dropped and the longest run of its last words that names a
rule wins (its last word may be a plural), so `ipAddress` is an IP address before it is an `address`. A rule
key never matches inside a word (`voicemail` is not `mail`) nor as a prefix (`emailVerified`,
`phoneType` name facts about a value, not the value).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_MIN_QUALIFIED = 4
_DROP = re.compile(r"[\W_]+")
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[^\W\d_A-Za-z]+")


@lru_cache(maxsize=8192)
def _readable(key: str) -> str:
    """`key` as a reader sees it: NFKC and ASCII confusables folded, case kept."""
    if key.isascii():
        return key
    from proxy.detect.views import _confusables  # the detector's table (loaded once, cached there)

    table = _confusables()
    return "".join(table.get(c, c) for c in unicodedata.normalize("NFKC", key))


@lru_cache(maxsize=8192)
def normalize_key(key: str) -> str:
    """Key rules match `contactEmail`, `contact_email`, `contact-email` and `ｅｍａｉｌ` alike."""
    return _DROP.sub("", _readable(key)).casefold()


def _plurals(word: str) -> tuple[str, ...]:
    if word.endswith("es"):
        return word, word[:-1], word[:-2]
    if word.endswith("s"):
        return word, word[:-1]
    return (word,)


def key_rule_entity(key: str, rules: dict[str, str]) -> str | None:
    """The entity of the key rule `key` falls under (`rules`: normalized key → entity), or None."""
    if not rules:
        return None
    nk = normalize_key(key)
    hit = rules.get(nk)
    if hit is not None:
        return hit
    words = key_words(key)
    # `email_address_2`, `addressLine1_2`: the key with its trailing number and without it
    for ws in (words, words[:-1]) if len(words) > 1 and words[-1].isdigit() else (words,):
        for i in range(len(ws)):
            head = "".join(ws[i:-1])
            for last in _plurals(ws[-1]):
                name = head + last
                if i > 0 and len(name) < _MIN_QUALIFIED:
                    continue  # a short rule key (`id`) names its own key, not every `…Id`
                hit = rules.get(name)
                if hit is not None:
                    return hit
    return None


@lru_cache(maxsize=8192)
def key_words(key: str) -> tuple[str, ...]:
    """The words of a key, case-folded: `email_address_2` → (email, address, 2), `clientCustomerId` →
    (client, customer, id); read like `normalize_key` (NFKC, confusables). A `#` after a word is the word
    "number", as forms write it (`Customer #`, `SSN#` → (customer, no), (ssn, no))."""
    return tuple(w.casefold() for w in _WORDS.findall(_NUMBER_SIGN.sub(" no ", _readable(key))))


_NUMBER_SIGN = re.compile(r"(?<=[^\W_])[ \t]?#")
