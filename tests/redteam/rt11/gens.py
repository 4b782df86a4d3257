# ruff: noqa: E501
"""Seeded generators for round 11: server shapes and placements rounds 8-10 did not try (one function per class).

Every generator returns cases {cls, desc, reply, plant} (or `keep` for look-alikes that must stay readable).
Values are unique per session (round 9's values.py registry, plus the name pool below drawn without
replacement), so a value tokenized in one case cannot hide another case's leak.
"""

import base64
import json
import random

from values import cid, email, phone_digits, ssn, text

R = random.Random(1111)

GIVEN = [
    "Heather",
    "Douglas",
    "Rebecca",
    "Jonathan",
    "Danielle",
    "Gregory",
    "Lauren",
    "Steven",
    "Melissa",
    "Raymond",
    "Brittany",
    "Kwame",
    "Priya",
    "Tobias",
    "Mireille",
    "Ravi",
    "Ingrid",
    "Mateo",
    "Chiara",
    "Oskar",
    "Farah",
    "Nils",
    "Keiko",
    "Samir",
    "Leila",
    "Bruno",
    "Yuki",
    "Dario",
    "Hana",
    "Elena",
]
SURN = [
    "Whitcombe",
    "Nakashima",
    "Chamberlain",
    "Mastroianni",
    "Iannucci",
    "Tolliver",
    "Santangelo",
    "Fontaine",
    "Delacroix",
    "Halvorsen",
    "Quackenbush",
    "Pemberton",
    "Brannigan",
    "Fitzgerald",
    "Gallagher",
    "Sorensen",
    "Stanczyk",
    "Wendler",
    "Dufresne",
    "Chandrasekar",
    "Asante",
    "Okonkwo",
    "Lindqvist",
    "Marchetti",
    "Kowalczyk",
    "Abernathy",
    "Castellanos",
    "Vandermeer",
    "Oyelaran",
    "Hargreaves",
    "Blackwood",
    "Ashworth",
    "Pennington",
    "Rutherford",
    "Whitmore",
    "Kensington",
    "Thornbury",
    "Caldwell",
    "Morrissey",
    "Donnelly",
    "Brennan",
    "Gutierrez",
    "Villanueva",
    "Szymanski",
    "Novak",
    "Petrakis",
    "Yamamoto",
    "Takahashi",
    "Lindgren",
    "Bergstrom",
    "Eriksen",
    "Haddad",
    "Farouk",
    "Nasser",
    "Mendoza",
    "Carvalho",
    "Figueroa",
    "Rasmussen",
    "Jablonski",
    "Zielinski",
    "Kovalenko",
    "Demir",
    "Aydin",
    "Oduya",
    "Mbeki",
    "Adeyemi",
    "Okafor",
    "Ferreira",
    "Albrecht",
    "Hoffmann",
    "Vogel",
    "Richter",
    "Lombardi",
    "Esposito",
    "Ricci",
    "Moretti",
    "Barbieri",
    "Gallo",
    "Costello",
    "McAllister",
    "Drummond",
    "Sinclair",
    "Galloway",
    "Lockhart",
    "Prescott",
    "Holloway",
    "Whitaker",
    "Langley",
    "Merriweather",
    "Fairbanks",
    "Ellsworth",
    "Kingsley",
    "Radcliffe",
    "Sutherland",
    "Blackburn",
]
R.shuffle(SURN)
_si = [0]

STREETS = [
    "Bellflower Ct",
    "Wrenfield Ave",
    "Oakridge Terrace",
    "Pelham Crescent",
    "Kastanienallee",
    "Larkspur Lane",
    "Huckleberry Rd",
    "Marigold Way",
    "Sandpiper Dr",
    "Juniper Hollow Rd",
    "Cobblestone Blvd",
    "Foxglove St",
    "Thistledown Pl",
    "Meadowsweet Ave",
]
COMPANIES = [
    "Brightwater Dental Group",
    "Bluefin Marine Supply",
    "Kestrel Orthodontics",
    "Harborview Pet Clinic",
    "Copperleaf Roofing",
    "Silverpine Chiropractic",
    "Redwood Hollow Vineyards",
    "Larkhill Bakery",
    "Stonebridge Legal",
    "Pinecrest Dermatology",
    "Windmere Plumbing",
    "Amberfield Florists",
    "Northgate Physiotherapy",
    "Maplestone Realty",
    "Greywater Brewing",
    "Hollowbrook Veterinary",
    "Quillfeather Books",
    "Tidewater Kayaks",
    "Cedarline Cabinets",
    "Saltmarsh Seafood",
    "Ironbark Fitness",
    "Foxhollow Dentistry",
    "Bramblewood Nursery",
    "Clearbrook Optometry",
    "Wildrose Bridal",
    "Starling Accountants",
    "Bayberry Candles",
    "Highmoor Solar",
    "Duskwood Tattoo",
    "Oakhaven Hearing",
    "Sunmeadow Pediatrics",
    "Goldcrest Insurance",
    "Marblehead Movers",
    "Riverbend Podiatry",
    "Thornfield Kennels",
    "Westbury Audiology",
    "Ravenscroft Tutoring",
    "Lilypad Daycare",
    "Sagebrush Spa",
    "Harrowgate Locksmiths",
]
R.shuffle(COMPANIES)
_ci = [0]


def person():
    s = SURN[_si[0] % len(SURN)]
    _si[0] += 1
    return R.choice(GIVEN), s


def company():
    c = COMPANIES[_ci[0] % len(COMPANIES)]
    _ci[0] += 1
    return c


def addr():
    return f"{R.randint(11, 9899)} {R.choice(STREETS)}"


def cid7():
    return str(R.randint(1000000, 9999999))


def gads():
    c = cid()
    return c


def case(cls, desc, reply, plant=None, keep=None, method=None, **kw):
    c = {"cls": cls, "desc": desc, "reply": reply}
    if plant is not None:
        c["plant"] = plant
    if keep is not None:
        c["keep"] = keep
    if method:
        c["method"] = method
    c.update(kw)
    return c


def js(x):
    return text(json.dumps(x))


# ---- 1. Google Sheets values ranges: a 2-D array whose header is row 0 (or column 0) ----
def sheets_2d():
    out = []
    for i in range(24):
        g, s = person()
        co, ad, c7, ph = company(), addr(), cid7(), phone_digits()
        hdr = ["Customer ID", "Account", "Contact", "Street", "Phone"]
        row = [c7, co, f"{g} {s}", ad, ph]
        k = i % 4
        if k == 0:
            body = {"range": "Clients!A1:E2", "majorDimension": "ROWS", "values": [hdr, row]}
        elif k == 1:
            body = {
                "range": "Clients!A1:B5",
                "majorDimension": "COLUMNS",
                "values": [[h, v] for h, v in zip(hdr, row, strict=False)],
            }
        elif k == 2:
            body = {"spreadsheetId": "1AbC", "valueRanges": [{"range": "Clients!A2:E2", "values": [row]}]}
        else:  # batchGet with header in a separate range
            body = {"valueRanges": [{"range": "A1:E1", "values": [hdr]}, {"range": "A2:E2", "values": [row]}]}
        out.append(case("sheets_2d", f"sheets variant {k}", js(body), plant=[c7, co, s, ad]))
    return out


