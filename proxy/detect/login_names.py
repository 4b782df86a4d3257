"""Logins where systems write accounts, beyond a directory's attributes and home folders (`directory_names`):
the judgements and cheap triggers behind `VeilSystemLoginNameRecognizer`, free of Presidio for the prefilter.

- A Windows logon, `CORP\\mgonzalez` (down-level: a NetBIOS domain in capitals, one backslash, or two where
  JSON text escapes it), and a principal, `mgonzalez@CORP`, `gmooney@CORP.ACME.LOCAL`, `mgonzalez@laptop`
  (a realm in capitals, or a shell prompt's host, `mgonzalez@laptop:~$`; a mail address's domain has a dot
  and is the email recognizer's, and `lodash@latest` is a package's version).
- A key that names a person or their login, in a `key=value` list, logfmt, a query string, a CLI flag:
  `owner=jsmith`, `assignee: m.gonzalez`, `created_by=maria.gonzalez`, `--user maria.gonzalez`.
- A passwd line, `mgonzalez:x:1001:1001:Maria Gonzalez,Room 4,555-0123,:/home/mgonzalez:/bin/bash`: its
  first field is a login, its comment (GECOS) field's first part a full name.

What says "a person" is still the login (`directory_names.login_is_name`), or the record it stands in: a
login made of the capitalised words written beside it (`mgonzalez` in a line or entry that also says
`Maria Gonzalez` or `sn: Gonzalez`), which is how an account is derived from its owner's name whatever
name list knows the surname (`record_derived`). System and service accounts (`root`, `www-data`,
`svc_backup`, `NT AUTHORITY\\SYSTEM`) are no such login and stay readable.
"""

from __future__ import annotations

import re
import unicodedata

# Keys naming a person or their login (lower case, as found in lower-cased text).
PERSON_KEYS = (
    r"user|owner|assignee|author|reporter|requester|requestor|approver|reviewer|committer|creator|"
    r"(?:created|updated|modified|changed|opened|closed|submitted|assigned|requested|approved)[_-]?(?:by|to)|"
    r"sudo_user|logname|account_?name"
)
PERSON_FLAGS = r"user|owner|assignee|author|reporter|requester|approver|reviewer|login|username"
# Triggers (standard `re`, lower-cased text for the key ones).
# A person key is found from its separator back (a text has few `=` and `:`; eighteen literals searched
# each would cost every string): the word before it, then a value's first letter after it.
_KEY_BEFORE = re.compile(r"([a-z_-]{3,20})[\"']?[ \t]{0,3}$")
_PERSON_KEY = re.compile(r"(?:" + PERSON_KEYS + r")")
_VALUE_AFTER = re.compile(r"[ \t]{0,3}[\"']?[a-z]")
_FLAG_AT = re.compile(r"--(?:" + PERSON_FLAGS + r")[ =][\"']?[a-z]")
DOWN_LEVEL_TRIGGER = re.compile(r"(?<![A-Za-z0-9\\$-])[A-Z][A-Z0-9-]{1,14}\\\\?[A-Za-z]")
PRINCIPAL_TRIGGER = re.compile(
    r"[A-Za-z0-9]@(?:[A-Z][A-Z0-9-]{1,62}(?:\.[A-Z0-9-]{1,62})*(?![A-Za-z0-9@_.-]|\.[A-Za-z])"
    r"|[a-z][a-z0-9-]{1,62}:[~/])"
)
# A URL's userinfo (`postgres://mgonzalez:pw@`) and a connection string's user or password key (`User Id=`,
# `PWD=`): `VeilUserinfoNameRecognizer`'s and `UserinfoSecretRecognizer`'s places.
USERINFO_TRIGGER = re.compile(r"://[A-Za-z][^@\s/]{1,260}@")
CONN_USER_TRIGGER = re.compile(
    r"(?:user[ _]?id|uid|user[ _]?name|login|password|pwd)[ \t]{0,3}=[ \t]{0,3}[^;&\s]"
)
PASSWD_TRIGGER = re.compile(r"^[a-z_][a-z0-9._-]{0,31}:[^:\n]{0,120}:\d{1,10}:\d{1,10}:", re.MULTILINE)

