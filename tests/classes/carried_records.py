"""Records carried where no JSON parser reads them (red team round nine, classes 18 and 19): a value only
its key names (an account name, a bare customer number, a contact's name) inside

- an encoded layer of a text: a percent-encoded `state=` parameter (once or twice), a JWT's payload, a
  `data:` URL, base64 or base64url in a field, gzip+base64, an HTML attribute with escaped quotes, JSON
  escapes in a text that is no JSON (`records_encoded`);
- a record another language printed: a Python `repr` of a dict or of a dataclass, a JavaScript object
  literal, a Ruby or PHP hash (`records_notations`).

Each case plants one record of two or three keyed values (key spellings vary by case style) in one
placement a client reads: a text block with words around it, a structured field, a log notification.
"""

from __future__ import annotations

import base64
import gzip
import html
import json
import re
import urllib.parse
from random import Random
from typing import Any

from tests.classes.case import Case, Message, call, tool_result
from tests.classes.org_cases import company, spell
from tests.classes.planting import Planted, digits_needle, person

# (words of the key, kind of value): keys the shipped rules name (field rules, digit context, name keys).
_KEYS = {
    "account": (["descriptive", "name"], ["account", "name"], ["client", "name"], ["customer", "name"]),
    "customer": (["customer", "id"], ["client", "customer", "id"], ["account", "id"]),
    "person": (["contact", "name"], ["full", "name"], ["owner", "name"]),
}


def _record(rng: Random) -> tuple[list[tuple[str, Any]], list[Planted]]:
    """Two or three keyed values, each planted, in a random order."""
    kinds = rng.sample(sorted(_KEYS), rng.choice((2, 3)))
    pairs: list[tuple[str, Any]] = []
    planted: list[Planted] = []
    for kind in kinds:
        key = spell(list(rng.choice(_KEYS[kind])), rng)
        if kind == "account":
            p = company(rng)
            pairs.append((key, p.text))
        elif kind == "customer":
            digits = str(rng.randrange(10**6, 10**7))  # seven digits: no shape says what they are
            p = Planted("customer-number", digits, digits_needle(digits))
            pairs.append((key, int(digits) if rng.random() < 0.5 else digits))
        else:
            p = person(rng)[0]
            pairs.append((key, p.text))
        planted.append(p)
    pairs.append(("status", "ENABLED"))
    rng.shuffle(pairs)
    return pairs, planted


def _json(pairs: list[tuple[str, Any]]) -> str:
    return json.dumps(dict(pairs))


# ----------------------------------------------------------------------------------------- encoded layers
def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _encoded(rng: Random, pairs: list[tuple[str, Any]]) -> tuple[str, str]:
    doc = _json(pairs)
    how = rng.choice(
        ("percent", "percent-twice", "jwt", "data-url", "base64", "base64url", "gzip", "html", "escaped")
    )
    if how == "percent":
        return how, f"https://app.example/oauth/callback?code=4f1a&state={urllib.parse.quote(doc)}"
    if how == "percent-twice":
        return how, f"next=/login%3Fstate%3D{urllib.parse.quote(urllib.parse.quote(doc, safe=''))}"
    if how == "jwt":
        header = _b64url(b'{"alg":"HS256","typ":"JWT"}')
        return how, f"id_token={header}.{_b64url(doc.encode())}.{_b64url(rng.randbytes(32))}"
    if how == "data-url":
        return how, f"data:application/json;base64,{base64.b64encode(doc.encode()).decode()}"
    if how == "base64":
        return how, f"payload {base64.b64encode(doc.encode()).decode()}"
    if how == "base64url":
        return how, f"ctx={_b64url(doc.encode())}"
    if how == "gzip":
        return how, f"body(gzip,base64): {base64.b64encode(gzip.compress(doc.encode())).decode()}"
    if how == "html":
        return how, f'<div id="app" data-props="{html.escape(doc, quote=True)}"></div>'
    return how, "log: payload=" + json.dumps(doc)[1:-1]  # `{\"descriptiveName\": …}` in plain text


# -------------------------------------------------------------------------------------- other notations
def _py_literal(v: Any) -> str:
    return repr(v)


def _ident(key: str) -> str:
    """A key as a language's identifier (`account-name` → `account_name`)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", key)


def _notation(rng: Random, pairs: list[tuple[str, Any]]) -> tuple[str, str]:
    how = rng.choice(("python-dict", "python-object", "js-object", "ruby-hash", "php-array"))
    if how == "python-dict":
        return how, repr(dict(pairs))
    if how == "python-object":
        args = ", ".join(f"{_ident(k)}={_py_literal(v)}" for k, v in pairs)
        return how, f"Account({args})"
    if how == "js-object":
        q = rng.choice(("'", '"'))
        body = ", ".join(f"{_ident(k)}: " + (f"{q}{v}{q}" if type(v) is str else str(v)) for k, v in pairs)
        return how, f"const account = {{ {body} }};"
    if how == "ruby-hash":
        body = ", ".join(f":{_ident(k)} => " + json.dumps(v) for k, v in pairs)
        return how, f"{{{body}}}"
    body = ", ".join(f"'{k}' => " + (f"'{v}'" if type(v) is str else str(v)) for k, v in pairs)
    return how, f"array({body})"


def _placed(rng: Random, text: str) -> tuple[str, Message]:
    where = rng.choice(("text", "field", "log"))
    if where == "text":
        return where, call(tool_result(text=f"Here is what the service returned:\n{text}\nDone."))
    if where == "field":
        return where, call(tool_result(structured={"request": {"detail": text, "ok": True}}))
    params = {"level": "info", "logger": "backend", "data": f"upstream said {text}"}
    return where, Message("notification", "notifications/message", params, None)


def _case(cls: str, rng: Random, writer: Any) -> Case:
    pairs, planted = _record(rng)
    how, text = writer(rng, pairs)
    where, message = _placed(rng, text)
    return Case(cls, [message], planted, label=f"{how}:{where}")


def records_encoded(rng: Random) -> Case:
    return _case("records-encoded", rng, _encoded)


def records_notations(rng: Random) -> Case:
    return _case("records-notations", rng, _notation)
