"""A mailbox in a text form a reader reads and a pattern does not (red team round nine's not-handled list).

`address_forms`: the mailbox in another address form: a UUCP bang path (`uunet!host!user`,
`relay!globex.io!priya.raman`, `globex.io!priya.raman`), the `%` hack (`user%domain@relay`), a source route
(`@relay1,@relay2:user@domain`), a relay before an address (`relay!user@domain`).

`markup_cut`: an address cut by markup an XML or HTML reader drops, inside an element's text: a CDATA
section around one piece (`priya<![CDATA[.raman@]]>globex.io`), a comment, a processing instruction, an
empty element (`<x/>`, `<span></span>`), one to three cuts anywhere in the address.

`block_cut`: an address cut across two text content blocks with one or two blocks of another kind between
them (an image, audio, a resource link, an embedded blob resource).

`utf32_base64`: a sentence holding an address, as UTF-32 (little- or big-endian, with or without a BOM),
base64-encoded, in a sentence, a JSON text, structuredContent or a resource's blob.

The planted value is the address's local part, the person's mailbox: the needle finds it however the
markup cut it. Look-alikes (`lookalikes`): shell text with bangs, a debugger's `module.dll!Symbol`
frames, CSS `!important`, XML with CDATA holding code, text blocks around an image with no value across
them, base64 of ordinary UTF-32 text, ordinary logfmt lines (`logfmt_cases.metrics_line`).
"""

from __future__ import annotations

import base64
import codecs
import json
import re
from random import Random
from typing import Any

from tests.classes.case import Case, Message, Survivor, call, filler_record, tool_result
from tests.classes.logfmt_cases import metrics_line
from tests.classes.name_lists import US_FIRST, US_LAST, ascii_only
from tests.classes.planting import Planted

_TLDS = ("io", "com", "net", "org", "co.uk", "de", "example")
_WORDS = ("globex", "initech", "umbrella", "hooli", "vandelay", "acme", "stark", "wayne", "tyrell", "soylent")
_UUCP = ("uunet", "ihnp4", "decvax", "ucbvax", "mcvax", "seismo", "relay1", "gw2", "mailhub", "bang")
# What an XML/HTML reader drops between two characters; the needle allows any of them.
_DROPPED = r"(?:<!\[cdata\[|\]\]>|<!--.*?-->|<\?.*?\?>|<[a-z][\w.:-]*(?:\s[^<>]*)?/>|</?[a-z][\w.:-]*>)*"


def _local(rng: Random) -> str:
    first, last = ascii_only(rng.choice(US_FIRST)).lower(), ascii_only(rng.choice(US_LAST)).lower()
    n = rng.randrange(10, 100)
    return rng.choice(
        [f"{first}.{last}", f"{first[0]}{last}{n}", f"{first}{n}", f"{last}_{first[0]}", f"{first}-{last}"]
    )


def _domain(rng: Random) -> str:
    name = rng.choice(_WORDS) + rng.choice(("", "-mail", "corp", str(rng.randrange(2, 9))))
    return f"{name}.{rng.choice(_TLDS)}"


def _needle(local: str, between: str = "") -> str:
    """The local part, bounded, with `between` allowed between any two of its characters."""
    return r"(?<![\w.+-])" + between.join(re.escape(c) for c in local) + r"(?![\w])"


def _placed(rng: Random, line: str) -> tuple[dict[str, Any], str]:
    where = rng.choice(["text", "structured", "json-text"])
    if where == "text":
        return tool_result(line), where
    record = {**filler_record(rng), rng.choice(["note", "route", "detail"]): line}
    return (
        tool_result(structured=record) if where == "structured" else tool_result(json.dumps(record))
    ), where


# ------------------------------------------------------------------------------------ address forms
def _address_form(rng: Random, local: str, domain: str) -> tuple[str, str]:
    relays = [rng.choice(_UUCP) for _ in range(rng.randint(1, 3))]
    relay_host = f"{rng.choice(('mx', 'relay', 'smtp'))}.{_domain(rng)}"
    form = rng.choice(["bang-domain", "bang-bare", "bang-short", "percent", "route", "relay-bang"])
    if form == "bang-domain":
        return "!".join([*relays, domain, local]), form
    if form == "bang-bare":
        return "!".join([*relays, rng.choice(_UUCP) + "x", local]), form
    if form == "bang-short":
        return f"{domain}!{local}", form
    if form == "percent":
        return f"{local}%{domain}@{relay_host}", form
    if form == "route":
        route = ",".join(f"@{rng.choice(('mx', 'gw'))}{i}.{_domain(rng)}" for i in range(rng.randint(1, 2)))
        return f"{route}:{local}@{domain}", form
    return f"{relays[0]}!{local}@{domain}", form


