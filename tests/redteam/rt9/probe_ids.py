"""Identifiers by checksum/shape beyond the common ones: cards of less common issuers (Luhn-valid),
IBANs of countries added to the registry lately (mod-97 valid, registry length), IPv6 written in forms
beside the usual, an ITIN, and national identifiers the docs do not claim (reported apart).

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_ids.py
"""

import random
import sys
from collections import defaultdict

from driver import judge, report, run, save
from values import luhn_ok, text

R = random.Random(4242)


def luhn_card(prefix, length):
    while True:
        body = prefix + "".join(str(R.randint(0, 9)) for _ in range(length - len(prefix) - 1))
        for c in "0123456789":
            if luhn_ok(body + c):
                return body + c


def iban(cc, bban_len, letters=0):
    bban = "".join(R.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(letters)) + "".join(
        str(R.randint(0, 9)) for _ in range(bban_len - letters)
    )
    num = "".join(str(int(ch, 36)) for ch in bban + cc + "00")
    chk = 98 - int(num) % 97
    return f"{cc}{chk:02d}{bban}"


def sp4(s):
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4))


def ipv6():
    return ":".join(f"{R.randint(0, 0xFFFF):x}" for _ in range(8))


def verhoeff_ok(num):
    d = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
        [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
        [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ]
    p = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
        [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
        [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
        [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
        [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ]
    c = 0
    for i, ch in enumerate(reversed(num)):
        c = d[c][p[i % 8][int(ch)]]
    return c == 0


def aadhaar():
    while True:
        n = str(R.randint(2, 9)) + "".join(str(R.randint(0, 9)) for _ in range(11))
        if verhoeff_ok(n):
            return n


def nhs():
    while True:
        n = [R.randint(0, 9) for _ in range(9)]
        s = sum(x * (10 - i) for i, x in enumerate(n))
        c = 11 - s % 11
        if c == 11:
            c = 0
        if c == 10:
            continue
        return "".join(map(str, n)) + str(c)


def sin():
    return luhn_card(str(R.choice([1, 2, 3, 4, 5, 6, 7, 9])), 9)


GEN = {
    # cards (claimed: Luhn + issuer range)
    "card-uatp-1xxx-15": lambda: (lambda c: (f"Card on file: {sp4(c)}", c))(luhn_card("1", 15)),
    "card-mir-2200": lambda: (lambda c: (f"Card on file: {sp4(c)}", c))(luhn_card("2200", 16)),
    "card-troy-9792": lambda: (lambda c: (f"Card on file: {sp4(c)}", c))(luhn_card("9792", 16)),
    "card-unionpay-62-19": lambda: (lambda c: (f"Card on file: {c[:6]} {c[6:]}", c))(luhn_card("62", 19)),
    "card-verve-5061-19": lambda: (lambda c: (f"Card on file: {c}", c))(luhn_card("506099", 19)),
    "card-rupay-6521": lambda: (lambda c: (f"Card on file: {sp4(c)}", c))(luhn_card("6521", 16)),
    "card-elo-6363": lambda: (lambda c: (f"Card on file: {sp4(c)}", c))(luhn_card("636368", 16)),
    "card-jcb-3530": lambda: (lambda c: (f"Card on file: {sp4(c)}", c))(luhn_card("3530", 16)),
    "card-maestro-6759-12": lambda: (lambda c: (f"Card on file: {c}", c))(luhn_card("6759", 12)),
    # IBAN (claimed: structure + mod-97)
    "iban-de-22 (control)": lambda: (lambda i: (f"Wire to {i}", i))(iban("DE", 18)),
    "iban-gb-22 (control)": lambda: (lambda i: (f"Wire to {i}", i))(iban("GB", 18, 4)),
    "iban-ua-29": lambda: (lambda i: (f"Wire to {i}", i))(iban("UA", 25)),
    "iban-eg-29": lambda: (lambda i: (f"Wire to {i}", i))(iban("EG", 25)),
    "iban-lc-32": lambda: (lambda i: (f"Wire to {i}", i))(iban("LC", 28, 4)),
    "iban-ly-25": lambda: (lambda i: (f"Wire to {i}", i))(iban("LY", 21)),
    "iban-va-22": lambda: (lambda i: (f"Wire to {i}", i))(iban("VA", 18)),
    "iban-br-29": lambda: (lambda i: (f"Wire to {i}", i))(iban("BR", 25)),
    "iban-mn-20": lambda: (lambda i: (f"Wire to {i}", i))(iban("MN", 16)),
    "iban-ni-28": lambda: (lambda i: (f"Wire to {i}", i))(iban("NI", 24, 4)),
    "iban-so-23": lambda: (lambda i: (f"Wire to {i}", i))(iban("SO", 19)),
    "iban-ru-33": lambda: (lambda i: (f"Wire to {i}", i))(iban("RU", 29)),
    "iban-sd-18": lambda: (lambda i: (f"Wire to {i}", i))(iban("SD", 14)),
    "iban-om-23": lambda: (lambda i: (f"Wire to {i}", i))(iban("OM", 19)),
    "iban-ye-30": lambda: (lambda i: (f"Wire to {i}", i))(iban("YE", 26, 4)),
    "iban-dj-27": lambda: (lambda i: (f"Wire to {i}", i))(iban("DJ", 23)),
    "iban-fk-18": lambda: (lambda i: (f"Wire to {i}", i))(iban("FK", 14, 2)),
    "iban-hn-28": lambda: (lambda i: (f"Wire to {i}", i))(iban("HN", 24, 4)),
    # IPv6 forms (claimed: IPv4, IPv6)
    "ipv6-mapped-hex": lambda: (lambda a, b: (f"client ::ffff:{a:x}:{b:x} connected", f"::ffff:{a:x}:{b:x}"))(
        R.randint(0xCB00, 0xCBFF), R.randint(0x1000, 0xFFFF)
    ),
    "ipv6-nat64-dotted": lambda: (lambda q: (f"peer 64:ff9b::{q} up", f"64:ff9b::{q}"))(
        f"{R.randint(11, 223)}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
    ),
    "ipv6-bracket-port": lambda: (lambda a: (f"GET http://[{a}]:8443/login", a))(ipv6()),
    "ipv6-zone-id": lambda: (
        lambda a: (f"neighbor fe80::{a.split(':', 4)[4]}%eth0 reachable", "fe80::" + a.split(":", 4)[4])
    )(ipv6()),
    "ipv6-dashes-literal": lambda: (
        lambda a: (f"\\\\{a.replace(':', '-')}.ipv6-literal.net\\share", a.replace(":", "-"))
    )(ipv6()),
    # ITIN (US taxpayer id, 9xx-7x-xxxx)
    "itin-labeled": lambda: (lambda n: (f"ITIN: {n}", n))(
        f"9{R.randint(10, 99)}-{R.choice([70, 71, 72, 78, 80, 88, 90, 92])}-{R.randint(1000, 9999)}"
    ),
    # national identifiers NOT claimed by the docs (reported apart)
    "unclaimed-uk-nino": lambda: (lambda n: (f"NI number: {n}", n))(
        f"{R.choice('ABCEHJKLMNPRSTWXYZ')}{R.choice('ABCEHJKLMNPRSTWXYZ')} {R.randint(10, 99)} {R.randint(10, 99)} {R.randint(10, 99)} {R.choice('ABCD')}"
    ),
    "unclaimed-ca-sin": lambda: (lambda n: (f"SIN: {n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]} {n[3:6]} {n[6:]}"))(
        sin()
    ),
    "unclaimed-uk-nhs": lambda: (
        lambda n: (f"NHS number {n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]} {n[3:6]} {n[6:]}")
    )(nhs()),
    "unclaimed-in-aadhaar": lambda: (
        lambda n: (f"Aadhaar: {n[:4]} {n[4:8]} {n[8:]}", f"{n[:4]} {n[4:8]} {n[8:]}")
    )(aadhaar()),
}


def main():
    want = sys.argv[1:] or list(GEN)
    cases = []
    for cls in want:
        for _ in range(3):
            t, plant = GEN[cls]()
            cases.append({"cls": cls, "desc": t, "reply": text(t), "plant": [plant]})
    _, outs, late, err = run(cases)
    save("ids", cases, outs, err)
    rows = judge(cases, outs, err, late)
    report(rows)
    tally = defaultdict(lambda: [0, 0])
    for v, c, _o, b in rows:
        tally[c["cls"]][1] += 1
        tally[c["cls"]][0] += v.startswith("LEAK")
    print("\nper class:")
    for k, (a, b) in tally.items():
        print(f"  {k}: {a}/{b}")


if __name__ == "__main__":
    main()
