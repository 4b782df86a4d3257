"""Logins made of an initial and a surname that is also a word of the dictionary (`tfairweather`, `jbaker`,
`mwhite`, `rhill`), in the places whose syntax holds a person's account: a URL's userinfo, a connection
string's `User Id=`, a person key (`owner=`), a `DOMAIN\\user` logon, a `user@REALM` principal, a home
folder, a passwd line's first field. And their look-alikes: service and system accounts in the same places
(`postgres`, `svc_backup`, `gitlab-runner`, `backup01`, `deploy-bot`), which must stay readable.

The surnames are the 1990 US census list's (the `names` package's `dist.all.last`) that GCIDE (the
`english-words` package) also holds as a word, four letters or more, half from the census's 5,000 most
frequent (`baker`, `white`, `hill`), half from the rest (`fairweather`, `goodfellow`, `carbon`): the case's
label says which (`common`, `rare`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from random import Random

from english_words import get_english_words_set

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.name_lists import FIRST, ascii_only
from tests.classes.structured_logins import login_planted

_COMMON_RANKS = 5000
_FIELDS = ("level=info", "status=200", "env=prod", "retries=3")


@lru_cache(maxsize=1)
def word_surnames() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Census surnames that are dictionary words: (the 5,000 most frequent, the rest)."""
    words = get_english_words_set(["gcide"], alpha=True, lower=True)
    text = resources.files("names").joinpath("dist.all.last").read_text(encoding="ascii")
    ranked = [line.split(None, 1)[0].casefold() for line in text.splitlines() if line]
    both = [(i, s) for i, s in enumerate(ranked) if len(s) >= 4 and s.isalpha() and s in words]
    return (
        tuple(s for i, s in both if i < _COMMON_RANKS),
        tuple(s for i, s in both if i >= _COMMON_RANKS),
    )


def _placed(rng: Random, login: str) -> tuple[str, str, str]:
    """A text holding `login` in one account place, the place's name, and the login with its place's marks
    around it (what must stay as written where the login is no person's)."""
    host = rng.choice(("db.internal.acme.io", "10.0.0.5", "rabbit", "fs01.corp.local"))
    domain = rng.choice(("CORP", "ACME", "EMEA"))
    places = {
        "userinfo": (f"postgres://{login}:S3cr3t!@{host}:5432/crm", f"//{login}:"),
        "userinfo-bare": (f"smb://{login}@{host}/share", f"//{login}@"),
        "user-id": (f"Server=sql01;Database=crm;User Id={login};Password=Tr0ub4dor&3;", f"Id={login};"),
        "owner": (f"ts=2026-12-07T02:10:00Z {rng.choice(_FIELDS)} owner={login} status=ok", f"={login} "),
        "logon": (f"Logon success for {domain}\\{login} (type 10) at 09:14", f"\\{login} "),
        "principal": (f"Kerberos TGT issued to {login}@{domain}", f" {login}@"),
        "home": (f"cp report.pdf /home/{login}/Documents/", f"/{login}/"),
        "passwd": (f"{login}:x:1042:1042:,,,:/home/{login}:/bin/bash", f"{login}:x:"),
    }
    where = rng.choice(sorted(places))
    line, marked = places[where]
    return where, line, marked


def _message(rng: Random, line: str) -> dict[str, object]:
    if rng.random() < 0.5:
        return tool_result(text=f"Checked:\n{line}\nlevel=info done")
    return tool_result(structured={"entry": line, "note": "level=info done"})


def word_surname_logins(rng: Random) -> Case:
    common, rare = word_surnames()
    band = rng.choice(("common", "rare"))
    surname = rng.choice(common if band == "common" else rare)
    initial = re.sub(r"[^a-z]", "", ascii_only(rng.choice(FIRST)).lower())[:1] or "j"
    login = initial + surname
    where, line, _ = _placed(rng, login)
    return Case(
        "word-surname-logins",
        [call(_message(rng, line), "read_logs")],
        [login_planted(login)],
        [Survivor("level=info done", label="field")],
        label=f"{where}:{band}",
    )


# Service and system accounts as images, packages and CI create them: known names, and role words with
# the affixes and digits operators add (`svc_`, `-bot`, `01`).
_KNOWN = (
    "postgres", "admin", "deploy", "svc_backup", "jenkins", "www-data", "ubuntu", "gitlab-runner", "root",
    "sa", "nginx", "mysql", "redis", "git", "hbase", "hdfs", "yarn", "kafka", "zookeeper", "sbuild",
    "qmaild", "vmail", "jboss", "tomcat", "ec2-user", "azureuser", "vagrant", "runner", "backup", "builder",
    "grafana", "prometheus", "airflow", "nobody", "daemon", "games", "proxy", "news", "mail", "sync",
    "sonar", "bamboo", "elastic", "oracle", "consul", "docker", "ansible", "telegraf", "mongodb", "node",
)  # fmt: skip
_ROLES = (
    "backup", "deploy", "build", "test", "release", "report", "monitor", "sync", "export", "import",
    "ingest", "etl", "batch", "cron", "scan", "audit", "alert", "mail", "web", "api", "app", "data", "db",
    "sql", "ops", "admin", "agent", "worker", "runner", "loader", "scheduler", "metrics", "search",
)  # fmt: skip


def service_login(rng: Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return rng.choice(_KNOWN)
    role = rng.choice(_ROLES)
    if kind == 1:
        return rng.choice(
            ("svc_{}", "svc-{}", "sa_{}", "{}_svc", "{}-svc", "{}-bot", "{}_bot", "ci-{}")
        ).format(role)
    if kind == 2:
        return f"{role}{rng.choice(('01', '2', '-03', '_1'))}"
    return f"{role}{rng.choice(('user', 'admin', 'agent', 'runner', '-user', '_admin', '-agent'))}"


def service_login_lookalikes(rng: Random) -> Case:
    login = service_login(rng)
    where, line, marked = _placed(rng, login)
    return Case(
        "service-logins",
        [call(_message(rng, line), "read_logs")],
        survivors=[Survivor(marked, label=f"{where}:{login}")],
        label=f"{where}:{login}",
    )
