"""Person names written in lower case where the place around them says "a person" or "a query" (red team
round eight, classes 8 to 10, issue 15): the text is no prose and has no capitals to read a name by.

- `names_in_mailbox_displays`: the display name of an address (RFC 5322 `display <addr>`,
  `"display" <addr>`, `addr (display)`): git's `author:` line, mail headers, package metadata
  (`"author": "name <email> (url)"`), a `cc:` list, beside display names of no person
  (`acme support <support@…>`).
- `names_in_link_texts`: the visible text of a chat mention or a link (Slack `<@U…|name>`,
  `<mailto:…|name>`, `<url|name>`, Markdown `[name](url)`, HTML `<a …>name</a>`), in a message's `text`, a
  Block Kit block or a text block, beside link texts of no person (`[release notes](…)`).
- `names_in_query_slots`: a name in a search query the way reports and logs carry one: quoted, with an
  operator (`site:`, `intitle:`), reversed, with a middle initial or a possessive, punctuated, beside an
  acronym; in a URL's query string under any search key (`?s=`, `?p=`, `?wd=`, `utm_term=`), a log's
  `key=value`, a JSON text, a CSV, TSV or Markdown report under a query column, a list under a heading;
  beside queries for products and places led by a given name (`jordan shoes`), in the same layout.

Names come from the planting lists (`_ascii_name`); the label says whether the detector's lexicons know the
pair with a surname of no dictionary (`strong`), with one that is also a word (`lexicon`), or not at all
(`unknown`). The judges hold `strong` to the bar everywhere and report the rest.
"""

from __future__ import annotations

import json
from random import Random
from typing import Any

from tests.classes.case import Case, Survivor, call, nest, tool_result
from tests.classes.identifier_names import _apart, _ascii_name, _part, lexicon_pair, strong_pair
from tests.classes.planting import Planted


def _known(first: str, last: str) -> str:
    return "strong" if strong_pair(first, last) else "lexicon" if lexicon_pair(first, last) else "unknown"


def _planted(first: str, last: str) -> Planted:
    """Found while the given name or the surname is readable as a word of its own (an address or a handle
    glued from them is found too: `mgonzalez@…` keeps `gonzalez` readable)."""
    return Planted("person", f"{first} {last}", f"{_part(first)}|{_part(last)}")


def _cased(rng: Random, first: str, last: str) -> tuple[str, str, str]:
    """The name as the writer typed it: mostly lower case (the class), sometimes title case or capitals."""
    case = rng.choices(["lower", "title", "upper"], weights=[8, 1, 1])[0]
    f, la = (first.lower(), last.lower()) if case == "lower" else (first, last)
    if case == "upper":
        f, la = f.upper(), la.upper()
    return f, la, case


def _placed(rng: Random, text: str, key: str) -> tuple[dict[str, Any], str]:
    """`text` as a text block, a field of structuredContent (nested or not) or a JSON text."""
    where = rng.choice(["text", "field", "nested", "json-text"])
    if where == "text":
        return tool_result(text), where
    body = {key: text, "id": rng.randrange(10**6)}
    if where == "nested":
        return tool_result(structured=nest(rng, body, rng.randrange(1, 4))), where
    if where == "json-text":
        return tool_result(json.dumps(body)), where
    return tool_result(structured=body), where


# --------------------------------------------------------------------------------- class 8: mailbox displays
_DOMAINS = ("example.com", "users.noreply.github.com", "acme.example", "mail.example.org")
# Display names of no person (a team, a service, a product led by a given name): must stay readable.
MAILBOX_SURVIVORS = (
    "acme support", "billing team", "no reply", "jordan shoes", "github actions", "georgia peach tea",
    "grant park tickets", "release bot", "ops oncall", "austin plumbing co", "victoria secret orders",
    "the newsletter",
)  # fmt: skip
_MAILBOX_FORMS = (
    "author: {d} <{a}>",
    "Author: {d} <{a}>\nDate:   Mon Dec 7 10:02:11 2026 +0100\n\n    fix retry budget",
    "From: {d} <{a}>",
    "from: {d} <{a}>\nsubject: invoice 4471",
    'To: "{d}" <{a}>',
    "reply-to: {d} <{a}>",
    "maintainer: {d} <{a}>",
    "owner: {a} ({d})",
    "committed by {d} <{a}> 2 days ago",
    "cc: {d} <{a}>, ops@example.com",
    "to: ops@example.com, {d} <{a}>",
    "{d} <{a}> wrote:",
    "Merge: 3f2a1c9 8be01d4\nAuthor: {d} <{a}>",
)


