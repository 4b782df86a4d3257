"""`uid=mgonzalez,ou=people,…`, `sAMAccountName: mgonzalez`, `/home/maria.gonzalez/`, `C:\\Users\\Maria
Gonzalez\\Documents`: a login made of a person's name parts, where a directory or a file system writes it.

The place says "a user": a user-id attribute or key, or the folder right under a home root (`home`,
`Users`). What says "a person" is the login itself (`directory_names.login_is_name`): name parts a name
list knows, an initial and a surname, or a display name; or the capitalised words of the entry around it
(`uid: cgeiler` beside `sn: Geiler`, `login_names.record_derived`); `uid=admin`, `/home/ubuntu/`,
`/Users/Shared/` and `/api/users/search` stay readable. The span is the login.
"""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from proxy.detect.directory_names import LOGIN_KEYS, login_is_name
from proxy.detect.login_names import record_derived
from proxy.detect.name_patterns import CONFIDENT, NameRunRecognizer

_HANDLE = r"\p{L}[\p{L}._-]{1,59}+(?![\p{L}\p{N}_@])"
# A display name as a folder: words one blank apart, up to the next separator (`…\Maria Gonzalez\…`).
_DISPLAY = r"\p{L}[\p{L}'’.-]{0,30}+(?: \p{L}[\p{L}'’.-]{0,30}+){1,3}+(?=[/\\])"


class VeilLoginNameRecognizer(NameRunRecognizer):
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "user-id attribute",
            r"(?<![\p{L}\p{N}_])(?i:"
            + LOGIN_KEYS
            + r")[\"']?[ \t]{0,3}[:=][ \t]{0,3}[\"']?(?P<name>"
            + _HANDLE
            + r")",
            CONFIDENT,
        ),
        Pattern(
            "home folder",
            r"(?<=[/\\])(?i:home|users)\$?[/\\](?P<name>" + _DISPLAY + "|" + _HANDLE + r")",
            CONFIDENT,
        ),
    ]

    def hit(self, match: regex.Match[str], text: str) -> tuple[int, int, float] | None:
        login = match.group("name").rstrip("._-")
        if not (login_is_name(login) or record_derived(login, text)):
            return None
        return match.start("name"), match.start("name") + len(login), CONFIDENT
