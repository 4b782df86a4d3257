"""Keys and values that hold a client's, account's or company's name (entity ACCOUNT_NAME), as a class.

A key holds an organisation when, normalized as field-rule keys are (`proxy.policy.normalize_key`: case
and `_`/`-` blind), it is an org-role word (`account`, `company`, `advertiser`, `brand`, `employer`…),
optionally after a qualifier (`parent`, `legal`…) and before a name suffix (`Name`, `DisplayName`,
`LegalName`, `Title`), singular or plural: `account`, `company_name`, `ADVERTISER-DISPLAY-NAME`,
`parentAccountTitle`, `clients`. One set of normalized spellings, looked up once per key.

Under such a key, a string is an account name only if it is shaped like one (`is_org_name`): words that
start with a capital (or connectives and legal forms between them), no URL, path, address, code or
number. So `"account": "ENABLED"`, `"company": "customers/123"`, `"brand": "SEARCH_AND_DISPLAY"` and
`"account": "1234567890"` (a number's key context decides that one) are not names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from proxy.detect.name_words import words_of
from proxy.policy import key_vocab, normalize_key

ENTITY = "ACCOUNT_NAME"

_ROLES = words_of(
    """account client customer company organization organisation org advertiser brand business employer
    agency merchant vendor supplier partner firm tenant payer billingentity legalentity reseller
    distributor contractor subsidiary enterprise"""
)
_QUALIFIERS = ("", *words_of("parent sub end primary legal registered trading billing"))
# `profile`: Stripe's `business_profile`, an object whose `name` is the business's.
_SUFFIXES = ("", *words_of("name title displayname legalname fullname shortname tradingname profile"))


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + ("es" if word.endswith(("s", "x")) else "s")


# Lists of them too: `accounts`, `companies`, `clientNames`, `businesses`.
_SINGULAR = frozenset(q + r + s for q in _QUALIFIERS for r in _ROLES for s in _SUFFIXES)
_PLURAL = frozenset(q + _plural(r) for q in _QUALIFIERS for r in _ROLES) | frozenset(
    q + r + _plural(s) for q in _QUALIFIERS for r in _ROLES for s in _SUFFIXES if s
)
# And the words of other languages that name a company (`firmenname`, `raison_sociale`: `key_vocab.COMPANY`).
ORG_KEYS = frozenset(normalize_key(k) for k in _SINGULAR | _PLURAL | key_vocab.words(key_vocab.COMPANY))

# The keys of an object under an org key that hold its name: `"account": {"id": 1, "name": "Acme"}`.
NAME_CHILDREN = frozenset(
    normalize_key(k)
    for k in words_of("name displayName title legalName descriptiveName fullName shortName tradingName")
)


def is_org_key(key: str) -> bool:
    return normalize_key(key) in ORG_KEYS


def is_org_label(label: str) -> bool:
    """A text label before `:` that introduces an organisation (`Account`, `Client name`, `Your billing
    entity`): the key rule on the label's last words, read with its spaces as separators."""
    words = label.split()
    return any(normalize_key("".join(words[i:])) in ORG_KEYS for i in range(len(words)))


# Words that may sit lower-case inside a company name (`Bank of the West`, `Müller und Söhne`).
_CONNECTIVES = frozenset(words_of("and of the for de du des der den la le y und et e da di van von & +"))
_EDGE_PUNCT = "\"'’“”()[],.;:!?"
_MAX_CHARS = 120
_MAX_WORDS = 10
_NOT_NAME = re.compile(r"://|@|^www\.|[\\{}<>=#\t\n\r]|\.(?:com|net|org|io|co)(?:\W|$)", re.IGNORECASE)


@lru_cache(maxsize=8192)
def is_org_name(value: str) -> bool:
    """Whether a string under an org key reads as an organisation's name, not as a code, an enum, a
    number, an address or a sentence (see the module docstring)."""
    text = value.strip()
    if not 2 <= len(text) <= _MAX_CHARS or _NOT_NAME.search(text):
        return False
    letters = sum(c.isalpha() for c in text)
    digits = sum(c.isdigit() for c in text)
    if letters < 2 or digits * 2 > letters:
        return False
    words = [w.strip(_EDGE_PUNCT) for w in text.split()]
    words = [w for w in words if w and any(c.isalnum() or c in "&+" for c in w)]
    if not words or len(words) > _MAX_WORDS:
        return False
    if len(words) == 1:
        return _single_word_name(words[0])
    first = words[0]
    if not (first[0].isupper() or first[0].isdigit()):
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.casefold() in _CONNECTIVES for w in words)


def _single_word_name(word: str) -> bool:
    """`Acme`, `Zalando`, `McKinsey`: a capitalised word with lower case in it, made of letters (and inner
    `'`, `-`, `&`), that is no common English word (`Search`, `Enabled`, `Default` are enum values)."""
    from proxy.detect.name_lexicon import is_english_word  # the word lists load on first use

    if not (word[0].isupper() and any(c.islower() for c in word)):
        return False  # ENABLED, MANAGER, USD, camelCase codes
    if not word.replace("-", "").replace("'", "").replace("’", "").replace("&", "").isalpha():
        return False  # America/New_York, v1.2, en_US
    return not is_english_word(word)


# The bare role words of the org class and their plurals (`client`, `accounts`): no name suffix.
_BARE_ROLES = frozenset(normalize_key(q + r) for q in _QUALIFIERS for r in _ROLES) | frozenset(
    normalize_key(q + _plural(r)) for q in _QUALIFIERS for r in _ROLES
)
_SEGMENTS = re.compile(r"[./:\[\]]+")
NAME_LABEL, ROLE_LABEL = 2, 1


@lru_cache(maxsize=4096)
def org_data_label(label: str) -> int:
    """How a label written as data (a CSV header, a Markdown column, a `columns` entry, a logfmt or XML
    name) names an organisation, by the key rule read on its last segment: `NAME_LABEL` for a name key of
    the org class (`account_name`, `Account Name`, `Parent organization display name`) or a name child of
    an org resource (GAQL's `customer.descriptive_name`, `customer_client.descriptive_name`), `ROLE_LABEL`
    for a bare role word (`Client`, `account`: a product or a kind of account may sit there too, so the
    caller asks more of the value), 0 for none."""
    segments = [s for s in _SEGMENTS.split(label) if s]
    if not segments:
        return 0
    last = normalize_key(segments[-1])
    if last in ORG_KEYS:
        return ROLE_LABEL if last in _BARE_ROLES else NAME_LABEL
    if last in NAME_CHILDREN and len(segments) > 1:
        parent = normalize_key(segments[-2])
        if parent in ORG_KEYS or any(parent.endswith(r) for r in _ROLES):
            return NAME_LABEL
    return 0