def _address(rng: Random, f: str, la: str) -> str:
    local = rng.choice([f"{f[0]}{la}", f"{f}.{la}", f"{la}{f[0]}"]).lower()
    return f"{local}@{rng.choice(_DOMAINS)}"


def names_in_mailbox_displays(rng: Random) -> Case:
    """One mailbox whose display name is a person's, in a header line, a git log or package metadata, and
    one whose display name names no person."""
    first, last = _ascii_name(rng)
    f, la, case = _cased(rng, first, last)
    planted = _planted(first, last)
    [other] = _apart(rng, planted, MAILBOX_SURVIVORS)
    display = f"{f} {la}"
    form = rng.choice([*_MAILBOX_FORMS, "npm-author", "contributors"])
    addr = _address(rng, first, last)
    other_line = f"reply-to: {other} <{other.split()[0]}@acme.example>"
    if form == "npm-author":
        body: Any = {"name": "retry-budget", "author": f"{display} <{addr}> (https://{la.lower()}.dev)"}
        body["bugs"] = other_line
        result, where = tool_result(structured=body), "npm"
    elif form == "contributors":
        body = {"contributors": [f"{display} <{addr}>", f"{other} <team@acme.example>"]}
        result, where = tool_result(structured=body), "contributors"
    else:
        text = form.format(d=display, a=addr)
        result, where = _placed(rng, f"{text}\n{other_line}", rng.choice(["header", "log", "raw", "line"]))
    return Case(
        "names-mailbox-display",
        [call(result, rng.choice(["git_log", "read_mail", "package_info"]))],
        [planted],
        [Survivor(other, label="display-of-no-person")],
        label=f"{_known(first, last)}:{form.split(':')[0].split()[0]}:{case}:{where}",
    )


# ------------------------------------------------------------------------------------- class 9: link texts
LINK_SURVIVORS = (
    "release notes", "jordan shoes", "grant park chicago", "georgia peach tea", "design review",
    "victoria secret gift card", "sydney opera house", "florence italy hotels", "the runbook",
    "q3 budget sheet", "austin texas plumber", "charlotte nc weather",
)  # fmt: skip
_LINK_FORMS = (
    ("<@U{id}|{n}> joined #general", "slack-user"),
    ("cc <@U{id}|{n}> for review", "slack-user"),
    ("thread started by <@W{id}|{n}> in #ops", "slack-user"),
    ("*Owner:* <@U{id}|{n}>", "slack-user"),
    ("mail <mailto:{a}|{n}> about it", "slack-mailto"),
    ("see <https://acme.example/u/{k}|{n}>", "slack-url"),
    ("<!subteam^S{id}|{n}> please review", "slack-subteam"),
    ("[{n}](https://acme.example/u/{k}) approved", "markdown"),
    ("approved by [{n}](mailto:{a})", "markdown-mailto"),
    ('<a href="/u/{k}">{n}</a> commented', "html"),
    ('Assigned to <a class="user" href="https://acme.example/people/{k}">{n}</a>.', "html"),
)


def _link_survivor(rng: Random, form: str, text: str) -> str:
    if form.startswith("slack"):
        return f"<https://acme.example/docs/{rng.randrange(99)}|{text}>"
    if form.startswith("markdown"):
        return f"[{text}](https://acme.example/docs/{rng.randrange(99)})"
    return f'<a href="/docs/{rng.randrange(99)}">{text}</a>'


