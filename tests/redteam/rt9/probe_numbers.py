"""Numbers: phone numbers, customer IDs, SSNs and cards as JSON numbers in odd forms (exponent floats,
negative, float with .0, big-exponent), as strings with leading zeros, and digits separated by unusual
characters. structuredContent (and its JSON text mirror) unless the class says text.

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_numbers.py [CLASS...]
"""

import json
import sys
from collections import defaultdict

from driver import judge, report, run, save
from values import card, cid, phone_digits, ssn

RAW = {}


def sc_raw(raw_json_obj_text):
    """A result whose structuredContent is raw JSON text (so number forms survive as written)."""
    return (
        '{"jsonrpc":"2.0","id":$ID,"result":{"content":[{"type":"text","text":"see structured"}],'
        '"structuredContent":' + raw_json_obj_text + "}}"
    )


def expo(d):
    return f"{d[0]}.{d[1:]}e{len(d) - 1}"


def variants_of(d):
    return [
        d,
        f"{d[:3]}-{d[3:6]}-{d[6:]}",
        f"{d[:3]}) {d[3:6]}",
        expo(d),
        f"{d}.0",
        f"{d[0]}.{d[1:]}e+{len(d) - 1}",
        f"{d[0]}.{d[1:]}E{len(d) - 1}",
        f"{d[:2]}.{d[2:]}e{len(d) - 2}",
    ]


def t(s):
    return {"reply": {"result": {"content": [{"type": "text", "text": s}]}}}


