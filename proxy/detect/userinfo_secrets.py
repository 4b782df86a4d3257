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
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

ENTITY = "SECRET"
_SCORE = 0.9
_PLACEHOLDER = regex.compile(
    r"[*x•.#-]+|[$%{<\[].*|.*[}>\]]|password|pass|pwd|secret|changeme|redacted", regex.I
)


class UserinfoSecretRecognizer(PatternRecognizer):
    """A URL userinfo's password, or a connection string's password value."""

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

    def __init__(self) -> None:
        super().__init__(supported_entity=ENTITY, name="UserinfoSecretRecognizer", patterns=self.PATTERNS)
        self._compiled = [regex.compile(p.regex, regex.MULTILINE) for p in self.PATTERNS]

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        for rx in self._compiled:
            for m in rx.finditer(text):
                secret = m.group("secret")
                user = m.groupdict().get("user")
                if _PLACEHOLDER.fullmatch(secret) or (user is not None and secret == user):
                    continue
                out.append(RecognizerResult(ENTITY, m.start("secret"), m.end("secret"), _SCORE))
        return out
