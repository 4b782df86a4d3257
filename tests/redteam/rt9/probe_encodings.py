"""Encodings and carriers: an email, phone, SSN, card or IBAN inside an encoding or a carrier format,
in a tool's text block (and, with -s, in structuredContent). Each class runs several generated variants;
the planted strings are the value AND its encoded form as sent (an encoded form reaching the client
unchanged is a leak: the client can decode it).

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_encodings.py [CLASS...]
"""

import base64
import gzip
import json
import sys
import urllib.parse
from collections import defaultdict

from driver import judge, report, run
from values import b64, b64u, card, email, fmt_phone, iban_de, phone_digits, ssn, text

Q = urllib.parse.quote


def jwt(claims):
    h = b64u(json.dumps({"alg": "HS256", "typ": "JWT"}))
    p = b64u(json.dumps(claims))
    return f"{h}.{p}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk"


def utf7(s):
    return s.encode("utf-7").decode()


def nest_b64gzip(s, n):
    b = s.encode()
    for _ in range(n):
        b = base64.b64encode(gzip.compress(b))
    return b.decode()


def nest_b64(s, n):
    b = s.encode()
    for _ in range(n):
        b = base64.b64encode(b)
    return b.decode()


GREEK = str.maketrans("abdeghiklmnoprstuxyz", "αβδεγηικλμνοπρστυξψζ")
CJK = ["王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊"]


def pct_n(e, n):
    for _ in range(n):
        e = Q(e, safe="")
    return e


def html_n(e, n):
    e = e.replace("@", "&#64;")
    for _ in range(n - 1):
        e = e.replace("&", "&amp;")
    return e


def jnest(e, n):
    d = {"contact": e}
    s = json.dumps(d)
    for _ in range(n - 1):
        s = json.dumps({"d": s})
    return s


def lp(e):
    return e.split("@")[0]


def dom(e):
    return e.split("@")[1]


CYR = str.maketrans("abcdefghijklmnoprstuvyz", "абцдефгхийклмнопрстувыз")
SCRIPTS = {
    "hebrew": ("דוד", "דואר.ישראל"),
    "arabic": ("محمد", "بريد.مصر"),
    "thai": ("สมชาย", "ไปรษณีย์.ไทย"),
    "devanagari": ("राहुल", "डाक.भारत"),
    "georgian": ("გიორგი", "ფოსტა.გე"),
    "armenian": ("արամ", "փոստ.հայ"),
}


def script_email(e, sc):
    loc, dm = SCRIPTS[sc]
    return f"{loc}{e[-6:-4]}@{dm}"


