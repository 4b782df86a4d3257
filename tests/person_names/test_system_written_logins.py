"""Logins where systems write accounts (`VeilSystemLoginNameRecognizer`) and a DN's hex escapes
(`VeilDnNameRecognizer`), through the default detector: a person's login is found as written; service and
system accounts, log levels before a backslash, JSON escapes, package versions and ordinary `key=value`
fields are not."""

from __future__ import annotations

import pytest

from proxy.detect.detector import Detector

FOUND = [
    ("Logon success for CORP\\mgonzalez (type 10)", "mgonzalez"),
    ('{"account": "ACME\\\\maria.gonzalez", "event": 4625}', "maria.gonzalez"),
    ("Kerberos TGT issued to jsmith@CORP.ACME.LOCAL", "jsmith"),
    ("mgonzalez@laptop:~/src$ git status", "mgonzalez"),
    ("ts=2026-12-07 level=info owner=jsmith status=200", "jsmith"),
    ("GET /api/tickets?assignee=m.gonzalez&page=2 HTTP/1.1", "m.gonzalez"),
    ("$ ticketctl list --user maria.gonzalez --status open", "maria.gonzalez"),
    ("level=warn created_by=bferrazzi retries=3", "bferrazzi"),
    ("mgonzalez:x:1001:1001:Maria Gonzalez,Room 4,555-0123,:/home/mgonzalez:/bin/bash", "Maria Gonzalez"),
    ("cfeitl:x:1002:1002:Carla Feitl,,,:/home/cfeitl:/bin/bash", "cfeitl"),
    ("manager: CN=Gonzalez\\2C Maria,OU=Sales,DC=acme,DC=com", "Gonzalez\\2C Maria"),
    ("manager: CN=Maria\\20Gonzalez,OU=Sales,DC=acme,DC=com", "Maria\\20Gonzalez"),
]

UNCHANGED = [
    "NT AUTHORITY\\SYSTEM logged on; CORP\\svc_backup; BUILTIN\\Administrators; CORP\\krbtgt",
    "level=info user=root owner=www-data user=postgres user=nobody author=ubuntu user=git",
    "user=nginx owner=avahi user=dnsmasq assignee=unassigned author=dependabot requester=automation",
    "--user admin --owner root --author ci-bot --assignee platform-team",
    "DEBUG\\matplotlib backend; HKLM\\Software\\Microsoft",
    '{"msg": "BUILD OK\\nsmith tests passed"}',
    "npm i lodash@latest; ssh deploy@bastion; pip install tool@main",
    "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash\n"
    "postgres:x:114:120:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash",
    "memberOf: CN=Domain Admins,CN=Users,DC=acme,DC=com",
]


@pytest.mark.parametrize(("text", "login"), FOUND)
def test_a_persons_login_or_name_where_a_system_writes_accounts_is_found(
    detector: Detector, text: str, login: str
) -> None:
    """Found as a person, or inside a wider value (`jsmith@CORP.ACME.LOCAL` is an email address too)."""
    at = text.index(login)
    spans = detector.detect([text])[text]
    assert any(s.start <= at and at + len(login) <= s.end for s in spans), spans


def test_service_accounts_log_fields_escapes_and_versions_hold_no_person(detector: Detector) -> None:
    found = detector.detect(UNCHANGED)
    persons = {t: [t[s.start : s.end] for s in spans if s.entity == "PERSON"] for t, spans in found.items()}
    assert {t: v for t, v in persons.items() if v} == {}
