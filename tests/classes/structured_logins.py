"""Logins and names in the shapes systems write accounts in (the fifth red-team round): a Windows
`DOMAIN\\user` logon (also as JSON escapes it, `CORP\\\\mgonzalez`) and a `user@DOMAIN` principal; a login
under a key that names a person in a `key=value` list, a logfmt line, a query string or a CLI flag
(`owner=jsmith`, `--user maria.gonzalez`); a passwd line (login, comment field's full name, home folder);
an LDAP DN with RFC 4514 hex escapes (`CN=Gonzalez\\2C Maria`). Each builder gives the text, the planted
values and the look-alikes that must stay readable: service and system accounts, system paths, ordinary
`key=value` fields.
"""

from __future__ import annotations

import json
import re
from random import Random

from tests.classes.name_lists import ascii_only
from tests.classes.planting import Planted

# Accounts a host or a domain ships, and ordinary log fields: all must reach the client as written.
SYSTEM_LOGONS = (
    "NT AUTHORITY\\SYSTEM", "NT AUTHORITY\\NETWORK SERVICE", "CORP\\svc_backup", "ACME\\Administrator",
    "BUILTIN\\Administrators", "CORP\\krbtgt", "WORKGROUP\\guest", "CORP\\sql_agent",
)  # fmt: skip
SYSTEM_FIELDS = (
    "user=root", "owner=www-data", "user=postgres", "owner=nobody", "user=admin", "author=ubuntu",
    "user=git", "assignee=unassigned", "owner=svc_deploy", "user=jenkins", "created_by=system",
    "user=nginx", "owner=avahi", "user=dnsmasq", "user=whoopsie", "author=dependabot", "user=rtkit",
    "requester=automation", "user=messagebus", "owner=kafka",
)  # fmt: skip
ORDINARY_FIELDS = (
    "level=info", "status=200", "method=GET", "path=/api/users", "duration=12ms", "region=eu-west-1",
    "env=prod", "version=2.4.1", "retries=3",
)  # fmt: skip
SYSTEM_PASSWD = (
    "root:x:0:0:root:/root:/bin/bash",
    "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin",
    "postgres:x:114:120:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash",
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin",
    "git:x:998:998:Git Version Control:/home/git:/bin/sh",
    "ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash",
    "systemd-network:x:100:102:systemd Network Management,,,:/run/systemd:/usr/sbin/nologin",
)
SYSTEM_DNS = (
    "CN=Domain Admins,CN=Users,DC=acme,DC=com",
    "CN=WEB01,OU=Servers,DC=corp,DC=example,DC=org",
    "CN=Backup Operators,OU=Groups,DC=acme,DC=com",
)
DOMAINS = ("CORP", "ACME", "CONTOSO", "EMEA", "AD")
PERSON_KEYS = ("user", "owner", "assignee", "author", "reporter", "requester", "approver", "created_by")


def person_login(rng: Random, first: str, last: str) -> tuple[str, str]:
    """A login made of a person's name: first.last, flast, firstl, first_last, f.last."""
    f = re.sub(r"[^a-z]", "", ascii_only(first).lower())
    surname = re.sub(r"[^a-z]", "", ascii_only(last).lower())
    style = rng.choice(["first.last", "flast", "flast", "firstl", "first_last", "f.last"])
    forms = {
        "first.last": f"{f}.{surname}",
        "flast": f"{f[0]}{surname}",
        "firstl": f"{f}{surname[0]}",
        "first_last": f"{f}_{surname}",
        "f.last": f"{f[0]}.{surname}",
    }
    return forms[style], style


def login_planted(login: str) -> Planted:
    return Planted("person", login, r"(?<![\w])" + re.escape(login.casefold()) + r"(?![\w])")


