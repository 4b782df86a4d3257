"""Deterministic, realistic fake data for a small digital-marketing agency.

Everything is derived from a seeded `random.Random`, so the same seed gives byte-identical data on every
machine and every run. No Faker: this module runs at demo time with the runtime dependencies only.

What it models:

* Google Ads: one manager (MCC) account and its client accounts (10-digit customer IDs, also written
  `123-456-7890`), campaigns per account shaped like `GoogleAdsService.Search` result rows.
* Search Console: verified sites (`https://www.acme-plumbing.example/`, `sc-domain:acme-plumbing.example`)
  and `searchanalytics.query` responses with `keys: [query, page]`; some queries contain a person's name or
  an email address, as real users type them.
* A CRM: contacts with names, emails, phone numbers in several national formats (+1, +44, +49) and free-text
  notes that mention other people, phone numbers, IBANs (valid mod-97 checksum) and card numbers (valid Luhn).

Phone numbers use assigned area codes (415, 212, 312, 206; London 20 7946 0xxx; Reading 118 496 0xxx; Berlin
30, Hamburg 40, German mobiles 151/160/170) so libphonenumber accepts them.

Public helpers: `agency(seed)`, `search_analytics_rows(n, seed)`, `search_analytics_response(n, seed)`,
plus the small validators `iban_is_valid`, `luhn_is_valid` and the formatter `format_customer_id`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

__all__ = [
    "Agency",
    "Campaign",
    "Contact",
    "Customer",
    "Site",
    "agency",
    "format_customer_id",
    "iban_is_valid",
    "luhn_is_valid",
    "make_card_number",
    "make_iban",
    "normalize_customer_id",
    "search_analytics_response",
    "search_analytics_rows",
]

# --------------------------------------------------------------------------------------------------------
# Static vocabulary
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Profile:
    name: str
    slug: str
    kind: str
    city: str
    country: str  # US, GB or DE
    currency: str
    time_zone: str


def _profile_table(text: str) -> tuple[_Profile, ...]:
    rows = (line.split("|") for line in text.strip().splitlines())
    return tuple(_Profile(*(cell.strip() for cell in row)) for row in rows)


# name | domain slug | kind | city | country | currency | time zone
_AGENCY_PROFILE = _profile_table(
    "Northwind Digital Agency | northwind-digital | agency | San Francisco | US | USD | America/Los_Angeles"
)[0]
_PROFILES = _profile_table("""
Acme Plumbing LLC | acme-plumbing | plumbing | San Francisco | US | USD | America/Los_Angeles
Müller Bäckerei GmbH | mueller-baeckerei | bakery | Berlin | DE | EUR | Europe/Berlin
Brightside Dental Ltd | brightside-dental | dental | London | GB | GBP | Europe/London
Harbor View Realty LLC | harborview-realty | realty | New York | US | USD | America/New_York
Schmidt & Söhne Dachdeckerei GmbH | schmidt-soehne-dach | roofing | Hamburg | DE | EUR | Europe/Berlin
Kowalski Auto Repair Inc. | kowalski-auto | auto | Chicago | US | USD | America/Chicago
Thames Valley Lettings Ltd | thamesvalley-lettings | lettings | Reading | GB | GBP | Europe/London
Café Rosengarten GmbH | cafe-rosengarten | cafe | Berlin | DE | EUR | Europe/Berlin
O'Brien & Partners Solicitors LLP | obrien-partners | law | London | GB | GBP | Europe/London
Bloom & Petal Florists LLC | bloom-and-petal | florist | Seattle | US | USD | America/Los_Angeles
""")


def _words(text: str) -> tuple[str, ...]:
    """`"a b | c"` -> `("a b", "c")`: keeps the vocabulary tables below compact."""
    return tuple(" ".join(w.split()) for w in text.split("|"))


_KEYWORDS: dict[str, tuple[str, ...]] = {
    "plumbing": _words(
        "plumber | emergency plumber | blocked drain | boiler repair | leaking pipe repair | water heater "
        "installation | toilet repair | drain cleaning | burst pipe | sewer line repair | garbage "
        "disposal repair | tankless water heater"
    ),
    "bakery": _words(
        "bäckerei | sauerteigbrot | brötchen bestellen | hochzeitstorte | bäckerei frühstück | "
        "glutenfreies brot | croissant | kuchen bestellen | bäckerei sonntag geöffnet | laugenbrezel | "
        "dinkelbrot | geburtstagstorte"
    ),
    "dental": _words(
        "dentist | emergency dentist | teeth whitening | dental implants | invisalign | nhs dentist | "
        "root canal | dental hygienist | wisdom tooth removal | private dentist | composite bonding | "
        "veneers"
    ),
    "realty": _words(
        "homes for sale | real estate agent | condos for sale | apartment rentals | home valuation | "
        "realtor | open house | luxury apartments | brownstone for sale | sell my house | co-op for sale "
        "| townhouse for sale"
    ),
    "roofing": _words(
        "dachdecker | dachsanierung | flachdach abdichten | dachrinne reinigen | dachfenster einbauen | "
        "dach reparatur | ziegeldach | dachdämmung | sturmschaden dach | blechdach | gründach | "
        "schornstein sanierung"
    ),
    "auto": _words(
        "auto repair | brake repair | oil change | check engine light | transmission repair | mechanic | "
        "tire rotation | car ac recharge | wheel alignment | emissions test | muffler repair | battery "
        "replacement"
    ),
    "lettings": _words(
        "letting agent | flats to rent | property management | landlord services | tenant referencing | "
        "houses to rent | student lets | hmo licence | rental valuation | deposit protection | studio "
        "flat to rent | guaranteed rent"
    ),
    "cafe": _words(
        "café | frühstück | brunch | kaffee | kuchen | café mit terrasse | vegan frühstück | flat white | "
        "café geöffnet | tortenbestellung | hafermilch cappuccino | käsekuchen"
    ),
    "law": _words(
        "solicitor | conveyancing solicitor | family law solicitor | divorce lawyer | will writing | "
        "employment solicitor | probate solicitor | lasting power of attorney | immigration lawyer | no "
        "win no fee solicitor | landlord solicitor | commercial lease solicitor"
    ),
    "florist": _words(
        "florist | flower delivery | wedding flowers | funeral flowers | same day flower delivery | "
        "bouquet | sympathy flowers | roses delivery | flower subscription | corsage | peony bouquet | "
        "orchid delivery"
    ),
}

_NEIGHBOURHOODS: dict[str, tuple[str, ...]] = {
    "San Francisco": _words(
        "mission district | noe valley | sunset | richmond | soma | castro | pacific heights | bernal "
        "heights | daly city | oakland"
    ),
    "New York": _words(
        "brooklyn | queens | upper west side | harlem | williamsburg | astoria | chelsea | park slope | "
        "tribeca | hoboken"
    ),
    "Chicago": _words(
        "lincoln park | wicker park | logan square | hyde park | evanston | oak park | lakeview | pilsen "
        "| bucktown | naperville"
    ),
    "Seattle": _words(
        "capitol hill | ballard | fremont | queen anne | bellevue | west seattle | green lake | redmond | "
        "kirkland | wallingford"
    ),
    "London": _words(
        "islington | hackney | camden | clapham | brixton | shoreditch | wimbledon | greenwich | fulham | "
        "stratford"
    ),
    "Reading": _words(
        "caversham | tilehurst | earley | woodley | wokingham | bracknell | pangbourne | theale | lower "
        "earley | whitley"
    ),
    "Berlin": _words(
        "kreuzberg | prenzlauer berg | mitte | neukölln | charlottenburg | friedrichshain | schöneberg | "
        "wedding | pankow | steglitz"
    ),
    "Hamburg": _words(
        "altona | eimsbüttel | winterhude | ottensen | barmbek | harburg | wandsbek | eppendorf | st. "
        "pauli | bergedorf"
    ),
}

_POSTCODES: dict[str, tuple[str, ...]] = {
    "San Francisco": _words("94110 | 94114 | 94122 | 94118 | 94103"),
    "New York": _words("10001 | 11201 | 11215 | 10027 | 10013"),
    "Chicago": _words("60614 | 60622 | 60647 | 60615 | 60657"),
    "Seattle": _words("98102 | 98107 | 98103 | 98109 | 98116"),
    "London": _words("N1 | E8 | NW1 | SW4 | SE10"),
    "Reading": _words("RG1 | RG4 | RG30 | RG6 | RG40"),
    "Berlin": _words("10999 | 10405 | 10115 | 12043 | 10627"),
    "Hamburg": _words("22765 | 20259 | 22301 | 22763 | 21073"),
}

_QUERY_PREFIXES_EN = ("",) * 4 + _words(
    "best | cheap | affordable | local | 24 hour | top rated | emergency | reliable | how much is a | "
    "family | same day | recommended | trusted"
)
_QUERY_SUFFIXES_EN = ("",) * 4 + _words(
    "near me | cost | prices | reviews | open now | open sunday | free quote | 2025 | prices 2025 | "
    "appointment | online booking | deals"
)
_QUERY_PREFIXES_DE = ("",) * 4 + _words(
    "beste | günstig | günstige | gute | empfehlung | notdienst | inhaber geführte | bio | preise | top"
)
_QUERY_SUFFIXES_DE = ("",) * 4 + _words(
    "in der nähe | preise | kosten | bewertungen | öffnungszeiten | heute geöffnet | sonntag | termin | "
    "angebot | online bestellen | 2025"
)

_FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "US": _words(
        "Jane | Michael | Emily | David | Sarah | James | Jessica | Robert | Ashley | Daniel | Maria | "
        "Christopher | Laura | Kevin | Olivia | Brian | Megan | Jose | Rachel | Tyler"
    ),
    "GB": _words(
        "Oliver | Amelia | George | Isla | Harry | Sophie | Jack | Charlotte | Thomas | Emily | William | "
        "Grace | Aoife | Rhys | Priya | Callum | Niamh | Hamish | Imogen | Ravi"
    ),
    "DE": _words(
        "Jürgen | Anna | Lukas | Sabine | Matthias | Katrin | Stefan | Julia | Thomas | Lena | Björn | "
        "Claudia | Tobias | Sophie | Uwe | Miriam | Jörg | Nina | Frank | Leonie"
    ),
}

_LAST_NAMES: dict[str, tuple[str, ...]] = {
    "US": _words(
        "Miller | Johnson | Garcia | Rodriguez | Nguyen | Thompson | Martinez | Anderson | Kowalski | "
        "O'Connor | Washington | Patel | Kim | Hernandez | Foster | Bennett | Reyes | Coleman"
    ),
    "GB": _words(
        "Hughes | Smith | Evans | Wright | Taylor | Davies | Murphy | Patel | Robinson | Clarke | Walker "
        "| MacDonald | Fitzgerald | Khan | Thornton | Ellis | Brennan | Hall"
    ),
    "DE": _words(
        "Müller | Schmidt | Schneider | Fischer | Weiß | Schäfer | Becker | Hoffmann | Krüger | Wagner | "
        "Zimmermann | Braun | Hartmann | Köhler | Lange | Vogel | Jäger | Sommer"
    ),
}

_TITLES = (
    "Owner",
    "Managing Director",
    "Marketing Manager",
    "Office Manager",
    "Finance",
    "Head of Growth",
    "Operations Lead",
    "Accounts Payable",
    "Practice Manager",
)
_TITLES_DE = ("Inhaber", "Geschäftsführer", "Geschäftsführerin", "Marketing", "Buchhaltung", "Büroleitung")

_FREE_MAIL = {
    "US": ("gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com"),
    "GB": ("gmail.com", "btinternet.com", "outlook.com", "yahoo.co.uk", "hotmail.co.uk"),
    "DE": ("gmail.com", "web.de", "gmx.de", "t-online.de", "posteo.de"),
}

_US_AREA_CODES = {
    "San Francisco": ("415", "628"),
    "New York": ("212", "646", "718"),
    "Chicago": ("312", "773"),
    "Seattle": ("206",),
}
_DE_AREA_CODES = {"Berlin": "30", "Hamburg": "40"}
_DE_MOBILE_PREFIXES = ("151", "160", "170", "176")
_GB_BANK_CODES = ("NWBK", "BARC", "LOYD", "HBUK", "MIDL")
_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)

_CAMPAIGN_STATUSES = ("ENABLED", "ENABLED", "ENABLED", "PAUSED")
_PERMISSION_LEVELS = ("siteOwner", "siteOwner", "siteFullUser", "siteRestrictedUser")

# --------------------------------------------------------------------------------------------------------
# Checksummed identifiers
# --------------------------------------------------------------------------------------------------------


def _iban_remainder(rearranged: str) -> int:
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97


def make_iban(rng: random.Random, country: str) -> str:
    """A random IBAN with a valid mod-97 check (ISO 13616) for country "DE" or "GB", in compact form."""
    if country == "DE":
        # 8-digit bank code (BLZ) + 10-digit account number
        bban = f"{rng.randrange(10**7, 10**8)}{rng.randrange(10**9, 10**10)}"
    elif country == "GB":
        # 4-letter bank code + 6-digit sort code + 8-digit account number
        bban = f"{rng.choice(_GB_BANK_CODES)}{rng.randrange(10**5, 10**6)}{rng.randrange(10**7, 10**8)}"
    else:
        raise ValueError(f"no IBAN layout for country {country!r}")
    check = 98 - _iban_remainder(f"{bban}{country}00")
    return f"{country}{check:02d}{bban}"


def iban_is_valid(iban: str) -> bool:
    """The ISO 13616 mod-97 check; spaces are ignored."""
    compact = iban.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", compact):
        return False
    return _iban_remainder(compact[4:] + compact[:4]) == 1


def _group(value: str, size: int = 4, sep: str = " ") -> str:
    return sep.join(value[i : i + size] for i in range(0, len(value), size))


def _luhn_check_digit(payload: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:  # these positions are doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def luhn_is_valid(number: str) -> bool:
    """The Luhn (mod-10) check used by payment card numbers; spaces and dashes are ignored."""
    digits = re.sub(r"[ -]", "", number)
    if not digits.isdigit() or len(digits) < 12:
        return False
    return _luhn_check_digit(digits[:-1]) == int(digits[-1])


def make_card_number(rng: random.Random) -> str:
    """A Luhn-valid Visa, Mastercard or Amex test-style number, unformatted."""
    kind = rng.choice(("visa", "visa", "mastercard", "amex"))
    if kind == "visa":
        prefix, length = "4", 16
    elif kind == "mastercard":
        prefix, length = str(rng.randint(51, 55)), 16
    else:
        prefix, length = rng.choice(("34", "37")), 15
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    return body + str(_luhn_check_digit(body))


def _format_card(rng: random.Random, number: str) -> str:
    if len(number) == 15:  # Amex 4-6-5
        return rng.choice((number, f"{number[:4]} {number[4:10]} {number[10:]}"))
    return rng.choice((number, _group(number), _group(number, sep="-")))


# --------------------------------------------------------------------------------------------------------
# Customer IDs, phones, emails
# --------------------------------------------------------------------------------------------------------


def format_customer_id(customer_id: str) -> str:
    """`1234567890` -> `123-456-7890`, the way the Google Ads UI shows it."""
    cid = normalize_customer_id(customer_id)
    return f"{cid[:3]}-{cid[3:6]}-{cid[6:]}"


def normalize_customer_id(customer_id: str) -> str:
    """Accepts `1234567890`, `123-456-7890` or `customers/1234567890`; returns the 10 digits or raises
    ValueError."""
    value = customer_id.strip()
    value = value.removeprefix("customers/")
    digits = value.replace("-", "").replace(" ", "")
    if not (len(digits) == 10 and digits.isdigit()):
        raise ValueError(f"not a Google Ads customer id: {customer_id!r}")
    return digits


def _ascii_slug(text: str, sep: str = ".") -> str:
    folded = text.translate(_UMLAUTS).lower()
    return re.sub(r"[^a-z0-9]+", sep, folded).strip(sep)


def _phone(rng: random.Random, country: str, city: str, *, mobile: bool = False) -> str:
    if country == "US":
        area = rng.choice(_US_AREA_CODES.get(city, ("415",)))
        line = f"01{rng.randrange(100):02d}"  # 555-0100..0199: the range reserved for fiction
        return rng.choice(
            (
                f"+1 {area} 555 {line}",
                f"({area}) 555-{line}",
                f"{area}-555-{line}",
                f"+1-{area}-555-{line}",
                f"{area}.555.{line}",
                f"+1 ({area}) 555-{line}",
            )
        )
    if country == "GB":
        if city == "Reading":
            local = f"496 0{rng.randrange(1000):03d}"
            return rng.choice((f"+44 118 {local}", f"0118 {local}", f"+44 (0)118 {local}"))
        local = f"7946 0{rng.randrange(1000):03d}"
        return rng.choice(
            (f"+44 20 {local}", f"020 {local}", f"+44 (0)20 {local}", f"+4420{local.replace(' ', '')}")
        )
    if mobile:
        prefix = rng.choice(_DE_MOBILE_PREFIXES)
        sub = f"{rng.randrange(10**7, 10**8)}"
        return rng.choice((f"+49 {prefix} {sub}", f"0{prefix} {sub}", f"+49 {prefix} {sub[:4]} {sub[4:]}"))
    area = _DE_AREA_CODES.get(city, "30")
    sub = f"{rng.randrange(10**7, 10**8)}"
    return rng.choice(
        (
            f"+49 {area} {sub}",
            f"0{area} {sub}",
            f"+49 (0){area} {sub[:4]} {sub[4:]}",
            f"0{area}/{sub[:4]} {sub[4:]}",
            f"+49-{area}-{sub}",
        )
    )


def _person(rng: random.Random, country: str) -> tuple[str, str, str]:
    first = rng.choice(_FIRST_NAMES[country])
    last = rng.choice(_LAST_NAMES[country])
    return first, last, f"{first} {last}"


def _work_email(first: str, last: str, domain: str, rng: random.Random) -> str:
    f, la = _ascii_slug(first, ""), _ascii_slug(last, "")
    local = rng.choice((f"{f}.{la}", f"{f[0]}{la}", f, f"{f}.{la[0]}"))
    return f"{local}@{domain}"


def _free_email(first: str, last: str, country: str, rng: random.Random) -> str:
    f, la = _ascii_slug(first, ""), _ascii_slug(last, "")
    local = rng.choice(
        (
            f"{f}.{la}",
            f"{f}{la}{rng.randrange(10, 99)}",
            f"{f[0]}{la}{rng.randrange(1960, 2002)}",
            f"{la}.{f}",
            f"{f}_{la}",
        )
    )
    return f"{local}@{rng.choice(_FREE_MAIL[country])}"


# --------------------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Customer:
    """A Google Ads account (a manager account or a client account)."""

    customer_id: str  # 10 digits
    descriptive_name: str
    currency_code: str
    time_zone: str
    manager: bool
    contact_email: str
    contact_phone: str
    domain: str
    city: str
    country: str
    kind: str

    @property
    def display_id(self) -> str:
        return format_customer_id(self.customer_id)

    @property
    def resource_name(self) -> str:
        return f"customers/{self.customer_id}"

    def to_api(self) -> dict[str, Any]:
        return {
            "resourceName": self.resource_name,
            "customerId": self.customer_id,
            "descriptiveName": self.descriptive_name,
            "currencyCode": self.currency_code,
            "timeZone": self.time_zone,
            "manager": self.manager,
            "contactEmail": self.contact_email,
            "contactPhone": self.contact_phone,
        }


@dataclass(frozen=True)
class Campaign:
    customer_id: str
    campaign_id: str
    name: str
    status: str
    channel: str
    start_date: str
    end_date: str
    impressions: int
    clicks: int
    cost_micros: int
    conversions: float

    @property
    def resource_name(self) -> str:
        return f"customers/{self.customer_id}/campaigns/{self.campaign_id}"

    @property
    def ctr(self) -> float:
        return self.clicks / self.impressions if self.impressions else 0.0

    @property
    def average_cpc(self) -> float:
        return self.cost_micros / self.clicks if self.clicks else 0.0

    def to_api(self, customer: Customer) -> dict[str, Any]:
        """One `GoogleAdsService.Search` row (REST JSON, camelCase)."""
        return {
            "customer": {
                "resourceName": customer.resource_name,
                "id": customer.customer_id,
                "descriptiveName": customer.descriptive_name,
                "currencyCode": customer.currency_code,
            },
            "campaign": {
                "resourceName": self.resource_name,
                "id": self.campaign_id,
                "name": self.name,
                "status": self.status,
                "advertisingChannelType": self.channel,
                "startDate": self.start_date,
                "endDate": self.end_date,
            },
            "metrics": {
                "impressions": self.impressions,
                "clicks": self.clicks,
                "costMicros": self.cost_micros,
                "ctr": self.ctr,
                "averageCpc": self.average_cpc,
                "conversions": self.conversions,
            },
        }


@dataclass(frozen=True)
class Site:
    site_url: str
    permission_level: str
    customer_id: str

    def to_api(self) -> dict[str, Any]:
        return {"siteUrl": self.site_url, "permissionLevel": self.permission_level}


@dataclass(frozen=True)
class Contact:
    contact_id: str
    full_name: str
    email: str
    phone_number: str
    company: str
    customer_id: str
    title: str
    notes: str

    def to_api(self) -> dict[str, Any]:
        return {
            "contactId": self.contact_id,
            "fullName": self.full_name,
            "email": self.email,
            "phoneNumber": self.phone_number,
            "company": self.company,
            "customerId": self.customer_id,
            "title": self.title,
            "notes": self.notes,
        }

    def summary(self) -> dict[str, Any]:
        return {
            "contactId": self.contact_id,
            "fullName": self.full_name,
            "email": self.email,
            "company": self.company,
        }


@dataclass(frozen=True)
class Agency:
    """The whole fake world for one seed. `customers[0]` is the agency's manager (MCC) account."""

    seed: int
    customers: tuple[Customer, ...]
    campaigns: Mapping[str, tuple[Campaign, ...]] = field(hash=False)
    sites: tuple[Site, ...]
    contacts: tuple[Contact, ...]
    ibans: tuple[str, ...]  # every IBAN written into a CRM note (compact form)
    card_numbers: tuple[str, ...]  # every card number written into a CRM note (digits only)

    @property
    def manager(self) -> Customer:
        return self.customers[0]

    @property
    def clients(self) -> tuple[Customer, ...]:
        return tuple(c for c in self.customers if not c.manager)

    def customer(self, customer_id: str) -> Customer | None:
        """Look up by `1234567890`, `123-456-7890` or `customers/1234567890`; None if unknown or malformed."""
        try:
            cid = normalize_customer_id(customer_id)
        except ValueError:
            return None
        return next((c for c in self.customers if c.customer_id == cid), None)

    def campaigns_for(self, customer_id: str) -> tuple[Campaign, ...]:
        customer = self.customer(customer_id)
        return self.campaigns.get(customer.customer_id, ()) if customer else ()

    def site(self, site_url: str) -> Site | None:
        return next((s for s in self.sites if s.site_url == site_url), None)

    def contact(self, contact_id: str) -> Contact | None:
        return next((c for c in self.contacts if c.contact_id == contact_id), None)

    def search_contacts(self, query: str) -> list[Contact]:
        """Case-insensitive substring match over name, email, phone, company, customer id and notes."""
        needle = query.strip().casefold()
        if not needle:
            return list(self.contacts)
        digits = re.sub(r"\D", "", query)
        hits = []
        for c in self.contacts:
            hay = " ".join((c.full_name, c.email, c.phone_number, c.company, c.customer_id, c.title, c.notes))
            if needle in hay.casefold() or (len(digits) >= 7 and digits in re.sub(r"\D", "", c.phone_number)):
                hits.append(c)
        return hits


