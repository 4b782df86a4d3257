"""Numbers that are no one's but look like identifiers, beside real ones in the same places (red team round
six, issue 15, over-redaction).

- `epoch_times`: epoch seconds or milliseconds under a time key (`created_ts`, `expires_at`, `updatedAt`,
  `last_seen`, `login_time`) as a JSON number or string, in a JSON document, a report's rows, a logfmt line
  or `"key": value` text; a customer ID beside it, its digits in the same range.
- `dotted_versions`: four-part versions beside a version word (`version 10.0.19045.3803`, `build: 4.2.1.7`,
  `firmware v1.2.3.4`, `"version": "1.2.3.4"`, `fw_version=…`), parts IPv4 could have; an IP address after
  its word in the same line.
- `snmp_oids`: OIDs as SNMP tools print them (`.1.3.6.1.2.1.1.3.0`, `1.3.6.1.4.1.2021.10.1.3.1`,
  `oid=…`, `{"oid": …}`), beside the agent's IP address and a contact phone.
- `opening_hours`: a range of clock times after a phone word (`Phone: open 09:00-17:30, Mon-Fri`,
  `Phone hours 0900-1730 weekdays`), beside the phone number itself.

Each builder takes a `random.Random`; the look-alikes are the case's survivors, the real values its planted
ones, so one case is judged both ways. The label says the placement (value-free).
"""

from __future__ import annotations

import json
from random import Random
from typing import Any

from tests.classes.case import Case, Survivor, call, nest, tool_result
from tests.classes.planting import Planted, digits_needle, ipv4, phone

# ------------------------------------------------------------------------------------------ epoch times
_TIME_PREFIXES = ("created", "updated", "expires", "modified", "deleted", "issued", "event", "login", "token")
_SEEN_PREFIXES = ("last", "first")
_FIRST = 1_000_000_000  # 2001-09-09
_LAST = 2_524_608_000  # 2050-01-01


def _time_key(rng: Random) -> str:
    """A key naming a moment, in snake or camel case: `created_ts`, `expiresAt`, `last_seen`, `loginTime`."""
    camel = rng.random() < 0.35
    kind = rng.choice(["ts", "at", "time", "seen", "timestamp", "ts_ms"])
    if kind == "seen":
        words = [rng.choice(_SEEN_PREFIXES), "seen"]
    elif kind == "ts_ms":
        words = [rng.choice(_TIME_PREFIXES), "ts", "ms"]
    else:
        words = [rng.choice(_TIME_PREFIXES), kind]
    if camel:
        return words[0] + "".join(w.title() for w in words[1:])
    return "_".join(words)


def _epoch(rng: Random) -> tuple[int, bool]:
    """Epoch seconds of 2001 to 2049, or the same moment in milliseconds."""
    seconds = rng.randrange(_FIRST, _LAST - 86_400)
    if rng.random() < 0.35:
        return seconds * 1000 + rng.randrange(1000), True
    return seconds, False


def _customer(rng: Random) -> Planted:
    """A customer ID whose ten digits are also a plausible epoch: only its key tells them apart."""
    digits = str(rng.randrange(_FIRST, _LAST))
    return Planted("customer-id", digits, digits_needle(digits))


def epoch_times(rng: Random) -> Case:
    key = _time_key(rng)
    value, _ = _epoch(rng)
    as_string = rng.random() < 0.4
    written: Any = str(value) if as_string else value
    cid = _customer(rng)
    cid_written: Any = cid.text if rng.random() < 0.5 else int(cid.text)
    carrier = rng.choice(["structured", "json-text", "rows", "logfmt", "pairs-text"])
    if carrier in ("structured", "json-text"):
        record = {
            "event": rng.choice(["login", "refresh", "purchase"]),
            key: written,
            "customer_id": cid_written,
        }
        doc = nest(rng, record, rng.randrange(0, 3))
        result = tool_result(structured=doc) if carrier == "structured" else tool_result(json.dumps(doc))
        survivors = [Survivor(str(value), label=f"epoch:{carrier}")]
    elif carrier == "rows":
        rows = []
        for i in range(rng.randrange(32, 40)):
            rows.append({"id": i, key: written if i == 0 else value + i, "clicks": rng.randrange(100)})
        rows[-1]["customer_id"] = cid_written
        result = tool_result(structured={"rows": rows})
        survivors = [Survivor(str(value), label="epoch:rows")]
    else:
        q = '"' if as_string and carrier == "pairs-text" else ""
        if carrier == "logfmt":
            pair = f"{key}={value}"
            line = f"level=info msg=session {pair} customer_id={cid.text} status=ok"
        else:
            pair = f'"{key}": {q}{value}{q}'
            line = f'event logged, {pair}, "customer_id": "{cid.text}" (retry 2)'
        result = tool_result(line)
        survivors = [Survivor(pair, label=f"epoch:{carrier}")]
    return Case("numbers-lookalikes", [call(result, "events")], [cid], survivors, label=f"epoch:{carrier}")