def names_in_link_texts(rng: Random) -> Case:
    """A message whose mention or link text is a person's name, and a link of the same kind whose text
    names no person."""
    first, last = _ascii_name(rng)
    f, la, case = _cased(rng, first, last)
    planted = _planted(first, last)
    [other] = _apart(rng, planted, LINK_SURVIVORS)
    template, form = rng.choice(_LINK_FORMS)
    uid = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8))
    text = template.format(n=f"{f} {la}", id=uid, k=rng.randrange(10, 999), a=_address(rng, first, last))
    survivor = _link_survivor(rng, form, other)
    line = f"{text}\n{survivor}" if rng.random() < 0.5 else f"{survivor} · {text}"
    shape = rng.choice(["message", "blocks", "text", "nested"])
    if shape == "message":
        result = tool_result(structured={"messages": [{"type": "message", "user": f"U{uid}", "text": line}]})
    elif shape == "blocks":
        block = {"type": "section", "text": {"type": "mrkdwn", "text": line}}
        result = tool_result(structured={"blocks": [block], "ts": "1733565600.000100"})
    elif shape == "text":
        result = tool_result(line)
    else:
        result = tool_result(structured=nest(rng, {"body": line}, rng.randrange(1, 4)))
    return Case(
        "names-link-texts",
        [call(result, rng.choice(["slack_history", "read_page", "list_comments"]))],
        [planted],
        [Survivor(other, label="link-text-of-no-person")],
        label=f"{_known(first, last)}:{form}:{case}:{shape}",
    )


# ------------------------------------------------------------------------------------ class 10: query slots
QUERY_SURVIVORS = (
    "jordan shoes", "grant park chicago", "georgia peach tea", "austin texas plumber", "best buy",
    "nike air max 90", "plumber near me", "victoria secret gift card", "jordan 1 retro high",
    "sydney opera house", "florence italy hotels", "charlotte nc weather", "virginia beach rentals",
    "mark down sale", "will call tickets", "chase bank login", "dakota county jobs", "savannah ga tours",
    "\"grant park\" concerts", "site:jordan.example shoes", "dallas cowboys tickets",
)  # fmt: skip
# How a query holds the name (`{f}`, `{l}`: lower case; `{m}`: an initial; `{kw}` a keyword).
_QUERY_FORMS = (
    "{f} {l}", "{f} {l} {kw}", '"{f} {l}" {kw}', '{kw} "{f} {l}"', "site:linkedin.com {f} {l}",
    'intitle:"{f} {l}" {kw}', "{l} {f} {kw}", "{f} {l}'s {kw}", "{f} {m} {l} {kw}", "who is {f} {l}?",
    "{f} {l}, {kw}", "{f} {l} ({kw})", "{f} {l} & associates", "{f} {l} | linkedin", "{f} {l} NYC",
    "{f} {l} LinkedIn", "-jobs {f} {l} {kw}", "{kw} near {f} {l}",
)  # fmt: skip
_KEYWORDS = ("realtor", "dentist", "lawyer", "attorney", "obituary", "reviews", "contact", "instagram", "md")
# Search keys as engines, shops and ad platforms write them in a URL's query string.
_URL_KEYS = ("q", "s", "p", "wd", "kw", "k", "text", "query", "search", "utm_term", "keyword", "searchTerm",
             "search_query", "term", "qs", "search_string")  # fmt: skip
_HOSTS = (
    "https://www.google.com/search", "https://shop.example/", "https://search.yahoo.com/search",
    "https://yandex.ru/search/", "https://www.baidu.com/s", "https://www.acme.example/landing",
)  # fmt: skip
_URL_LEADS = ("", "utm_source=google&", "hl=en&")
_LOG_KEYS = ("q", "query", "search_term", "searchTerm", "keyword", "term", "search", "user_query", "keys")
_JSON_KEYS = ("query", "searchTerm", "search_term", "keyword", "term", "searchQuery", "search_string")
_HEADERS = ("Query", "Search term", "Search query", "Keyword", "Top queries", "search_term", "Queries")


