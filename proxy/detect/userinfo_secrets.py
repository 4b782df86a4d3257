"""The password beside a login in a URL's userinfo (`postgres://mgonzalez:S3cr3t!@db/app`) or under a
connection string's password key (`Password=…;`, `PWD=…;`, JDBC `&password=…`): a SECRET, tokenized like any
value, so a credential a tool printed does not reach the model (red team round ten, class 8).

The place alone says "a secret": RFC 3986 puts one after the first `:` of a URL's userinfo, ADO.NET, ODBC
and JDBC under these keys. Not a secret: an empty value, a placeholder (`${DB_PASSWORD}`, `%s`, `***`,
`<password>`, `{pwd}`), a masked value, or a service's default equal to its user (`guest:guest`,
`postgres:postgres`, `root:root`), which any documentation prints. The policy does not propagate it
(`entities.SECRET.propagate: false`): a short password (`pw`) found again elsewhere is no credential.
"""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import Pattern, RecognizerResult

from proxy.detect.pattern_judging import MatchJudgingRecognizer

_SCORE = 0.9
_PLACEHOLDER = regex.compile(
    r"[*x•.#-]+|[$%{<\[].*|.*[}>\]]|password|pass|pwd|secret|changeme|redacted", regex.I
)


class UserinfoSecretRecognizer(MatchJudgingRecognizer):
    """A URL userinfo's password, or a connection string's password value."""

    ENTITY = "SECRET"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "url userinfo password",
            r"(?<![\p{L}\p{N}+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}://(?P<user>[^:@\s/]{0,60}):(?P<secret>[^@\s/]{1,200})@",
            _SCORE,
        ),
        Pattern(
            "connection key password",
            r"(?:^|(?<=[;&?\s\"']))(?i:password|pwd|passwd)[ \t]{0,3}=[ \t]{0,3}(?P<secret>[^;&\s\"']{1,200})"
            r"(?=[ \t]*(?:[;&\"']|$))",
            _SCORE,
        ),
    ]

    def judge(self, match: regex.Match[str], text: str) -> RecognizerResult | None:
        secret = match.group("secret")
        user = match.groupdict().get("user")
        if _PLACEHOLDER.fullmatch(secret) or (user is not None and secret == user):
            return None
        return RecognizerResult(self.ENTITY, match.start("secret"), match.end("secret"), _SCORE)