# --------------------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------------------


def _domain(profile: _Profile) -> str:
    return f"{profile.slug}.example"


def _customer(rng: random.Random, profile: _Profile, used_ids: set[str], manager: bool) -> Customer:
    while True:
        cid = str(rng.randrange(1_000_000_000, 10_000_000_000))
        if cid not in used_ids:
            used_ids.add(cid)
            break
    first, last, _ = _person(rng, profile.country)
    domain = _domain(profile)
    email = (
        _work_email(first, last, domain, rng)
        if rng.random() < 0.7
        else _free_email(first, last, profile.country, rng)
    )
    return Customer(
        customer_id=cid,
        descriptive_name=profile.name,
        currency_code=profile.currency,
        time_zone=profile.time_zone,
        manager=manager,
        contact_email=email,
        contact_phone=_phone(rng, profile.country, profile.city),
        domain=domain,
        city=profile.city,
        country=profile.country,
        kind=profile.kind,
    )


def _campaign_names(customer: Customer, rng: random.Random) -> list[str]:
    kws = _KEYWORDS[customer.kind]
    name, city = customer.descriptive_name, customer.city
    options = [
        f"{name} – Brand – Search",
        f"{name} – Generic – {city}",
        f"{kws[0].title()} – {city} – Performance Max",
        f"Remarketing – {name}",
        f"{kws[1].title()} | Exact | {customer.country}",
        f"{name} | {kws[2]} | Phrase",
        f"Display – Prospecting – {city}",
        f"YouTube – {name} – Awareness Q{rng.randint(1, 4)}",
        f"{kws[3].title()} – {rng.choice(_NEIGHBOURHOODS[city]).title()}",
    ]
    first = options[0]
    rest = rng.sample(options[1:], rng.randint(2, 5))
    return [first, *rest]