def windows_logon(rng: Random, login: str) -> tuple[str, str, str]:
    """A `DOMAIN\\user` logon or a `user@DOMAIN` principal in a log line; the text, its shape, a survivor."""
    domain = rng.choice(DOMAINS)
    survivor = rng.choice(SYSTEM_LOGONS)
    style = rng.choice(["down-level", "down-level", "json-escaped", "upn", "prompt", "runas"])
    if style == "down-level":
        line = rng.choice(
            [
                "An account failed to log on. Account Name: {a} Source: 10.0.4.17",
                "Logon success for {a} (type 10) at 09:14",
                "owner {a} changed permissions on \\\\fs01\\finance",
            ]
        ).format(a=f"{domain}\\{login}")
    elif style == "json-escaped":  # JSON text in a text block: the backslash written twice
        line = json.dumps({"event": 4625, "account": f"{domain}\\{login}", "host": "WS-0412"})
    elif style == "upn":
        realm = rng.choice([domain, f"{domain}.ACME.LOCAL"])
        line = rng.choice(["Kerberos TGT issued to {p}", "principal {p} locked out"]).format(
            p=f"{login}@{realm}"
        )
    elif style == "prompt":  # a shell prompt: the host in lower case
        line = f"{login}@{rng.choice(['laptop', 'ws-0412', 'build01'])}:~/src$ git status"
        survivor = rng.choice(["npm i lodash@latest", "ssh deploy@bastion", "pip install tool@main"])
    else:
        line = f"runas /user:{domain}\\{login} cmd.exe"
    return f"{line}\nAlso seen: {survivor}", style, survivor


def key_value_list(rng: Random, login: str) -> tuple[str, str, list[str]]:
    """A login under a person key among ordinary fields (logfmt, a query string, a CLI flag)."""
    key = rng.choice(PERSON_KEYS)
    ordinary = rng.sample(ORDINARY_FIELDS, 2)
    system = rng.choice(SYSTEM_FIELDS)
    style = rng.choice(["logfmt", "logfmt", "query", "flag", "flag-equals"])
    if style == "logfmt":
        fields = [*ordinary, f"{key}={login}", system]
        rng.shuffle(fields)
        text = "ts=2026-12-07T02:10:00Z " + " ".join(fields)
        return text, style, [*ordinary, system]
    if style == "query":
        text = f"GET /api/tickets?{key}={login}&page=2&sort=desc HTTP/1.1 200"
        return f"{text}\n{system}", style, ["page=2&sort=desc", system]
    flag = rng.choice(["user", "owner", "assignee", "author"])
    sep = "=" if style == "flag-equals" else " "
    text = f"$ ticketctl list --{flag}{sep}{login} --status open --limit 50"
    return f"{text}\n{system}", style, ["--status open --limit 50", system]


def passwd_line(rng: Random, first: str, last: str, login: str) -> tuple[str, list[str]]:
    """A passwd entry (login, comment field with the full name, home folder) among system accounts."""
    uid = rng.randrange(1001, 1999)
    gecos = rng.choice(
        [f"{first} {last}", f"{first} {last},Room {rng.randrange(1, 9)},555-0{rng.randrange(100, 999)},",
         f"{first} {last},,,"]
    )  # fmt: skip
    line = f"{login}:x:{uid}:{uid}:{gecos}:/home/{login}:/bin/bash"
    others = rng.sample(SYSTEM_PASSWD, 2)
    lines = [others[0], line, others[1]]
    return "\n".join(lines), others


def escaped_dn(rng: Random, first: str, last: str) -> tuple[str, str, str]:
    """A DN whose common name is written with RFC 4514 escapes; the text, its shape, a survivor."""
    style = rng.choice(["hex-comma", "hex-comma-blank", "comma", "hex-blank"])
    cn = {
        "hex-comma": f"{last}\\2C {first}",
        "hex-comma-blank": f"{last}\\2C\\20{first}",
        "comma": f"{last}\\, {first}",
        "hex-blank": f"{first}\\20{last}",
    }[style]
    survivor = rng.choice(SYSTEM_DNS)
    text = f"distinguishedName: CN={cn},OU=Sales,DC=acme,DC=com\nmemberOf: {survivor}"
    return text, style, survivor
