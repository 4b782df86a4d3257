"""Seeded generators for round 10: realistic server shapes, formats and spellings (one function per class).

Every generator returns cases {cls, desc, reply, plant}; a case leaks when any planted string is readable by
the client. Values are unique per case (values.py's registry) so a tokenized value cannot hide another case.
"""

import base64
import json
import random

from values import cid, email, fmt_phone, phone_digits, ssn, text

R = random.Random(1010)

INTL_NAMES = [
    ("Trần Văn Hùng", "Hùng"),
    ("Phạm Thu Hằng", "Hằng"),
    ("Lê Quang Vinh", "Quang Vinh"),
    ("Çağlar Öztürk", "Öztürk"),
    ("Gülşen Yıldırım", "Yıldırım"),
    ("Emre Kılıçdaroğlu", "Kılıçdaroğlu"),
    ("Łukasz Wąsowski", "Wąsowski"),
    ("Małgorzata Szczepańska", "Szczepańska"),
    ("Grzegorz Brzęczyszczykiewicz", "Brzęczyszczykiewicz"),
    ("Kovács Zoltán", "Kovács"),
    ("Szabó Erzsébet", "Erzsébet"),
    ("Guðrún Jónsdóttir", "Jónsdóttir"),
    ("Sigurður Þórðarson", "Þórðarson"),
    ("Chukwuemeka Okonkwo", "Chukwuemeka"),
    ("Oluwaseun Adeyemi", "Oluwaseun"),
    ("Ngozi Eze-Obi", "Ngozi"),
    ("Siobhán Ní Bhriain", "Bhriain"),
    ("Pádraig Ó Súilleabháin", "Súilleabháin"),
    ("Jan-Willem van der Heijden", "Heijden"),
    ("Anouk de Vries-Bakker", "Vries-Bakker"),
    ("José María de la Peña Ruiz", "Peña Ruiz"),
    ("María José Fernández-Alcántara", "Fernández-Alcántara"),
    ("João Pedro dos Santos Gonçalves", "Gonçalves"),
    ("Abdulrahman Al-Qahtani", "Al-Qahtani"),
    ("Fatima Zahra El Idrissi", "El Idrissi"),
    ("Venkataraman Subramanian", "Venkataraman"),
    ("Lakshmi Narayanan Iyer", "Narayanan"),
    ("Harpreet Kaur Dhillon", "Dhillon"),
    ("Keoni Kaʻahanui", "Kaʻahanui"),
    ("Jiří Dvořáček", "Dvořáček"),
    ("Květoslava Nováková", "Nováková"),
    ("Konstantinos Papadopoulos", "Papadopoulos"),
    ("Eleftheria Karamanlidou", "Karamanlidou"),
    ("Xu Zhiqiang", "Zhiqiang"),
    ("Huang Xiaoming", "Xiaoming"),
    ("Takahashi Haruto", "Takahashi"),
    ("Park Ji-hoon", "Ji-hoon"),
    ("Kim Seo-yeon", "Seo-yeon"),
    ("Zoë D'Arcy-Whitfield", "D'Arcy-Whitfield"),
    ("Hans-Jürgen Müller-Lüdenscheidt", "Müller-Lüdenscheidt"),
    ("Bjørn Ødegård", "Ødegård"),
    ("Åsa Ljungqvist", "Ljungqvist"),
    ("Jukka Häkkinen", "Häkkinen"),
    ("Dmitri Vasilyevich Kuznetsov", "Kuznetsov"),
    ("Nnamdi Azikiwe-Okafor", "Azikiwe-Okafor"),
    ("Thandiwe Mthembu", "Mthembu"),
    ("Aroha Te Whiu", "Te Whiu"),
]

NAME_SLOTS = [
    (
        "github-user",
        lambda n: json.dumps(
            {
                "login": "octo-" + str(R.randint(100, 999)),
                "id": R.randint(10**6, 10**7),
                "name": n,
                "company": "@acme-labs",
                "location": "Remote",
            }
        ),
    ),
    (
        "slack-real_name",
        lambda n: json.dumps(
            {
                "ok": True,
                "user": {
                    "id": "U0" + str(R.randint(10**7, 10**8)),
                    "real_name": n,
                    "tz": "Europe/Berlin",
                    "is_bot": False,
                },
            }
        ),
    ),
    (
        "zendesk-requester",
        lambda n: json.dumps(
            {
                "ticket": {
                    "id": R.randint(1000, 99999),
                    "subject": "Refund not received",
                    "requester": {"name": n},
                    "status": "open",
                }
            }
        ),
    ),
    (
        "gcal-displayName",
        lambda n: json.dumps({"attendees": [{"displayName": n, "responseStatus": "accepted"}]}),
    ),
    ("prose-assigned", lambda n: f"Ticket reassigned to {n} by the on-call bot."),
    (
        "md-owner",
        lambda n: f"| Account | Owner | Stage |\n|---|---|---|\n| Expansion Q3 | {n} | Negotiation |",
    ),
    (
        "jira-assignee",
        lambda n: json.dumps(
            {"fields": {"assignee": {"displayName": n, "active": True}, "summary": "Fix checkout timeout"}}
        ),
    ),
    (
        "commit-author",
        lambda n: (
            f"commit {R.getrandbits(160):040x}\nAuthor: {n}\nDate:   Mon Dec 7 10:02:11 2026 +0100\n\n    Fix flaky test"
        ),
    ),
]


def names_intl(off=0):
    out = []
    for i in range(len(INTL_NAMES)):
        n, piece = INTL_NAMES[i]
        sname, f = NAME_SLOTS[(i + off) % len(NAME_SLOTS)]
        t = f(n)
        out.append(
            {"cls": "names-intl", "desc": f"{sname}: {t[:160]}", "reply": text(t), "plant": [n, piece]}
        )
    return out


def names_intl_b():
    """The same names in the other slots (run in its own session: a session learns the names it has seen)."""
    return names_intl(off=4)


def _d(k):
    return "".join(str(R.randint(0, 9)) for _ in range(k))


def _nz(k):
    return str(R.randint(2, 9)) + _d(k - 1)


