"""`CORP\\mgonzalez`, `mgonzalez@CORP`, `owner=jsmith`, `--user maria.gonzalez`, and a passwd line
(`mgonzalez:x:1001:1001:Maria Gonzalez,Room 4,,:/home/mgonzalez:/bin/bash`): a person's login where a
system writes accounts, and a passwd comment field's full name (`login_names` says why each place is one).

The place says "an account"; what says "a person" is the login (`directory_names.login_is_name`) or the
record around it (`login_names.record_derived`: the login is made of the capitalised words beside it), and
for a comment field the name itself (`name_text.could_be_name`). `NT AUTHORITY\\SYSTEM`, `user=root`,
`www-data:x:33:33:www-data:/var/www:…` stay readable. The span is the login, or the name.
"""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detect.directory_names import SYSTEM_ACCOUNTS, login_is_name
from proxy.detect.login_names import (
    PERSON_FLAGS,
    PERSON_KEYS,
    SERVICE_ACCOUNTS,
    initial_and_surname_shape,
    record_derived,
)
from proxy.detect.name_patterns import CONFIDENT, NameRunRecognizer
from proxy.detect.name_text import could_be_name

# A login: letters, dots, underscores, hyphens (digits end it: `mgonzalez2` is judged as `mgonzalez`).
_HANDLE = r"\p{L}[\p{L}._-]{1,59}+"
_END = r"(?![\p{L}\p{N}_@])"
# Capitals before a backslash that name no domain: log levels and status words, registry hives.
_NO_DOMAINS = frozenset(
    (
        "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "ERR", "TRACE", "FATAL", "CRITICAL", "NOTICE", "OK",
        "DONE", "FAIL", "FAILED", "PASS", "PASSED", "SKIP", "TODO", "NOTE",
        "HKLM", "HKCU", "HKCR", "HKU", "HKCC",
    )
)  # fmt: skip


class VeilSystemLoginNameRecognizer(NameRunRecognizer):
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "down-level logon",
            r"(?<![\p{L}\p{N}\\$-])(?P<domain>[A-Z][A-Z0-9-]{1,14})\\\\?(?P<name>" + _HANDLE + r")" + _END,
            CONFIDENT,
        ),
        Pattern(
            "principal",
            r"(?<![\p{L}\p{N}._@-])(?P<name>" + _HANDLE + r")@(?:[A-Z][A-Z0-9-]{1,62}(?:\.[A-Z0-9-]{1,62})*"
            r"(?![\p{L}\p{N}@_.-]|\.\p{L})|[a-z][a-z0-9-]{1,62}:[~/])",
            CONFIDENT,
        ),
        Pattern(
            "person key",
            r"(?<![\p{L}\p{N}_-])(?i:" + PERSON_KEYS + r")"
            + r"[\"']?[ \t]{0,3}[:=][ \t]{0,3}[\"']?(?P<name>" + _HANDLE + r")" + _END,
            CONFIDENT,
        ),
        Pattern(
            "person flag",
            r"(?<![\p{L}\p{N}_-])--(?i:" + PERSON_FLAGS + r")(?:=|[ \t]+)[\"']?(?P<name>"
            + _HANDLE + r")" + _END,
            CONFIDENT,
        ),
        Pattern(
            "passwd line",
            r"^(?P<name>[a-z_][a-z0-9._-]{0,31}+):[^:\n]{0,120}+:\d{1,10}+:\d{1,10}+:(?P<gecos>[^:,\n]{0,80}+)",
            CONFIDENT,
        ),
    ]  # fmt: skip

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        out = super().analyze(text, entities, nlp_artifacts, regex_flags)
        # A passwd line's comment field: its first part, where it reads as a name (`Maria Gonzalez`; not
        # `PostgreSQL administrator`, `www-data`).
        for m in self._compiled[-1].finditer(text):
            gecos = m.group("gecos").strip()
            folded = gecos.casefold()
            if folded in (m.group("name"), *SYSTEM_ACCOUNTS, *SERVICE_ACCOUNTS):
                continue  # `ubuntu:x:1000:1000:Ubuntu:…`: the account's own name
            if gecos and could_be_name(gecos):
                start = m.start("gecos") + m.group("gecos").index(gecos)
                out.append(RecognizerResult(self.ENTITY, start, start + len(gecos), CONFIDENT))
        return out

    def hit(self, match: regex.Match[str], text: str) -> tuple[int, int, float] | None:
        login = match.group("name").rstrip("._-")
        folded = login.casefold()
        if folded in SYSTEM_ACCOUNTS or folded in SERVICE_ACCOUNTS:
            return None
        at = match.start("name")
        single = text[at - 1 : at] == "\\" and text[at - 2 : at - 1] != "\\"
        if single and login[0] in "nrtbfu" and '"' in text:
            return None  # `"BUILD OK\\nsmith"`: JSON text's escape (a logon there is written `CORP\\\\…`)
        if login_is_name(login) or record_derived(login, text):
            return at, at + len(login), CONFIDENT
        # A key, a flag, a logon's domain or realm names a person's account: a surname's shape will do after
        # an initial (`owner=bferrazzi`, `CORP\\gpersico`). Not a passwd line's first field (any account),
        # nor a word before a backslash that is no domain (`DEBUG\\matplotlib`, `HKLM\\Software`).
        if "gecos" in match.re.groupindex or match.groupdict().get("domain") in _NO_DOMAINS:
            return None
        return (at, at + len(login), CONFIDENT) if initial_and_surname_shape(login) else None