def _campaigns(rng: random.Random, customer: Customer) -> tuple[Campaign, ...]:
    out = []
    for name in _campaign_names(customer, rng):
        impressions = int(rng.lognormvariate(10.5, 1.3)) + 500
        clicks = max(1, int(impressions * rng.uniform(0.008, 0.09)))
        cpc_micros = int(rng.uniform(0.35, 14.0) * 1_000_000)
        cost_micros = clicks * cpc_micros
        cost_micros -= cost_micros % 10_000  # Google rounds to the currency's minor unit
        start = f"20{rng.randint(22, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        end = (
            "2037-12-30" if rng.random() < 0.7 else f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
        channel = (
            "PERFORMANCE_MAX"
            if "Performance Max" in name
            else (
                "VIDEO"
                if name.startswith("YouTube")
                else ("DISPLAY" if name.startswith(("Display", "Remarketing")) else "SEARCH")
            )
        )
        out.append(
            Campaign(
                customer_id=customer.customer_id,
                campaign_id=str(rng.randrange(10_000_000_000, 23_000_000_000)),  # 11 digits, like real ones
                name=name,
                status=rng.choice(_CAMPAIGN_STATUSES),
                channel=channel,
                start_date=start,
                end_date=end,
                impressions=impressions,
                clicks=clicks,
                cost_micros=cost_micros,
                conversions=round(clicks * rng.uniform(0.01, 0.12), 2),
            )
        )
    return tuple(out)


