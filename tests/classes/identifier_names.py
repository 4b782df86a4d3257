"""Person names where a system or a search box wrote them without capitals or spaces, and the product and
place names that look like them (red team round six, issue 15).

- `names_in_identifiers`: a name glued into a URL slug, a file, branch, host or device name
  (`linkedin.com/in/maria-gonzalez-4b2a19`, `Maria_Gonzalez_Resume_2024.pdf`, `feature/mgonzalez-fix`,
  `Sofia-Hernandezs-MacBook-Pro.local`, `DESKTOP-LGARCIA`), beside service hosts, branches, slugs of
  article titles and report files that must stay as written.
- `names_in_search_queries`: a full name typed lower case into a search box (a Search Console row's
  `keys`, a `query` dimension, a search log), beside queries for products and places that start with a
  given name (`jordan shoes`, `grant park chicago`).
- `product_and_place_names`: a given name that is also the first word of a product, a place or a
  phrase (`Jordan Air Max`, `Georgia Peach Tea`, `Grant Park`) in prose, beside a real person's name.

Each builder takes a `random.Random`. The label says whether the name list (`tests.classes.name_lists`)
drew a pair the detector's lexicons know with a surname of no dictionary (`strong`), with a surname that
is also a word (`lexicon`: `Decker`, `Bonnet`), or not at all (`unknown`): the judges hold the first to
the bar everywhere, the second where the place says "a person", and report the rest.
"""

from __future__ import annotations

import json
import re
from random import Random

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.name_lists import ascii_only
from tests.classes.planting import Planted
from tests.classes.structured_names import _name


def _ascii_name(rng: Random) -> tuple[str, str]:
    """A given name and a one-word surname, as an identifier or a search box writes them (ASCII)."""
    while True:
        first, last = _name(rng)
        f, la = re.sub(r"[^A-Za-z]", "", ascii_only(first)), re.sub(r"[^A-Za-z]", "", ascii_only(last))
        if len(f) >= 3 and len(la) >= 3 and "-" not in last and " " not in last and "'" not in last:
            return f.title(), la.title()


def lexicon_pair(first: str, last: str) -> bool:
    """Both words in the detector's name lists at all (a given name; a census surname): the pairs the
    brief holds to the bar, whatever else the detector decides about them."""
    from proxy.detect.name_lexicon import census_surnames, first_names

    return first.casefold() in first_names() and last.casefold() in census_surnames()


def strong_pair(first: str, last: str) -> bool:
    """A lexicon pair whose given name is a clear one and whose surname is no word of the language in any
    dictionary or vocabulary: the pairs a lower-case query is judged by (`maria gonzalez`; not `eva
    levy`, whose `levy` is a word)."""
    from proxy.detect.name_lexicon import in_dictionary, is_english_word, is_vocabulary_word
    from proxy.detect.name_words import STRONG, given_evidence

    word = in_dictionary(last) or is_english_word(last) or is_vocabulary_word(last)
    return lexicon_pair(first, last) and given_evidence(first) == STRONG and not word


def _part(word: str) -> str:
    """A name word as the needle finds it in an identifier: letters around it are no boundary of its own,
    `_`, `-`, `.` and digits are (a possessive `s` still shows the name)."""
    return r"(?<![a-z])" + re.escape(word.casefold()) + r"s?(?![a-z])"


def _person(first: str, last: str) -> Planted:
    """Found while either part is readable on its own, or both glued together (`MariaGonzalez_...`), where
    no boundary sets either part apart."""
    glued = re.escape((first + last).casefold())
    return Planted("person", f"{first} {last}", f"{_part(first)}|{_part(last)}|{glued}")


def _apart(rng: Random, planted: Planted, pool: tuple[str, ...], k: int = 1) -> list[str]:
    """`k` strings of `pool` in which the planted needle is not found (a survivor that holds the planted
    given name, `jordan shoes` beside a Jordan, would be read as a leak)."""
    clear = [s for s in pool if not planted.found_in(s.casefold())]
    return rng.sample(clear, k)


def _login(login: str, last: str) -> Planted:
    """An initial glued to the surname (`lgarcia`): found while the login or the surname is readable."""
    return Planted("person", login, f"{_part(login)}|{_part(last)}")


# ------------------------------------------------------------------------------------- class A: identifiers
# Identifiers systems write that hold no name: they must reach the client as written.
IDENTIFIER_SURVIVORS = (
    "web-01.prod.internal", "build-agent-3", "fix/login-timeout", "feature/add-retry-budget",
    "api-gateway-7f9c", "/blog/how-to-fix-a-leaking-tap", "/blog/best-running-shoes-2026",
    "Q3_Sales_Report_2024.xlsx", "monthly-invoice-summary.pdf", "America/Santo_Domingo", "Asia/Hong_Kong",
    "redis-master-0.cache.svc", "release/v2.14.0", "kafka-broker-2", "DESKTOP-7QK2M4L",
    "grafana-dashboard.json", "jordan-air-max-1-retro", "/products/georgia-peach-tea",
    "/visit/grant-park-chicago", "chore/bump-deps", "node-exporter-x7k2p",
)  # fmt: skip


