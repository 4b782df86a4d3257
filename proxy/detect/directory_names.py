"""Names in directory formats and in the places an operating system writes a user's name: the judgements
and cheap triggers behind `VeilVcardNameRecognizer` and `VeilLoginNameRecognizer`, kept free of Presidio
for the detector's prefilter.

- A vCard's structured name, `N:Gonzalez;Maria;;;` (RFC 6350 §6.2.2: family; given; additional; prefixes;
  suffixes): the property says "person", so its name components are one.
- A login: the value of a directory's user-id attribute (`uid=mgonzalez`, `sAMAccountName: mgonzalez`) or
  the directory under a system's home root (`/home/maria.gonzalez/`, `/Users/mgonzalez`,
  `C:\\Users\\Maria Gonzalez\\`). Logins are made of name parts: `maria.gonzalez`, `maria_gonzalez`,
  `mariagonzalez` (the @mention's judgement, `name_mention_recognizer.handle_is_name`), an initial and a
  surname (`mgonzalez`), or a display name (`Maria Gonzalez`). Service and system accounts (`admin`,
  `ubuntu`, `runner`, `Public`, `postgres`) are words or known account names and stay readable.
"""

from __future__ import annotations

import re

from proxy.detect.name_lexicon import (
    common_surnames,
    in_dictionary,
    is_english_word,
    is_first_name,
    is_vocabulary_word,
    lexicon_form,
)
from proxy.detect.name_words import looks_like_surname

# Triggers (standard `re`, a literal or a small class first). A vCard `N` property at a line's start, with
# a group prefix or parameters (`item1.N;CHARSET=UTF-8:`).
VCARD_NAME_TRIGGER = re.compile(r"^(?:[A-Za-z0-9-]{1,20}\.)?N[;:]", re.MULTILINE)
# An escaped comma in a DN's value (`CN=Gonzalez\, Maria`).
DN_COMMA_TRIGGER = re.compile(r"\\, ?[A-Z]")
# An LDIF person attribute at a line's start (`sn: Cabo`).
LDIF_PERSON_TRIGGER = re.compile(r"^(?i:sn|surname|givenname)[ \t]{0,2}:", re.MULTILINE)
# A user-id attribute or key followed by its separator, any case (`uid=`, `sAMAccountName:`, `"login": `).
LOGIN_KEYS = r"uid|userid|user_id|samaccountname|mailnickname|username|user_name|login|logon|loginname"
LOGIN_TRIGGER = re.compile(r"(?i:" + LOGIN_KEYS + r")[\"']?[ \t]{0,3}[:=]")
# A home root followed by a separator: `/home/`, `/Users/`, `C:\Users\`, `\\server\home$\`.
HOME_TRIGGER = re.compile(r"(?:[Hh][Oo][Mm][Ee]|[Uu][Ss][Ee][Rr][Ss])\$?[/\\]")

# System, service and shared accounts that are no person's (besides words of the language, which the
# judgement leaves anyway): the closed class of names operating systems and CI images ship.
_SYSTEM = """
root admin administrator guest user users default public shared all ubuntu debian centos fedora
ec2-user runner vagrant git www-data nobody postgres mysql oracle jenkins gitlab docker node
"""
SYSTEM_ACCOUNTS = frozenset(_SYSTEM.split())
_SEPARATORS = re.compile(r"[._-]")
_MIN_SURNAME = 4
_MIN_DOTTED = 3


def is_vcard_component(text: str) -> bool:
    """A name component of `N`: letters, blanks, hyphens, apostrophes, dots; a letter first."""
    return bool(text) and text[0].isalpha() and all(c.isalpha() or c in " -'’." for c in text)


def login_is_name(value: str) -> bool:
    """Whether a login (module doc) is made of a person's name parts."""
    # Imported here: that module loads Presidio, which the prefilter (the triggers above) must not.
    from proxy.detect.name_mention_recognizer import handle_is_name
    from proxy.detect.name_text import could_be_name

    value = value.strip()
    if not 2 <= len(value) <= 60 or value.casefold() in SYSTEM_ACCOUNTS:
        return False
    if " " in value:  # a display name as a folder (`C:\Users\Maria Gonzalez`)
        return could_be_name(value)
    if not all(c.isalpha() or c in "._-" for c in value):
        return False
    if is_english_word(value) or is_vocabulary_word(value) or in_dictionary(value):
        return False
    if handle_is_name(value):
        return True
    return initial_and_surname(value)


def initial_and_surname(value: str) -> bool:
    """`mgonzalez`: one initial, then a surname a name list vouches for (a census surname, a surname shape)
    or a word of no dictionary; the whole neither a given name nor a surname alone (`jenkins` is one
    surname, not `j` + `enkins`). With the initial written apart (`m.gonzalez`, `s.cabo`) any word will
    do: a login's convention, not a word's spelling."""
    folded = value.casefold()
    if lexicon_form(folded) in common_surnames() or is_first_name(folded):
        return False
    head, rest = folded[0], _SEPARATORS.sub("", folded[1:])
    if folded[1:2] in (".", "_") and rest.isalpha() and len(rest) >= _MIN_DOTTED:
        return True  # `m.gonzalez`, `s.cabo`: the initial written apart says "a person", whatever the rest is
    if not head.isalpha() or len(rest) < _MIN_SURNAME or not rest.isalpha():
        return False
    if lexicon_form(rest) in common_surnames() or looks_like_surname(rest.title()):
        return True
    return not is_english_word(rest) and not is_vocabulary_word(rest) and not in_dictionary(rest)


# Each scanned on its own (the batch pre-scan runs them over a whole message): what may hold a name with no
# capital anywhere (`uid=mgonzalez`, `/home/maria.gonzalez/`); the others need a capital, which the
# pre-scan looks for anyway.
LOWER_CASE_TRIGGERS = (LOGIN_TRIGGER, HOME_TRIGGER)
TRIGGERS = (VCARD_NAME_TRIGGER, DN_COMMA_TRIGGER, LDIF_PERSON_TRIGGER, *LOWER_CASE_TRIGGERS)


def might_hold_directory_name(text: str) -> bool:
    """The cheap test for the prefilter: a vCard `N` line, a DN's escaped comma, an LDIF person attribute,
    a user-id attribute, a home root."""
    return any(t.search(text) is not None for t in TRIGGERS)