# ---- 2. BigQuery rows: {schema.fields[].name} + rows[].f[].v ----
def bigquery_fv():
    out = []
    for i in range(20):
        g, s = person()
        co, ad, c7 = company(), addr(), cid7()
        names = ["customer_id", "account_name", "contact_name", "street_address"]
        vals = [c7, co, f"{g} {s}", ad]
        body = {
            "kind": "bigquery#queryResponse",
            "schema": {"fields": [{"name": n, "type": "STRING", "mode": "NULLABLE"} for n in names]},
            "rows": [{"f": [{"v": v} for v in vals]}],
            "totalRows": "1",
            "jobComplete": True,
        }
        if i % 2:
            body = {"schema": body["schema"], "rows": body["rows"]}
            body = {"result": body}
        out.append(case("bigquery_fv", f"bq {i % 2}", js(body), plant=[c7, co, s, ad]))
    return out


# ---- 3. Dynamics 365 / Dataverse OData ----
def dynamics_odata():
    out = []
    for i in range(20):
        g, s = person()
        co, ad, c7 = company(), addr(), cid7()
        rec = {
            "@odata.etag": 'W/"1234"',
            "contactid": "a1b2c3d4-0000-0000-0000-00000000000" + str(i % 10),
            "fullname": f"{g} {s}",
            "address1_line1": ad,
            "address1_city": "Springfield",
            "accountnumber": c7,
            "_parentcustomerid_value": "c0ffee00-0000-0000-0000-000000000001",
            "_parentcustomerid_value@OData.Community.Display.V1.FormattedValue": co,
        }
        if i % 2:
            rec = {
                "name": co,
                "accountnumber": c7,
                "address1_composite": ad + "\r\nSpringfield, IL 62704",
                "primarycontactid": {"fullname": f"{g} {s}"},
            }
        body = {
            "@odata.context": "https://org.crm.dynamics.com/api/data/v9.2/$metadata#contacts",
            "value": [rec],
        }
        out.append(case("dynamics_odata", f"odata {i % 2}", js(body), plant=[co, s, ad, c7]))
    return out


# ---- 4. JSON:API with kebab-case attributes in included[] ----
def jsonapi_kebab():
    out = []
    for _i in range(20):
        g, s = person()
        co, ad, c7 = company(), addr(), cid7()
        body = {
            "data": {
                "type": "orders",
                "id": str(R.randint(100, 999)),
                "relationships": {"customer": {"data": {"type": "customers", "id": "7"}}},
            },
            "included": [
                {
                    "type": "customers",
                    "id": "7",
                    "attributes": {
                        "full-name": f"{g} {s}",
                        "company-name": co,
                        "street-address": ad,
                        "customer-number": c7,
                    },
                }
            ],
        }
        out.append(case("jsonapi_kebab", "jsonapi", js(body), plant=[s, co, ad, c7]))
    return out


# ---- 5. values split across array elements (rich-text runs) ----
def split_array():
    out = []
    for i in range(30):
        k = i % 6
        g, s = person()
        if k == 0:  # Notion rich_text runs
            body = {
                "object": "block",
                "type": "paragraph",
                "paragraph": {
                    "rich_text": [
                        {"type": "text", "plain_text": "Escalated by ", "text": {"content": "Escalated by "}},
                        {
                            "type": "text",
                            "plain_text": g + " ",
                            "text": {"content": g + " "},
                            "annotations": {"bold": True},
                        },
                        {
                            "type": "text",
                            "plain_text": s,
                            "text": {"content": s},
                            "annotations": {"bold": True},
                        },
                    ]
                },
            }
            out.append(case("split_array", "notion name runs", js(body), plant=[s]))
        elif k == 1:  # Jira ADF text nodes with marks
            body = {
                "type": "doc",
                "version": 1,
                "content": [
                    {
                        "type": "paragraph",
                        "content": [
                            {"type": "text", "text": "Customer contact: "},
                            {"type": "text", "text": g, "marks": [{"type": "strong"}]},
                            {"type": "text", "text": " "},
                            {"type": "text", "text": s, "marks": [{"type": "strong"}]},
                        ],
                    }
                ],
            }
            out.append(case("split_array", "ADF name nodes", js(body), plant=[s]))
        elif k == 2:  # email split into runs by a link mark
            e = email()
            loc, dom = e.split("@")
            body = {
                "rich_text": [
                    {"plain_text": "Reach out to "},
                    {"plain_text": loc},
                    {"plain_text": "@", "annotations": {"code": True}},
                    {"plain_text": dom},
                ]
            }
            out.append(case("split_array", "email runs", js(body), plant=[loc]))
        elif k == 3:  # phone split into runs
            d = phone_digits()
            body = {
                "rich_text": [
                    {"plain_text": "Call "},
                    {"plain_text": f"({d[:3]}) "},
                    {"plain_text": d[3:6], "annotations": {"bold": True}},
                    {"plain_text": "-" + d[6:]},
                ]
            }
            out.append(case("split_array", "phone runs", js(body), plant=[d[3:6] + "-" + d[6:]]))
        elif k == 4:  # Slack blocks rich_text_section elements
            co = company()
            body = {
                "blocks": [
                    {
                        "type": "rich_text",
                        "elements": [
                            {
                                "type": "rich_text_section",
                                "elements": [
                                    {"type": "text", "text": "Renewal for "},
                                    {"type": "text", "text": co, "style": {"bold": True}},
                                    {"type": "text", "text": " (customer "},
                                    {"type": "text", "text": cid7()},
                                    {"type": "text", "text": ") owner "},
                                    {"type": "text", "text": g},
                                    {"type": "text", "text": " " + s},
                                ],
                            }
                        ],
                    }
                ]
            }
            out.append(case("split_array", "slack rich_text", js(body), plant=[s]))
        else:  # SSN split over ADF nodes
            sn = ssn()
            body = {
                "type": "doc",
                "content": [
                    {
                        "type": "paragraph",
                        "content": [
                            {"type": "text", "text": "SSN "},
                            {"type": "text", "text": sn[:3] + "-"},
                            {"type": "text", "text": sn[3:5] + "-", "marks": [{"type": "code"}]},
                            {"type": "text", "text": sn[5:]},
                        ],
                    }
                ],
            }
            out.append(
                case(
                    "split_array",
                    "ssn ADF nodes",
                    js(body),
                    plant=[sn[:3] + "-" + sn[3:5] + "-" + sn[5:], sn[:3] + "-" + sn[3:5]],
                )
            )
    return out