PHONE_FORMS = [
    ("FR-national", lambda: f"0{R.randint(1, 5)} {_d(2)} {_d(2)} {_d(2)} {_d(2)}"),
    ("FR-mobile", lambda: f"06 {_d(2)} {_d(2)} {_d(2)} {_d(2)}"),
    ("FR-intl", lambda: f"+33 {R.randint(1, 7)} {_d(2)} {_d(2)} {_d(2)} {_d(2)}"),
    ("DE-berlin", lambda: f"030 {_nz(8)}"),
    ("DE-mobile", lambda: f"0171 {_nz(7)}"),
    ("NL-mobile", lambda: f"06-{_nz(8)}"),
    ("NL-ams", lambda: f"020-{_nz(7)}"),
    ("ES", lambda: f"+34 91{R.randint(2, 9)} {_d(3)} {_d(3)}"),
    ("ES-mobile", lambda: f"6{_d(2)} {_d(2)} {_d(2)} {_d(2)}"),
    ("IT-rome", lambda: f"06 {_nz(4)} {_d(4)}"),
    ("IT-mobile", lambda: f"+39 34{R.randint(0, 9)} {_d(3)} {_d(4)}"),
    ("BR-mobile", lambda: f"(11) 9{_d(4)}-{_d(4)}"),
    ("BR-intl", lambda: f"+55 21 9{_d(4)}-{_d(4)}"),
    ("JP-tokyo", lambda: f"03-{_nz(4)}-{_d(4)}"),
    ("JP-mobile", lambda: f"090-{_nz(4)}-{_d(4)}"),
    ("AU-mobile", lambda: f"04{_d(2)} {_d(3)} {_d(3)}"),
    ("AU-sydney", lambda: f"(02) 9{_d(3)} {_d(4)}"),
    ("IN-mobile", lambda: f"+91 9{_d(4)} {_d(5)}"),
    ("IN-national", lambda: f"09{_d(3)} {_d(5)}"),
    ("MX", lambda: f"55 {_nz(4)} {_d(4)}"),
    ("CH", lambda: f"044 {_nz(3)} {_d(2)} {_d(2)}"),
    ("US-ext", lambda: f"({R.choice([312, 415, 617, 206])}) {_nz(3)}-{_d(4)} ext. {R.randint(10, 999)}"),
    ("US-dots-x", lambda: f"{R.choice([312, 415, 617, 206])}.{_nz(3)}.{_d(4)} x{R.randint(10, 999)}"),
    (
        "US-rfc3966",
        lambda: f"tel:+1-{R.choice([312, 415, 617, 206])}-{_nz(3)}-{_d(4)};ext={R.randint(10, 999)}",
    ),
    ("E164-noplus", lambda: f"{R.choice(['4930', '3314', '3902', '3491', '4420'])}{_nz(7)}"),
    ("UK-mobile", lambda: f"07{R.randint(400, 999)} {_d(6)}"),
    ("PL", lambda: f"+48 {R.randint(500, 799)} {_d(3)} {_d(3)}"),
    ("SE", lambda: f"08-{_nz(3)} {_d(2)} {_d(2)}"),
    ("ZA", lambda: f"082 {_d(3)} {_d(4)}"),
    ("SG", lambda: f"+65 9{_d(3)} {_d(4)}"),
]

PHONE_SLOTS = [
    lambda p: f"Reach the regional office at {p} before 5pm.",
    lambda p: json.dumps({"office": "Lyon", "line": p}),
    lambda p: f"| Site | Direct line |\n|---|---|\n| HQ | {p} |",
    lambda p: f"site,contact_number\nHQ,{p}",
    lambda p: f"Questions? Ring {p} (Mon-Fri).",
]