CLASSES = {
    "cyrillic-local-ascii-domain": (
        lambda e: (
            f"write {e.split('@')[0].translate(CYR)}@{e.split('@')[1]}",
            [f"{e.split('@')[0].translate(CYR)}@{e.split('@')[1]}"],
        ),
        email,
    ),
    "cyrillic-local-cyrillic-domain-com": (
        lambda e: (
            f"write {e.split('@')[0].translate(CYR)}@почта.com",
            [f"{e.split('@')[0].translate(CYR)}@почта.com"],
        ),
        email,
    ),
    "cyrillic-ukr-domain": (
        lambda e: (
            f"write {e.split('@')[0].translate(CYR)}@пошта.укр",
            [f"{e.split('@')[0].translate(CYR)}@пошта.укр"],
        ),
        email,
    ),
    "ascii-local-rf-domain": (
        lambda e: (f"write {e.split('@')[0]}@почта.рф", [f"{e.split('@')[0]}@почта.рф"]),
        email,
    ),
    "hebrew-email": (lambda e: ("write " + script_email(e, "hebrew"), [script_email(e, "hebrew")]), email),
    "arabic-email": (lambda e: ("write " + script_email(e, "arabic"), [script_email(e, "arabic")]), email),
    "thai-email": (lambda e: ("write " + script_email(e, "thai"), [script_email(e, "thai")]), email),
    "devanagari-email": (
        lambda e: ("write " + script_email(e, "devanagari"), [script_email(e, "devanagari")]),
        email,
    ),
    "georgian-email": (
        lambda e: ("write " + script_email(e, "georgian"), [script_email(e, "georgian")]),
        email,
    ),
    "armenian-email": (
        lambda e: ("write " + script_email(e, "armenian"), [script_email(e, "armenian")]),
        email,
    ),
    "json-in-string-x8": (lambda e: (jnest(e, 8), [e]), email),
    "json-in-string-x12": (lambda e: (jnest(e, 12), [e]), email),
    "email-comment-in-local": (
        lambda e: (f"write {lp(e)}(work)@{dom(e)}", [f"{lp(e)}(work)@{dom(e)}"]),
        email,
    ),
    "email-quoted-local-with-at": (
        lambda e: (f'write "{lp(e)}@home"@{dom(e)}', [f'"{lp(e)}@home"@{dom(e)}']),
        email,
    ),
    "email-ipv6-literal": (
        lambda e: (
            f"write {lp(e)}@[IPv6:2001:db8:85a3::8a2e:370:7334]",
            [f"{lp(e)}@[IPv6:2001:db8:85a3::8a2e:370:7334]"],
        ),
        email,
    ),
    "email-percent-route": (
        lambda e: (f"write {lp(e)}%{dom(e)}@relay.example.net", [f"{lp(e)}%{dom(e)}"]),
        email,
    ),
    "email-bang-path": (lambda e: (f"route relay!{dom(e)}!{lp(e)}", [f"{dom(e)}!{lp(e)}"]), email),
    "email-slash-equals-local": (
        lambda e: (f"write {lp(e).replace('.', '/')}=x@{dom(e)}", [f"{lp(e).replace('.', '/')}=x@{dom(e)}"]),
        email,
    ),
    "b64-x4-in-text": (
        lambda e: (f"payload {nest_b64('owner ' + e, 4)}", [e, nest_b64("owner " + e, 4)[:40]]),
        email,
    ),
    "pct-x5": (lambda e: ("next=" + pct_n(e, 5), [e, pct_n(e, 5)]), email),
    "pct-x8": (lambda e: ("next=" + pct_n(e, 8), [e, pct_n(e, 8)]), email),
    "html-entity-x4": (lambda e: ("to " + html_n(e, 4), [e, html_n(e, 4)]), email),
    "html-entity-x7": (lambda e: ("to " + html_n(e, 7), [e, html_n(e, 7)]), email),
    "b64gzip-x2-in-text": (
        lambda e: (f"payload {nest_b64gzip('owner ' + e, 2)}", [e, nest_b64gzip("owner " + e, 2)[:40]]),
        email,
    ),
    "b64gzip-x3-in-text": (
        lambda e: (f"payload {nest_b64gzip('owner ' + e, 3)}", [e, nest_b64gzip("owner " + e, 3)[:40]]),
        email,
    ),
    "b64-x3-in-text": (
        lambda e: (f"payload {nest_b64('owner ' + e, 3)}", [e, nest_b64("owner " + e, 3)[:40]]),
        email,
    ),
    "b64-x5-in-text": (
        lambda e: (f"payload {nest_b64('owner ' + e, 5)}", [e, nest_b64("owner " + e, 5)[:40]]),
        email,
    ),
    "greek-email": (
        lambda e: (
            "write "
            + e.split("@")[0].translate(GREEK)
            + "@"
            + e.split("@")[1].split(".")[0].translate(GREEK)
            + ".gr",
            [e.split("@")[0].translate(GREEK) + "@" + e.split("@")[1].split(".")[0].translate(GREEK) + ".gr"],
        ),
        email,
    ),
    "cjk-local-ascii-domain": (
        lambda e: (
            f"联系 {CJK[hash(e) % 6]}{e[-6:-4]}@{e.split('@')[1]}",
            [f"{CJK[hash(e) % 6]}{e[-6:-4]}@{e.split('@')[1]}"],
        ),
        email,
    ),
    "latin-local-cyrillic-domain": (
        lambda e: (f"write {e.split('@')[0]}@почта.рф", [f"{e.split('@')[0]}@почта.рф"]),
        email,
    ),
    "cjk-email-full": (
        lambda e: (
            f"联系 {CJK[hash(e) % 6]}{e[-6:-4]}@例子.中国",
            [f"{CJK[hash(e) % 6]}{e[-6:-4]}@例子.中国"],
        ),
        email,
    ),
    # class: (make(value)->(text, [plants]), value factory)
    "jwt-payload-email": (
        lambda e: (
            f"Authorization: Bearer {jwt({'sub': '42', 'email': e})}",
            [e, jwt({"sub": "42", "email": e}).split(".")[1]],
        ),
        email,
    ),
    "jwt-bare-email": (
        lambda e: (
            jwt({"email": e, "iat": 1700000000}),
            [e, jwt({"email": e, "iat": 1700000000}).split(".")[1]],
        ),
        email,
    ),
    "url-userinfo-email": (
        lambda e: (f"clone https://{Q(e, safe='')}:s3cret@git.example.net/repo.git", [e, Q(e, safe="")]),
        email,
    ),
    "mailto-pct-every-char": (
        lambda e: (
            "mailto:" + "".join(f"%{ord(ch):02X}" for ch in e),
            [e, "".join(f"%{ord(ch):02X}" for ch in e)],
        ),
        email,
    ),
    "pct-thrice": (
        lambda e: (
            "next=" + Q(Q(Q(e, safe=""), safe=""), safe=""),
            [e, Q(Q(Q(e, safe=""), safe=""), safe="")],
        ),
        email,
    ),
    "data-url-b64": (
        lambda e: (f"see data:text/plain;base64,{b64('owner: ' + e)}", [e, b64("owner: " + e)]),
        email,
    ),
    "data-url-pct": (
        lambda e: (f"see data:text/plain;charset=utf-8,owner%3A%20{Q(e, safe='')}", [e, Q(e, safe="")]),
        email,
    ),
    "b64-of-b64": (lambda e: (f"payload {b64(b64('to ' + e))}", [e, b64(b64("to " + e))]), email),
    "b64-of-pct": (
        lambda e: (f"payload {b64(Q('to ' + e, safe=''))}", [e, b64(Q("to " + e, safe=""))]),
        email,
    ),
    "b64-utf16le": (
        lambda e: (
            f"payload {base64.b64encode(('to ' + e).encode('utf-16-le')).decode()}",
            [e, base64.b64encode(("to " + e).encode("utf-16-le")).decode()],
        ),
        email,
    ),
    "b64-utf16be-bom": (
        lambda e: (
            f"payload {base64.b64encode(('to ' + e).encode('utf-16')).decode()}",
            [e, base64.b64encode(("to " + e).encode("utf-16")).decode()],
        ),
        email,
    ),
    "b64-utf32": (
        lambda e: (
            f"payload {base64.b64encode(('to ' + e).encode('utf-32')).decode()}",
            [e, base64.b64encode(("to " + e).encode("utf-32")).decode()],
        ),
        email,
    ),
    "gzip-b64-of-b64": (
        lambda e: (
            f"blob {base64.b64encode(gzip.compress(b64('to ' + e).encode())).decode()}",
            [e, base64.b64encode(gzip.compress(b64("to " + e).encode())).decode()],
        ),
        email,
    ),
    "utf7": (
        lambda e: (
            f"from {utf7(e.replace('@', '@'))}".replace(e, e.replace("@", "+AEA-").replace(".", "+AC4-")),
            [e, e.replace("@", "+AEA-").replace(".", "+AC4-")],
        ),
        email,
    ),
    "xml-cdata-split": (
        lambda e: (
            f"<to>{e.split('@')[0]}<![CDATA[@]]>{e.split('@')[1]}</to>",
            [e, f"{e.split('@')[0]}<![CDATA[@]]>{e.split('@')[1]}"],
        ),
        email,
    ),
    "idn-email-unicode-domain": (
        lambda e: (
            f"write {e.split('@')[0]}@{e.split('@')[1].replace('o', 'ö', 1)}",
            [f"{e.split('@')[0]}@{e.split('@')[1].replace('o', 'ö', 1)}"],
        ),
        email,
    ),
    "idn-email-punycode-domain": (
        lambda e: (
            f"write {e.split('@')[0]}@{e.split('@')[1].replace('o', 'ö', 1).encode('idna').decode()}",
            [e.split("@")[0] + "@" + e.split("@")[1].replace("o", "ö", 1).encode("idna").decode()],
        ),
        email,
    ),
    "unicode-local-part": (
        lambda e: (
            f"write {e.split('@')[0].replace('a', 'á')}@{e.split('@')[1]}",
            [f"{e.split('@')[0].replace('a', 'á')}@{e.split('@')[1]}"],
        ),
        email,
    ),
    "cyrillic-email": (
        lambda e: (
            "write "
            + e.split("@")[0].translate(str.maketrans("abcdefghijklmnoprstuvy", "абцдефгхийклмнопрстувы"))
            + "@почта.рф",
            [
                e.split("@")[0].translate(str.maketrans("abcdefghijklmnoprstuvy", "абцдефгхийклмнопрстувы"))
                + "@почта.рф"
            ],
        ),
        email,
    ),
    "json-in-string-x4": (
        lambda e: (json.dumps({"d": json.dumps({"d": json.dumps({"d": json.dumps({"contact": e})})})}), [e]),
        email,
    ),
    "json-escaped-at-in-text": (
        lambda e: (
            e.replace("@", "\\u0040").replace(".", "\\u002e"),
            [e.replace("@", "\\u0040").replace(".", "\\u002e")],
        ),
        email,
    ),
    "backslash-x-at": (
        lambda e: (f"echo -e '{e.replace('@', chr(92) + 'x40')}'", [e.replace("@", "\\x40")]),
        email,
    ),
    "ip-literal-domain": (
        lambda e: (f"write {e.split('@')[0]}@[198.51.100.23]", [f"{e.split('@')[0]}@[198.51.100.23]"]),
        email,
    ),
    "email-in-b64-json-key": (lambda e: (json.dumps({b64(e): 1}), [e, b64(e)]), email),
    "phone-pct-encoded": (
        lambda d: (
            "tel=" + Q("+1 " + fmt_phone(d), safe=""),
            [d[3:6] + "-" + d[6:], Q("+1 " + fmt_phone(d), safe="")],
        ),
        phone_digits,
    ),
    "phone-tel-uri-visual-sep": (
        lambda d: (f"tel:+1-{d[:3]}-{d[3:6]}-{d[6:]}", [f"{d[:3]}-{d[3:6]}-{d[6:]}"]),
        phone_digits,
    ),
    "phone-b64": (
        lambda d: (f"cb {b64('call ' + fmt_phone(d))}", [b64("call " + fmt_phone(d))]),
        phone_digits,
    ),
    "ssn-b64": (
        lambda s: (
            f"x-ssn-b64: {b64(s[:3] + '-' + s[3:5] + '-' + s[5:])}",
            [b64(s[:3] + "-" + s[3:5] + "-" + s[5:]), s[:3] + "-" + s[3:5] + "-" + s[5:]],
        ),
        ssn,
    ),
    "card-b64": (lambda c: (f"pan {b64(c)}", [b64(c), c]), card),
    "card-hex-ascii": (lambda c: (f"pan 0x{c.encode().hex()}", [c.encode().hex(), c]), card),
    "iban-b64": (lambda i: (f"acct {b64(i)}", [b64(i), i]), iban_de),
}


def main():
    want = sys.argv[1:] or list(CLASSES)
    cases = []
    for cls in want:
        make, fac = CLASSES[cls]
        for k in range(3):
            t, plants = make(fac())
            cases.append({"cls": cls, "desc": t[:160], "reply": text(t), "plant": plants})
    _, outs, late, err = run(cases)
    rows = judge(cases, outs, err, late)
    report(rows)
    tally = defaultdict(lambda: [0, 0])
    for v, c, o, b in rows:
        tally[c["cls"]][1] += 1
        tally[c["cls"]][0] += v.startswith("LEAK")
    print("\nper class:")
    for k, (a, b) in tally.items():
        print(f"  {k}: {a}/{b}")
    for v, c, o, b in rows:
        if v.startswith("LEAK"):
            print("FULL", c["cls"], c["desc"], "=>", o[-1][:600])


if __name__ == "__main__":
    main()
