"""Classes about people: person names in free text and short fields, and known values laundered back."""

from __future__ import annotations

import html
import json
import re
from random import Random
from typing import Any
from urllib.parse import quote, quote_plus

from tests.classes.case import Case, Message, call, filler_record, tool_result
from tests.classes.planting import Planted, account, email, person, reliable_value

NOTES = (
    "Spoke to {n} about the renewal; follow up next week.",
    "Meeting notes: {n} asked for a lower CPC cap on Brand.",
    "{n} called about invoice 4471 and wants a copy.",
    "According to {n}, the landing page converts poorly on mobile.",
    "{n}'s team will send the new creatives on Monday.",
    "Invoice disputed; {n} thinks the March charges are wrong.",
    "The quarterly review with {n} went well.",
    "Renewal signed. {n} expects the invoice by the 5th.",
    "Forwarded the audit to {n} and the finance team.",
    "Budget approved yesterday, {n} wants weekly numbers from now on.",
    "Left a voicemail; {n} is out until Thursday.",
    "Lunch with {n} to discuss expansion into Austria.",
)
LINES = (
    "Owner: {n}",
    "Account manager: {n}",
    "Assigned to {n}",
    "Contact - {n}",
    "Rep: {n}",
    "Created by {n} on 2026-03-02",
    "Approved-By: {n}",
)


def _written(rng: Random, first: str, last: str, lower: bool = False) -> tuple[str, str]:
    style = rng.choice(["plain", "plain", "caps", *(["lower"] if lower else [])])
    if style == "caps":
        return f"{first} {last}".upper(), style
    if style == "lower":
        return f"{first} {last}".lower(), style
    return f"{first} {last}", style


# Role words and the ways keys qualify them (`accountOwner`, `sales_rep`, `created_by`, `reviewerName`).
ROLES = (
    "owner",
    "manager",
    "assignee",
    "user",
    "reviewer",
    "approver",
    "rep",
    "author",
    "creator",
    "contact",
)
ROLE_PREFIXES = ("", "account", "sales", "project", "assigned", "primary")


def role_key(rng: Random) -> str:
    """A key naming a person's role, in one of the spellings APIs use."""
    prefix, role = rng.choice(ROLE_PREFIXES), rng.choice(ROLES)
    if rng.random() < 0.15:
        prefix, role = rng.choice(["created", "updated", "approved", "reviewed"]), "by"
    parts = [p for p in (prefix, role, "name" if rng.random() < 0.3 else "") if p]
    style = rng.choice(["camel", "snake", "kebab", "flat"])
    if style == "camel":
        return parts[0] + "".join(p.title() for p in parts[1:])
    return {"snake": "_", "kebab": "-", "flat": ""}[style].join(parts)


FREE_TEXT = ("note", "caps-note", "possessive", "mention")
FIELDS = (
    "line",
    "short-field",
    "first-last",
    "column",
    "block",
    "log",
    "list-item",
    "completion",
    "name-list",
    "csv",
    "role-key",
)


def names(rng: Random) -> Case:
    """A person's name where people write names: CRM notes, `Owner:` lines, short fields, name columns."""
    return _names(rng, rng.choice([*FREE_TEXT, "note", *FIELDS]))


def names_in_free_text(rng: Random) -> Case:
    """CRM notes (plain or ALL CAPS): where an NER model decides, judged by recall."""
    return _names(rng, rng.choice(FREE_TEXT))


def names_in_fields(rng: Random) -> Case:
    """`Owner:` lines, bare names in short fields, `{"first","last"}`, columns of names: decided by rule."""
    return _names(rng, rng.choice(FIELDS))