def _url_value(rng: Random, query: str) -> str:
    space = rng.choice(["+", "%20"])
    return query.replace('"', "%22").replace("'", "%27").replace(" ", space).replace("&", "%26")


def _csv_cell(q: str) -> str:
    return '"' + q.replace('"', '""') + '"' if ("," in q or '"' in q) else q


def _layout(rng: Random, queries: list[str]) -> tuple[dict[str, Any], str, list[str]]:
    """The queries in one layout of a report, a log or a URL list, and each query as written there."""
    layout = rng.choice(["url", "log", "json-text", "csv", "tsv", "markdown", "list", "structured", "lines"])
    if layout == "url":
        written = [_url_value(rng, q) for q in queries]
        lines = [
            f"{rng.choice(_HOSTS)}?{rng.choice(_URL_LEADS)}{rng.choice(_URL_KEYS)}={w}&page={rng.randrange(5)}"
            for w in written
        ]
        return tool_result("\n".join(lines)), layout, written
    if layout == "log":
        key = rng.choice(_LOG_KEYS)
        written = [json.dumps(q) for q in queries]
        lines = [
            f"2026-12-0{i + 1}T10:0{i}:00Z level=info {key}={w} results={rng.randrange(1, 90)}"
            for i, w in enumerate(written)
        ]
        return tool_result("\n".join(lines)), layout, written
    if layout in ("json-text", "structured"):
        key = rng.choice(_JSON_KEYS)
        rows = [{key: q, "clicks": rng.randrange(40), "impressions": rng.randrange(40, 900)} for q in queries]
        if layout == "structured":
            return tool_result(structured={"rows": rows}), layout, queries
        return tool_result(json.dumps({"rows": rows}, indent=rng.choice([None, 2]))), layout, queries
    header = rng.choice(_HEADERS)
    if layout == "csv":
        written = [_csv_cell(q) for q in queries]
        body = "\n".join(f"{w},{rng.randrange(40)},{rng.randrange(40, 900)}" for w in written)
        return tool_result(f"{header},Clicks,Impressions\n{body}"), layout, written
    if layout == "tsv":
        body = "\n".join(f"{q}\t{rng.randrange(40)}\t{rng.random():.2f}" for q in queries)
        return tool_result(f"{header}\tClicks\tCost\n{body}"), layout, queries
    if layout == "markdown":
        written = [q.replace("|", "/") for q in queries]
        body = "\n".join(f"| {w} | {rng.randrange(40)} |" for w in written)
        return tool_result(f"| {header} | Clicks |\n|---|---|\n{body}"), layout, written
    if layout == "list":
        body = "\n".join(f"{i + 1}. {q} ({rng.randrange(2, 40)} clicks)" for i, q in enumerate(queries))
        return tool_result(f"Top queries this week:\n{body}"), layout, queries
    return tool_result("\n".join(queries)), layout, queries


def names_in_query_slots(rng: Random) -> Case:
    """A report, log or URL list of search queries, one holding a person's name in lower case in one of
    the shapes searchers type, the others queries for products and places led by a given name."""
    first, last = _ascii_name(rng)
    form = rng.choice(_QUERY_FORMS)
    query = form.format(
        f=first.lower(), l=last.lower(), m=rng.choice("abcdejklmrs"), kw=rng.choice(_KEYWORDS)
    )
    planted = _planted(first, last)
    others = _apart(rng, planted, QUERY_SURVIVORS, 2)
    queries = [query, *others]
    rng.shuffle(queries)
    result, layout, written = _layout(rng, queries)
    label = form.replace("{f} ", "").replace("{l}", "L").replace("{kw}", "kw").replace("{m}", "i").strip()
    return Case(
        "names-query-keys",
        [call(result, "search_analytics_query")],
        [planted],
        [
            Survivor(w, label="product-or-place-query")
            for q, w in zip(queries, written, strict=True)
            if q != query
        ],
        label=f"{_known(first, last)}:{layout}:{label}",
    )