def _sites(rng: random.Random, customer: Customer) -> list[Site]:
    sites = [Site(f"https://www.{customer.domain}/", rng.choice(_PERMISSION_LEVELS), customer.customer_id)]
    if rng.random() < 0.6:
        sites.append(Site(f"sc-domain:{customer.domain}", "siteOwner", customer.customer_id))
    return sites


def _note(rng: random.Random, customer: Customer, ibans: list[str], cards: list[str]) -> str:
    country, city = customer.country, customer.city
    first, last, other = _person(rng, country)
    other_email = (
        _work_email(first, last, customer.domain, rng)
        if rng.random() < 0.6
        else _free_email(first, last, country, rng)
    )
    phone = _phone(rng, country, city, mobile=rng.random() < 0.3)
    amount = rng.choice((500, 750, 1200, 2500, 4000, 8000))
    symbol = {"USD": "$", "GBP": "£", "EUR": "€"}[customer.currency_code]
    choice = rng.randrange(8)
    if choice == 0:
        return f"Spoke to {other} ({other_email}) about renewal; call back on {phone}."
    if choice == 1:
        iban = make_iban(rng, "GB" if country == "GB" else "DE")
        ibans.append(iban)
        shown = rng.choice((iban, _group(iban)))
        return (
            f"Agency fee refund of {symbol}{amount} to IBAN {shown} (ref INV-{rng.randrange(10000, 99999)}). "
            f"Confirmed by {other} on {phone}."
        )
    if choice == 2:
        card = make_card_number(rng)
        cards.append(card)
        return (
            f"{other} read out card {_format_card(rng, card)} (exp {rng.randint(1, 12):02d}/"
            f"{rng.randint(27, 31)}) for the setup fee; told them not to send card numbers by email again."
        )
    if choice == 3:
        return (
            f"Account {customer.display_id} budget raised to {symbol}{amount}/month after a call with "
            f"{other}. Send the revised IO to {other_email}."
        )
    if choice == 4:
        return f"Left voicemail for {other} at {phone}; follow up by email {other_email} on Monday."
    if choice == 5:
        f2, l2, _ = _person(rng, country)
        old = _free_email(f2, l2, country, rng)
        return f"{other} from accounts asked to change the billing email to {other_email} (old: {old})."
    if choice == 6:
        return (
            f"Met {other} at the {city} trade fair; wants a Performance Max test. Mobile "
            f"{_phone(rng, country, city, mobile=True)}."
        )
    return (
        f"Search Console access for https://www.{customer.domain}/ granted to {other_email}; "
        f"{other} will verify sc-domain:{customer.domain} via DNS."
    )


