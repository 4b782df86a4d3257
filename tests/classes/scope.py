"""Classes about where a value sits: the control, formats, placement (scan scope) and JSON numbers."""

from __future__ import annotations

import json
from collections.abc import Callable
from random import Random
from typing import Any

from tests.classes.case import Case, Message, call, filler_record, nest, tool_result
from tests.classes.planting import (
    Planted,
    any_value,
    card_digits,
    luhn_complete,
    reliable_value,
    sentence,
    ssn_digits,
)


def control(rng: Random) -> Case:
    """A reliably written value in a sentence, in a plain text block or a structured field: what the
    detectors are known to catch. Its leaks measure the harness, not the product."""
    value = reliable_value(rng)
    text = sentence(rng, value)
    if rng.random() < 0.5:
        return Case("control", [call(tool_result(text))], [value], label="text")
    record = filler_record(rng) | {"note": text}
    return Case("control", [call(tool_result(structured=record))], [value], label="structured")


def formats(rng: Random) -> Case:
    """Every value generator's formats (national phone formats, grouped IBANs, bare IDs) in a sentence."""
    value = any_value(rng)
    return Case("formats", [call(tool_result(sentence(rng, value)))], [value], label=f"format:{value.kind}")


# ----------------------------------------------------------------------------------------- placement
SKIPPY_KEYS = (
    "status",
    "type",
    "timeZone",
    "mimeType",
    "name",
    "description",
    "currencyCode",
    "protocolVersion",
    "progressToken",
    "jsonrpc",
    "message",
    "title",
    "kind",
)


def _under_key(rng: Random, text: str) -> tuple[Message, str]:
    key = rng.choice(SKIPPY_KEYS)
    depth = rng.randrange(0, 5)
    inner = nest(rng, {key: text, "id": rng.randrange(100)}, depth)
    if rng.random() < 0.5:
        return call(tool_result(structured={"data": inner})), f"key:{key}@depth{depth}:structured"
    return call(tool_result(json.dumps({"data": inner}))), f"key:{key}@depth{depth}:json-text"


def _object_key(rng: Random, text: str) -> tuple[Message, str]:
    inner = nest(rng, {text: {"visits": rng.randrange(100)}}, rng.randrange(0, 4))
    return call(tool_result(structured={"byContact": inner})), "object-key"


def _json_in_text(rng: Random, text: str) -> tuple[Message, str]:
    times = rng.randrange(1, 4)
    doc: Any = {"note": text, "id": rng.randrange(1000)}
    for _ in range(times):
        doc = {"payload": json.dumps(doc), "format": "json"}
    return call(tool_result(json.dumps(doc))), f"json-in-text x{times}"


def _error(rng: Random, text: str) -> tuple[Message, str]:
    where = rng.choice(["message", "data", "data-json", "data-nested"])
    err: dict[str, Any] = {"code": -32000, "message": "lookup failed"}
    if where == "message":
        err["message"] = f"lookup failed: {text}"
    elif where == "data":
        err["data"] = text
    elif where == "data-json":
        err["data"] = json.dumps({"detail": text})
    else:
        err["data"] = {"errors": [{"reason": "INVALID", "detail": text}]}
    return Message("error", "tools/call", err, "lookup"), f"error.{where}"


def _notification(rng: Random, text: str) -> tuple[Message, str]:
    if rng.random() < 0.5:
        data: Any = text if rng.random() < 0.5 else {"event": "sync", "detail": text}
        params = {"level": rng.choice(["info", "warning", "error"]), "logger": "crm", "data": data}
        return Message("notification", "notifications/message", params), "notification:logging"
    params = {"progressToken": rng.randrange(100), "progress": 1, "total": 3, "message": f"processing {text}"}
    return Message("notification", "notifications/progress", params), "notification:progress"


