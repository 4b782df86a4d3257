"""Person names in structured text: directory and contact formats (vCard, LDAP, mail headers and their
MIME encoded words), markup around or inside a name, and logins made of name parts (home folders, user-id
attributes). Each builder takes a `random.Random` and plants one person; both the given name and the
surname must go (a vCard `N` that keeps `Maria` has leaked her), and a login must go as written.
"""

from __future__ import annotations

import base64
import re
from random import Random
from urllib.parse import quote

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.name_lists import APOSTROPHE_LAST, FIRST, ascii_only
from tests.classes.planting import Planted, person
from tests.classes.structured_logins import (
    escaped_dn,
    key_value_list,
    login_planted,
    passwd_line,
    person_login,
    windows_logon,
)

ENCODINGS = ("utf-8", "UTF-8", "iso-8859-1")


def _name(rng: Random) -> tuple[str, str]:
    """A given name of one word and a surname (apostrophes and double-barrelled ones included)."""
    first = rng.choice(FIRST)
    while not first.isalpha() or len(first) < 3:
        first = rng.choice(FIRST)
    return first, person(rng)[2]


def _word(w: str) -> str:
    return r"(?<!\w)" + re.escape(w.casefold()) + r"(?!\w)"


def _both(first: str, last: str) -> Planted:
    """The person: found while the given name or a surname piece is readable as a word."""
    words = [first, *(p for p in re.split(r"[-\s]+", last) if p)]
    return Planted("person", f"{first} {last}", "|".join(_word(w) for w in words))


def _login_planted(login: str) -> Planted:
    return Planted("person", login, r"(?<![\w])" + re.escape(login.casefold()) + r"(?![\w])")


# ------------------------------------------------------------------------------------- directory formats
def _fold(rng: Random, line: str, eol: str) -> str:
    """A long content line folded (RFC 6350 §3.2) somewhere inside its value."""
    colon = line.index(":") + 2
    if len(line) <= colon + 2:
        return line
    at = rng.randrange(colon, len(line) - 1)
    return line[:at] + eol + rng.choice([" ", "\t"]) + line[at:]


def _vcard(rng: Random, first: str, last: str) -> tuple[str, str]:
    eol = rng.choice(["\r\n", "\n"])
    prefix = rng.choice(["", "", "Dr.", "Ms.", "Mr."])
    extra = rng.choice(["", "", rng.choice(FIRST).split()[0]])
    group = rng.choice(["", "", "item1."])
    params = rng.choice(["", "", ";CHARSET=UTF-8", ";LANGUAGE=en"])
    n_line = f"{group}N{params}:{last};{first};{extra};{prefix};"
    fn_line = f"FN:{(prefix + ' ') if prefix else ''}{first} {last}"
    lines = ["BEGIN:VCARD", f"VERSION:{rng.choice(['2.1', '3.0', '4.0'])}", n_line]
    style = rng.choice(["full", "n-only", "folded"])
    if style != "n-only":
        lines.append(fn_line)
    if style == "folded":
        which = rng.choice([2, 3])
        lines[which] = _fold(rng, lines[which], "\r\n")
    lines += [f"ORG:Acme {rng.choice(['Plumbing', 'Dental', 'Realty'])}", "END:VCARD"]
    return eol.join(lines), f"vcard:{style}"


def _ldap(rng: Random, first: str, last: str) -> tuple[str, str, Planted | None]:
    style = rng.choice(["dn", "ad-dn", "ldif", "uid-dn"])
    base = rng.choice(["ou=People,dc=acme,dc=com", "OU=Sales,DC=corp,DC=example,DC=org"])
    if style == "dn":
        return f"dn: cn={first} {last},{base}", "ldap:dn", None
    if style == "ad-dn":
        return f"CN={last}\\, {first},{base}", "ldap:ad-dn", None
    login = _login(rng, first, last)
    if style == "uid-dn":
        key = rng.choice(["uid", "UID"])
        return f"{key}={login},{base}", "ldap:uid", _login_planted(login)
    lines = [
        f"dn: uid={login},{base}",
        "objectClass: inetOrgPerson",
        f"cn: {first} {last}",
        f"sn: {last}",
        f"givenName: {first}",
        f"uid: {login}",
    ]
    return "\n".join(lines), "ldap:ldif", _login_planted(login)


def _encoded(rng: Random, text: str) -> tuple[str, str]:
    charset = rng.choice(ENCODINGS)
    try:
        raw = text.encode(charset)
    except UnicodeEncodeError:
        charset, raw = "UTF-8", text.encode("utf-8")
    if rng.random() < 0.5:
        body = "".join(
            "_" if b == 0x20 else chr(b) if chr(b).isalnum() and b < 128 else f"={b:02X}" for b in raw
        )
        how = "q"
        if rng.random() < 0.4 and " " in text:  # two encoded words, the blank inside the second
            cut = body.index("_")
            return f"=?{charset}?Q?{body[:cut]}?= =?{charset}?Q?{body[cut:]}?=", "q-split"
        return f"=?{charset}?Q?{body}?=", how
    return f"=?{charset}?B?{base64.b64encode(raw).decode()}?=", "b"