# -------------------------------------------------------------------------------------- dotted versions
def _version(rng: Random) -> str:
    """Four parts an IPv4 address could have (each below 256), or a Windows build (`10.0.19045.3803`)."""
    if rng.random() < 0.2:
        return f"10.0.{rng.randrange(10000, 26000)}.{rng.randrange(1, 5000)}"
    return ".".join(str(rng.randrange(0 if i else 1, 20 if i < 2 else 256)) for i in range(4))


_VERSION_LINES = (
    "Running Windows version {v}",
    "Version: {v}",
    "build: {v}",
    "firmware v{v} installed",
    "release {v} deployed",
    "ver {v}",
    '"version": "{v}"',
    "fw_version={v}",
    "agentVersion={v}",
    '{{"os": "linux", "build": "{v}"}}',
)
_IP_LINES = ("from {ip}", "client_ip={ip}", "host {ip}", "ip: {ip}", "server {ip}")


def dotted_versions(rng: Random) -> Case:
    v = _version(rng)
    ip = ipv4(rng)
    shown = rng.choice(_VERSION_LINES).format(v=v)
    where = rng.choice(["line", "prose", "structured"])
    beside = rng.choice(_IP_LINES).format(ip=ip.text)
    if where == "line":
        result = tool_result(f"{shown} {beside} ok")
    elif where == "prose":
        result = tool_result(f"Agent check-in. {shown}; last contact {beside}.")
    else:
        result = tool_result(structured={"status": "ok", "detail": shown, "peer": beside})
    return Case(
        "numbers-lookalikes",
        [call(result, "inventory")],
        [ip],
        [Survivor(v, label=f"version:{where}")],
        label=f"version:{where}",
    )


# ------------------------------------------------------------------------------------------- SNMP OIDs
_ROOTS = ("1.3.6.1.2.1", "1.3.6.1.4.1", "1.3.6.1.6.3", "1.3.6.1.2.1.2.2.1")


def _oid(rng: Random) -> str:
    root = rng.choice(_ROOTS)
    if root == "1.3.6.1.4.1":
        root += "." + str(rng.choice([9, 2021, 311, 8072, 2636, rng.randrange(1, 60000)]))
    arcs = [str(rng.choice([0, 1, 1, 2, 3, rng.randrange(1, 40)])) for _ in range(rng.randrange(2, 6))]
    oid = ".".join([root, *arcs])
    return "." + oid if rng.random() < 0.4 else oid


def snmp_oids(rng: Random) -> Case:
    oid = _oid(rng)
    ip, tel = ipv4(rng), phone(rng, reliable=True)
    value = rng.choice(
        ["INTEGER: 2", "Timeticks: (1234567) 3:25:45.67", 'STRING: "0.05"', "Counter32: 81234"]
    )
    where = rng.choice(["walk", "command", "logfmt", "structured"])
    contact = f"sysContact.0 = STRING: NOC {tel.text}"
    if where == "walk":
        text = f"{oid} = {value}\n{contact}\nagent {ip.text}"
        result = tool_result(text)
    elif where == "command":
        result = tool_result(f"$ snmpget -v2c -c public {ip.text} {oid}\n{oid} = {value}\n{contact}")
    elif where == "logfmt":
        result = tool_result(f'level=warn agent={ip.text} oid={oid} msg=timeout contact="{tel.text}"')
    else:
        result = tool_result(structured={"agent": ip.text, "oid": oid, "value": value, "contact": tel.text})
    return Case(
        "numbers-lookalikes",
        [call(result, "snmp")],
        [ip, tel],
        [Survivor(oid, label=f"oid:{where}")],
        label=f"oid:{where}",
    )


# -------------------------------------------------------------------------------------- opening hours
def _clock(rng: Random, hour: int) -> tuple[int, int]:
    return hour, rng.choice([0, 0, 30, 15, 45])


def _hours(rng: Random) -> str:
    """A range of clock times as a shop writes it: `09:00-17:30`, `9.00 – 17.30`, `0800-1800`."""
    (h1, m1), (h2, m2) = _clock(rng, rng.randrange(6, 11)), _clock(rng, rng.randrange(16, 22))
    style = rng.choice(["colon", "colon", "dot", "bare"])
    dash = rng.choice(["-", "-", " - ", "\u2013", " to "]) if style != "bare" else rng.choice(["-", "\u2013"])
    if style == "bare":
        return f"{h1:02d}{m1:02d}{dash}{h2:02d}{m2:02d}"
    sep = ":" if style == "colon" else "."
    lead = f"{h1:02d}" if rng.random() < 0.6 else str(h1)
    return f"{lead}{sep}{m1:02d}{dash}{h2:02d}{sep}{m2:02d}"