def phones_intl():
    out = []
    for i in range(len(PHONE_FORMS) * 3):
        name, f = PHONE_FORMS[i % len(PHONE_FORMS)]
        p = f()
        t = PHONE_SLOTS[(i // len(PHONE_FORMS) + i) % len(PHONE_SLOTS)](p)
        core = p.replace("tel:", "").split(" ext")[0].split(" x")[0].split(";ext")[0]
        out.append({"cls": "phones-intl", "desc": f"{name}: {t[:120]}", "reply": text(t), "plant": [core]})
    return out


LOCALS = [
    "zofia.kowalczyk",
    "heather.whitcombe",
    "amara.okafor",
    "linnea.stroemberg",
    "ravi.chandrasekar",
    "beatriz.quintanilla",
    "tobias.wendler",
    "ines.carvalho",
    "mireille.dufresne",
    "kwame.asante",
]
DOMS = ["acme-widgets.org", "globex-mail.com", "initech.io", "hooli.co.uk", "stark-ind.de"]


def _local():
    return f"{R.choice(LOCALS)}{R.randint(10, 99)}"


EMAIL_FORMS = [
    ("upper", lambda lp, d: f"{lp.upper()}@{d.upper()}"),
    ("plus-tag", lambda lp, d: f"{lp}+invoices@{d}"),
    ("quoted-local", lambda lp, d: f'"{lp.replace(".", " ")}"@{d}'),
    ("idn-domain", lambda lp, d: f"{lp}@bücher-{R.randint(1, 9)}.de"),
    ("at-dot-words", lambda lp, d: f"{lp} at {d.replace('.', ' dot ')}"),
    ("AT-DOT-caps", lambda lp, d: f"{lp} AT {d.replace('.', ' DOT ')}"),
    ("brackets", lambda lp, d: f"{lp} [at] {d.replace('.', ' [dot] ')}"),
    ("braces", lambda lp, d: f"{lp}{{at}}{d.replace('.', '{dot}')}"),
    ("spaced-at", lambda lp, d: f"{lp} @ {d}"),
    ("html-entity", lambda lp, d: f"{lp}&#64;{d}"),
    ("html-named", lambda lp, d: f"{lp}&commat;{d.replace('.', '&period;')}"),
    ("lt-gt-escaped", lambda lp, d: f"&lt;{lp}@{d}&gt;"),
    ("mailto-query", lambda lp, d: f"mailto:{lp}@{d}?subject=Invoice%20Q3&cc=ap@{d}"),
    ("url-query-pct", lambda lp, d: f"https://app.example.net/unsub?e={lp}%40{d}&t=1"),
    (
        "url-query-b64",
        lambda lp, d: (
            "https://app.example.net/unsub?u="
            + base64.urlsafe_b64encode(f"{lp}@{d}".encode()).decode().rstrip("=")
        ),
    ),
    ("userinfo", lambda lp, d: f"https://{lp}:Winter2026!@git.{d}/repo.git"),
    ("sip", lambda lp, d: f"sip:{lp}@{d};transport=tls"),
    ("trailing-dot", lambda lp, d: f"{lp}@{d}."),
    ("js-escaped", lambda lp, d: f"{lp}\\u0040{d}"),
    ("double-at-obf", lambda lp, d: f"{lp} (at) {d.split('.')[0]} (punkt) {d.split('.')[-1]}"),
    ("x40-qp", lambda lp, d: f"{lp}=40{d}"),
    ("underscore-at", lambda lp, d: f"{lp}_at_{d.replace('.', '_dot_')}"),
]


def emails_spellings():
    out = []
    for i in range(len(EMAIL_FORMS) * 3):
        name, f = EMAIL_FORMS[i % len(EMAIL_FORMS)]
        lp, d = _local(), R.choice(DOMS)
        e = f(lp, d)
        t = R.choice(
            [
                "Send the signed copy to {e} today.",
                "reply-to: {e}",
                '{{"contact": "{e}"}}',
                "Reporter {e} says the export fails.",
            ]
        ).format(e=e.replace('"', '\\"') if False else e)
        if t.startswith("{"):
            t = json.dumps({"contact": e})
        out.append(
            {
                "cls": "email-spellings",
                "desc": f"{name}: {t[:140]}",
                "reply": text(t),
                "plant": [lp.replace(".", " ") if name == "quoted-local" else lp],
            }
        )
    return out


CLEAR_NAMES = [
    ("Heather", "Whitcombe"),
    ("Marcus", "Dellafield"),
    ("Rebecca", "Stanczyk"),
    ("Gregory", "Halvorsen"),
    ("Natalie", "Ruggiero"),
    ("Jonathan", "Kowalczyk"),
    ("Brittany", "Vandermeer"),
    ("Lauren", "Castellano"),
    ("Patrick", "Oyelaran"),
    ("Melissa", "Thibodeaux"),
    ("Timothy", "Abernathy"),
    ("Danielle", "Marchetti"),
    ("Kristen", "Fairweather"),
    ("Raymond", "Quackenbush"),
    ("Vanessa", "Szymanski"),
    ("Douglas", "Pettigrew"),
]


FIRSTS = [
    "Heather",
    "Marcus",
    "Rebecca",
    "Gregory",
    "Natalie",
    "Jonathan",
    "Brittany",
    "Lauren",
    "Patrick",
    "Melissa",
    "Timothy",
    "Danielle",
    "Kristen",
    "Raymond",
    "Vanessa",
    "Douglas",
    "Caroline",
    "Steven",
]
SURNAMES = [
    "Whitcombe",
    "Dellafield",
    "Stanczyk",
    "Halvorsen",
    "Ruggiero",
    "Kowalczyk",
    "Vandermeer",
    "Castellano",
    "Oyelaran",
    "Thibodeaux",
    "Abernathy",
    "Marchetti",
    "Fairweather",
    "Quackenbush",
    "Szymanski",
    "Pettigrew",
    "Brannigan",
    "Lindqvist",
    "Mastroianni",
    "Okonjo",
    "Pemberton",
    "Radcliffe",
    "Sorensen",
    "Tremblay",
    "Underhill",
    "Valentini",
    "Wojcik",
    "Yarborough",
    "Zimmerly",
    "Ashdown",
    "Blackwood",
    "Cavanaugh",
    "Dunleavy",
    "Esposito",
    "Fitzgerald",
    "Gallagher",
    "Hargreaves",
    "Iannucci",
    "Jablonski",
    "Kilpatrick",
    "Lachance",
    "Montgomery",
    "Nakashima",
    "Ostrowski",
    "Prendergast",
    "Rinaldi",
    "Sutherland",
    "Trevino",
    "Villanueva",
    "Whitfield",
    "Archambault",
    "Beauchamp",
    "Chamberlain",
    "Delacroix",
    "Eberhardt",
    "Fontaine",
    "Grabowski",
    "Holloway",
    "Ingersoll",
    "Jankowski",
    "Kowalski",
    "Lombardi",
    "McAllister",
    "Novak",
    "Oberholzer",
    "Pellegrino",
    "Quintero",
    "Rasmussen",
    "Santangelo",
    "Tolliver",
]
_SN = list(SURNAMES)


def _name():
    """A clear given name and a surname not used before in this process (a session learns known values)."""
    if not _SN:
        _SN.extend(SURNAMES)
    return R.choice(FIRSTS), _SN.pop(R.randrange(len(_SN)))


def literal_escapes():
    """Text whose newlines/tabs are written as literal backslash escapes (repr'd logs, iCal DESCRIPTION,
    double-escaped exports): the value is glued to the escape's letter (`\\nHeather Whitcombe`)."""
    out = []
    kinds = ["name", "ssn", "cid", "phone", "email"]
    for i in range(60):
        k = kinds[i % len(kinds)]
        esc = R.choice(["\\n", "\\t", "\\r\\n"])
        if k == "name":
            f, s = _name()
            v, plant = f"{f} {s}", [s]
        elif k == "ssn":
            v = ssn()
            v = f"{v[:3]}-{v[3:5]}-{v[5:]}"
            plant = [v]
        elif k == "cid":
            v = cid()
            plant = [v]
        elif k == "phone":
            v = fmt_phone(phone_digits())
            plant = [v]
        else:
            v = email()
            plant = [v.split("@")[0]]
        shape = R.choice(
            [
                "DESCRIPTION:Quarterly review{e}Attendee:{e}{v}{e}Room 4",
                "2026-12-07T10:01:22Z INFO row='Acme Plumbing{e}{v}{e}active'",
                "account{e}owner{e}status{e}Acme{e}{v}{e}active",
                "note={e}{v}",
            ]
        )
        t = shape.format(e=esc, v=v)
        out.append({"cls": f"literal-escapes-{k}", "desc": t[:150], "reply": text(t), "plant": plant})
    return out


def _b64u(s):
    return base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")


def gmail_api():
    out = []
    for i in range(40):
        f, s = _name()
        e = email()
        p = fmt_phone(phone_digits())
        body = f"Hi team,\n\nPlease call me at {p} or write to {e}.\n\nThanks,\n{f} {s}\n"
        k = i % 8
        if k == 0:
            msg = {
                "id": "18c" + _d(10),
                "payload": {"mimeType": "text/plain", "body": {"size": len(body), "data": _b64u(body)}},
            }
            plant = [p, e.split("@")[0]]
        elif k == 1:
            raw = f'From: "{f} {s}" <{e}>\r\nTo: ap@initech.io\r\nSubject: Invoice\r\n\r\n{body}'
            msg = {"id": "18c" + _d(10), "raw": _b64u(raw)}
            plant = [p, e.split("@")[0], s]
        elif k == 2:
            lp, dom = e.split("@")
            cut = len(lp) // 2
            qp = f"Please write to {lp[:cut]}=\r\n{lp[cut:]}=40{dom} about the refund.\r\n"
            msg = {
                "id": "18c" + _d(10),
                "payload": {
                    "headers": [{"name": "Content-Transfer-Encoding", "value": "quoted-printable"}],
                    "body": {"data": _b64u(qp)},
                },
            }
            plant = [lp]
        elif k == 3:
            lp, dom = e.split("@")
            cut = len(lp) // 2
            qp = f"Content-Transfer-Encoding: quoted-printable\r\n\r\nPlease write to {lp[:cut]}=\r\n{lp[cut:]}@{dom} about the refund.\r\n"
            msg = qp
            plant = [lp]
        elif k == 4:
            b = base64.b64encode(body.encode()).decode()
            wrapped = "\r\n".join(b[j : j + 76] for j in range(0, len(b), 76))
            msg = f"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{wrapped}\r\n"
            plant = [p, e.split("@")[0]]
        elif k == 5:
            msg = {
                "payload": {
                    "headers": [
                        {"name": "From", "value": f"{f} {s} <{e}>"},
                        {
                            "name": "Received",
                            "value": f"from mx.initech.io by mx.google.com for <{email()}>; Mon, 7 Dec 2026",
                        },
                    ]
                }
            }
            plant = [s, e.split("@")[0]]
        elif k == 6:
            html = f'<p>Call <a href="tel:{p}">{p}</a></p><p>{f} {s}<br>Account Manager</p>'
            msg = {"payload": {"mimeType": "text/html", "body": {"data": _b64u(html)}}}
            plant = [p, s]
        else:
            msg = {
                "snippet": f"Hi, this is {f} {s} from Acme &lt;{e}&gt; — please call {p}",
                "threadId": "18c" + _d(10),
            }
            plant = [p, s, e.split("@")[0]]
        t = msg if isinstance(msg, str) else json.dumps(msg)
        out.append({"cls": f"gmail-{k}", "desc": t[:160], "reply": text(t), "plant": plant})
    return out


def ical():
    out = []
    for i in range(40):
        f, s = _name()
        e = email()
        k = i % 5
        if k == 0:
            t = f'BEGIN:VEVENT\r\nATTENDEE;CN="{s}, {f}";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:ap{_d(3)}@initech.io\r\nEND:VEVENT'
        elif k == 1:
            t = f"BEGIN:VEVENT\r\nORGANIZER;CN={f} {s}:mailto:room-{_d(3)}@initech.io\r\nEND:VEVENT"
        elif k == 2:
            t = f"BEGIN:VEVENT\r\nATTENDEE;CUTYPE=INDIVIDUAL;CN={f} {s};X-NUM-GUESTS=0:mailto:{e}\r\nEND:VEVENT"
        elif k == 3:
            t = f"BEGIN:VEVENT\r\nDESCRIPTION:Agenda\\n1. Budget\\nHost\\: {f} {s}\\, VP Sales\r\nEND:VEVENT"
        else:
            t = json.dumps(
                {
                    "items": [
                        {
                            "summary": "Sync",
                            "organizer": {
                                "email": "cal-" + _d(4) + "@group.calendar.google.com",
                                "displayName": f"{f} {s}",
                            },
                            "creator": {"self": True},
                        }
                    ]
                }
            )
        out.append({"cls": f"ical-{k}", "desc": t[:160], "reply": text(t), "plant": [s]})
    return out


STREETS = [
    "Wrenfield Ave",
    "Quarry Hollow Rd",
    "Tamarack Ln",
    "Pelham Crescent",
    "Rue des Tanneurs",
    "Kastanienallee",
    "Calle de Alcalá",
    "Oakridge Terrace",
    "Bellflower Ct",
    "Wexford Row",
]


def _addr():
    return f"{R.randint(11, 9899)} {R.choice(STREETS)}"


def saas_records():
    out = []
    shapes = [
        (
            "sf-MailingStreet",
            "addr",
            lambda v: {
                "attributes": {"type": "Contact"},
                "Id": "0035g00000" + _d(8),
                "MailingStreet": v,
                "MailingCity": "Springfield",
            },
        ),
        (
            "sf-BillingStreet",
            "addr",
            lambda v: {"attributes": {"type": "Account"}, "BillingStreet": v, "BillingPostalCode": "62704"},
        ),
        (
            "shopify-address1",
            "addr",
            lambda v: {
                "customer": {
                    "id": R.randint(10**12, 10**13),
                    "default_address": {"address1": v, "city": "Ottawa", "zip": "K1P 1J1"},
                }
            },
        ),
        (
            "shopify-shipping_address",
            "addr",
            lambda v: {"order": {"shipping_address": {"address1": v, "city": "Leeds"}}},
        ),
        (
            "google-formatted_address",
            "addr",
            lambda v: {"results": [{"formatted_address": v + ", Springfield, IL 62704, USA"}]},
        ),
        ("hubspot-street", "addr", lambda v: {"properties": {"street": v, "city": "Austin"}}),
        ("stripe-line1", "addr", lambda v: {"object": "customer", "shipping": {"address": {"line1": v}}}),
        ("zendesk-location", "addr", lambda v: {"user": {"user_fields": {"home_street": v}}}),
        (
            "sf-Account.Name",
            "acct",
            lambda v: {
                "attributes": {"type": "Opportunity"},
                "Name": "Renewal 2027",
                "Account": {"attributes": {"type": "Account"}, "Name": v},
            },
        ),
        (
            "hubspot-company-prop",
            "acct",
            lambda v: {"properties": {"company": v, "lifecyclestage": "customer"}},
        ),
        (
            "zendesk-organization",
            "acct",
            lambda v: {"organization": {"id": R.randint(10**6, 10**7), "name": v}},
        ),
        (
            "stripe-business_profile",
            "acct",
            lambda v: {"object": "account", "business_profile": {"name": v, "mcc": "5734"}},
        ),
        (
            "intercom-companies",
            "acct",
            lambda v: {"type": "contact", "companies": {"data": [{"type": "company", "name": v}]}},
        ),
        (
            "gads-customer_client",
            "acct",
            lambda v: {
                "results": [
                    {
                        "customerClient": {
                            "resourceName": "customers/" + cid() + "/customerClients/" + cid(),
                            "descriptive_name": v,
                        }
                    }
                ]
            },
        ),
        (
            "hubspot-firstname-lastname",
            "name",
            lambda v: {"properties": {"firstname": v.split()[0], "lastname": v.split()[1]}},
        ),
        (
            "slack-profile",
            "name",
            lambda v: {
                "profile": {"real_name_normalized": v, "display_name_normalized": v.split()[0].lower()}
            },
        ),
        ("stripe-shipping-name", "name", lambda v: {"object": "charge", "shipping": {"name": v}}),
        (
            "stripe-billing_details",
            "name",
            lambda v: {"billing_details": {"name": v, "address": {"country": "US"}}},
        ),
        ("salesforce-Owner", "name", lambda v: {"Owner": {"Name": v}, "StageName": "Closed Won"}),
        ("hubspot-phone-mobilephone", "phone", lambda v: {"properties": {"mobilephone": v}}),
        ("sf-MobilePhone", "phone", lambda v: {"MobilePhone": v}),
        ("intercom-custom", "phone", lambda v: {"custom_attributes": {"cell": v}}),
    ]
    ACCTS = [
        "Brightwater Dental Group",
        "Hollis & Crane Landscaping",
        "Northgate Pediatrics PLLC",
        "Sunridge Roofing Co",
        "Maple Street Bakery LLC",
        "Carver Family Chiropractic",
        "Bluefin Marine Supply",
        "Oakhurst Law Offices",
    ]
    for i in range(len(shapes) * 3):
        name, kind, f = shapes[i % len(shapes)]
        if kind == "addr":
            v = _addr()
            plant = [v]
        elif kind == "acct":
            v = R.choice(ACCTS) + " " + R.choice(["", "West", "North", "of Tulsa", "Inc"]).strip()
            v = v.strip()
            plant = [v]
        elif kind == "name":
            a, b = _name()
            v = f"{a} {b}"
            plant = [b]
        else:
            d = phone_digits()
            v = R.choice([f"+1{d}", d, f"{d[:3]}{d[3:6]}{d[6:]}"])
            plant = [v]
        t = json.dumps(f(v))
        out.append({"cls": f"saas-{kind}", "desc": f"{name}: {t[:150]}", "reply": text(t), "plant": plant})
    return out


def ad_ids():
    """Account IDs of the ad and analytics platforms an agency's MCP servers return beside Google Ads."""
    out = []
    shapes = [
        (
            "ga4-properties",
            lambda: (lambda v: (json.dumps({"property": f"properties/{v}", "displayName": "Main site"}), v))(
                _nz(9)
            ),
        ),
        (
            "ga4-accounts",
            lambda: (lambda v: (json.dumps({"name": f"accounts/{v}", "displayName": "Client web"}), v))(
                _nz(9)
            ),
        ),
        (
            "merchant-center",
            lambda: (lambda v: (json.dumps({"merchantId": v, "websiteUrl": "https://shop.example"}), v))(
                _nz(9)
            ),
        ),
        ("meta-act", lambda: (lambda v: (json.dumps({"id": f"act_{v}", "account_status": 1}), v))(_nz(15))),
        (
            "linkedin-urn",
            lambda: (lambda v: (json.dumps({"account": f"urn:li:sponsoredAccount:{v}"}), v))(_nz(9)),
        ),
        (
            "msads-AccountId",
            lambda: (lambda v: (json.dumps({"AccountId": int(v), "Name": "Spring promo"}), v))(_nz(9)),
        ),
        (
            "gads-client-link",
            lambda: (
                lambda a, b: (
                    json.dumps(
                        {
                            "customerClientLink": {
                                "resourceName": f"customers/{a}/customerClientLinks/{b}~{_nz(10)}"
                            }
                        }
                    ),
                    b,
                )
            )(cid(), cid()),
        ),
        (
            "gads-adgroup-criterion",
            lambda: (
                lambda a: (
                    json.dumps({"resourceName": f"customers/{a}/adGroupCriteria/{_nz(11)}~{_nz(12)}"}),
                    a,
                )
            )(cid()),
        ),
        (
            "gads-gaql-where",
            lambda: (
                lambda a: (
                    f"SELECT campaign.id FROM campaign WHERE customer.id = {a} AND segments.date DURING LAST_30_DAYS",
                    a,
                )
            )(cid()),
        ),
        (
            "gads-dashed-in-url",
            lambda: (
                lambda a: (f"https://ads.google.com/aw/overview?ocid={_nz(9)}&__c={a}&__u={_nz(10)}", a)
            )(cid()),
        ),
        (
            "gbp-locations",
            lambda: (lambda v: (json.dumps({"name": f"accounts/{v}/locations/{_nz(19)}"}), v))(_nz(21)),
        ),
        (
            "gads-customer-tilde",
            lambda: (
                lambda a: (
                    json.dumps({"resourceName": f"customers/{a}/customerManagerLinks/{cid()}~{_nz(10)}"}),
                    a,
                )
            )(cid()),
        ),
        ("tiktok-advertiser", lambda: (lambda v: (json.dumps({"advertiser_id": v}), v))(_nz(19))),
        (
            "gads-account-int-key",
            lambda: (lambda v: (json.dumps({"account_id": int(v), "impressions": 1200}), v))(_nz(9)),
        ),
        (
            "searchconsole-site",
            lambda: (
                lambda v: (
                    json.dumps(
                        {"siteEntry": [{"siteUrl": f"sc-domain:{v}.com", "permissionLevel": "siteOwner"}]}
                    ),
                    v,
                )
            )(
                R.choice(["whitcombe-dental", "dellafield-roofing", "stanczyk-law", "halvorsen-plumbing"])
                + _d(2)
            ),
        ),
    ]
    for i in range(len(shapes) * 4):
        name, f = shapes[i % len(shapes)]
        t, v = f()
        out.append({"cls": "ad-ids", "desc": f"{name}: {t[:150]}", "reply": text(t), "plant": [v]})
    return out


def address_formats():
    """An address under an address key the default policy lists (`address`, `streetAddress`), written in
    text formats instead of JSON."""
    out = []
    shapes = [
        ("yaml", "customer:\n  name: ACME-{n}\n  address: {a}, Springfield\n  tier: gold"),
        ("toml", '[customer]\nid = {n}\naddress = "{a}, Springfield"'),
        ("ini", "[customer]\nid={n}\nstreet_address={a}, Springfield"),
        ("xml-attr", '<customer id="{n}" address="{a}, Springfield"/>'),
        ("xml-elem", "<customer><id>{n}</id><address>{a}, Springfield</address></customer>"),
        ("csv", 'id,address,tier\n{n},"{a}, Springfield",gold'),
        ("csv-quoted-newline", 'id,address,tier\n{n},"{a}\nSpringfield, IL 62704",gold'),
        ("md-table", "| ID | Address | Tier |\n|---|---|---|\n| {n} | {a}, Springfield | gold |"),
        ("logfmt", 'level=info msg="geocode" id={n} address="{a}, Springfield"'),
        ("python-repr", "{{'id': {n}, 'address': '{a}, Springfield'}}"),
        (
            "vcard-ADR",
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:ACME-{n}\r\nADR;TYPE=work:;;{a};Springfield;IL;62704;USA\r\nEND:VCARD",
        ),
        ("label-colon", "Address: {a}, Springfield IL 62704"),
        ("ndjson", '{{"id": {n}, "tier": "gold"}}\n{{"id": {n}, "address": "{a}, Springfield"}}'),
        ("sql-insert", "INSERT INTO customers (id, address) VALUES ({n}, '{a}, Springfield');"),
    ]
    for i in range(len(shapes) * 4):
        name, sh = shapes[i % len(shapes)]
        a = _addr()
        t = sh.format(a=a, n=R.randint(100, 999))
        out.append({"cls": "address-formats", "desc": f"{name}: {t[:150]}", "reply": text(t), "plant": [a]})
    return out


def over_redaction():
    out = []
    prods = [
        "Trail Runner 2 GTX",
        "Jordan Retro 4",
        "Hudson Bay Throw",
        "Victoria Sponge Mix",
        "Austin Desk Lamp",
        "Madison Tote",
        "Florence Linen Shirt",
        "Lincoln Tool Set",
        "Georgia Peach Jam",
        "Santa Maria Rub",
    ]
    for i in range(40):
        k = i % 5
        pr = R.choice(prods)
        sku = f"SKU-{_nz(6)}"
        order = _nz(10)
        if k == 0:
            t = json.dumps(
                {
                    "rows": [
                        {
                            "product": pr,
                            "sku": sku,
                            "clicks": R.randint(10, 9999),
                            "cost_micros": R.randint(10**6, 10**10),
                            "date": "2026-11-30",
                        }
                    ]
                }
            )
            keep = [pr, sku]
        elif k == 1:
            t = f"| Product | SKU | Units | Revenue |\n|---|---|---|---|\n| {pr} | {sku} | {R.randint(1, 900)} | ${R.randint(100, 99999)}.{_d(2)} |"
            keep = [pr, sku]
        elif k == 2:
            t = f"Order #{order} shipped via UPS 1Z{_d(16)} on 2026-12-01; tracking updated {R.randint(1, 23)}:00."
            keep = [order]
        elif k == 3:
            t = json.dumps(
                {
                    "campaign": {
                        "name": f"{pr} - Brand - Exact",
                        "id": _nz(11),
                        "status": "ENABLED",
                        "budget": R.randint(10, 900),
                    }
                }
            )
            keep = [f"{pr} - Brand - Exact"]
        else:
            t = f"build {R.randint(1000, 9999)} passed: 1,{_d(3)},{_d(3)} rows in {R.randint(2, 90)}s; version 4.{R.randint(0, 9)}.{R.randint(0, 30)}"
            keep = [t.split(": ")[1].split(" rows")[0]]
        out.append({"cls": f"over-{k}", "desc": t[:150], "reply": text(t), "plant": [], "keep": keep})
    return out


def surname_refs():
    """A person named by surname alone, with an honorific or an initial (the usual business shorthand)."""
    out = []
    shapes = [
        "Per Mr. {s}'s request the invoice was re-sent.",
        "Dr {s} will review the chart on Monday.",
        "Approved by {i}. {s} on 2026-12-01.",
        "{s} said the export is still failing.",
        "cc: {s}, finance",
        "— {i}. {s}\nAccount Manager",
        "Ms. {s} (billing contact) asked for a refund.",
        "{s}, {i}. (2024) Quarterly churn analysis.",
        "Owner: {i}.{s}",
        "Prof. {s}",
    ]
    for i in range(len(shapes) * 5):
        f, s = _name()
        t = shapes[i % len(shapes)].format(s=s, i=f[0])
        out.append({"cls": "surname-refs", "desc": t[:150], "reply": text(t), "plant": [s]})
    return out


def html_names():
    """Names and values in HTML mail bodies: entities between words, inline styles, signature tables."""
    out = []
    shapes = [
        ("nbsp", "<p>Best,<br>{f}&nbsp;{s}</p>"),
        ("num-entity-space", "<p>Regards, {f}&#32;{s}</p>"),
        ("hex-entity-letters", "<p>Signed: {fe}&#x20;{s}</p>"),
        (
            "span-styled",
            '<td style="font-weight:bold"><span>{f}</span> <span style="color:#333">{s}</span></td>',
        ),
        ("sig-table", "<table><tr><td>{f} {s}</td></tr><tr><td>Director of Finance</td></tr></table>"),
        ("a-mailto-text", '<a href="mailto:team@initech.io">{f} {s}</a>'),
        ("alt-text", '<img src="cid:sig" alt="{f} {s} headshot">'),
        ("title-attr", '<abbr title="{f} {s}">Owner</abbr>'),
        ("br-split", "<p>{f}<br>{s}<br>Account Manager</p>"),
        ("div-split", "<div>{f}</div><div>{s}</div>"),
    ]
    for i in range(len(shapes) * 5):
        name, sh = shapes[i % len(shapes)]
        f, s = _name()
        fe = "".join(f"&#{ord(c)};" for c in f)
        t = sh.format(f=f, s=s, fe=fe)
        out.append({"cls": "html-names", "desc": f"{name}: {t[:150]}", "reply": text(t), "plant": [s]})
    return out


def messaging_phones():
    """Phone numbers in messaging links and channel addresses (E.164 with or without `+`)."""
    out = []

    def e164():
        cc = R.choice(
            ["49151", "33 6", "4477", "3491", "5511", "1415", "1312", "6591", "61412", "91987"]
        ).replace(" ", "")
        return cc + _nz(12 - len(cc))

    shapes = [
        ("wa.me", lambda n: f"Chat with us: https://wa.me/{n}?text=Hi"),
        ("api.whatsapp", lambda n: f"https://api.whatsapp.com/send?phone={n}"),
        ("twilio-whatsapp", lambda n: json.dumps({"From": f"whatsapp:+{n}", "Body": "Order update"})),
        ("twilio-sms-json", lambda n: json.dumps({"from": f"+{n}", "status": "delivered"})),
        ("sms-uri", lambda n: f'<a href="sms:+{n}?body=STOP">Text us</a>'),
        ("viber", lambda n: f"viber://chat?number=%2B{n}"),
        ("telegram-phone", lambda n: f"https://t.me/+{n}"),
        ("int-json-neutral", lambda n: json.dumps({"from": int(n), "to": int("1" + _nz(10))})),
        ("callto", lambda n: f"callto:+{n}"),
        ("msisdn", lambda n: json.dumps({"msisdn": n, "network": "T-Mobile"})),
    ]
    for i in range(len(shapes) * 5):
        name, f = shapes[i % len(shapes)]
        n = e164()
        t = f(n)
        out.append(
            {"cls": "messaging-phones", "desc": f"{name}: {t[:150]}", "reply": text(t), "plant": [n[-9:]]}
        )
    return out


def ip_logs():
    out = []

    def ip():
        return f"{R.choice([23, 45, 81, 104, 151, 185, 203])}.{R.randint(1, 254)}.{R.randint(1, 254)}.{R.randint(1, 254)}"

    shapes = [
        ("xff", lambda a: f"X-Forwarded-For: {a}, 10.0.0.3"),
        (
            "apache-client",
            lambda a: f"[Mon Dec 07 10:01:22 2026] [error] [client {a}:51234] File does not exist",
        ),
        ("cidr", lambda a: f"allow {a}/32;"),
        ("nginx-combined", lambda a: f'{a} - - [07/Dec/2026:10:01:22 +0000] "GET / HTTP/1.1" 200 612'),
        ("ssh-auth", lambda a: f"Failed password for invalid user admin from {a} port 40122 ssh2"),
        (
            "ipv6-compressed",
            lambda a: (
                "2a02:"
                + ":".join(f"{R.randint(1, 0xFFFF):x}" for _ in range(3))
                + "::"
                + f"{R.randint(1, 0xFFFF):x}"
            ),
        ),
        ("ipv4-in-ipv6", lambda a: f"::ffff:{a}"),
        ("reverse-dns", lambda a: ".".join(reversed(a.split("."))) + ".in-addr.arpa"),
        ("cloudflare-json", lambda a: json.dumps({"ClientIP": a, "EdgeResponseStatus": 200})),
        ("hex-port", lambda a: f"conn from {a}#53 (udp)"),
    ]
    for i in range(len(shapes) * 4):
        name, f = shapes[i % len(shapes)]
        a = ip()
        t = f(a)
        plant = (
            [a]
            if name not in ("ipv6-compressed", "reverse-dns")
            else [t.split()[0] if name == "ipv6-compressed" else t.replace(".in-addr.arpa", "")]
        )
        out.append({"cls": "ip-logs", "desc": f"{name}: {t[:150]}", "reply": text(t), "plant": plant})
    return out


def address_keys():
    """Addresses under address keys of real APIs that the default key list does not spell."""
    keys = [
        "street",
        "street1",
        "Street",
        "MailingStreet",
        "BillingStreet",
        "ShippingStreet",
        "home_street",
        "address_line_1",
        "addressLine",
        "line1",
        "addr",
        "residence",
        "mailing_address",
        "billingAddress",
        "shipping_address",
        "formattedAddress",
        "Anschrift",
        "strasse",
        "direccion",
        "adresse",
        "indirizzo",
        "street_name",
        "location",
        "physical_address",
        "delivery_address",
    ]
    out = []
    for i in range(len(keys) * 2):
        k = keys[i % len(keys)]
        a = _addr()
        t = json.dumps({"id": R.randint(100, 999), k: a, "city": "Springfield"})
        out.append({"cls": "address-keys", "desc": t[:150], "reply": text(t), "plant": [a]})
    return out


def campaign_over():
    """Over-redaction: ad campaigns, geo targets and products led by a given name or a city that is one."""
    heads = [
        "Austin",
        "Madison",
        "Jordan",
        "Charlotte",
        "Victoria",
        "Sydney",
        "Florence",
        "Lincoln",
        "Savannah",
        "Tyler",
        "Dallas",
        "Chelsea",
        "Kent",
        "Paris",
        "Phoenix",
        "Georgia",
        "Eugene",
        "Raleigh",
        "Chester",
        "Jackson",
    ]
    tails = [
        "Plumbing - Search",
        "Roofing Leads",
        "Dentist - Brand",
        "Spring Sale",
        "HVAC - Exact",
        "Remarketing",
        "Movers | Broad",
        "Wedding Venues",
        "Lawyers - PMax",
        "Day Sale",
    ]
    out = []
    for i in range(60):
        h, tl = heads[i % len(heads)], R.choice(tails)
        k = i % 3
        if k == 0:
            t = json.dumps(
                {
                    "results": [
                        {
                            "campaign": {"name": f"{h} {tl}", "status": "ENABLED"},
                            "metrics": {"clicks": R.randint(1, 999)},
                        }
                    ]
                }
            )
            keep = [f"{h} {tl}"]
        elif k == 1:
            city = {
                "Austin": "Austin,Texas",
                "Madison": "Madison,Wisconsin",
                "Charlotte": "Charlotte,North Carolina",
                "Florence": "Florence,South Carolina",
                "Lincoln": "Lincoln,Nebraska",
                "Savannah": "Savannah,Georgia",
                "Tyler": "Tyler,Texas",
                "Dallas": "Dallas,Texas",
                "Jackson": "Jackson,Mississippi",
                "Raleigh": "Raleigh,North Carolina",
                "Eugene": "Eugene,Oregon",
                "Phoenix": "Phoenix,Arizona",
            }.get(h, "Sydney,New South Wales")
            t = json.dumps(
                {"geoTargetConstant": {"canonicalName": f"{city},United States", "targetType": "City"}}
            )
            keep = [city]
        else:
            t = f"| Campaign | Clicks | Cost |\n|---|---|---|\n| {h} {tl} | {R.randint(1, 999)} | {R.randint(10, 999)}.{_d(2)} |"
            keep = [f"{h} {tl}"]
        out.append(
            {"cls": f"campaign-over-{k}", "desc": t[:150], "reply": text(t), "plant": [], "keep": keep}
        )
    return out


def names_lower_fields():
    """Names typed in lower case in a profile's display-name field (Slack, GitHub, Discord users do)."""
    out = []
    keys = ["display_name", "real_name", "name", "author", "assignee", "reviewer", "requester", "organizer"]
    for i in range(48):
        f, s = _name()
        k = keys[i % len(keys)]
        v = f"{f} {s}".lower()
        t = json.dumps({"user": {"id": "U0" + _d(8), k: v, "tz": "America/Chicago"}})
        out.append({"cls": "names-lower-fields", "desc": t[:150], "reply": text(t), "plant": [s]})
    return out


def caps_names():
    """Names in the upper-case layouts of travel and payment systems: PNR `SURNAME/GIVEN MR`, cardholder,
    MRZ `P<USASURNAME<<GIVEN<<<`."""
    out = []
    for i in range(45):
        f, s = _name()
        k = i % 5
        if k == 0:
            t = f"1.1{s.upper()}/{f.upper()} MS\n 1 UA 931 Y 15DEC SFOLHR HK1 1700 1130+1"
        elif k == 1:
            t = json.dumps({"passengers": [{"name": f"{s.upper()}/{f.upper()}", "seat": "14C"}]})
        elif k == 2:
            t = json.dumps(
                {"card": {"brand": "visa", "last4": "4242", "cardholder": f"{f.upper()} {s.upper()}"}}
            )
        elif k == 3:
            t = f"P<USA{s.upper()}<<{f.upper()}<<<<<<<<<<<<<<<<<<<<<<<<\n{_d(9)}0USA{_d(7)}F{_d(7)}<<<<<<<<<<<<<<02"
        else:
            t = f"BOARDING PASS  {s.upper()}/{f.upper()}  GATE B12  SEAT 22A"
        out.append({"cls": f"caps-names-{k}", "desc": t[:150], "reply": text(t), "plant": [s]})
    return out


def outlook_lists():
    """Recipient lists in the `Surname, Given` form Outlook and Exchange write."""
    out = []
    for i in range(40):
        (f1, s1), (f2, s2) = _name(), _name()
        k = i % 4
        if k == 0:
            t = f"To: {s1}, {f1}; {s2}, {f2}"
        elif k == 1:
            t = json.dumps({"toRecipients": f"{s1}, {f1}; {s2}, {f2}"})
        elif k == 2:
            t = f"Attendees: {s1}, {f1} (Required); {s2}, {f2} (Optional)"
        else:
            t = f"| Required | {s1}, {f1}; {s2}, {f2} |"
        out.append({"cls": f"outlook-lists-{k}", "desc": t[:150], "reply": text(t), "plant": [s1, s2]})
    return out


def e164_noplus():
    """International numbers written as E.164 digits without the `+` (WhatsApp links, SMS gateways, CRMs)."""
    out = []
    ccs = [
        "4915",
        "4930",
        "3361",
        "3314",
        "4477",
        "4420",
        "3493",
        "3934",
        "5511",
        "6141",
        "9198",
        "6591",
        "3161",
        "4670",
    ]
    slots = [
        lambda n: f"https://wa.me/{n}",
        lambda n: f"Caller {n} left a voicemail.",
        lambda n: json.dumps({"from": n, "direction": "inbound"}),
        lambda n: json.dumps({"contact": {"wa_id": n, "profile": {"name": "Customer"}}}),
        lambda n: f"sender,body\n{n},STOP",
    ]
    import phonenumbers

    ccs = {
        "DE": "49",
        "FR": "33",
        "GB": "44",
        "ES": "34",
        "IT": "39",
        "BR": "55",
        "AU": "61",
        "IN": "91",
        "SG": "65",
        "NL": "31",
        "SE": "46",
        "MX": "52",
        "US": "1",
        "JP": "81",
    }
    regions = list(ccs)
    i = 0
    while len(out) < 56:
        reg = regions[i % len(regions)]
        ex = phonenumbers.example_number_for_type(reg, phonenumbers.PhoneNumberType.MOBILE)
        nat = str(ex.national_number)
        while True:
            cand = nat[:2] + "".join(str(R.randint(0, 9)) for _ in range(len(nat) - 2))
            pn = phonenumbers.parse("+" + ccs[reg] + cand)
            if phonenumbers.is_valid_number(pn):
                break
        n = ccs[reg] + cand
        t = slots[i % len(slots)](n)
        out.append({"cls": "e164-noplus", "desc": f"{reg}: {t[:150]}", "reply": text(t), "plant": [n]})
        i += 1
    return out


def cid_in_names():
    """Google Ads customer IDs inside file names, paths and keys of report exports."""
    out = []
    shapes = [
        lambda c: f"Saved report to /exports/gads_{c}_2026-11.csv",
        lambda c: f"s3://agency-reports/{c}/campaigns.parquet",
        lambda c: json.dumps({"file": f"{c}-search-terms.csv"}),
        lambda c: json.dumps({"accounts": {c: {"clicks": 120}}}),
        lambda c: f"Sheet 'Acct {c[:3]}-{c[3:6]}-{c[6:]} - Nov' updated",
        lambda c: f"gs://bucket/cid={c}/dt=2026-12-01/part-0.parquet",
        lambda c: f"label: client_{c}",
        lambda c: f"https://lookerstudio.google.com/reporting/abc?params=%7B%22ds0.cid%22%3A%22{c}%22%7D",
    ]
    for i in range(48):
        c = cid()
        t = shapes[i % len(shapes)](c)
        out.append({"cls": "cid-in-names", "desc": t[:150], "reply": text(t), "plant": [c]})
    return out


def comma_names():
    """One person as `Surname, Given` (HR exports, Exchange display names, rosters) outside mail headers."""
    out = []
    shapes = [
        lambda f, s: json.dumps({"employee": {"name": f"{s}, {f}", "dept": "Finance"}}),
        lambda f, s: f"Employee: {s}, {f}\nDept: Finance",
        lambda f, s: f'id,name,dept\n{R.randint(100, 999)},"{s}, {f}",Finance',
        lambda f, s: json.dumps({"displayName": f"{s}, {f}", "jobTitle": "Controller"}),
        lambda f, s: f"Approved by {s}, {f} on 2026-12-01",
        lambda f, s: json.dumps({"passenger": f"{s}/{f}"}),
        lambda f, s: f"| {s}, {f} | Controller | Finance |",
        lambda f, s: json.dumps({"owner": f"{s.upper()}, {f.upper()}"}),
    ]
    for i in range(48):
        f, s = _name()
        t = shapes[i % len(shapes)](f, s)
        out.append({"cls": f"comma-names-{i % len(shapes)}", "desc": t[:150], "reply": text(t), "plant": [s]})
    return out


def emails_locale_obf():
    """Addresses obfuscated the way non-English sites write them."""
    forms = [
        lambda lp, d, t: f"{lp}(at){d}(punkt){t}",
        lambda lp, d, t: f"{lp} [ät] {d} [punkt] {t}",
        lambda lp, d, t: f"{lp} (ät) {d}.{t}",
        lambda lp, d, t: f"{lp} arobase {d} point {t}",
        lambda lp, d, t: f"{lp} arroba {d} punto {t}",
        lambda lp, d, t: f"{lp}(a){d}.{t}",
        lambda lp, d, t: f"{lp} chiocciola {d} punto {t}",
        lambda lp, d, t: f"{lp} apenstaartje {d} punt {t}",
        lambda lp, d, t: f"{lp} snabel-a {d} punkt {t}",
        lambda lp, d, t: f"{lp}[@]{d}[.]{t}",
        lambda lp, d, t: f"{lp} at {d} dot {t}",
        lambda lp, d, t: f"{lp}@NOSPAM.{d}.{t}",
    ]
    out = []
    for i in range(len(forms) * 4):
        lp = _local()
        d, tld = (
            R.choice(
                ["firma-schulz", "cabinet-dufresne", "estudio-quintana", "studio-ferri", "bakkerij-jansen"]
            ),
            R.choice(["de", "fr", "es", "it", "nl"]),
        )
        e = forms[i % len(forms)](lp, d, tld)
        t = R.choice(["Kontakt: {e}", "Contact : {e}", "Escríbenos a {e}", "{e}"]).format(e=e)
        out.append({"cls": "emails-locale-obf", "desc": t[:150], "reply": text(t), "plant": [lp]})
    return out


def conn_strings():
    """Connection strings and URLs whose user part is a person's login."""
    out = []
    shapes = [
        lambda u: f"postgres://{u}:S3cr3t!@db.internal.acme.io:5432/crm",
        lambda u: f"DATABASE_URL=mysql://{u}:pw@10.0.0.5/app",
        lambda u: f"mongodb+srv://{u}:hunter2@cluster0.ab1cd.mongodb.net/?retryWrites=true",
        lambda u: f"git clone https://{u}:ghp_xxx@github.com/acme/app.git",
        lambda u: f"amqp://{u}:guest@rabbit:5672/",
        lambda u: f"Server=sql01;Database=crm;User Id={u};Password=pw;",
        lambda u: f"smb://{u}@fs01.corp.local/share",
        lambda u: f"ssh -p 2222 {u}@bastion.acme.io",
    ]
    for i in range(48):
        f, s = _name()
        u = R.choice([f"{f}.{s}".lower(), f"{f[0]}{s}".lower(), f"{f}_{s}".lower()])
        t = shapes[i % len(shapes)](u)
        out.append(
            {
                "cls": f"conn-strings-{i % len(shapes)}",
                "desc": t[:150],
                "reply": text(t),
                "plant": [s.lower()],
            }
        )
    return out


def e164_labelled():
    """Contrast for e164_noplus: the same digit-only numbers under a phone key or after a phone label."""
    import phonenumbers

    slots = [
        lambda n: json.dumps({"phone": n}),
        lambda n: f"Tel: {n}",
        lambda n: f"WhatsApp: {n}",
        lambda n: json.dumps({"whatsapp": n}),
        lambda n: f"BEGIN:VCARD\r\nTEL;TYPE=CELL:{n}\r\nEND:VCARD",
    ]
    out = []
    regions = {"DE": "49", "FR": "33", "GB": "44", "ES": "34", "IT": "39", "BR": "55", "AU": "61", "IN": "91"}
    i = 0
    while len(out) < 40:
        reg = list(regions)[i % len(regions)]
        nat = str(
            phonenumbers.example_number_for_type(reg, phonenumbers.PhoneNumberType.MOBILE).national_number
        )
        while True:
            cand = nat[:2] + "".join(str(R.randint(0, 9)) for _ in range(len(nat) - 2))
            if phonenumbers.is_valid_number(phonenumbers.parse("+" + regions[reg] + cand)):
                break
        n = regions[reg] + cand
        t = slots[i % len(slots)](n)
        out.append(
            {
                "cls": f"e164-labelled-{i % len(slots)}",
                "desc": f"{reg}: {t[:120]}",
                "reply": text(t),
                "plant": [n],
            }
        )
        i += 1
    return out