def _mail(rng: Random, first: str, last: str) -> tuple[str, str]:
    address = f"{ascii_only(first)[0].lower()}{rng.randrange(100)}@example.org"
    header = rng.choice(["From", "To", "Cc", "Reply-To"])
    style = rng.choice(["quoted-inverted", "plain", "encoded", "encoded"])
    if style == "quoted-inverted":
        who = f'"{last}, {first}"'
    elif style == "plain":
        who = f"{first} {last}"
    else:
        who, how = _encoded(rng, f"{first} {last}")
        style = f"encoded-{how}"
    lines = [f"{header}: {who} <{address}>", "Subject: Renewal", "Date: Tue, 3 Mar 2026 10:00:00 +0000"]
    return "\r\n".join(lines), f"mail:{style}"


def names_in_directory_formats(rng: Random) -> Case:
    """A vCard, an LDAP entry or DN, a mail header block: in a text result or under a neutral key."""
    first, last = _name(rng)
    planted = [_both(first, last)]
    kind = rng.choice(["vcard", "ldap", "mail", "escaped-dn"])
    survivors: list[Survivor] = []
    if kind == "escaped-dn":
        text, style, survivor = escaped_dn(rng, first, last)
        label = f"ldap:{style}"
        survivors.append(Survivor(survivor, label="group-dn"))
    elif kind == "vcard":
        text, label = _vcard(rng, first, last)
    elif kind == "ldap":
        text, label, login = _ldap(rng, first, last)
        if login is not None:  # a DN by its login alone holds no other part of the name
            planted = [login] if label == "ldap:uid" else [*planted, login]
    else:
        text, label = _mail(rng, first, last)
    result = tool_result(text) if rng.random() < 0.6 else tool_result(structured={"raw": text, "id": 7})
    return Case("names-directory", [call(result, "export_contact")], planted, survivors, label=label)


# ------------------------------------------------------------------------------------------------ markup
MARKUP_FRAMES = (
    ("**{f}** {l}", "bold-first"),
    ("{f} **{l}**", "bold-last"),
    ("**{f} {l}**", "bold"),
    ("_{f} {l}_", "underscore"),
    ("*{f}* _{l}_", "mixed"),
    ("__{f}__ {l}", "dunder-first"),
    ("`{f} {l}`", "code"),
    ("~~{f}~~ {l}", "strike-first"),
    ("<b>{f}</b> {l}", "html-first"),
    ("<em>{f} {l}</em>", "html"),
    ("{f} <strong>{l}</strong>", "html-last"),
    ("[{f} {l}](mailto:{a})", "mailto"),
    ("[{f} {l}](https://crm.example/contacts/{n})", "link"),
    ("\\*{f} {l}\\*", "escaped-emphasis"),
    ("{f} {le}", "escaped-punctuation"),
    ("{f}\\ {le}", "escaped-blank"),
)
MARKUP_PLACES = (
    "Spoke to {n} about the renewal.",
    "{n} called about invoice 4471.",
    "Owner: {n}",
    "- {n}",
    "Assigned to {n} yesterday.",
)
# Markup around words that are no names: it must reach the client as written.
MARKUP_SURVIVORS = (
    "the **Brand** campaign is paused",
    "see `config_file` and __init__",
    "use **Max CPC** on *Performance Max*",
    "<b>Budget</b> approved",
)


def names_in_markup(rng: Random) -> Case:
    """A name with Markdown or HTML emphasis inside or around it, beside markup around ordinary words."""
    first, last = _name(rng)
    frame, label = rng.choice(MARKUP_FRAMES)
    if label.startswith("escaped-") and rng.random() < 0.7:
        last = rng.choice((*APOSTROPHE_LAST, "Smith-Jones", "Garcia-Lopez"))
    escaped = re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", last)  # CommonMark: any ASCII punctuation escaped
    n = rng.randrange(999)
    marked = frame.format(f=first, l=last, le=escaped, a=f"x{rng.randrange(99)}@example.org", n=n)
    place = rng.choice(MARKUP_PLACES)
    survivor = rng.choice(MARKUP_SURVIVORS)
    text = place.format(n=marked) + "\n" + survivor.capitalize() + "."
    planted = [_both(first, last)]
    return Case(
        "names-markup",
        [call(tool_result(text), "crm_notes")],
        planted,
        [Survivor(survivor.capitalize(), label="markup-words")],
        label=f"markup:{label}",
    )


# ------------------------------------------------------------------------------------------------ logins
def _login(rng: Random, first: str, last: str) -> str:
    return _styled_login(rng, first, last)[0]