# ---- 6. values as object keys at depth ----
def keys_deep():
    out = []
    for i in range(25):
        k = i % 5
        g, s = person()
        if k == 0:
            body = {"team": {"owners": {f"{g} {s}": {"role": "Account Manager", "open": 3}}}}
            pl = [s]
        elif k == 1:
            e = email()
            body = {"stats": {"byRecipient": {e: {"sent": 4, "opened": 2}}}}
            pl = [e]
        elif k == 2:
            co = company()
            body = {"report": {"spendByAccount": {co: {"cost": 1200.5, "clicks": 311}}}}
            pl = [co]
        elif k == 3:
            a = addr()
            body = {"deliveries": {"byAddress": {a: {"count": 3, "last": "2026-11-30"}}}}
            pl = [a]
        else:
            d = phone_digits()
            body = {"calls": {"byCaller": {d: {"count": 2}}}}
            pl = [d]
        out.append(
            case(
                "keys_deep",
                f"key kind {k}",
                {"result": {"content": [{"type": "text", "text": "ok"}], "structuredContent": body}},
                plant=pl,
            )
        )
        out.append(case("keys_deep_text", f"key kind {k} as JSON text", js(body), plant=pl))
    return out


# ---- 7. MIME encoded words in other charsets / Q-encoding underscores ----
def _q(s, cs):
    b = s.encode(cs)
    r = ""
    for ch in b:
        c = chr(ch)
        if c == " ":
            r += "_"
        elif c.isalnum() and ch < 128:
            r += c
        else:
            r += f"={ch:02X}"
    return f"=?{cs}?Q?{r}?="


def _b(s, cs):
    return f"=?{cs}?B?{base64.b64encode(s.encode(cs)).decode()}?="


CYR = [
    ("Дмитрий Кузнецов", "Кузнецов"),
    ("Светлана Соколова", "Соколова"),
    ("Олег Воронцов", "Воронцов"),
    ("Наталья Лебедева", "Лебедева"),
]
JP = [("山田 花子", "山田"), ("佐藤 健太", "佐藤")]