# Daemon, service and CI accounts images and packages create (beside `directory_names.SYSTEM_ACCOUNTS`):
# the closed class an account's place cannot tell from a person's `initial + surname` by shape alone.
_SERVICES = """
avahi whoopsie kernoops geoclue colord saned rtkit usbmux dnsmasq messagebus syslog tcpdump sshd uuidd
polkitd chrony chronyd lightdm gdm hplip pulse speech-dispatcher landscape pollinate systemd tss vmail
dovecot dovenull postfix opendkim clamav amavis spamd mailman sympa openldap slapd unbound named bind
memcache memcached rabbitmq kafka zookeeper hadoop hdfs mapred hive spark flink airflow logstash telegraf
influxdb prometheus alertmanager etcd nomad haproxy squid varnish lighttpd httpd jetty wildfly jboss gitea
bamboo sonar sonarqube nexus artifactory ansible chef salt icinga munin cacti snmp vsftpd proftpd tftp
ftpuser nfsnobody rpcuser statd odoo mattermost nextcloud sabnzbd plex jellyfin sonarr radarr lidarr
transmission deluge minecraft steam pihole unifi cephadm ceph libvirt qemu kvm containerd podman lxd snapd
azureuser circleci travis buildkite teamcity deployer deploy gitpod codespace vscode pgadmin elasticsearch
mongod mariadb cassandra couchdb neo4j solr keycloak traefik caddy envoy fluentd filebeat vector loki
tempo jaeger sentry superset metabase rundeck octopus drone woodpecker concourse argocd flux operator
webmaster gopher halt shutdown adm daemon sync games news uucp proxy backup list irc gnats lp man sys bin
hbase yarn oozie livy knox zeppelin impala kudu
"""
SERVICE_ACCOUNTS = frozenset(_SERVICES.split())
# Words naming an account's role, written before or after what the account serves (`svc_backup`,
# `deploy-bot`, `ingestuser`, `gitlab-runner`); the two-letter ones written apart only (`sa_etl`, `ci-x`).
_ROLES = ("svc", "service", "bot", "user", "users", "admin", "agent", "runner", "worker", "daemon", "sys")
_ROLES_APART = ("sa", "ci")
_ABBREVIATION = re.compile(r"[b-df-hj-np-tv-z]{2,3}")
_SEPARATORS = re.compile(r"[._-]")
_VOWELS = re.compile(r"[aeiouy]+")
_CAPITALISED = re.compile(
    r"(?<![\w'’])[A-ZÀ-ÖØ-Þ][A-Za-zß-öø-ÿ'’]{1,30}(?:-[A-ZÀ-ÖØ-Þ][A-Za-zß-öø-ÿ'’]{1,30})?"
)
_MIN_PART = 3


def system_login_starts(text: str, low: str) -> list[int]:
    """Where a logon, a principal, a person key or flag, or a passwd line may stand in `text` (`low` is its
    lower-cased copy, of the same length)."""
    out: list[int] = []
    for sep in "=:":
        at = low.find(sep)
        while at >= 0:
            key = _KEY_BEFORE.search(low, max(0, at - 26), at)
            if key is not None and _PERSON_KEY.fullmatch(key.group(1)) and _VALUE_AFTER.match(low, at + 1):
                out.append(key.start(1))
            at = low.find(sep, at + 1)
    at = low.find("--")
    while at >= 0:
        if _FLAG_AT.match(low, at) is not None:
            out.append(at)
        at = low.find("--", at + 2)
    if "\\" in text:
        out += [m.start() for m in DOWN_LEVEL_TRIGGER.finditer(text)]
    if "@" in text:
        out += [m.start() for m in PRINCIPAL_TRIGGER.finditer(text)]
    if text.count(":") >= 5:
        out += [m.start() for m in PASSWD_TRIGGER.finditer(text)]
    if "://" in text and "@" in text:
        out += [m.start() for m in USERINFO_TRIGGER.finditer(text)]
    if "=" in low and ("user" in low or "uid" in low or "login" in low or "pw" in low or "pass" in low):
        out += [m.start() for m in CONN_USER_TRIGGER.finditer(low)]
    return out


def _plain(word: str) -> set[str]:
    """A word as a login writes it: accents dropped, apostrophes gone, lower case (`D'Amico` → `damico`);
    a letter with no ASCII base spelled out or left out (`Geißler` → `geissler`, `geiler`)."""
    out = set()
    for spelled in {word.replace("ß", "ss"), word}:
        decomposed = unicodedata.normalize("NFKD", spelled)
        out.add("".join(c for c in decomposed if c.isascii() and c.isalpha()).lower())
    return out


def record_parts(text: str) -> frozenset[str]:
    """The capitalised words of `text`, as a login would write them (a double-barrelled one also joined)."""
    parts: set[str] = set()
    for m in _CAPITALISED.finditer(text):
        word = m.group()
        for w in (*word.split("-"), *((word,) if "-" in word else ())):
            parts.update(p for p in _plain(w) if len(p) >= 2)
    return frozenset(parts)