def _styled_login(rng: Random, first: str, last: str) -> tuple[str, str]:
    f = re.sub(r"[^a-z]", "", ascii_only(first).lower())
    surname = re.sub(r"[^a-z-]", "", ascii_only(last).lower()).strip("-")
    style = rng.choice(["first.last", "first_last", "flast", "f.last", "firstlast", "first-last"])
    forms = {
        "first.last": f"{f}.{surname}",
        "first_last": f"{f}_{surname}",
        "flast": f"{f[0]}{surname.replace('-', '')}",
        "f.last": f"{f[0]}.{surname}",
        "firstlast": f"{f}{surname.replace('-', '')}",
        "first-last": f"{f}-{surname}",
    }
    return forms[style], style


# Folders of system, service and CI accounts, as images and hosts ship them: they must stay readable.
SERVICE_ACCOUNTS = (
    "ubuntu", "runner", "Shared", "Public", "nginx", "avahi", "rtkit", "vscode", "azureuser", "circleci",
    "teamcity", "ansible", "deployer", "svc_backup", "pgadmin", "ftpuser", "messagebus", "dnsmasq",
    "buildkite", "gitpod", "codespace", "tcpdump", "syslog", "whoopsie",
)  # fmt: skip


def _system_home(rng: Random) -> str:
    account = rng.choice(SERVICE_ACCOUNTS)
    return rng.choice(["/home/{a}/.bashrc", "C:\\Users\\{a}\\Documents", "/Users/{a}/Assets"]).format(
        a=account
    )


def names_in_paths_and_logins(rng: Random) -> Case:
    """A home folder named after its user (`/home/maria.gonzalez/`, `C:\\Users\\Maria Gonzalez\\`), a
    user-id attribute or key (`uid=mgonzalez`, `sAMAccountName: mgonzalez`), beside system folders that
    must stay readable."""
    first, last = _name(rng)
    if rng.random() < 0.4:
        return _system_written_login(rng, first, last)
    login, form = _styled_login(rng, first, last)
    style = rng.choice(
        ["unix", "mac", "windows", "windows-display", "share", "attribute", "key", "url", "bare-handle"]
    )
    planted = _login_planted(login)
    if style == "unix":
        text = f"Error: cannot open /home/{login}/projects/report-{rng.randrange(99)}.csv"
    elif style == "mac":
        text = f"Saved to /Users/{login}/Library/Caches/app.log"
    elif style == "windows":
        text = f"File: C:\\Users\\{login}\\Documents\\budget.xlsx"
    elif style == "windows-display":
        text = f"File: C:\\Users\\{first} {last}\\Desktop\\notes.txt"
        planted = _both(first, last)
    elif style == "share":
        text = f"Mapped \\\\fs01\\home$\\{login}\\ as H:"
    elif style == "attribute":
        key = rng.choice(["uid", "sAMAccountName", "mailNickname", "userid"])
        sep = rng.choice(["=", ": "])
        text = f"{key}{sep}{login}"
    elif style == "bare-handle":  # a chat handle written without its `@`
        f = re.sub(r"[^a-z]", "", ascii_only(first).lower())
        login, form = f"{f}_{re.sub(r'[^a-z]', '', ascii_only(last).lower())}", "bare"
        planted = _login_planted(login)
        text = rng.choice(["ping {h} about the renewal", "cc {h} and the finance team", "assigned to {h}"])
        text = text.format(h=login)
    elif style == "url":
        text = f"https://git.example.org/users/{quote(login)}/repos"
    else:
        key = rng.choice(["username", "login", "user_name"])
        survivor = _system_home(rng)
        result = tool_result(
            structured={"id": rng.randrange(999), "note": f"{key}: {login}", "home": survivor}
        )
        return Case(
            "names-paths",
            [call(result, "list_users")],
            [planted],
            [Survivor(survivor, label="system-home")],
            label=f"login:{style}:{form}",
        )
    survivor = _system_home(rng)
    result = tool_result(text + "\n" + f"Also checked {survivor}")
    return Case(
        "names-paths",
        [call(result, "list_users")],
        [planted],
        [Survivor(survivor, label="system-home")],
        label=f"login:{style}:{form}",
    )


def _system_written_login(rng: Random, first: str, last: str) -> Case:
    """A person's login where a system writes accounts (`structured_logins`): a `DOMAIN\\user` logon, a
    person key in a `key=value` list, a passwd line (its full name too), beside system accounts."""
    login, form = person_login(rng, first, last)
    planted = [login_planted(login)]
    style = rng.choice(["logon", "key-value", "passwd"])
    if style == "logon":
        text, shape, survivor = windows_logon(rng, login)
        survivors = [survivor]
    elif style == "key-value":
        text, shape, survivors = key_value_list(rng, login)
    else:
        text, survivors = passwd_line(rng, first, last, login)
        shape, planted = "passwd", [*planted, _both(first, last)]
    result = tool_result(text) if rng.random() < 0.7 else tool_result(structured={"log": text, "n": 3})
    return Case(
        "names-paths",
        [call(result, "read_logs")],
        planted,
        [Survivor(s, label="system-account") for s in survivors],
        label=f"system-login:{style}:{shape}:{form}",
    )
