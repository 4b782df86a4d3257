"""Unique planted values per case (seeded), so one case's tokenization cannot hide another's."""

import base64
import random

R = random.Random(909)
FIRST = [
    "amelia",
    "jonas",
    "priya",
    "tomasz",
    "keiko",
    "lucas",
    "noor",
    "elena",
    "samir",
    "ingrid",
    "mateo",
    "hana",
    "oskar",
    "leila",
    "dario",
    "yuki",
    "farah",
    "nils",
    "chiara",
    "bruno",
]
LAST = [
    "rossi",
    "becker",
    "raman",
    "nowak",
    "sato",
    "moreau",
    "haddad",
    "petrova",
    "khan",
    "berg",
    "silva",
    "kimura",
    "lind",
    "farahani",
    "conti",
    "tanaka",
    "aziz",
    "holm",
    "ferri",
    "costa",
]
DOM = [
    "globex-mail.com",
    "initech.io",
    "umbrella-corp.net",
    "acme-widgets.org",
    "hooli.co.uk",
    "vandelay-imports.com",
    "wayne-ent.com",
    "stark-ind.de",
]
_used = set()


def email():
    while True:
        e = f"{R.choice(FIRST)}.{R.choice(LAST)}{R.randint(10, 99)}@{R.choice(DOM)}"
        if e not in _used:
            _used.add(e)
            return e


def phone_digits():
    # US numbers with real area codes, exchange 2xx-9xx, never 555
    while True:
        area = R.choice([312, 415, 617, 206, 303, 512, 646, 702, 808, 919])
        ex = R.randint(201, 989)
        if ex == 555:
            continue
        d = f"{area}{ex}{R.randint(1000, 9999)}"
        if d not in _used:
            _used.add(d)
            return d


def fmt_phone(d):
    return f"({d[:3]}) {d[3:6]}-{d[6:]}"


def luhn_ok(s):
    tot = 0
    for i, ch in enumerate(reversed(s)):
        x = int(ch)
        if i % 2:
            x *= 2
            if x > 9:
                x -= 9
        tot += x
    return tot % 10 == 0


def card():
    while True:
        body = "4" + "".join(str(R.randint(0, 9)) for _ in range(14))
        for c in "0123456789":
            if luhn_ok(body + c) and body + c not in _used:
                _used.add(body + c)
                return body + c


def ssn():
    while True:
        s = f"{R.randint(101, 665):03d}{R.randint(10, 99):02d}{R.randint(1000, 9999):04d}"
        if s not in _used:
            _used.add(s)
            return s


def cid():
    while True:
        s = f"{R.randint(100, 999)}{R.randint(100, 999)}{R.randint(1000, 9999)}"
        if s not in _used:
            _used.add(s)
            return s


def iban_de():
    bban = f"{R.randint(10000000, 99999999)}{R.randint(1000000000, 9999999999)}"
    num = int(bban + "131400")  # DE = 13 14, check 00
    chk = 98 - num % 97
    return f"DE{chk:02d}{bban}"


def b64(s):
    return base64.b64encode(s.encode()).decode()


def b64u(s):
    return base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")


def text(t):
    return {"result": {"content": [{"type": "text", "text": t}]}}
