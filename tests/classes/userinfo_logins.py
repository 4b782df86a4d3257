"""A person's login where a URL or a connection string names the account it connects as (red team round
ten, class 8): RFC 3986 userinfo, `scheme://login[:password]@host`, for databases, brokers, git remotes,
file shares; and the user key of an ADO.NET / ODBC connection string (`User Id=…;Password=…;`, `UID=…;`)
or a JDBC URL's query (`?user=…&password=…`).

Each case plants one login made of a person's name (`person_login`'s styles), and the password beside it
where the shape has one (a SECRET), in one placement a client reads.
The look-alikes (`LOOKALIKES`) are the same shapes with a fixed service user (`git@github.com`,
`postgres://postgres@localhost`, `sa`, `guest`): they stay readable.
"""

from __future__ import annotations

import re
from random import Random

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.planting import Planted, person
from tests.classes.structured_logins import login_planted, person_login

_HOSTS = ("db.internal.acme.io", "10.0.0.5", "cluster0.ab1cd.mongodb.net", "rabbit", "fs01.corp.local")
_SECRETS = ("S3cr3t!", "pw", "hunter2", "ghp_x7Kq2", "Tr0ub4dor&3", "guest")


def _shape(rng: Random, login: str, pw: str) -> tuple[str, str]:
    host = rng.choice(_HOSTS)
    shapes = {
        "postgres": f"postgres://{login}:{pw}@{host}:5432/crm",
        "postgresql": f"postgresql://{login}@{host}/app?sslmode=require",
        "mysql": f"DATABASE_URL=mysql://{login}:{pw}@{host}/app",
        "mongodb": f"mongodb+srv://{login}:{pw}@{host}/?retryWrites=true",
        "git-https": f"git clone https://{login}:{pw}@github.com/acme/app.git",
        "amqp": f"amqp://{login}:{pw}@{host}:5672/",
        "ftp": f"ftp://{login}:{pw}@{host}/pub/",
        "smb": f"smb://{login}@{host}/share",
        "ado": f"Server=sql01;Database=crm;User Id={login};Password={pw};",
        "ado-spaced": f"Data Source=sql01; Initial Catalog=crm; User ID = {login}; Password = {pw}",
        "odbc": f"Driver={{ODBC Driver 18 for SQL Server}};Server=sql01;UID={login};PWD={pw};",
        "username": f"Host=db;Port=5432;Username={login};Password={pw};Database=app",
        "jdbc": f"jdbc:postgresql://{host}:5432/crm?user={login}&password={pw}&ssl=true",
    }
    how = rng.choice(sorted(shapes))
    return how, shapes[how]


def userinfo_logins(rng: Random) -> Case:
    _, first, last = person(rng)
    login, style = person_login(rng, first, last)
    pw = rng.choice(_SECRETS)
    how, line = _shape(rng, login, pw)
    planted = [login_planted(login)]
    if pw in line:  # `postgresql://login@host`, `smb://login@host` carry none
        planted.append(Planted("secret", pw, r"(?<![\w])" + re.escape(pw.casefold()) + r"(?![\w])"))
    where = rng.choice(("text", "structured", "config"))
    if where == "text":
        msg = call(tool_result(text=f"Connection failed for:\n{line}\nRetrying in 5s."))
    elif where == "structured":
        msg = call(tool_result(structured={"datasource": {"url": line, "pool": 5}}))
    else:
        msg = call(tool_result(text=f"# .env\nAPP_ENV=production\n{line}\nLOG_LEVEL=info"))
    return Case("userinfo-logins", [msg], planted, label=f"{how}:{style}:{where}")


# Service users and fixed accounts in the same shapes: readable (one session each: `fresh` per example).
LOOKALIKES = (
    "git@github.com:acme/app.git",
    "ssh://git@github.com/acme/app.git",
    "git clone ssh://git@gitlab.acme.io:2222/ops/infra.git",
    "postgres://postgres@localhost:5432/postgres",
    "postgresql://postgres:postgres@db:5432/app",
    "mysql://root:root@127.0.0.1:3306/test",
    "amqp://guest:guest@rabbit:5672/",
    "redis://default@cache:6379/0",
    "mongodb://admin@mongo:27017/?authSource=admin",
    "https://x-access-token@github.com/acme/app.git",
    "https://oauth2@gitlab.com/acme/app.git",
    "ftp://anonymous@ftp.example.org/pub/",
    "Server=sql01;Database=crm;User Id=sa;Password=;",
    "Driver={ODBC Driver 18};Server=sql01;UID=app_reader;",
    "Host=db;Port=5432;Username=app;Database=app",
    "jdbc:postgresql://db:5432/crm?user=postgres&ssl=true",
    "jdbc:mysql://db:3306/shop?user=shop_svc&useSSL=false",
    "See https://docs.acme.io/setup#database for the url format",
    "deploy@ci-runner-04 finished in 3m12s",
    "smb://fileserver/share/Reports",
    "DATABASE_URL=postgres://${DB_USER}:${DB_PASSWORD}@db:5432/app",
    "Server=sql01;User Id=%s;Password=%s;",
    "Server=sql01;Database=crm;Password=***;",
    "password_policy=strict; min_length=12",
    "Forgot your password? Reset it at https://acme.io/reset?user=",
)


def lookalike_case(text: str) -> Case:
    return Case(
        "userinfo-lookalike",
        [call(tool_result(text=text))],
        survivors=[Survivor(text)],
        label="lookalike",
    )