def _names(rng: Random, where: str) -> Case:
    planted, first, last = person(rng)
    lowered = ("csv", "role-key", "completion", "name-list")
    written, style = _written(rng, first, last, lower=where in lowered)
    if where in ("block", "log", "list-item", "completion", "name-list", "csv", "role-key") or where in (
        "possessive",
        "mention",
    ):
        return _placed(rng, where, planted, first, last, written, style)
    if where in ("note", "caps-note"):
        text = rng.choice(NOTES).format(n=written)
        result: dict[str, Any] = tool_result(text.upper() if where == "caps-note" else text)
        if rng.random() < 0.4:
            result = tool_result(structured={"notes": [filler_record(rng) | {"text": text}]})
    elif where == "line":
        lines = [f"Campaign: Brand {rng.randrange(9)}", rng.choice(LINES).format(n=written), "Status: open"]
        result = tool_result("\n".join(lines))
    elif where == "short-field":
        key = rng.choice(["name", "displayName", "owner", "assignee", "author", "contact", "createdBy"])
        result = tool_result(structured=filler_record(rng) | {key: written})
    elif where == "first-last":
        key = rng.choice(["name", "owner", "contact", "person"])
        result = tool_result(structured={"id": 3, key: {"first": first, "last": last}})
    else:
        rows: list[dict[str, Any]] = []
        others: list[Planted] = []
        for _ in range(rng.randrange(3, 12)):
            p, f, la = person(rng)
            others.append(p)
            rows.append({"id": rng.randrange(10**5), "name": f"{f} {la}", "deals": rng.randrange(9)})
        spot = rng.randrange(len(rows) + 1)
        rows.insert(spot, {"id": 1, "name": f"{first} {last}", "deals": 2})
        key = rng.choice(["name", "displayName", "owner"])
        rows = [{key if k == "name" else k: v for k, v in r.items()} for r in rows]
        result = tool_result(structured={"people": rows})
        return Case(
            "names-fields", [call(result, "list_contacts")], [planted, *others], label=f"column:{key}"
        )
    cls = "names-text" if where in FREE_TEXT else "names-fields"
    return Case(cls, [call(result, "crm_notes")], [planted], label=f"{where}:{style}")


def _placed(
    rng: Random, where: str, planted: Planted, first: str, last: str, written: str, style: str
) -> Case:
    """A name where it stands alone (a text block, a log entry, a list item, a completion value), in a
    CSV column, under a role key, with a possessive, as an @mention."""
    method, kind = "tools/call", "response"
    if where == "block":
        payload: dict[str, Any] = tool_result(written)
    elif where == "log":
        method, kind = "notifications/message", "notification"
        payload = {"level": rng.choice(["info", "debug", "notice"]), "logger": "crm", "data": written}
    elif where == "list-item":
        others = ["Renewal pending", "Budget approved", "Call scheduled"]
        items = [*rng.sample(others, 2), written]
        rng.shuffle(items)
        bullet = rng.choice(["- ", "* ", "• ", "1. "])
        payload = tool_result("Open items:\n" + "\n".join(bullet + i for i in items))
    elif where == "completion":
        method = "completion/complete"
        values = [written, *(f"{p.text}" for p in [person(rng)[0] for _ in range(rng.randrange(3))])]
        if style == "lower":
            values = [v.lower() for v in values]
        payload = {"completion": {"values": values, "total": len(values), "hasMore": False}}
    elif where == "name-list":  # a bare list of names under a neutral key, in one case
        others = [_written(rng, *person(rng)[1:])[0] for _ in range(rng.randrange(2, 5))]
        cased = {"lower": str.lower, "caps": str.upper}.get(style, str)
        values = [written, *(cased(o) for o in others)]
        rng.shuffle(values)
        payload = tool_result(structured={rng.choice(["values", "members", "items", "watchers"]): values})
    elif where == "csv":
        sep = rng.choice([",", "\t", ";", "|"])
        header = rng.choice(["name", "contact", "Account Owner", "assignee", "salesRep", "Full Name"])
        rows = [sep.join([header, "deals", "stage"])]
        spot = rng.randrange(4)
        for i in range(4):
            who = written if i == spot else _written(rng, *person(rng)[1:], lower=True)[0]
            rows.append(sep.join([who, str(rng.randrange(9)), rng.choice(["open", "won", "lost"])]))
        payload = tool_result("\n".join(rows))
    elif where == "role-key":
        payload = tool_result(structured=filler_record(rng) | {role_key(rng): written})
    elif where == "possessive":
        frame = rng.choice(
            ["{n}'s account is overdue.", "Forwarded {n}’s invoice to finance.", "{n}'s team replied."]
        )
        payload = tool_result(frame.format(n=written))
    else:
        sep = rng.choice([".", "_", ""])
        handle = f"{first}{sep}{last}".lower().replace(" ", "").replace("'", "")
        payload = tool_result(f"cc @{handle} on the renewal thread")
        style = "handle"
        planted = Planted("person", handle, re.escape(handle))  # the handle as written: glued parts too
    cls = "names-text" if where in FREE_TEXT else "names-fields"
    return Case(cls, [Message(kind, method, payload, "crm_notes")], [planted], label=f"{where}:{style}")


