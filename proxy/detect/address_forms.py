"""A mailbox written in an address form other than `local@domain`: a UUCP bang path (`uunet!host!user`,
`relay!globex.io!priya.raman`), the `%` hack (`user%domain@relay`), a source route
(`@relay1,@relay2:user@domain`).

Each form names the same two things, a mailbox and the host it is on, in another order or with relays
around them; the email recognizer reads only the one form. The *address-forms view* rewrites every form to
the mailbox it names, `user@host` (RFC 976: a bang path's last host before the user is the user's host,
and a host with no dot is a UUCP host, `host.uucp`), so the email recognizer judges the whole class, and a
mailbox found there replaces the form from its first character to its last, relays included.

A bang path is read only where it cannot be an exclamation: two bangs or more between hostname-shaped
words (`uunet!host!user`), or one after a dotted domain (`globex.io!priya.raman`); `echo hi!`,
`!important`, `a != b`, `Wow!Great!Again` are none, and neither is a debugger's
`ntdll.dll!RtlUserThreadStart` (a file before the bang).
"""

from __future__ import annotations

import re

from proxy.detect.view_map import View, replace_ranges

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = rf"{_LABEL}(?:\.{_LABEL}){{0,16}}"
# A UUCP host is written in lower case (`uunet`, `ihnp4`); capitalized words between bangs are an
# exclamation's (`Wow!Great!Again`).
_UUCP = rf"(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?|{_LABEL}(?:\.{_LABEL}){{1,16}})"
_DOTTED = rf"{_LABEL}(?:\.{_LABEL}){{0,15}}\.[A-Za-z]{{2,24}}"
# A debugger's `module!symbol` (`ntdll.dll!RtlUserThreadStart+0x21`, `app.jar!/com/Main`) names a file
# before its bang, not a host: a file's extension ends no host of a bang path.
_MODULE = re.compile(
    r"\.(?:dll|exe|sys|so|dylib|jar|war|ear|zip|pdb|ocx|drv|cpl|mui|bin|lib|apk|ko|node|pyd)$", re.IGNORECASE
)
_USER = r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}(?<!\.)"
_BANG = re.compile(rf"(?<![\w.!%+@-])(?:(?:{_UUCP}!){{2,8}}|{_DOTTED}!)({_USER})(?![\w@%!+-]|\.\w)")
# `user%host@relay` (the relay routes it on to `user@host`), and `@relay,@relay:user@host`.
_PERCENT = re.compile(rf"(?<![\w.%+-])({_USER})((?:%{_HOST}){{1,4}})@{_HOST}(?![\w-])")
_ROUTE = re.compile(rf"(?<![\w.@-])@{_HOST}(?:,@{_HOST}){{0,8}}:({_USER}@{_DOTTED})(?![\w-])")
TRIGGERS = (re.compile(r"\w!\w"), re.compile(r"\w%\w[^\s@]{0,250}@|@\w[^\s:]{0,250}:\w"))


def _host(m: re.Match[str]) -> str:
    """The host a bang path's user is on: the last one before it."""
    return m.group(0)[: -len(m.group(1)) - 1].rsplit("!", 1)[-1]


def _bang_mailbox(m: re.Match[str]) -> str:
    host = _host(m)
    return f"{m.group(1)}@{host if '.' in host else host + '.uucp'}"


def _bangs(text: str) -> list[tuple[int, int, str]]:
    """Each bang path in `text` (not a debugger's frame) and the mailbox it names."""
    return [
        (m.start(), m.end(), _bang_mailbox(m)) for m in _BANG.finditer(text) if not _MODULE.search(_host(m))
    ]


def _percent_mailbox(m: re.Match[str]) -> str:
    return f"{m.group(1)}@{m.group(2).rsplit('%', 1)[1]}"


def may_hold(text: str) -> bool:
    return any(t.search(text) is not None for t in TRIGGERS)


def address_forms_view(text: str) -> View | None:
    """`text` with each address form read as the mailbox it names (module doc); None if there is none."""
    if not may_hold(text):
        return None
    found = [
        *_bangs(text),
        *((m.start(), m.end(), _percent_mailbox(m)) for m in _PERCENT.finditer(text)),
        *((m.start(), m.end(), m.group(1)) for m in _ROUTE.finditer(text)),
    ]
    found.sort()
    kept: list[tuple[int, int, str]] = []
    for s, e, new in found:
        if not kept or s >= kept[-1][1]:
            kept.append((s, e, new))
    view = replace_ranges(View(text), kept)
    return None if view.identity else view