def _tools_list(rng: Random, text: str) -> tuple[Message, str]:
    where = rng.choice(
        ["description", "default", "enum", "examples", "const", "property-description", "title"]
    )
    prop: dict[str, Any] = {"type": "string"}
    tool: dict[str, Any] = {
        "name": "lookup",
        "description": "Looks a contact up.",
        "inputSchema": {"type": "object", "properties": {"who": prop}},
    }
    if where == "description":
        tool["description"] = f"Looks a contact up, e.g. {text}."
    elif where == "title":
        tool["title"] = text
    elif where == "property-description":
        prop["description"] = f"for example {text}"
    elif where == "enum":
        prop["enum"] = ["none", text]
    elif where == "examples":
        prop["examples"] = [text]
    else:
        prop[where] = text
    return Message("response", "tools/list", {"tools": [tool]}), f"tools/list:{where}"


def _resources_list(rng: Random, text: str) -> tuple[Message, str]:
    where = rng.choice(["name", "uri", "description", "title"])
    res = {"uri": "crm://contacts/1", "name": "contact", "mimeType": "text/plain"}
    res[where] = f"crm://contacts/{text}" if where == "uri" else text
    return Message("response", "resources/list", {"resources": [res]}), f"resources/list:{where}"


def _prompts_get(rng: Random, text: str) -> tuple[Message, str]:
    msgs = [{"role": "user", "content": {"type": "text", "text": f"Write to the customer: {text}"}}]
    return Message("response", "prompts/get", {"description": "follow-up", "messages": msgs}), "prompts/get"


def _meta(rng: Random, text: str) -> tuple[Message, str]:
    result = tool_result("ok") | {"_meta": {"trace": {"requestedBy": text}}}
    return call(result), "_meta"


def _initialize(rng: Random, text: str) -> tuple[Message, str]:
    where = rng.choice(["instructions", "serverInfo"])
    result: dict[str, Any] = {
        "protocolVersion": "2025-06-18",
        "capabilities": {"tools": {}},
        "serverInfo": {"name": "crm", "version": "1.0"},
    }
    if where == "instructions":
        result["instructions"] = f"Escalations go to {text}."
    else:
        result["serverInfo"]["title"] = text
    return Message("response", "initialize", result), f"initialize:{where}"


def _sampling(rng: Random, text: str) -> tuple[Message, str]:
    params = {
        "messages": [{"role": "user", "content": {"type": "text", "text": f"Summarize {text}"}}],
        "maxTokens": 50,
        "systemPrompt": "Be brief.",
    }
    return Message("request", "sampling/createMessage", params), "request:sampling"


def _elicitation(rng: Random, text: str) -> tuple[Message, str]:
    schema = {"type": "object", "properties": {"ok": {"type": "boolean", "description": f"Confirm {text}"}}}
    params = {"message": f"Should we contact {text}?", "requestedSchema": schema}
    return Message("request", "elicitation/create", params), "request:elicitation"


def _resource_read(rng: Random, text: str) -> tuple[Message, str]:
    mime = rng.choice(["text/plain", "text/csv", "application/json", None])
    content: dict[str, Any] = {
        "uri": "crm://contacts/1",
        "text": text if mime != "application/json" else json.dumps({"c": text}),
    }
    if mime:
        content["mimeType"] = mime
    return Message("response", "resources/read", {"contents": [content]}), f"resources/read:{mime}"


PLACEMENTS: dict[str, Callable[[Random, str], tuple[Message, str]]] = {
    "key": _under_key,
    "object-key": _object_key,
    "json-in-text": _json_in_text,
    "error": _error,
    "notification": _notification,
    "tools/list": _tools_list,
    "resources/list": _resources_list,
    "prompts/get": _prompts_get,
    "_meta": _meta,
    "initialize": _initialize,
    "sampling": _sampling,
    "elicitation": _elicitation,
    "resources/read": _resource_read,
}


def placement(rng: Random) -> Case:
    value = reliable_value(rng)
    text = sentence(rng, value) if rng.random() < 0.7 else value.text
    msg, label = PLACEMENTS[rng.choice(sorted(PLACEMENTS))](rng, text)
    return Case("placement", [msg], [value], label=label)