def _contacts(
    rng: random.Random, customer: Customer, start: int, ibans: list[str], cards: list[str]
) -> list[Contact]:
    out = []
    for i in range(rng.randint(2, 3)):
        first, last, full = _person(rng, customer.country)
        email = (
            _work_email(first, last, customer.domain, rng)
            if rng.random() < 0.75
            else _free_email(first, last, customer.country, rng)
        )
        notes = " ".join(_note(rng, customer, ibans, cards) for _ in range(rng.randint(1, 2)))
        out.append(
            Contact(
                contact_id=f"ct_{start + i:04d}",
                full_name=full,
                email=email,
                phone_number=_phone(rng, customer.country, customer.city, mobile=rng.random() < 0.25),
                company=customer.descriptive_name,
                customer_id=customer.customer_id,
                title=rng.choice(_TITLES_DE if customer.country == "DE" else _TITLES),
                notes=notes,
            )
        )
    return out


@lru_cache(maxsize=8)
def agency(seed: int = 7) -> Agency:
    """The fake agency for `seed`: a manager account, ten client accounts with campaigns, their Search Console
    sites and CRM contacts. Same seed, same data; cached, and every record is immutable."""
    rng = random.Random(seed)
    used: set[str] = set()
    customers = [_customer(rng, _AGENCY_PROFILE, used, manager=True)]
    customers += [_customer(rng, p, used, manager=False) for p in _PROFILES]
    campaigns = {c.customer_id: _campaigns(rng, c) for c in customers[1:]}
    sites = [s for c in customers[1:] for s in _sites(rng, c)]
    ibans: list[str] = []
    cards: list[str] = []
    contacts: list[Contact] = []
    for c in customers[1:]:
        contacts += _contacts(rng, c, len(contacts) + 1, ibans, cards)
    # Make sure the corpus always carries a few IBANs and card numbers, whatever the seed drew.
    i = 0
    while len(ibans) < 3 or len(cards) < 3:
        owner = contacts[i % len(contacts)]
        customer = next(c for c in customers if c.customer_id == owner.customer_id)
        if len(ibans) < 3:
            ibans.append(make_iban(rng, "GB" if customer.country == "GB" else "DE"))
            contacts[i % len(contacts)] = owner = _with_note(owner, f"Refund to IBAN {ibans[-1]} approved.")
        if len(cards) < 3:
            cards.append(make_card_number(rng))
            contacts[i % len(contacts)] = _with_note(
                owner, f"Card on file {_format_card(rng, cards[-1])} for {customer.descriptive_name}."
            )
        i += 1
    return Agency(
        seed=seed,
        customers=tuple(customers),
        campaigns=MappingProxyType(campaigns),
        sites=tuple(sites),
        contacts=tuple(contacts),
        ibans=tuple(ibans),
        card_numbers=tuple(cards),
    )