def address_forms(rng: Random) -> Case:
    local, domain = _local(rng), _domain(rng)
    value, form = _address_form(rng, local, domain)
    line = rng.choice(
        [
            "Path: {v}",
            "mail {v}",
            "reply to {v} please",
            "From {v} Mon Dec  7 10:02:11 2026",
            "Return-Path: <{v}>",
        ]
    ).format(v=value)
    payload, where = _placed(rng, line)
    return Case(
        "address-forms", [call(payload)], [Planted("email", value, _needle(local))], label=f"{form} {where}"
    )


# --------------------------------------------------------------------------------------- markup cut
def _dropped(rng: Random, piece: str) -> str:
    """`piece` with markup a reader drops before it (or around it, a CDATA section)."""
    kind = rng.randrange(5)
    if kind == 0:
        return f"<![CDATA[{piece}]]>"
    if kind == 1:
        return f"<!-- {rng.choice(('x', 'ref 12', ''))} -->{piece}"
    if kind == 2:
        return f"<?{rng.choice(('php echo 1;', 'xml-stylesheet href=a', 'pi'))} ?>{piece}"
    if kind == 3:
        return f"<{rng.choice(('x', 'anchor', 'ns:mark', 'wbr'))}/>{piece}"
    tag = rng.choice(("span", "em", "x", "b"))
    return f"<{tag}></{tag}>{piece}"


def markup_cut(rng: Random) -> Case:
    local, domain = _local(rng), _domain(rng)
    email = f"{local}@{domain}"
    cuts = sorted(rng.sample(range(1, len(email)), rng.randint(1, min(3, len(email) - 1))))
    pieces = [email[a:b] for a, b in zip([0, *cuts], [*cuts, len(email)], strict=True)]
    written = pieces[0] + "".join(_dropped(rng, p) for p in pieces[1:])
    doc = rng.choice(
        [
            "<note><to>contact {v} today</to></note>",
            "<p>Write to {v} for access.</p>",
            '<?xml version="1.0"?><contact><mail>{v}</mail></contact>',
            "<div class=owner>{v}</div>",
        ]
    ).format(v=written)
    payload, where = _placed(rng, doc)
    return Case(
        "markup-cut", [call(payload)], [Planted("email", email, _needle(local, _DROPPED))], label=where
    )


# ---------------------------------------------------------------------------------------- block cut
def _other_block(rng: Random) -> dict[str, Any]:
    kind = rng.randrange(4)
    if kind == 0:
        return {
            "type": "image",
            "data": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk",
            "mimeType": "image/png",
        }
    if kind == 1:
        return {"type": "audio", "data": "UklGRiQAAABXQVZFZm10IBAAAAABAAEA", "mimeType": "audio/wav"}
    if kind == 2:
        return {"type": "resource_link", "uri": "file:///srv/report.pdf", "name": "report.pdf"}
    return {
        "type": "resource",
        "resource": {"uri": "file:///srv/logo.png", "mimeType": "image/png", "blob": "iVBORw0KGgo="},
    }


def block_cut(rng: Random) -> Case:
    local, domain = _local(rng), _domain(rng)
    email = f"{local}@{domain}"
    cut = rng.randint(1, len(email) - 1)
    before = rng.choice(["Please contact ", "Owner: ", "Escalate to ", ""]) + email[:cut]
    after = email[cut:] + rng.choice([" for access.", " today", "", "\nThanks"])
    between = [_other_block(rng) for _ in range(rng.randint(1, 2))]
    content = [{"type": "text", "text": before}, *between, {"type": "text", "text": after}]
    return Case(
        "block-cut",
        [call({"content": content})],
        [Planted("email", email, _needle(local))],
        label=f"{len(between)} between, cut {cut}/{len(email)}",
    )