def _identifier(rng: Random, first: str, last: str) -> tuple[str, str, Planted]:
    f, la = first.lower(), last.lower()
    sep = rng.choice("-_.")
    style = rng.choice(
        ["linkedin", "team", "author", "resume", "vcard", "branch-pair", "branch-login", "macbook", "desktop",
         "iphone", "laptop"]
    )  # fmt: skip
    planted = _person(first, last)
    if style == "linkedin":
        text = f"https://www.linkedin.com/in/{f}-{la}-{rng.randrange(16**6):06x}"
    elif style == "team":
        site = rng.choice(["acme", "globex", "initech"])
        place = rng.choice(["team", "people", "staff", "about/team"])
        text = f"https://www.{site}.example/{place}/{f}-{la}"
    elif style == "author":
        key = rng.choice(["author", "by", "writer"])
        text = f"https://blog.example.org/posts?{key}={f}-{la}&page={rng.randrange(1, 9)}"
    elif style == "resume":
        text = rng.choice(
            [
                "{F}_{L}_Resume_{y}.pdf",
                "{f}{s}{l}{s}cv.docx",
                "Offer_Letter_{F}_{L}.pdf",
                "{F}{L}_Passport_Scan.jpg",
            ]
        )
        text = text.format(F=first, L=last, f=f, l=la, s=sep, y=rng.randrange(2018, 2027))
    elif style == "vcard":
        text = f"contacts/{f}{rng.choice('._')}{la}.vcf"
    elif style == "branch-pair":
        text = f"{f}-{la}/{rng.choice(['login-bug', 'fix-timeouts', 'wip', 'new-report'])}"
    elif style == "branch-login":
        login = f"{f[0]}{la}"
        text = (
            f"{rng.choice(['feature', 'bugfix', 'hotfix'])}/{login}-{rng.choice(['fix', 'cleanup', 'retry'])}"
        )
        planted = _login(login, last)
    elif style == "macbook":
        text = f"{first}-{last}s-{rng.choice(['MacBook-Pro', 'MacBook-Air', 'iMac'])}.local"
    elif style == "desktop":
        login = f"{f[0]}{la}".upper()
        text = f"{rng.choice(['DESKTOP', 'LAPTOP'])}-{login}"
        planted = _login(login, last)
    elif style == "iphone":
        text = f"{first}s-{rng.choice(['iPhone', 'iPad'])}"
        planted = Planted("person", first, _part(first))
    else:
        text = f"{f}-{la}-{rng.choice(['laptop', 'desktop', 'pc', 'mbp'])}"
    return text, style, planted


def names_in_identifiers(rng: Random) -> Case:
    """One identifier holding a person's name, in a log line or under a neutral key, beside identifiers
    of the same kinds that hold none."""
    first, last = _ascii_name(rng)
    ident, style, planted = _identifier(rng, first, last)
    [survivor] = _apart(rng, planted, IDENTIFIER_SURVIVORS)
    known = "strong" if strong_pair(first, last) else "lexicon" if lexicon_pair(first, last) else "unknown"
    carrier = rng.choice(["log", "structured"])
    if carrier == "log":
        line = rng.choice(["GET {i} 200", "synced {i} ok", "uploaded {i}", "checkout {i}", "seen: {i}"])
        result = tool_result(line.format(i=ident) + "\n" + f"also: {survivor}")
    else:
        key = rng.choice(["url", "path", "file", "ref", "hostname", "device", "source"])
        result = tool_result(structured={key: ident, "other": survivor, "n": rng.randrange(99)})
    return Case(
        "names-identifiers",
        [call(result, rng.choice(["read_logs", "list_files", "crawl"]))],
        [planted],
        [Survivor(survivor, label="identifier")],
        label=f"{known}:{style}:{carrier}",
    )


# ------------------------------------------------------------------------------------ class B: search queries
# Queries led by a given name that are about products, places and brands: they must stay as typed.
QUERY_SURVIVORS = (
    "jordan shoes", "grant park chicago", "georgia peach tea", "austin texas plumber", "best buy",
    "nike air max 90", "plumber near me", "victoria secret gift card", "jordan 1 retro high",
    "sydney opera house", "florence italy hotels", "charlotte nc weather", "paris hilton hotel",
    "virginia beach rentals", "mark down sale", "will call tickets", "chase bank login",
    "dakota county jobs", "savannah ga tours",
)  # fmt: skip
QUERY_FORMS = (
    "{f} {l}", "{f} {l} {kw}", "{kw} {f} {l}", "dr {f} {l} {kw}", "{f} {l} linkedin", "{f} {l} phone number",
    "{f} {l} {city}", "is {f} {l} still at {brand}",
)  # fmt: skip
_KEYWORDS = ("realtor", "dentist", "lawyer", "plumber", "obituary", "reviews", "contact", "instagram", "md")
_CITIES = ("austin", "chicago", "denver", "berlin", "madrid", "lyon")