def _with_note(contact: Contact, extra: str) -> Contact:
    return Contact(**{**contact.__dict__, "notes": f"{contact.notes} {extra}"})


# --------------------------------------------------------------------------------------------------------
# Search Console search analytics
# --------------------------------------------------------------------------------------------------------


def _profile_for_site(site_url: str | None) -> _Profile:
    if site_url:
        for p in _PROFILES:
            if _domain(p) in site_url:
                return p
    return _PROFILES[0]


def _query_pool(rng: random.Random, profile: _Profile, size: int) -> list[str]:
    kws = _KEYWORDS[profile.kind]
    hoods = _NEIGHBOURHOODS[profile.city]
    codes = _POSTCODES[profile.city]
    german = profile.country == "DE"
    prefixes = _QUERY_PREFIXES_DE if german else _QUERY_PREFIXES_EN
    suffixes = _QUERY_SUFFIXES_DE if german else _QUERY_SUFFIXES_EN
    city = profile.city.lower()
    places = ("", "", city, city, *hoods, *codes, f"{city} {hoods[0]}")
    brand = _ascii_slug(profile.name, " ").replace(" llc", "").replace(" gmbh", "").replace(" ltd", "")
    brand_queries = [
        brand,
        f"{brand} reviews",
        f"{brand} phone number",
        f"{brand} opening hours",
        f"{profile.name.lower()}",
        f"{brand} {city}",
        f"{brand} careers",
        f"{brand} login",
    ]
    seen: set[str] = set()
    pool: list[str] = []

    def add(q: str) -> None:
        q = " ".join(q.split())
        if q and q not in seen:
            seen.add(q)
            pool.append(q)

    for q in brand_queries:
        add(q)
    attempts = 0
    while len(pool) < size and attempts < size * 20:
        attempts += 1
        r = rng.random()
        if r < 0.035:  # what real users type: names, emails, phone numbers
            first, last, full = _person(rng, profile.country)
            kind = rng.randrange(5)
            if kind == 0:
                add(f"{full.lower()} {brand}")
            elif kind == 1:
                add(f"{full.lower()} {rng.choice(kws)}")
            elif kind == 2:
                add(_free_email(first, last, profile.country, rng))
            elif kind == 3:
                add(f"{brand} contact {_work_email(first, last, _domain(profile), rng)}")
            else:
                add(f"{full.lower()} phone number")
            continue
        add(f"{rng.choice(prefixes)} {rng.choice(kws)} {rng.choice(suffixes)} {rng.choice(places)}")
    return pool


