"""An email address with its `@` and `.` written as other languages' words or joiners, the way sites outside
the English-speaking world hide them from harvesters: `jane(at)acme(punkt)de`, `jane [ät] acme [punkt] de`,
`jane arobase acme point fr`, `jane arroba acme punto es`, `jane chiocciola acme punto it`,
`jane apenstaartje acme punt nl`, `jane snabel-a acme punkt se`, `jane_at_acme_dot_com`, `jane -at- acme.de`.

`views` reads the English forms (`(at)`, `[dot]`, `at … dot`); this module is the same rule over a wider
vocabulary. The class is one shape: a local part, a stand-in for `@` (an at-word in brackets, an at-word
joined by `_` or `-`, or a spelled-out foreign at-word between spaces that no sentence uses otherwise), then
domain labels joined by dot stand-ins (the same three kinds, over dot-words) or real dots, ending in a known
top-level domain, the domain starting with a letter (`Preis: 5 (at) 3 punkt de`, `rendez-vous (at) 10h
(point) fr` are prices and times). The words for "dot" (`punto`, `point`, `punkt`) are ordinary words in
their languages, and `at` is English and Dutch and Swedish prose, so nothing is read without an at-stand-in,
a bare English `at` is never one (`Treffen at 10 Uhr`), and the last label must be a TLD (`le point de vue`
stays). A glued `-at-` or `_at_` wants a glued or spelled dot (`data-at-rest.de` is a compound). The view
reads the whole run as the address it spells.
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View, rewrite

# Words for "at" in brackets or joined (`[ät]`, `_at_`): short ones are safe only there.
_AT_SHORT = r"at|ät|æt|@"
# Words for "@" that name the sign itself (fr, es/pt, it, nl, sv/da/no, de, pl, cs/sk, hu, ru, fi):
# nothing else in a sentence, so they count between spaces too.
_AT_NAMES = (
    r"arobase|arroba|chiocciola|chiocciolina|apenstaartje|apestaartje|snabel-?a|klammeraffe|affenschwanz"
    r"|ma[łl]pa|zavin[aá][čc]|kukac|sobaka|собака|miukumauku|kissanhäntä|at-merkki|arobas"
)
# Words for "dot" (en, de/sv/da/no/pl, fr, es/it, nl/ca, pt, cs, pl, tr, fi, hu, da/no).
_DOT_WORDS = r"dot|punkt|point|punto|punt|ponto|tečka|tecka|kropka|nokta|piste|pont|prik"
_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"


def _stand_in(short: str, spaced: str) -> str:
    """Bracketed (`(punkt)`, `[ ät ]`), joined (`_dot_`, `-at-`) or spaced (`␣arroba␣`)."""
    return (
        rf"(?:\s{{0,3}}{_OPEN}\s{{0,2}}(?i:{short}|{spaced})\s{{0,2}}{_CLOSE}\s{{0,3}}"
        rf"|\s{{0,2}}[_\-](?i:{short}|{spaced})[_\-]\s{{0,2}}|\s{{1,3}}(?i:{spaced})\s{{1,3}})"
    )


_AT = _stand_in(_AT_SHORT, _AT_NAMES)
_DOT_STAND_IN = _stand_in(r"\.|·", _DOT_WORDS)
# Generic and common sponsored TLDs; every two-letter label is taken as a country code.
_TLDS = (
    r"com|net|org|info|biz|edu|gov|mil|int|name|pro|mobi|aero|coop|museum|app|dev|io|ai|online|site|shop"
    r"|store|tech|blog|cloud|email|mail|web|berlin|hamburg|paris|swiss|wien|bayern|nrw|koeln|cat|eus|gal|scot"
    r"|[a-z]{2}"
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_LOCAL = r"(?<![\w%+.\-])[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,62}[A-Za-z0-9])?"
_WORD_EMAIL = re.compile(
    rf"(?P<local>{_LOCAL})(?P<at>{_AT})(?P<domain>(?=[^\W\d_])(?:{_LABEL}(?:\.|{_DOT_STAND_IN})){{1,4}}(?i:{_TLDS}))"
    r"(?![\w\-@])"
)
_DOT_PART = re.compile(_DOT_STAND_IN)
# Cheap scans (a `views.changes` and batch pre-scan trigger): a bracketed or joined at-word, or a name of `@`
# (`_AT_NAMES`: a name added there needs its prefix here; the test module checks each one).
TRIGGERS = (
    re.compile(r"[\[({<_\-] {0,2}[aAäÄæÆ][tT]"),
    # Each name of `@` by its first letter, then its next letters in any case: a leading class is the engine's
    # fast skip; an alternation of the whole names, case-blind, is several times slower on long texts.
    re.compile(
        r"[aAcCkKmMsSzZсС](?i:rob|rrob|hiocc|penst|pest|nabel|lammer|ffensch|a[łl]pa|avin|ukac|obaka|обак"
        r"|iukum|issanh|t-merk)"
    ),
)


def may_hold(text: str) -> bool:
    return any(t.search(text) is not None for t in TRIGGERS)


def _address(found: str) -> str:
    match = _WORD_EMAIL.fullmatch(found)
    if match is None:  # cannot happen: `found` is one of its matches
        return found
    at, domain = match["at"], match["domain"]
    if at[0] in "_-" and at[-1] in "_-" and _DOT_PART.search(domain) is None:
        return found  # `data-at-rest.de`: a compound word before a dot; a glued `-at-` wants a glued dot
    return f"{match['local']}@{_DOT_PART.sub('.', domain)}"


def read(view: View) -> View:
    """`view` with every address spelled with at- and dot-words read as the address (module doc)."""
    return rewrite(view, _WORD_EMAIL, _address)
