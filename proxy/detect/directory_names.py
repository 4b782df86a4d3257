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

from proxy.detect.login_names import SERVICE_ACCOUNTS, given_and_initial, service_affixed, system_login_starts
from proxy.detect.name_lexicon import (
    census_surnames,
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
# An escaped comma or blank in a DN's value (`CN=Gonzalez\, Maria`, `CN=Gonzalez\2C Maria`,
# `CN=Maria\20Gonzalez`: RFC 4514's escapes, a character or its hex pair).
DN_COMMA_TRIGGER = re.compile(r"\\(?:,|2[Cc]|20) ?(?:\\20)?[A-Z]")
# An LDIF person attribute at a line's start (`sn: Cabo`).
LDIF_PERSON_TRIGGER = re.compile(r"^(?i:sn|surname|givenname)[ \t]{0,2}:", re.MULTILINE)
# A user-id attribute or key followed by its separator, any case (`uid=`, `sAMAccountName:`, `"login": `), and
# a home root followed by a separator (`/home/`, `/Users/`, `C:\Users\`, `\\server\home$\`): `login_starts`.
LOGIN_KEYS = r"uid|userid|user_id|samaccountname|mailnickname|username|user_name|login|logon|loginname"

# System, service and shared accounts that are no person's (besides words of the language, which the
# judgement leaves anyway): the closed class of names operating systems and CI images ship.
_SYSTEM = """
root admin administrator guest user users default public shared all ubuntu debian centos fedora
ec2-user runner vagrant git www-data nobody postgres mysql oracle jenkins gitlab docker node redis
gluster mongodb elastic kibana grafana tomcat splunk zabbix nagios puppet consul vault nginx apache
"""
SYSTEM_ACCOUNTS = frozenset(_SYSTEM.split())
_SEPARATORS = re.compile(r"[._-]")
_MIN_CENSUS = 3  # `mfox`
_MIN_RARE = 4
_MIN_GIVEN = 3
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
    folded = value.casefold()
    if not 2 <= len(value) <= 60 or folded in SYSTEM_ACCOUNTS or folded in SERVICE_ACCOUNTS:
        return False
    if service_affixed(value):
        return False  # `svc_backup`, `ingestuser`, `deploy-bot`: a role beside what it serves
    if " " in value:  # a display name as a folder (`C:\Users\Maria Gonzalez`)
        return could_be_name(value)
    if not all(c.isalpha() or c in "._-" for c in value):
        return False
    if is_english_word(value) or is_vocabulary_word(value) or in_dictionary(value):
        return False
    if handle_is_name(value):
        return True
    return (
        given_and_surname(value)
        or initial_and_surname(value)
        or initial_and_census_word(value)
        or given_and_initial(value)
    )


def given_and_surname(value: str) -> bool:
    """`summer.tremonti`, `celia_pla`, `maxwellquesada`: a given name any name list knows, then surname
    parts. Looser than an @mention's rule (`handle_is_name`), since the place already says "a user": a
    given name that is also a word will do (`summer`, `dalton`), and each part after it must be a census
    surname or no word of the language (`dev.team`, `azureuser`, `build-agent` stay words). Glued, the
    rest must be a census surname that is no word."""
    parts = [p for p in _SEPARATORS.split(value.casefold()) if p]
    if len(parts) == 1:
        return _glued_given_and_surname(parts[0])
    if not 2 <= len(parts) <= 3 or not all(p.isalpha() and len(p) >= 2 for p in parts):
        return False
    if len(parts[0]) < _MIN_GIVEN or not is_first_name(parts[0]):
        return False
    return all(_surname_part(p) for p in parts[1:])


def _surname_part(part: str) -> bool:
    return lexicon_form(part) in census_surnames() or not (
        is_english_word(part) or is_vocabulary_word(part) or in_dictionary(part)
    )


def _glued_given_and_surname(run: str) -> bool:
    for cut in range(_MIN_GIVEN, len(run) - _MIN_CENSUS + 1):
        head, rest = run[:cut], run[cut:]
        if (
            is_first_name(head)
            and lexicon_form(rest) in census_surnames()
            and not in_dictionary(rest)
            and not is_vocabulary_word(rest)
        ):
            return True
    return False


def initial_and_surname(value: str) -> bool:
    """`mgonzalez`: one initial, then a surname a name list vouches for (a census surname, a surname shape);
    the whole neither a given name nor a surname alone (`jenkins` is one surname, not `j` + `enkins`).
    A rarer census surname counts where it is no word (`rheydrich`); a word of no dictionary that no name
    list knows does not: service accounts are written so (`nginx`, `avahi`, `rtkit`). With the initial
    written apart (`m.gonzalez`, `s.cabo`) any word will do: a login's convention, not a word's spelling."""
    folded = value.casefold()
    if lexicon_form(folded) in common_surnames() or is_first_name(folded):
        return False
    head, rest = folded[0], _SEPARATORS.sub("", folded[1:])
    if folded[1:2] in (".", "_") and rest.isalpha() and len(rest) >= _MIN_DOTTED:
        return True  # `m.gonzalez`, `s.cabo`: the initial written apart says "a person", whatever the rest is
    if not head.isalpha() or len(rest) < _MIN_CENSUS or not rest.isalpha():
        return False
    if lexicon_form(rest) in common_surnames() or looks_like_surname(rest.title()):
        return True
    if _two_surnames(rest):
        return True  # `tbradyzamora`: a double-barrelled surname, glued
    # A rarer census surname, no word of the language (`rheydrich`; `vmail`, `nginx`, `avahi` are none).
    return (
        len(rest) >= _MIN_RARE
        and lexicon_form(rest) in census_surnames()
        and not in_dictionary(rest)
        and not is_vocabulary_word(rest)
    )


def initial_and_census_word(value: str) -> bool:
    """`tfairweather`, `ccrown`, `mshoulder`: one initial glued to a census surname of four letters or more
    that is also a word of the language, rarer than `common_surnames` (which `initial_and_surname` takes
    as a surname anyway: `jbaker`, `rhill`). Only where the place's syntax holds an account (`login_is_name`:
    a URL's userinfo, `User Id=`, a home folder, `DOMAIN\\user`, a passwd line, `owner=`): there the
    initial says which reading is meant, whatever else the word means. A service account reads otherwise:
    a whole word (`deploy`, `backup`, `proxy`: `login_is_name` stops there), a known daemon's name, a role
    with an affix or a second word (`svc_backup`, `deploy-bot`, `gitlab-runner`, `dbuser`), digits
    (`backup01`: no handle of these places ends in one)."""
    folded = value.casefold()
    rest = folded[1:]
    return (
        folded.isascii()
        and folded.isalpha()
        and len(rest) >= _MIN_RARE
        and lexicon_form(rest) in census_surnames()
        and not is_first_name(folded)
    )


def _two_surnames(run: str) -> bool:
    """`bradyzamora`, `charlesabate`: two census surnames of four letters or more, glued."""
    census = census_surnames()
    for cut in range(_MIN_RARE, len(run) - _MIN_RARE + 1):
        if lexicon_form(run[:cut]) in census and lexicon_form(run[cut:]) in census:
            return not in_dictionary(run[:cut]) or not in_dictionary(run[cut:])
    return False


# A login's place in lower case, at one of its literals' positions (`login_starts`). Python's engine finds a
# literal at C speed and a case-insensitive alternation at every position (a quarter of a second over a
# large result's strings): the text is lower-cased once, the literals found with `str.find`, each checked.
_LOGIN_LITERALS = ("uid", "user", "login", "logon", "samaccountname", "mailnickname", "home")
_LOGIN_AT = re.compile(r"(?:" + LOGIN_KEYS + r")[\"']?[ \t]{0,3}[:=]|(?:home|users)\$?[/\\]")
_LOGIN_AT_ANY_CASE = re.compile(_LOGIN_AT.pattern, re.IGNORECASE)
# A handle without its `@` at an underscore (`maria_gonzalez`): checked around each `_` found.
_BARE_AROUND = re.compile(r"(?<![\w@./\\:=+-])[a-zß-ÿ]{3,20}_[a-zß-ÿ]{2,30}(?![\w@/\\=+-])")


def login_starts(text: str) -> list[int]:
    """Where a user-id attribute or a home root (`uid=`, `sAMAccountName:`, `/home/`, `C:\\Users\\`)
    starts in `text`, any case. Offsets of `text` (a lower-casing that changes the length is not used)."""
    low = text.lower()
    if len(low) != len(text):
        return [m.start() for m in _LOGIN_AT_ANY_CASE.finditer(text)] + system_login_starts(text, text)
    out = system_login_starts(text, low)
    for literal in _LOGIN_LITERALS:
        at = low.find(literal)
        while at >= 0:
            if _LOGIN_AT.match(low, at) is not None:
                out.append(at)
            at = low.find(literal, at + 1)
    return out


def bare_handle_starts(text: str) -> list[int]:
    """Where a lower-case handle of two parts joined by `_` may stand in `text` (the mention recognizer's
    `bare handle` judges it): each underscore with such a word around it."""
    out: list[int] = []
    at = text.find("_")
    while at >= 0:
        if _BARE_AROUND.search(text, max(0, at - 21), at + 32) is not None:
            out.append(at)
        at = text.find("_", at + 1)
    return out


def might_hold_directory_name(text: str) -> bool:
    """The cheap test for the prefilter: a vCard `N` line, a DN's escaped comma, an LDIF person attribute,
    a user-id attribute, a home root."""
    if ("N:" in text or "N;" in text) and VCARD_NAME_TRIGGER.search(text) is not None:
        return True
    if "\\" in text and DN_COMMA_TRIGGER.search(text) is not None:
        return True
    if ":" in text and LDIF_PERSON_TRIGGER.search(text) is not None:
        return True
    return bool(login_starts(text))