CLASSES = {
    "phone-sep-apostrophe": (phone_digits, lambda d: t(f"Call {d[:3]}'{d[3:6]}'{d[6:]} today")),
    "phone-sep-bullet": (phone_digits, lambda d: t(f"Call {d[:3]}\u2022{d[3:6]}\u2022{d[6:]} today")),
    "phone-sep-tab": (phone_digits, lambda d: t(f"Call {d[:3]}\t{d[3:6]}\t{d[6:]} today")),
    "phone-sep-pipe-spaced": (phone_digits, lambda d: t(f"Call {d[:3]} | {d[3:6]} | {d[6:]} today")),
    "phone-sep-colon-paren": (phone_digits, lambda d: t(f"Call ({d[:3]}) {d[3:6]}:{d[6:]} today")),
    "phone-sep-colon-with-plus1": (phone_digits, lambda d: t(f"Call +1:{d[:3]}:{d[3:6]}:{d[6:]} today")),
    "ssn-sep-colon": (ssn, lambda s: t(f"SSN {s[:3]}:{s[3:5]}:{s[5:]}")),
    "card-sep-colon": (card, lambda c: t(f"card {c[:4]}:{c[4:8]}:{c[8:12]}:{c[12:]}")),
    "cid-sep-colon": (cid, lambda d: t(f"customer {d[:3]}:{d[3:6]}:{d[6:]}")),
    "phone-sep-comma-in-json-phone-key": (
        phone_digits,
        lambda d: {
            "reply": {
                "result": {
                    "content": [{"type": "text", "text": json.dumps({"phone": f"{d[:3]},{d[3:6]},{d[6:]}"})}]
                }
            }
        },
    ),
    "phone-key-exponent-float": (
        phone_digits,
        lambda d: {"reply_raw": sc_raw('{"contact":{"phone":' + expo(d) + "}}")},
    ),
    "phone-key-exponent-upper-plus": (
        phone_digits,
        lambda d: {"reply_raw": sc_raw('{"contact":{"phone":' + f"{d[0]}.{d[1:]}E+{len(d) - 1}" + "}}")},
    ),
    "phone-key-shifted-exponent": (
        phone_digits,
        lambda d: {"reply_raw": sc_raw('{"contact":{"phone":' + f"{d}0e-1" + "}}")},
    ),
    "phone-key-negative": (phone_digits, lambda d: {"reply_raw": sc_raw('{"contact":{"phone":-' + d + "}}")}),
    "phone-key-float-dot0": (
        phone_digits,
        lambda d: {"reply_raw": sc_raw('{"contact":{"phone":' + d + ".0}}")},
    ),
    "cid-key-exponent": (cid, lambda d: {"reply_raw": sc_raw('{"customer_id":' + expo(d) + "}")}),
    "cid-key-small-exponent": (
        cid,
        lambda d: {"reply_raw": sc_raw('{"customer_id":' + f"{d}00000e-5" + "}")},
    ),
    "ssn-key-exponent": (ssn, lambda d: {"reply_raw": sc_raw('{"ssn":' + expo(d) + "}")}),
    "card-key-exponent": (card, lambda d: {"reply_raw": sc_raw('{"card_number":' + expo(d) + "}")}),
    "card-number-neutral-key": (card, lambda d: {"reply_raw": sc_raw('{"v":' + d + "}")}),
    "cid-in-array-of-floats": (
        cid,
        lambda d: {"reply_raw": sc_raw('{"customer_ids":[' + expo(d) + "," + expo(cid()) + "]}")},
    ),
    "phone-leading-zeros-string": (
        phone_digits,
        lambda d: {"reply": {"result": {"content": [], "structuredContent": {"phone": "00" + d}}}},
    ),
    "phone-sep-middot": (phone_digits, lambda d: t(f"Call {d[:3]}·{d[3:6]}·{d[6:]} today")),
    "phone-sep-slash": (phone_digits, lambda d: t(f"Call {d[:3]}/{d[3:6]}/{d[6:]} today")),
    "phone-sep-underscore": (phone_digits, lambda d: t(f"Call {d[:3]}_{d[3:6]}_{d[6:]} today")),
    "phone-sep-tilde": (phone_digits, lambda d: t(f"Call {d[:3]}~{d[3:6]}~{d[6:]} today")),
    "phone-sep-colon": (phone_digits, lambda d: t(f"Call {d[:3]}:{d[3:6]}:{d[6:]} today")),
    "phone-sep-plus": (phone_digits, lambda d: t(f"Call {d[:3]}+{d[3:6]}+{d[6:]} today")),
    "phone-sep-nbsp-thin": (phone_digits, lambda d: t(f"Call ({d[:3]})\u2009{d[3:6]}\u2011{d[6:]} today")),
    "phone-sep-minus-sign": (phone_digits, lambda d: t(f"Call {d[:3]}\u2212{d[3:6]}\u2212{d[6:]} today")),
    "phone-sep-comma-no-label": (phone_digits, lambda d: t(f"Call me: {d[:3]},{d[3:6]},{d[6:]}")),
    "ssn-sep-en-dash": (ssn, lambda s: t(f"SSN {s[:3]}\u2013{s[3:5]}\u2013{s[5:]}")),
    "ssn-sep-slash": (ssn, lambda s: t(f"SSN {s[:3]}/{s[3:5]}/{s[5:]}")),
    "ssn-sep-dot-no-label": (ssn, lambda s: t(f"id {s[:3]}.{s[3:5]}.{s[5:]} on file")),
    "card-sep-slash": (card, lambda c: t(f"card {c[:4]}/{c[4:8]}/{c[8:12]}/{c[12:]}")),
    "card-sep-underscore": (card, lambda c: t(f"card {c[:4]}_{c[4:8]}_{c[8:12]}_{c[12:]}")),
    "card-sep-plus": (card, lambda c: t(f"card {c[:4]}+{c[4:8]}+{c[8:12]}+{c[12:]}")),
    "cid-sep-slash": (cid, lambda d: t(f"customer {d[:3]}/{d[3:6]}/{d[6:]}")),
    "cid-sep-dot": (cid, lambda d: t(f"customer account {d[:3]}.{d[3:6]}.{d[6:]}")),
    "intl-phone-fr": (
        lambda: "33142" + phone_digits()[6:] + "53",
        lambda d: t(f"Appelez le +33 1 {d[3:5]} {d[5:7]} {d[7:9]} {d[9:11]}"),
    ),
    "intl-phone-jp": (lambda: "8131" + phone_digits()[5:], lambda d: t(f"TEL +81-3-{d[4:8]}-{d[8:]}")),
    "intl-phone-in": (lambda: "9198" + phone_digits()[2:], lambda d: t(f"WhatsApp +91 {d[2:7]} {d[7:12]}")),
    "intl-phone-br": (lambda: "55119" + phone_digits()[2:], lambda d: t(f"Fone +55 (11) {d[4:9]}-{d[9:13]}")),
    "intl-phone-au": (lambda: "6129" + phone_digits()[3:], lambda d: t(f"Ph +61 2 {d[3:7]} {d[7:11]}")),
    "intl-phone-mx-0052": (
        lambda: "5255" + phone_digits()[2:],
        lambda d: t(f"Tel. 00 52 55 {d[4:8]} {d[8:12]}"),
    ),
}


def plants_for(cls, d):
    if cls.startswith("intl-phone"):
        return []  # filled from text below
    return variants_of(d)


def main():
    want = sys.argv[1:] or list(CLASSES)
    cases = []
    for cls in want:
        fac, mk = CLASSES[cls]
        for k in range(3):
            d = fac()
            c = mk(d)
            c.update(cls=cls, desc=(c.get("reply_raw") or json.dumps(c.get("reply")))[:200])
            if cls.startswith("intl-phone"):
                txt = c["reply"]["result"]["content"][0]["text"]
                # the planted digits as written: the last two groups joined by the text's separator
                tail = txt.split("+")[-1] if "+" in txt else txt
                c["plant"] = [tail.strip()]
            elif cls.startswith(("phone-sep", "ssn-sep", "card-sep", "cid-sep")):
                txt = c["reply"]["result"]["content"][0]["text"]
                if txt.startswith("{"):
                    txt = json.loads(txt)["phone"]
                import re

                m = re.search(r"[\d(].*\d", txt)
                c["plant"] = [m.group(0)]
            else:
                c["plant"] = variants_of(d)[:1] + variants_of(d)[3:]
            cases.append(c)
    _, outs, late, err = run(cases)
    save("numbers", cases, outs, err)
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