def names_in_search_queries(rng: Random) -> Case:
    """A Search Console response (`rows[].keys[]`, dimensions query and page, or a `query` field) or a
    search log, one query holding a person's name in lower case, the others queries for products and
    places that start with a given name."""
    first, last = _ascii_name(rng)
    query = rng.choice(QUERY_FORMS).format(
        f=first.lower(), l=last.lower(), kw=rng.choice(_KEYWORDS), city=rng.choice(_CITIES), brand="acme"
    )
    planted = Planted("person", f"{first} {last}", f"{_part(first)}|{_part(last)}")
    others = _apart(rng, planted, QUERY_SURVIVORS, 3)
    queries = [query, *others]
    rng.shuffle(queries)
    known = "strong" if strong_pair(first, last) else "lexicon" if lexicon_pair(first, last) else "unknown"
    page = "https://www.acme-plumbing.example/"
    shape = rng.choice(["keys", "query-field", "log", "json-text"])
    if shape in ("keys", "json-text"):
        rows = [
            {"keys": [q, page], "clicks": rng.randrange(40), "impressions": rng.randrange(40, 900),
             "ctr": round(rng.random() / 10, 4), "position": round(rng.uniform(1, 40), 1)}
            for q in queries
        ]  # fmt: skip
        body = {"rows": rows, "responseAggregationType": "byPage"}
        result = tool_result(json.dumps(body)) if shape == "json-text" else tool_result(structured=body)
    elif shape == "query-field":
        rows = [
            {"query": q, "clicks": rng.randrange(40), "impressions": rng.randrange(40, 900)} for q in queries
        ]
        result = tool_result(structured={"rows": rows})
    else:
        lines = [
            f"2026-12-0{i + 1}T10:0{i}:00Z q={json.dumps(q)} results={rng.randrange(1, 90)}"
            for i, q in enumerate(queries)
        ]
        result = tool_result("\n".join(lines))
    return Case(
        "names-queries",
        [call(result, "search_analytics_query")],
        [planted],
        [Survivor(q, label="product-or-place-query") for q in others],
        label=f"{known}:{shape}",
    )


# --------------------------------------------------------------------------- class C: products and places
# A given name (or a word that is one) leading a product, a place or a phrase: no person.
LOOKALIKES = (
    "Jordan Air Max", "Georgia Peach Tea", "Victoria Secret", "Grant Park", "Jordan Retro High",
    "Sydney Opera House", "Florence Cathedral", "Austin Convention Center", "Victoria Station",
    "Regent Street", "Madison Square Garden", "Grant Park Music Festival", "Georgia Aquarium",
    "Austin Airport", "Jordan Brand Classic", "Charlotte Airport", "Lincoln Park Zoo",
    "Washington Square Park", "Chelsea Market", "Virginia Beach", "Savannah River",
    "Florence Street Market", "Victoria Park", "Hamilton Beach Blender", "Austin Peach Cobbler",
)  # fmt: skip
# Of those, a given name and a frequent surname that is also a kind of place, alone: `Grant Park` reads as
# `Jenny Park` does. Reported, not held to the bar (`proxy/detect/name_phrases.py`).
AMBIGUOUS = frozenset(("Grant Park", "Victoria Park", "Virginia Beach"))
_FRAMES = (
    "Order 4471: {p} ({n} units) shipped to {who}.",
    "{who} asked whether the {p} display is back in stock.",
    "Campaign note: {p} ads paused; {who} approved the new budget.",
    "Meeting at {p} on Friday with {who}.",
)


def product_and_place_names(rng: Random) -> Case:
    """A product, place or phrase led by a given name, in the same note as a real person's name: the
    person goes, the product stays."""
    first, last = _ascii_name(rng)
    planted = _person(first, last)
    [lookalike] = _apart(rng, planted, LOOKALIKES)
    text = rng.choice(_FRAMES).format(p=lookalike, n=rng.randrange(2, 40), who=f"{first} {last}")
    known = "lexicon" if lexicon_pair(first, last) else "unknown"
    return Case(
        "names-lookalikes",
        [call(tool_result(text), "crm_notes")],
        [planted],
        [Survivor(lookalike, label="product-or-place")],
        label=f"{known}:{'ambiguous' if lookalike in AMBIGUOUS else 'decidable'}:{lookalike}",
    )