def record_derived(login: str, text: str) -> bool:
    """Whether `login` is made of two capitalised words written in `text` (its owner's name): a word, then
    a word (`maria.gonzalez`, `mariagonzalez`), an initial then a word (`mgonzalez`), or a word then an
    initial (`mariag`); the word of the surname's place at least three letters, the two no one word."""
    run = _SEPARATORS.sub("", login.casefold())
    if not run.isascii() or not run.isalpha() or len(run) < _MIN_PART + 1:
        return False
    parts = record_parts(text)
    if len(parts) < 2 or run in parts:
        return False
    initials = {p[0] for p in parts}
    for cut in range(1, len(run)):
        head, rest = run[:cut], run[cut:]
        if (
            len(rest) >= _MIN_PART
            and rest in parts
            and head != rest
            and (head in parts or (cut == 1 and head in initials))
        ):
            return True
        if len(rest) == 1 and len(head) >= _MIN_PART and head in parts and rest in initials:
            return True
    return False


def initial_and_surname_shape(value: str) -> bool:
    """Under a key or a domain that names a person's account (`owner=`, `--assignee`, `CORP\\`): an initial
    then a surname no name list need know (`bferrazzi`, `scundari`): five letters or more, two vowel
    groups or more (`krbtgt`, `dnsmasq`, `sshd` have fewer), no word of the language of five letters or
    more at either end (`unassigned`, `dependabot`), and no service account (`avahi`, `whoopsie`)."""
    from proxy.detect.directory_names import SYSTEM_ACCOUNTS as system
    from proxy.detect.name_lexicon import in_dictionary, is_english_word, is_vocabulary_word

    folded = value.casefold()
    rest = folded[1:]
    if not (folded.isascii() and folded.isalpha() and len(rest) >= 4) or folded in SERVICE_ACCOUNTS:
        return False
    if len(_VOWELS.findall(rest)) < 2 or any(
        len(a) >= 4 and (folded.startswith(a) or folded.endswith(a)) for a in (*SERVICE_ACCOUNTS, *system)
    ):
        return False  # `nagiosadm`, `grafanaui`: a service's name and a suffix
    # No word of the language, whole or in part: `unassigned`, `dependabot`, `autodeploy` hold one.
    pieces = (
        folded,
        rest,
        *(folded[:i] for i in range(5, len(folded))),
        *(folded[i:] for i in range(1, len(folded) - 4)),
    )
    return not any(in_dictionary(w) or is_english_word(w) or is_vocabulary_word(w) for w in pieces)


def given_and_initial(value: str) -> bool:
    """`mariag`, `cindyb`: a given name a name list knows, of four letters or more and no word of the
    language, then one letter (the surname's initial)."""
    # Imported here: the lexicon loads its lists on first use, which the prefilter does not need.
    from proxy.detect.name_lexicon import in_dictionary, is_english_word, is_first_name

    head = value.casefold()[:-1]
    if not (value.isascii() and value.isalpha() and len(head) >= 4):
        return False
    return is_first_name(head) and not (in_dictionary(head) or is_english_word(head) or in_dictionary(value))


def service_affixed(value: str) -> bool:
    """`svc_backup`, `deploy-bot`, `ingestuser`, `monitor-agent`, `sa_etl`, `db-user`: a role word (`_ROLES`)
    before or after a word in use or a protocol's abbreviation (`db`, `sql`, `ftp`: two or three letters, no
    vowel), what the account serves: a service's account, no person's. An initial or a name beside the role
    (`jrunner`, `jsmith-admin`) is neither, and stays a person's."""
    from proxy.detect.name_lexicon import is_english_word, is_first_name, is_vocabulary_word

    folded = value.casefold()
    for role in (*_ROLES, *_ROLES_APART):
        if folded.startswith(role):
            other, junction = folded[len(role) :], folded[len(role) : len(role) + 1]
        elif folded.endswith(role):
            other, junction = folded[: -len(role)], folded[-len(role) - 1 : -len(role)]
        else:
            continue
        if role in _ROLES_APART and junction not in ("_", "-", "."):
            continue
        word = other.strip("._-")
        if (
            len(word) >= 2
            and word.isalpha()
            and (is_english_word(word) or is_vocabulary_word(word) or _ABBREVIATION.fullmatch(word))
            and not is_first_name(word)
        ):
            return True
    return False