# ------------------------------------------------------------------------------------- UTF-32 base64
def utf32(text: str, rng: Random) -> tuple[bytes, str]:
    order = rng.choice(("le", "be"))
    raw = text.encode(f"utf-32-{order}")
    if rng.random() < 0.5:
        return (codecs.BOM_UTF32_LE if order == "le" else codecs.BOM_UTF32_BE) + raw, f"{order}+bom"
    return raw, order


def utf32_base64(rng: Random) -> Case:
    local, domain = _local(rng), _domain(rng)
    text = rng.choice(["contact {v}", "Owner: {v}\nStatus: active", "reply to {v} before Friday"]).format(
        v=f"{local}@{domain}"
    )
    raw, order = utf32(text, rng)
    blob = base64.b64encode(raw).decode()
    planted = [Planted("email", text, _needle(local))]
    if rng.random() < 0.25:  # a resource's blob, labelled text: the blob reader's own encoding choice
        contents = [{"uri": "file:///srv/owner.txt", "mimeType": "text/plain", "blob": blob}]
        message = Message("response", "resources/read", {"contents": contents})
        return Case("utf32-base64", [message], planted, label=f"{order} resource-blob")
    line = rng.choice(["payload {b}", "data={b}", "{b}"]).format(b=blob)
    payload, where = _placed(rng, line)
    return Case("utf32-base64", [call(payload)], planted, label=f"{order} {where}")


BUILDERS = {
    "address-forms": (address_forms, 20261290),
    "markup-cut": (markup_cut, 20261291),
    "block-cut": (block_cut, 20261292),
    "utf32-base64": (utf32_base64, 20261293),
}


# -------------------------------------------------------------------------------------- look-alikes
_SHELL = (
    "echo hi!",
    "echo 'done!' && exit 0",
    "if [ ! -f build.log ]; then make; fi",
    "a != b and c !== d",
    "#!/usr/bin/env bash",
    "git commit -m 'fix it!'",
    "print(f'{value!r}')",
    "Wow!Great!Again",
    "yes!no",
    "history: !! and !$",
    "![diagram](docs/flow.png)",
    "ntdll.dll!RtlUserThreadStart+0x21",
    "00 kernel32.dll!BaseThreadInitThunk+0x14",
    "KERNELBASE.dll!RaiseException+0x69",
    "nt!KiSystemServiceCopyEnd+0x25",
    "jar:file:/opt/app/lib/app.jar!/com/acme/Main.class",
)
_CSS = (
    ".btn { color: red !important; }",
    "p{margin:0!important}",
    "a:hover{text-decoration:underline !important;}",
)
_CDATA_CODE = (
    "<script><![CDATA[ if (a < b && c) { go(); } ]]></script>",
    "<code><![CDATA[SELECT id FROM users WHERE active = 1]]></code>",
    '<?xml version="1.0"?><cfg><![CDATA[retries=3; timeout=30s]]></cfg>',
    "<doc><title>Release</title><br/><x/>notes<!-- internal --></doc>",
)
_PLAIN = (
    "Quarterly report for the sales team",
    "Build 4821 passed in 93 seconds",
    "The weather in Lisbon was sunny",
)


def lookalikes(rng: Random) -> Case:
    """One ordinary text a class's reading must leave as it is."""
    kind = rng.randrange(6)
    if kind == 0:
        text = rng.choice(_SHELL)
    elif kind == 5:  # an ordinary logfmt line in a result's text: its bare values read under their keys
        text = metrics_line(rng)
    elif kind == 1:
        text = rng.choice(_CSS)
    elif kind == 2:
        text = rng.choice(_CDATA_CODE)
    elif kind == 3:  # blocks around an image with no value across them
        a, b = rng.choice(_PLAIN), rng.choice(_PLAIN)
        content = [{"type": "text", "text": a + " "}, _other_block(rng), {"type": "text", "text": b}]
        return Case(
            "lookalike",
            [call({"content": content})],
            survivors=[Survivor(a, label="block"), Survivor(b, label="block")],
            label="blocks",
        )
    else:  # ordinary text as UTF-32 base64: decoded, scanned, left
        text = rng.choice(_PLAIN)
        raw, order = utf32(text, rng)
        blob = base64.b64encode(raw).decode()
        return Case(
            "lookalike",
            [call(tool_result(f"payload {blob}"))],
            survivors=[Survivor(blob, label="utf32")],
            label=order,
        )
    payload, where = _placed(rng, text)
    return Case("lookalike", [call(payload)], survivors=[Survivor(text, label=str(kind))], label=where)
