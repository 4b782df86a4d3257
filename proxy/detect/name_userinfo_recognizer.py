"""`postgres://jmastroianni:pw@db/app`, `https://maria.gonzalez:token@github.com/…`, `smb://mgonzalez@fs01/`,
and a connection string's user key, `User Id=ppemberton;`, `UID=mgonzalez;`, `Username=…;`,
`jdbc:…?user=mgonzalez&password=…`: the account a URL or a connection string connects as (red team round
ten, class 8).

RFC 3986 puts a login before the `@` of a URL's authority (`scheme://user[:password]@host`), and ADO.NET,
ODBC, Npgsql and JDBC name it under a user key. Without this, `pw@db.host` read as an email address left the
login before the colon readable. The place says "an account"; what says "a person" is, as for the other
account places (`name_system_login_recognizer`), the login (`directory_names.login_is_name`), the record
around it (`login_names.record_derived`), an initial then a surname's shape
(`login_names.initial_and_surname_shape`), or a given name then
an initial (`given_and_initial`). Fixed service users stay readable: `git@github.com`,
`ssh://git@…`, `postgres://postgres@localhost`, `amqp://guest:guest@…`, `User Id=sa`, `x-access-token`,
`anonymous` (the system and service account lists, and `_FIXED_USERS`). The span is the login.
"""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from proxy.detect.directory_names import SYSTEM_ACCOUNTS, login_is_name
from proxy.detect.login_names import (
    SERVICE_ACCOUNTS,
    given_and_initial,
    initial_and_surname_shape,
    record_derived,
)
from proxy.detect.name_patterns import CONFIDENT, NameRunRecognizer

_HANDLE = r"\p{L}[\p{L}._-]{1,59}+"
# Users a protocol or a host fixes, not a person's: git hosting tokens, anonymous FTP, SQL Server's `sa`.
_FIXED_USERS = frozenset(
    ("anonymous", "ftp", "sa", "oauth", "oauth2", "x-access-token", "x-token-auth", "token", "app",
     "service", "readonly", "reader", "writer", "test", "dev", "demo")
)  # fmt: skip
# Connection-string keys that name the login (any case, `User Id` with or without its blank).
USER_KEYS = r"user[ _]?id|uid|user[ _]?name|login"


class VeilUserinfoNameRecognizer(NameRunRecognizer):
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "url userinfo",
            r"(?<![\p{L}\p{N}+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}://(?P<name>" + _HANDLE
            + r")(?=(?::[^@\s/]{0,200})?@)",
            CONFIDENT,
        ),
        Pattern(
            "connection key",
            r"(?:^|(?<=[;&?\s\"']))(?i:" + USER_KEYS + r")[ \t]{0,3}=[ \t]{0,3}(?P<name>" + _HANDLE
            + r")(?=[ \t]*(?:[;&\"']|$))",
            CONFIDENT,
        ),
    ]  # fmt: skip

    def hit(self, match: regex.Match[str], text: str) -> tuple[int, int, float] | None:
        login = match.group("name").rstrip("._-")
        folded = login.casefold()
        if folded in SYSTEM_ACCOUNTS or folded in SERVICE_ACCOUNTS or folded in _FIXED_USERS:
            return None
        at = match.start("name")
        if (
            login_is_name(login)
            or record_derived(login, text)
            or initial_and_surname_shape(login)
            or given_and_initial(login)
        ):
            return at, at + len(login), CONFIDENT
        return None