# ----------------------------------------------------------------------------------------- numbers
_KEYS = {
    "card": ["card", "cardNumber", "cc", "pan", "credit_card", "creditCardNo"],
    "phone": ["tel", "phone", "mobile", "fax", "phone_number"],
    "customer-id": ["customer", "cid", "customerId", "customer_id", "clientCustomer", "customer.id"],
    "ssn": ["ssn", "SSN", "social_security_number", "socialSecurityNumber", "social-security-no"],
}
# How a JSON text writes the number: integer, float with an integral value, exponent, negative, string.
_ENCODINGS = ("int", "int", "float", "exponent", "EXPONENT", "negative", "string")


def _number(rng: Random) -> tuple[Planted, str, str]:
    from tests.classes.planting import digits_needle

    kind = rng.choice(sorted(_KEYS))
    if kind == "card":
        d = card_digits(rng)
    elif kind == "phone":
        d = f"{rng.choice(['415', '212', '312'])}{rng.randrange(200, 999)}{rng.randrange(10**4):04d}"
    elif kind == "customer-id":
        d = f"{rng.randrange(1, 10)}{rng.randrange(10**9):09d}"
    else:
        d = ssn_digits(rng)
    if d[0] == "0" and kind == "ssn":  # a JSON number loses the leading zeros; the key says what it was
        d = d.lstrip("0")
    elif d[0] == "0":  # a JSON number has no leading zero: write the value one can
        d = "1" + d[1:]
        d = luhn_complete(d[:-1]) if kind == "card" else d
    return Planted(kind, d, digits_needle(d)), d, rng.choice(_KEYS[kind])


def _literal(d: str, encoding: str) -> str:
    if encoding == "float":
        return d + ".0"
    if encoding in ("exponent", "EXPONENT"):
        return f"{d[0]}.{d[1:].rstrip('0') or '0'}{'e' if encoding == 'exponent' else 'E'}{len(d) - 1}"
    return {"negative": "-" + d, "string": f'"{d}"'}.get(encoding, d)


_SLOT = "\x00number\x00"


def _fill(node: Any, value: Any) -> Any:
    if isinstance(node, dict):
        return {k: _fill(v, value) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill(v, value) for v in node]
    return value if node == _SLOT else node


def numbers(rng: Random) -> Case:
    """A personal value written as a JSON number (or numeric string) under a key that says what it is, in
    any encoding a JSON text allows; or, known from an earlier result, in a field the protocol types as a
    number (an error's code, a progress count), where it must never reach the client nor be retyped."""
    planted, d, key = _number(rng)
    encoding = rng.choice(_ENCODINGS)
    if rng.random() < 0.15:
        return _protocol_number(rng, planted, d, key, encoding)
    if key == "customer.id":
        record: Any = {"customer": {"id": _SLOT, "descriptiveName": "Store"}, "metrics": {"clicks": 3}}
        label = "customer.id"
    else:
        record = filler_record(rng) | {key: _SLOT if rng.random() < 0.8 else [_SLOT]}
        label = f"number-under:{key}"
    depth = rng.randrange(0, 3)
    payload = nest(rng, record, depth)
    carrier = rng.choice(["structured", "json-text"])
    if carrier == "structured":
        result = tool_result(structured={"results": [_fill(payload, json.loads(_literal(d, encoding)))]})
    else:
        text = json.dumps({"results": [payload]}).replace(json.dumps(_SLOT), _literal(d, encoding))
        result = tool_result(text)
    return Case(
        "numbers",
        [call(result, rng.choice(["search", "get_report", "lookup"]))],
        [planted],
        label=f"{label}@depth{depth}:{carrier}:{encoding}",
    )


def _protocol_number(rng: Random, planted: Planted, d: str, key: str, encoding: str) -> Case:
    n = json.loads(_literal(d, "int" if encoding == "string" else encoding))
    teach = call(tool_result(structured={key.replace(".", "_"): d}))
    if rng.random() < 0.5:
        msg = Message("error", "tools/call", {"code": int(n), "message": "backend failed"}, "lookup")
        label = "protocol:error.code"
    else:
        params = {"progressToken": "p1", "progress": rng.choice([1, n]), "total": n, "message": "working"}
        msg = Message("notification", "notifications/progress", params)
        label = "protocol:progress"
    return Case("numbers", [teach, msg], [planted], label=f"{label}:{encoding}")