def rfc2047():
    out = []
    for i in range(30):
        k = i % 6
        if k in (0, 1):
            g, s = person()
            nm = f"{g} {s}"
            cs = ["ISO-8859-1", "windows-1252"][k]
            ew = _q(nm, cs)
            pl = [s]
        elif k == 2:
            g, s = person()
            nm, ew = f"{g} {s}", _b(f"{g} {s}", "UTF-16")
            pl = [s, ew]
        elif k == 3:
            nm, s = CYR[i // 6 % len(CYR)]
            ew = _b(nm, "KOI8-R")
            pl = [s, ew]
        elif k == 4:
            nm, s = JP[i // 6 % len(JP)]
            ew = _b(nm, "ISO-2022-JP")
            pl = [s, ew]
        else:
            g, s = person()
            nm = f"{g} {s}"
            ew = _q(nm, "UTF-8").replace("?Q?", "?q?")
            pl = [s]
        e = email()
        hdr = f"From: {ew} <{e}>\r\nTo: support@acme-widgets.org\r\nSubject: invoice"
        if i % 2:
            body = {
                "payload": {
                    "headers": [
                        {"name": "From", "value": f"{ew} <{e}>"},
                        {"name": "Subject", "value": "invoice"},
                    ]
                }
            }
            out.append(case("rfc2047", f"kind {k} gmail header", js(body), plant=[*pl, e]))
        else:
            out.append(case("rfc2047", f"kind {k} raw header", text(hdr), plant=[*pl, e]))
    return out


# ---- 8. Unicode spellings the normalizer may miss ----
FW = {c: chr(ord(c) + 0xFEE0) for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@.-()"}


def _fw(s):
    return "".join(FW.get(c, c) for c in s)


def _mathbold(s):
    r = ""
    for c in s:
        if "a" <= c <= "z":
            r += chr(0x1D41A + ord(c) - 97)
        elif "A" <= c <= "Z":
            r += chr(0x1D400 + ord(c) - 65)
        elif "0" <= c <= "9":
            r += chr(0x1D7CE + ord(c) - 48)
        else:
            r += c
    return r


def _circled(s):
    r = ""
    for c in s:
        if "a" <= c <= "z":
            r += chr(0x24D0 + ord(c) - 97)
        elif "1" <= c <= "9":
            r += chr(0x2460 + ord(c) - 49)
        elif c == "0":
            r += "\u24ea"
        else:
            r += c
    return r


HOMO = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "c": "\u0441", "p": "\u0440", "i": "\u0456"}


def unicode_tricks():
    out = []
    kinds = [
        ("fullwidth email", lambda e, d: _fw(e)),
        ("math bold email", lambda e, d: _mathbold(e)),
        ("circled email", lambda e, d: _circled(e)),
        ("small commercial at", lambda e, d: e.replace("@", "\ufe6b")),
        ("one dot leader", lambda e, d: e.replace(".", "\u2024")),
        ("soft hyphens in email", lambda e, d: "\u00ad".join(e)),
        ("word joiner in email", lambda e, d: e.replace("@", "\u2060@\u2060")),
        (
            "cyrillic homoglyph local",
            lambda e, d: "".join(HOMO.get(c, c) for c in e.split("@")[0]) + "@" + e.split("@")[1],
        ),
        ("RLO reversed email", lambda e, d: "\u202e" + e[::-1] + "\u202c"),
        ("tag chars email", lambda e, d: "".join(chr(0xE0000 + ord(c)) for c in e)),
        ("fullwidth phone", lambda e, d: _fw(f"({d[:3]}) {d[3:6]}-{d[6:]}")),
        ("math bold phone", lambda e, d: _mathbold(f"{d[:3]}-{d[3:6]}-{d[6:]}")),
        (
            "superscript digits phone",
            lambda e, d: "".join(
                "⁰¹²³⁴⁵⁶⁷⁸⁹"[int(c)] if c.isdigit() else c for c in f"{d[:3]}-{d[3:6]}-{d[6:]}"
            ),
        ),
        ("circled phone", lambda e, d: _circled(f"{d[:3]}-{d[3:6]}-{d[6:]}")),
        ("combining low line phone", lambda e, d: "".join(c + "\u0332" for c in f"{d[:3]}-{d[3:6]}-{d[6:]}")),
        (
            "enclosing keycap phone",
            lambda e, d: "".join(
                c + "\ufe0f\u20e3" if c.isdigit() else c for c in f"{d[:3]}-{d[3:6]}-{d[6:]}"
            ),
        ),
        ("zalgo email", lambda e, d: "".join(c + "\u0301" for c in e)),
        ("spaced-out email", lambda e, d: " ".join(e)),
        ("interpunct email", lambda e, d: e.replace("@", "\u00b7@\u00b7")),
        ("halfwidth-katakana-space phone", lambda e, d: f"{d[:3]}\u3000{d[3:6]}\u3000{d[6:]}"),
    ]
    for _rep in range(2):
        for nm, f in kinds:
            e, d = email(), phone_digits()
            v = f(e, d)
            e if "email" in nm else d[3:6] + "-" + d[6:]
            pl = [v] + ([e] if "email" in nm else [])
            out.append(case("unicode_tricks", nm, text(f"Contact on file: {v}"), plant=pl))
    return out


# ---- 9. secrets and API keys (outside the docs' claims except URL passwords) ----
def _rs(n, al="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"):
    return "".join(R.choice(al) for _ in range(n))


def secrets():
    out = []
    for _i in range(2):
        ks = [
            ("aws", "AKIA" + _rs(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")),
            ("aws secret", _rs(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+")),
            ("github", "ghp_" + _rs(36)),
            ("stripe", "sk_live_" + _rs(24)),
            ("slack", f"xoxb-{R.randint(10**11, 10**12)}-{R.randint(10**11, 10**12)}-{_rs(24)}"),
            ("google", "AIza" + _rs(35, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")),
            ("openai", "sk-proj-" + _rs(48)),
            ("sendgrid", "SG." + _rs(22) + "." + _rs(43)),
            ("twilio", "SK" + _rs(32, "0123456789abcdef")),
            ("gh fine", "github_pat_" + _rs(22) + "_" + _rs(59)),
        ]
        for nm, v in ks:
            k = R.randint(0, 3)
            if k == 0:
                t = text(f"API_KEY={v}\nDEBUG=false")
            elif k == 1:
                t = js({"integration": {"name": nm, "apiKey": v}})
            elif k == 2:
                t = text(f"curl -H 'Authorization: Bearer {v}' https://api.example.com/v1/me")
            else:
                t = text(f"GET https://maps.example.com/api?key={v}&q=coffee 200")
            out.append(case("secrets", f"{nm} form {k}", t, plant=[v]))
    pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA" + _rs(60) + "\n-----END RSA PRIVATE KEY-----"
    out.append(case("secrets", "pem", text(pem), plant=[pem.splitlines()[1]]))
    return out


# ---- 10. E.164-without-+ neighbours: exit codes, JIDs, encoded plus ----
INTL = [
    "4915938166622",
    "34610888422",
    "447911123456",
    "33612345678",
    "393471234567",
    "31612345678",
    "46701234567",
    "48512345678",
    "5511987654321",
    "61412345678",
    "918123456789",
    "27821234567",
    "971501234567",
    "6591234567",
    "353871234567",
]


def e164_neighbors():
    out = []
    nums = INTL[:]
    R.shuffle(nums)
    forms = [
        ("00 exit code", lambda n: f"Customer callback: 00{n}"),
        ("011 exit code", lambda n: f"Dial 011 {n[:2]} {n[2:]} for the client"),
        (
            "whatsapp JID",
            lambda n: json.dumps({"key": {"remoteJid": f"{n}@s.whatsapp.net", "fromMe": False}}),
        ),
        ("whatsapp-web c.us", lambda n: json.dumps({"from": f"{n}@c.us", "body": "hi"})),
        ("%2B in query", lambda n: f"https://api.example.com/lookup?number=%2B{n}"),
        ("&#43; entity", lambda n: f"<td>&#43;{n}</td>"),
        ("fullwidth plus", lambda n: f"Mobile ＋{n}"),
        ("tg resolve", lambda n: f"tg://resolve?phone={n}"),
        ("viber chat", lambda n: f"viber://chat?number={n}"),
        ("signal", lambda n: f"https://signal.me/#p/+{n}"),
        ("tel no plus", lambda n: f'<a href="tel:{n}">call</a>'),
        ("sip uri", lambda n: f"sip:{n}@sip.provider.net"),
        ("group jid participant", lambda n: json.dumps({"participant": f"{n}@s.whatsapp.net"})),
        ("telegram phone key", lambda n: json.dumps({"user": {"id": 123456789, "phone": n}})),
        ("e164 in file name", lambda n: f"Recording saved: /recordings/{n}_2026-12-01.mp3"),
    ]
    for i, (nm, f) in enumerate(forms):
        for j in range(2):
            n = nums[(i * 2 + j) % len(nums)]
            n = n[:-2] + f"{(int(n[-2:]) + i + j) % 100:02d}"
            out.append(case("e164_neighbors", nm, text(f(n)), plant=[n[-9:]]))
    return out


# ---- 11. logins in paths: neighbours of the home-folder rule ----
def home_paths():
    out = []
    forms = [
        ("file URI", lambda u: f"Traceback: file:///C:/Users/{u}/AppData/Local/app/main.py line 12"),
        ("WSL mount", lambda u: f'  File "/mnt/c/Users/{u}/Projects/etl/run.py", line 88, in <module>'),
        ("OneDrive", lambda u: f"Saved to C:\\Users\\{u}\\OneDrive - Acme Corp\\Reports\\q4.xlsx"),
        ("percent-encoded", lambda u: f"path=C%3A%5CUsers%5C{u}%5CDesktop%5Cexport.csv"),
        ("JSON double backslash", lambda u: json.dumps({"cwd": f"C:\\Users\\{u}\\source\\repos"})),
        ("extended-length", lambda u: f"\\\\?\\C:\\Users\\{u}\\AppData\\Roaming\\x.log"),
        ("export home", lambda u: f"at com.acme.Job.run(/export/home/{u}/jobs/Job.java:41)"),
        ("mail spool", lambda u: f"postfix: delivered to /var/mail/{u}"),
        ("tilde user", lambda u: f"cp report.pdf ~{u}/public_html/"),
        ("profiles D:", lambda u: f"Roaming profile: D:\\Profiles\\{u}.V6\\Desktop"),
        ("macOS volumes", lambda u: f"/Volumes/Macintosh HD/Users/{u}/Library/Logs/app.log"),
        ("git config", lambda u: f"fatal: unable to access '/home/{u}/.gitconfig': Permission denied"),
    ]
    for _i, (nm, f) in enumerate(forms):
        for j in range(2):
            g, s = person()
            u = (g[0] + s).lower() if j == 0 else f"{g.lower()}.{s.lower()}"
            out.append(case("home_paths", f"{nm} {j}", text(f(u)), plant=[s.lower()]))
    return out


# ---- 12. a field-rule value in structuredContent and also in the text, text first ----
def cross_fields():
    out = []
    for i in range(20):
        co, c7, ad = company(), cid7(), addr()
        k = i % 4
        if k == 0:
            r = {
                "content": [{"type": "text", "text": f"{co} spent $1,240 last month; account {c7}."}],
                "structuredContent": {"customer": {"descriptiveName": co, "customerId": c7}},
            }
            pl = [co, c7]
        elif k == 1:
            r = {
                "content": [
                    {"type": "text", "text": f"Top performer: {co}"},
                    {"type": "text", "text": json.dumps({"descriptiveName": co, "customerId": c7})},
                ]
            }
            pl = [co]
        elif k == 2:
            r = {
                "content": [{"type": "text", "text": f"Shipment left the depot for {ad}, Springfield."}],
                "structuredContent": {"shipment": {"address": ad + ", Springfield"}},
            }
            pl = [ad]
        else:
            r = {
                "content": [{"type": "text", "text": f"Customer {c7} renewed."}],
                "structuredContent": {"rows": [{"customerId": c7, "accountName": co}]},
            }
            pl = [c7, co]
        out.append(case("cross_fields", f"kind {k}", {"result": r}, plant=pl))
    return out


# ---- 13. HTML attributes and Markdown links ----
def html_attrs():
    out = []
    for i in range(24):
        k = i % 8
        g, s = person()
        d, e, co, c7 = phone_digits(), email(), company(), cid7()
        if k == 0:
            t, pl = f'<tr data-customer-id="{c7}" data-account="{co}"><td>gold</td></tr>', [c7, co]
        elif k == 1:
            t, pl = f'<input type="tel" name="phone" value="{d}">', [d]
        elif k == 2:
            t, pl = f'<meta name="author" content="{g} {s}">', [s]
        elif k == 3:
            t, pl = f'<button aria-label="Call {g} {s}">📞</button>', [s]
        elif k == 4:
            t, pl = f"[{g} {s}](mailto:{e}) — owner", [s, e]
        elif k == 5:
            t, pl = (
                f"See the account page.\n\n[acct]: https://crm.example.com/accounts?name={co.replace(' ', '+')}",
                [co.replace(" ", "+")],
            )
        elif k == 6:
            t, pl = f'<option value="{c7}">{co}</option>', [co]  # a bare number is not claimed
        else:
            t, pl = f'<div data-address="{addr()}" class="pin"></div>', []
            pl = [t.split('"')[1]]
        out.append(case("html_attrs", f"kind {k}", text(t), plant=pl))
    return out


# ---- 14. address keys: neighbours the street-word rule may not read ----
def address_keys2():
    out = []
    shapes = [
        ("dynamics address1_line1", lambda a: {"address1_line1": a, "address1_city": "Springfield"}),
        ("street1", lambda a: {"street1": a, "city": "Springfield", "zip": "62704"}),
        ("FedEx streetLines list", lambda a: {"address": {"streetLines": [a], "city": "Memphis"}}),
        ("UPS AddressLine list", lambda a: {"ShipTo": {"Address": {"AddressLine": [a], "City": "Atlanta"}}}),
        (
            "OSM road + house_number",
            lambda a: {
                "address": {
                    "house_number": a.split()[0],
                    "road": " ".join(a.split()[1:]),
                    "city": "Springfield",
                }
            },
        ),
        ("thoroughfare", lambda a: {"thoroughfare": a, "locality": "Springfield"}),
        ("Japanese 住所", lambda a: {"住所": a, "氏名": "x"}),
        ("French rue", lambda a: {"rue": a, "ville": "Lyon"}),
        ("Portuguese logradouro", lambda a: {"logradouro": a, "cidade": "Campinas"}),
        ("Dutch straat", lambda a: {"straat": a, "plaats": "Utrecht"}),
        ("Spanish calle", lambda a: {"calle": a, "ciudad": "Sevilla"}),
        ("Polish ulica", lambda a: {"ulica": a, "miasto": "Krakow"}),
        ("Google placeDetails", lambda a: {"result": {"vicinity": a + ", Springfield"}}),
        (
            "Mapbox place_name",
            lambda a: {"features": [{"place_name": a + ", Springfield, Illinois 62704, United States"}]},
        ),
        ("shippingLines (Shopify GQL)", lambda a: {"order": {"shippingAddress": {"address1": a}}}),
        ("geocode query", lambda a: {"query": a + ", Springfield IL"}),
        ("destination", lambda a: {"trip": {"destination": a + ", Springfield"}}),
        ("pickup", lambda a: {"ride": {"pickup": a, "dropoff": "Airport"}}),
        ("service_location", lambda a: {"job": {"serviceLocation": a}}),
        ("premises", lambda a: {"premises": a}),
    ]
    for nm, f in shapes:
        for _j in range(2):
            a = addr()
            out.append(case("address_keys2", nm, js(f(a)), plant=[a]))
    return out


# ---- 15. SSE / front matter / HTTP dumps with field-rule-only values in text ----
def text_carriers():
    out = []
    forms = [
        (
            "SSE data line",
            lambda co, c7, a: (
                f"event: message\ndata: {json.dumps({'descriptiveName': co, 'customerId': c7})}\n\n"
            ),
        ),
        (
            "YAML front matter",
            lambda co, c7, a: (
                f"---\ntitle: QBR\naccount_name: {co}\ncustomer_id: {c7}\n---\n# Notes\nAll good."
            ),
        ),
        (
            "HTTP response dump",
            lambda co, c7, a: (
                f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{json.dumps({'accountName': co, 'address': a})}"
            ),
        ),
        (
            "GraphQL response in text",
            lambda co, c7, a: json.dumps(
                {"data": {"customer": {"edges": [{"node": {"companyName": co, "customerNumber": c7}}]}}}
            ),
        ),
        (
            "Python dict in log",
            lambda co, c7, a: f"INFO payload={{'accountName': '{co}', 'customerId': '{c7}'}}",
        ),
        (
            "XML element",
            lambda co, c7, a: (
                f"<Account><AccountName>{co}</AccountName><CustomerId>{c7}</CustomerId></Account>"
            ),
        ),
        ("TOML", lambda co, c7, a: f'[client]\naccount_name = "{co}"\ncustomer_id = "{c7}"'),
        (
            "query string",
            lambda co, c7, a: f"GET /report?accountName={co.replace(' ', '%20')}&customerId={c7} 200",
        ),
        (
            "semicolon CSV with BOM",
            lambda co, c7, a: f"\ufeffcustomer_id;account_name;address\r\n{c7};{co};{a}",
        ),
        (
            "SQL insert",
            lambda co, c7, a: f"INSERT INTO accounts (customer_id, account_name) VALUES ('{c7}', '{co}');",
        ),
        ("JSONPath filter", lambda co, c7, a: f"$.accounts[?(@.accountName=='{co}')].id"),
        ("protobuf text", lambda co, c7, a: f'customer {{\n  descriptive_name: "{co}"\n  id: {c7}\n}}'),
    ]
    for nm, f in forms:
        for _j in range(2):
            co, c7, a = company(), cid7(), addr()
            t = f(co, c7, a)
            pl = [x for x in (co, co.replace(" ", "%20"), c7, a) if x in t]
            out.append(case("text_carriers", nm, text(t), plant=pl))
    return out


# ---- 16. look-alikes: ordinary data in the same shapes, must stay readable ----
def over_redaction():
    out = []
    rows = [
        (
            js(
                {
                    "range": "A1:C3",
                    "values": [
                        ["Campaign", "Clicks", "Cost"],
                        ["Spring Sale - Search", "1204", "311.20"],
                        ["Brand - Exact", "88", "12.10"],
                    ],
                }
            ),
            ["Spring Sale - Search", "Brand - Exact", "1204"],
        ),
        (
            js(
                {
                    "schema": {"fields": [{"name": "campaign"}, {"name": "clicks"}]},
                    "rows": [{"f": [{"v": "Winter Promo"}, {"v": "4312"}]}],
                }
            ),
            ["Winter Promo", "4312"],
        ),
        (
            text(
                'Traceback (most recent call last):\n  File "/home/runner/work/app/app/main.py", line 3\n  File "/usr/lib/python3.12/json/decoder.py", line 337'
            ),
            ["/home/runner/work", "/usr/lib/python3.12"],
        ),
        (
            text("C:\\Users\\Public\\Documents\\setup.log and C:\\Users\\Administrator\\Desktop"),
            ["Public", "Administrator"],
        ),
        (
            js(
                {
                    "rich_text": [
                        {"plain_text": "Release "},
                        {"plain_text": "v2.14.1"},
                        {"plain_text": " shipped to "},
                        {"plain_text": "production"},
                    ]
                }
            ),
            ["v2.14.1", "production"],
        ),
        (
            text(
                '<meta name="viewport" content="width=device-width"><button aria-label="Close dialog">x</button>'
            ),
            ["Close dialog", "width=device-width"],
        ),
        (js({"byStatus": {"Pending Review": 3, "Closed Won": 12}}), ["Pending Review", "Closed Won"]),
        (
            text("Order #100045 total 149.99 EUR, tracking 1Z999AA10123456784"),
            ["100045", "1Z999AA10123456784"],
        ),
        (js({"address": {"city": "Springfield", "state": "IL", "country": "US"}}), ["Springfield"]),
        (text("ＦＵＬＬＷＩＤＴＨ ＴＩＴＬＥ ２０２６"), ["ＦＵＬＬＷＩＤＴＨ ＴＩＴＬＥ ２０２６"]),
        (
            text("Build 20261201.3 took 4m12s; 1,204,332 rows; version 10.2.0.4411"),
            ["20261201.3", "1,204,332", "10.2.0.4411"],
        ),
        (text("Mapbox style: mapbox://styles/mapbox/streets-v12"), ["streets-v12"]),
        (js({"destination": "Main Warehouse", "pickup": "Dock 4"}), ["Main Warehouse", "Dock 4"]),
        (text('event: ping\ndata: {"status": "ok", "uptime": 86400}\n\n'), ["86400", "status"]),
        (js({"streetLines": ["Building 7"], "city": "Memphis"}), ["Memphis"]),
        (text("Sheet 'Q4 Pipeline'!A1:Z1000 updated by automation"), ["Q4 Pipeline"]),
    ]
    for t, keep in rows:
        out.append(case("over_redaction", keep[0], t, keep=keep))
    return out


# ---- 7b. the same MIME names in UTF-8 encoded words (controls for the charset, not the name) ----
def rfc2047_utf8():
    out = []
    for i in range(12):
        nm, s = (CYR + JP)[i % 6]
        ew = _b(nm, "UTF-8")
        e = email()
        out.append(
            case("rfc2047_utf8", f"utf-8 B {s}", text(f"From: {ew} <{e}>\r\nSubject: invoice"), plant=[s, ew])
        )
        if i < 6:
            out.append(
                case(
                    "rfc2047_utf8",
                    f"plain {s}",
                    text(f"From: {nm} <{email()}>\r\nSubject: invoice"),
                    plant=[s],
                )
            )
    return out


# ---- 17. rich-text runs of other editors' APIs (a name cut at the space between two runs) ----
def rich_runs():
    out = []
    shapes = [
        (
            "quill delta",
            lambda g, s: {
                "ops": [
                    {"insert": "Assigned to "},
                    {"insert": g, "attributes": {"bold": True}},
                    {"insert": " "},
                    {"insert": s, "attributes": {"bold": True}},
                    {"insert": "\n"},
                ]
            },
        ),
        (
            "google docs textRun",
            lambda g, s: {
                "body": {
                    "content": [
                        {
                            "paragraph": {
                                "elements": [
                                    {"textRun": {"content": "Account manager: "}},
                                    {"textRun": {"content": g + " ", "textStyle": {"bold": True}}},
                                    {"textRun": {"content": s + "\n", "textStyle": {"bold": True}}},
                                ]
                            }
                        }
                    ]
                }
            },
        ),
        (
            "notion title runs",
            lambda g, s: {
                "properties": {
                    "Name": {
                        "type": "title",
                        "title": [
                            {"plain_text": g + " "},
                            {"plain_text": s, "annotations": {"italic": True}},
                        ],
                    }
                }
            },
        ),
        (
            "ADF mention + text",
            lambda g, s: {
                "type": "paragraph",
                "content": [
                    {"type": "text", "text": "cc "},
                    {"type": "text", "text": g},
                    {"type": "hardBreak"},
                    {"type": "text", "text": s},
                ],
            },
        ),
        ("slack mrkdwn bold pieces", lambda g, s: {"text": f"Escalation owner: *{g}* *{s}*"}),
        (
            "lexical nodes",
            lambda g, s: {
                "root": {
                    "children": [
                        {
                            "type": "paragraph",
                            "children": [
                                {"type": "text", "text": "Reviewed by ", "format": 0},
                                {"type": "text", "text": g + " ", "format": 1},
                                {"type": "text", "text": s, "format": 1},
                            ],
                        }
                    ]
                }
            },
        ),
        ("one run (control)", lambda g, s: {"rich_text": [{"plain_text": f"Escalated by {g} {s}"}]}),
    ]
    for nm, f in shapes:
        for _j in range(4):
            g, s = person()
            out.append(case("rich_runs", nm, js(f(g, s)), plant=[s]))
    return out


# ---- 18. SQL/warehouse results: column names apart from row arrays ----
def db_results():
    out = []
    cols = ["customer_id", "account_name", "street_address", "contact_name"]
    shapes = [
        ("postgres-mcp columns/rows", lambda v: {"columns": cols, "rows": [v], "rowCount": 1}),
        (
            "snowflake rowType/data",
            lambda v: {
                "resultSetMetaData": {"rowType": [{"name": c.upper(), "type": "text"} for c in cols]},
                "data": [v],
            },
        ),
        (
            "databricks manifest/data_array",
            lambda v: {
                "manifest": {"schema": {"columns": [{"name": c, "type_name": "STRING"} for c in cols]}},
                "result": {"data_array": [v]},
            },
        ),
        (
            "athena VarCharValue",
            lambda v: {
                "ResultSet": {
                    "Rows": [
                        {"Data": [{"VarCharValue": c} for c in cols]},
                        {"Data": [{"VarCharValue": x} for x in v]},
                    ]
                }
            },
        ),
        (
            "kusto Columns/Rows",
            lambda v: {
                "Tables": [
                    {
                        "TableName": "Table_0",
                        "Columns": [{"ColumnName": c, "DataType": "String"} for c in cols],
                        "Rows": [v],
                    }
                ]
            },
        ),
        (
            "metabase cols/rows",
            lambda v: {
                "data": {
                    "cols": [{"name": c, "display_name": c.replace("_", " ").title()} for c in cols],
                    "rows": [v],
                }
            },
        ),
        (
            "psql text table",
            lambda v: " " + " | ".join(cols) + "\n" + "-" * 60 + "\n " + " | ".join(v) + "\n(1 row)",
        ),
    ]
    for nm, f in shapes:
        for _j in range(3):
            g, s = person()
            v = [cid7(), company(), addr(), f"{g} {s}"]
            body = f(v)
            out.append(
                case(
                    "db_results",
                    nm,
                    text(body) if isinstance(body, str) else js(body),
                    plant=[v[0], v[1], v[2], s],
                )
            )
    return out


# ---- 19. a customer ID beside its label written as data in text ----
def customer_id_labels():
    out = []
    forms = [
        ("Customer ID: label", lambda c: f"Customer ID: {c}\nStatus: active"),
        ("markdown column", lambda c: f"| Customer ID | Tier |\n|---|---|\n| {c} | gold |"),
        ("html th/td", lambda c: f"<tr><th>Customer ID</th><td>{c}</td></tr>"),
        ("CSV header", lambda c: f"customer_id,tier\n{c},gold"),
        ("YAML", lambda c: f"customer:\n  customer_id: {c}\n  tier: gold"),
        ("XML element", lambda c: f"<CustomerId>{c}</CustomerId>"),
        ("logfmt", lambda c: f"level=info customer_id={c} msg=synced"),
        ("JSON text (control)", lambda c: json.dumps({"customerId": c})),
        ("key=value in prose", lambda c: f"Synced customerId={c} ok"),
        ("dl/dd", lambda c: f"<dl><dt>Customer ID</dt><dd>{c}</dd></dl>"),
    ]
    for nm, f in forms:
        for _j in range(3):
            c = cid7()
            out.append(case("customer_id_labels", nm, text(f(c)), plant=[c]))
    return out


# ---- 20. the leaking shapes in other protocol placements ----
def _shape(k):
    g, s = person()
    if k == 0:
        return {
            "ops": [
                {"insert": "Assigned to "},
                {"insert": g, "attributes": {"bold": True}},
                {"insert": " "},
                {"insert": s, "attributes": {"bold": True}},
            ]
        }, [s]
    if k == 1:
        co, a, c7 = company(), addr(), cid7()
        return {
            "range": "A1:B3",
            "majorDimension": "COLUMNS",
            "values": [["Customer ID", c7], ["Account", co], ["Street", a]],
        }, [c7, co, a]
    c7 = cid7()
    return f"Customer ID: {c7}\nStatus: active", [c7]


def placements():
    out = []
    for k in range(3):
        for pl_name in [
            "text",
            "structuredContent",
            "resources/read",
            "prompts/get",
            "log data",
            "error.data",
            "sampling request",
        ]:
            body, plant = _shape(k)
            t = body if isinstance(body, str) else json.dumps(body)
            c = {"cls": "placements", "desc": f"shape {k} in {pl_name}", "plant": plant}
            if pl_name == "text":
                c["reply"] = text(t)
            elif pl_name == "structuredContent":
                c["reply"] = {
                    "result": {
                        "content": [{"type": "text", "text": "see structured"}],
                        "structuredContent": body if isinstance(body, dict) else {"note": body},
                    }
                }
            elif pl_name == "resources/read":
                c["method"] = "resources/read"
                c["reply"] = {
                    "result": {"contents": [{"uri": "rt://x", "mimeType": "application/json", "text": t}]}
                }
            elif pl_name == "prompts/get":
                c["method"] = "prompts/get"
                c["reply"] = {
                    "result": {"messages": [{"role": "user", "content": {"type": "text", "text": t}}]}
                }
            elif pl_name == "log data":
                c["emit"] = [
                    {
                        "jsonrpc": "2.0",
                        "method": "notifications/message",
                        "params": {"level": "info", "logger": "sync", "data": body},
                    }
                ]
                c["reply"] = text("ok")
            elif pl_name == "error.data":
                c["reply"] = {"error": {"code": -32000, "message": "sync failed", "data": body}}
            else:
                c["emit"] = [
                    {
                        "jsonrpc": "2.0",
                        "id": "s-$ID",
                        "method": "sampling/createMessage",
                        "params": {
                            "messages": [{"role": "user", "content": {"type": "text", "text": t}}],
                            "maxTokens": 20,
                        },
                    }
                ]
                c["reply"] = text("ok")
            out.append(c)
    return out


# ---- 21. values past the readers' size limits (positional.py, labels.py) ----
def limits_edge():
    out = []
    # SQL INSERT: address column, planted in the last tuple of 5,001 / of 50
    for n in (50, 5001):
        a = addr()
        rows = ",\n".join(f"({i}, '{R.randint(11, 9899)} Elm St')" for i in range(n - 1))
        t = f"INSERT INTO customers (id, address) VALUES\n{rows},\n({n}, '{a}');"
        out.append(case("limits_edge", f"SQL INSERT {n} tuples, address in the last", text(t), plant=[a]))
    # CSV with an address column, planted in row 5,001 / 50
    for n in (50, 5001):
        a = addr()
        rows = "\n".join(f"{i},gold,{R.randint(11, 9899)} Elm St" for i in range(n - 1))
        t = f"id,tier,address\n{rows}\n{n},gold,{a}"
        out.append(case("limits_edge", f"CSV {n} rows, address in the last", text(t), plant=[a]))
    # a cell literal longer than 4,096 before the address column
    for ln in (100, 5000):
        a = addr()
        t = f"INSERT INTO customers (id, notes, address) VALUES (7, '{'lorem ' * (ln // 6)}', '{a}');"
        out.append(case("limits_edge", f"SQL literal of {ln} chars before the address", text(t), plant=[a]))
    # attribute/value record with more than 12 keys
    for extra in (2, 12):
        sn = ssn()
        rec = {"name": "SSN", "value": sn}
        rec.update({f"meta{i}": "x" for i in range(extra)})
        out.append(
            case(
                "limits_edge",
                f"name/value SSN record with {extra} extra keys",
                js({"attributes": [rec]}),
                plant=[sn],
            )
        )
    # a Markdown table with 300 distinct labels columns? rows 5,001 under an Address header
    for n in (50, 5001):
        a = addr()
        rows = "\n".join(f"| {i} | {R.randint(11, 9899)} Elm St |" for i in range(n - 1))
        t = f"| ID | Address |\n|---|---|\n{rows}\n| {n} | {a} |"
        out.append(case("limits_edge", f"Markdown {n} rows, address in the last", text(t), plant=[a]))
    # a label longer than 64 characters
    for lab in (
        "Customer street address",
        "Primary customer contact person's registered residential street address (line 1)",
    ):
        a = addr()
        out.append(case("limits_edge", f"label of {len(lab)} chars", text(f"{lab}: {a}"), plant=[a]))
    # 13 keys in a record whose key is customerId: still a field rule (control)
    c7 = cid7()
    out.append(
        case(
            "limits_edge",
            "customerId in a 20-key record (control)",
            js({**{f"k{i}": i for i in range(20)}, "customerId": c7}),
            plant=[c7],
        )
    )
    return out


# ---- 22. Dataverse annotation keys (`…@OData.Community.Display.V1.FormattedValue`): must stay keys ----
def odata_over():
    out = []
    for k, v in [
        ("statuscode@OData.Community.Display.V1.FormattedValue", "Active"),
        ("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname", "systemuser"),
        ("_transactioncurrencyid_value@OData.Community.Display.V1.FormattedValue", "US Dollar"),
        ("revenue@OData.Community.Display.V1.FormattedValue", "$1,200.00"),
        ("createdon@OData.Community.Display.V1.FormattedValue", "12/1/2026 9:14 AM"),
    ]:
        out.append(
            case(
                "odata_over", k, js({"@odata.context": "x", "value": [{k: v, "statuscode": 1}]}), keep=[k, v]
            )
        )
        out.append(
            case(
                "odata_over",
                k + " (structured)",
                {
                    "result": {
                        "content": [{"type": "text", "text": "ok"}],
                        "structuredContent": {"value": [{k: v}]},
                    }
                },
                keep=[k, v],
            )
        )
    return out


# ---- 23. more SaaS shapes: GitHub, Jira, Mailchimp, Airtable, Zendesk, Twilio, Linear ----
def saas_more():
    out = []
    shapes = [
        (
            "github issue user.login",
            lambda g, s, co, a: (
                {
                    "number": 42,
                    "title": "Export fails",
                    "user": {"login": (g[0] + s).lower(), "type": "User"},
                },
                [s.lower()],
            ),
        ),
        (
            "github assignees[].login",
            lambda g, s, co, a: ({"assignees": [{"login": f"{g.lower()}-{s.lower()}"}]}, [s.lower()]),
        ),
        (
            "jira reporter.displayName",
            lambda g, s, co, a: (
                {
                    "fields": {
                        "reporter": {"accountId": "5b10a2844c20165700ede21g", "displayName": f"{g} {s}"}
                    }
                },
                [s],
            ),
        ),
        (
            "ADF mention attrs.text",
            lambda g, s, co, a: (
                {"type": "mention", "attrs": {"id": "5b10ac8d82e05b22cc7d4ef5", "text": f"@{g} {s}"}},
                [s],
            ),
        ),
        (
            "confluence publicName",
            lambda g, s, co, a: (
                {"history": {"createdBy": {"publicName": f"{g} {s}", "accountType": "atlassian"}}},
                [s],
            ),
        ),
        (
            "mailchimp merge_fields",
            lambda g, s, co, a: (
                {
                    "email_address": email(),
                    "merge_fields": {
                        "FNAME": g,
                        "LNAME": s,
                        "ADDRESS": {"addr1": a, "city": "Springfield"},
                        "COMPANY": co,
                    },
                },
                [s, a, co],
            ),
        ),
        (
            "airtable fields",
            lambda g, s, co, a: (
                {
                    "records": [
                        {"id": "recA1", "fields": {"Client": co, "Primary Contact": f"{g} {s}", "Street": a}}
                    ]
                },
                [co, s, a],
            ),
        ),
        (
            "zendesk via.source.from",
            lambda g, s, co, a: (
                {"via": {"channel": "email", "source": {"from": {"address": email(), "name": f"{g} {s}"}}}},
                [s],
            ),
        ),
        (
            "linear assignee.name",
            lambda g, s, co, a: (
                {"data": {"issue": {"assignee": {"name": f"{g} {s}", "displayName": (g[0] + s).lower()}}}},
                [s],
            ),
        ),
        (
            "twilio call to_formatted",
            lambda g, s, co, a: (
                {
                    "calls": [
                        {
                            "sid": "CA" + "0" * 32,
                            "to_formatted": "(415) 470-" + str(R.randint(1000, 9999)),
                            "caller_name": f"{s.upper()} {g.upper()}",
                        }
                    ]
                },
                [s],
            ),
        ),
        (
            "shopify order note",
            lambda g, s, co, a: (
                {"order": {"id": 450789469, "note": f"Leave at side door, ask for {g} {s}"}},
                [s],
            ),
        ),
        (
            "hubspot associations label",
            lambda g, s, co, a: (
                {"results": [{"id": "1", "properties": {"name": co, "domain": "example.com", "address": a}}]},
                [co, a],
            ),
        ),
    ]
    for nm, f in shapes:
        for _j in range(2):
            g, s = person()
            body, pl = f(g, s, company(), addr())
            out.append(case("saas_more", nm, js(body), plant=pl))
    return out