def _launder(rng: Random, text: str, kind: str) -> tuple[str, str]:
    how = rng.choice(
        ["upper", "lower", "respaced", "percent", "html", "trimmed-padded"]
        + (["last-first", "last-first-caps"] if kind in ("person",) else [])
    )
    if how == "upper":
        return text.upper(), how
    if how == "lower":
        return text.lower(), how
    if how == "respaced":  # runs of whitespace where the value had one space (collapsed, it is the value)
        if " " not in text:
            return text.upper(), "upper"
        return "".join(rng.choice(["  ", "\t", " \u00a0", "\n "]) if c == " " else c for c in text), how
    if how == "percent":
        return (quote(text, safe="") if rng.random() < 0.5 else quote_plus(text)), how
    if how == "html":
        return "".join(f"&#{ord(c)};" if not c.isalnum() or rng.random() < 0.3 else c for c in text), how
    if how == "trimmed-padded":
        return f"\t {text} \n", how
    first, _, last = text.partition(" ")
    out = f"{last}, {first}"
    return (out.upper() if how == "last-first-caps" else out), how


def known_values(rng: Random) -> Case:
    """A value tokenized earlier in the session (by a field rule) comes back laundered in free text."""
    kind = rng.choice(["person", "account", "email", "phone", "customer-id"])
    if kind == "person":
        planted, first, last = person(rng)
        value, field = f"{first} {last}", "fullName"
    elif kind == "account":
        planted = account(rng)
        value, field = planted.text, "descriptiveName"
    elif kind == "email":
        planted = email(rng)
        value, field = planted.text, "email"
    elif kind == "phone":
        planted = reliable_value(rng, "phone")
        value, field = planted.text, "phone"
    else:
        planted = reliable_value(rng, "customer-id")
        value = planted.text.removeprefix("customers/")
        field = "customerId"
    first_msg = call(tool_result(structured={"contact": {"id": 1, field: value}}), "get_contact")
    laundered, how = _launder(rng, value, kind)
    text = rng.choice(["Re: {v}", "Notes for {v}: renewal pending.", "{v}", "summary={v}&ok=1"]).format(
        v=laundered
    )
    if how in ("percent", "html") and rng.random() < 0.5:
        text = json.dumps({"contact": laundered}) if how == "percent" else html.escape(text, quote=False)
    second = call(tool_result(text), "search_notes")
    return Case("known-values", [first_msg, second], [planted], label=f"{kind}:{how}")


def name_lists(rng: Random) -> Case:
    """Three to five person names as a list: a completion's values or a bare list under a neutral key, in
    one case (plain, ALL CAPS or lower case)."""
    planted, first, last = person(rng)
    style = rng.choice(["plain", "caps", "lower"])
    cased = {"lower": str.lower, "caps": str.upper}.get(style, str)
    values = [cased(f"{first} {last}"), *(cased(person(rng)[0].text) for _ in range(rng.randrange(2, 5)))]
    rng.shuffle(values)
    if rng.random() < 0.5:
        payload: dict[str, Any] = {"completion": {"values": values, "total": len(values), "hasMore": False}}
        msg = Message("response", "completion/complete", payload, None)
    else:
        msg = Message("response", "tools/call", tool_result(structured={"members": values}), "crm_notes")
    return Case("names-fields", [msg], [planted], label=f"name-list:{style}")