_HOURS_LINES = (
    "Phone: open {h}, Mon-Fri",
    "Phone hours: {h} weekdays",
    "Phone support {h} (Mon\u2013Fri)",
    "Tel. lines open {h} daily",
    "Call us: Mon-Sat {h}",
    "Phone: {h}, Sat 10:00-14:00",
)


def opening_hours(rng: Random) -> Case:
    h = _hours(rng)
    tel = phone(rng, reliable=True)
    hours = rng.choice(_HOURS_LINES).format(h=h)
    where = rng.choice(["before", "after", "structured"])
    if where == "before":
        result = tool_result(f"Phone: {tel.text}\n{hours}")
    elif where == "after":
        result = tool_result(f"{hours}. Outside these hours: phone {tel.text}")
    else:
        result = tool_result(
            structured={"store": "Berlin Mitte", "hours": hours, "contact": f"Phone: {tel.text}"}
        )
    return Case(
        "numbers-lookalikes",
        [call(result, "stores")],
        [tel],
        [Survivor(h, label=f"hours:{where}")],
        label=f"hours:{where}",
    )


# ----------------------------------------------------------------------- identifiers in the same places
def _dotted(digits: str) -> str:
    return ".".join(digits)


def identifiers_in_lookalike_places(rng: Random) -> Case:
    """Real identifiers written where the look-alikes above sit, each shaped like one of them: a customer
    ID of epoch digits under its own key, an IP address after its word beside a version, a phone or SSN
    spaced out with dots after its word (an OID's one-digit arcs), a phone after a phone word beside
    opening hours."""
    kind = rng.choice(["customer", "ip", "dotted-phone", "dotted-ssn", "phone-hours"])
    if kind == "customer":
        value = _customer(rng)
        key = rng.choice(["customer_id", "customerId", "cid", "client_customer_id"])
        placed = rng.choice(["structured", "logfmt", "pairs-text"])
        at = _time_key(rng)
        when, _ = _epoch(rng)
        if placed == "structured":
            result = tool_result(structured={key: int(value.text), at: when})
        elif placed == "logfmt":
            result = tool_result(f"level=info {at}={when} {key}={value.text} msg=sync")
        else:
            result = tool_result(f'"{at}": {when}, "{key}": "{value.text}"')
        return Case("numbers-lookalikes", [call(result)], [value], [], label=f"real:customer:{placed}")
    if kind == "ip":
        ip = ipv4(rng)
        v = _version(rng)
        line = rng.choice(
            ["ip {ip} version {v}", '"ip": "{ip}", "version": "{v}"', "client_ip={ip} fw_version={v}"]
        )
        return Case(
            "numbers-lookalikes",
            [call(tool_result(line.format(ip=ip.text, v=v)))],
            [ip],
            [Survivor(v, label="version")],
            label="real:ip",
        )
    if kind in ("dotted-phone", "dotted-ssn"):
        if kind == "dotted-phone":
            digits = rng.choice(["212", "213", "202", "201", "206"]) + str(rng.randrange(2000000, 9999999))
            word = rng.choice(["Phone: ", "tel ", "call ", "Mobile: "])
        else:
            digits = f"{rng.randrange(1, 300):03d}{rng.randrange(1, 100):02d}{rng.randrange(1, 10000):04d}"
            word = rng.choice(["SSN: ", "ssn ", "Social security number "])
        planted = Planted(kind.split("-")[1], _dotted(digits), digits_needle(digits))
        text = f"{word}{rng.choice(['', '.'])}{planted.text}"
        return Case("numbers-lookalikes", [call(tool_result(text))], [planted], [], label=f"real:{kind}")
    tel = phone(rng, reliable=True)
    h = _hours(rng)
    text = rng.choice(["Phone: {t}, open {h}, Mon-Fri", "Phone hours {h}: {t}", "Call {t} ({h} weekdays)"])
    return Case(
        "numbers-lookalikes",
        [call(tool_result(text.format(t=tel.text, h=h)))],
        [tel],
        [Survivor(h, label="hours")],
        label="real:phone-hours",
    )


def number_lookalikes(rng: Random) -> Case:
    """The catalog's class: one of the builders above."""
    builders = [epoch_times, dotted_versions, snmp_oids, opening_hours, identifiers_in_lookalike_places]
    return rng.choice(builders)(rng)