def _page_pool(profile: _Profile) -> list[str]:
    base = f"https://www.{_domain(profile)}/"
    kws = _KEYWORDS[profile.kind]
    pages = [
        base,
        f"{base}contact/",
        f"{base}about/",
        f"{base}reviews/",
        f"{base}services/",
        f"{base}pricing/",
    ]
    for kw in kws:
        slug = _ascii_slug(kw, "-")
        pages += [
            f"{base}services/{slug}/",
            f"{base}blog/{slug}-guide/",
            f"{base}blog/how-much-does-{slug}-cost/",
        ]
    for hood in _NEIGHBOURHOODS[profile.city]:
        pages.append(f"{base}locations/{_ascii_slug(hood, '-')}/")
    return pages


def _skewed(rng: random.Random, size: int) -> int:
    return min(size - 1, int(size * rng.random() ** 2.2))


def search_analytics_rows(n: int, seed: int, site_url: str | None = None) -> list[dict[str, Any]]:
    """`n` rows of a `searchanalytics.query` response with `dimensions: ["query", "page"]`, sorted by clicks
    like the API does. About 180 bytes of compact JSON per row (n=25,000 ≈ 4.6 MB). Rows are unique per
    (query, page). `site_url` picks whose vocabulary is used (default: Acme Plumbing)."""
    if n <= 0:
        return []
    profile = _profile_for_site(site_url)
    rng = random.Random(f"search-analytics:{seed}:{profile.slug}:{n}")
    queries = _query_pool(rng, profile, max(40, min(6000, n // 4)))
    pages = _page_pool(profile)
    nq, np_ = len(queries), len(pages)
    max_pairs = nq * np_
    n = min(n, max_pairs)
    seen: set[tuple[int, int]] = set()
    rows: list[dict[str, Any]] = []
    random_ = rng.random
    while len(rows) < n:
        qi, pi = _skewed(rng, nq), _skewed(rng, np_)
        if (qi, pi) in seen:
            qi, pi = int(random_() * nq), int(random_() * np_)
            if (qi, pi) in seen:
                continue
        seen.add((qi, pi))
        impressions = 1 + int(rng.paretovariate(1.15) * 6) + (3000 if qi < 4 else 0)
        position_sum = impressions * (1 + rng.random() * (8 if qi < 40 else 45)) + random_() * impressions
        position = position_sum / impressions
        expected_ctr = 0.32 / (position**1.3)
        clicks = int(impressions * expected_ctr * rng.uniform(0.4, 1.6))
        rows.append(
            {
                "keys": [queries[qi], pages[pi]],
                "clicks": clicks,
                "impressions": impressions,
                "ctr": clicks / impressions,
                "position": position,
            }
        )
    rows.sort(key=lambda r: (-r["clicks"], -r["impressions"]))
    return rows


def search_analytics_response(n: int, seed: int, site_url: str | None = None) -> dict[str, Any]:
    """The `searchanalytics.query` response body: `{"rows": [...], "responseAggregationType": "byPage"}`."""
    return {"rows": search_analytics_rows(n, seed, site_url), "responseAggregationType": "byPage"}
