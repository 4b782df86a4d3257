"""Classes about how a value is written: normalized views, encoded layers, blobs, parser differentials."""

from __future__ import annotations

import base64
import json
from random import Random
from typing import Any

from tests.classes import media
from tests.classes import transforms as tf
from tests.classes.case import Case, call, filler_record, tool_result
from tests.classes.planting import reliable_value, sentence


def _carry(rng: Random, text: str) -> tuple[dict[str, Any], str]:
    """A string in a tool result: a text block, a structured field, or a field of JSON in a text block."""
    where = rng.choice(["text", "structured", "json-text"])
    if where == "text":
        return tool_result(text), where
    record = filler_record(rng) | {"note": text}
    if where == "structured":
        return tool_result(structured=record), where
    return tool_result(json.dumps(record)), where


def normalized(rng: Random) -> Case:
    """A value written with invisible characters, confusable letters, other digits or separators."""
    value = reliable_value(rng)
    # Separator variants are for digit-group values (phones, cards, IBANs, SSNs, IDs), not addresses;
    # spelled-out `at`/`dot` for email addresses only.
    tricks = (
        sorted(set(tf.NORMALIZED) - {"spelled-email"})
        if value.kind not in ("email", "ipv4", "ipv6")
        else sorted(
            set(tf.NORMALIZED) - {"separators"} - ({"spelled-email"} if value.kind != "email" else set())
        )
    )
    written, label = tf.NORMALIZED[rng.choice(tricks)](rng, value.text)
    if rng.random() < 0.3:  # two tricks at once
        written, label2 = tf.NORMALIZED[rng.choice(tricks)](rng, written)
        label += "+" + label2
    text = sentence(rng, value).replace(value.text, written)
    result, where = _carry(rng, text)
    return Case("normalized", [call(result)], [value], label=f"{label}:{where}")


def encoded(rng: Random) -> Case:
    """A sentence holding a value, encoded once or twice (nested layers), in text or a field."""
    value = reliable_value(rng)
    depth = 1 if rng.random() < 0.65 else 2
    written, label = tf.layered(rng, sentence(rng, value), depth)
    if rng.random() < 0.5:
        written = rng.choice(["payload: {}", "data={}", "{}", "see attachment ({})"]).format(written)
    result, where = _carry(rng, written)
    return Case("encoded", [call(result)], [value], label=f"{label}:{where}")


def framed_base64(rng: Random) -> Case:
    """A sentence holding a value, in binary framing (bytes that are no UTF-8 around it), base64 encoded."""
    value = reliable_value(rng)
    written, label = tf.framed_b64(rng, sentence(rng, value))
    result, where = _carry(rng, written)
    return Case("encoded", [call(result)], [value], label=f"{label}:{where}")


def byte_escapes(rng: Random) -> Case:
    """A sentence holding a value, written byte by byte (`transforms.byte_by_byte`), in text or a field."""
    value = reliable_value(rng)
    written, label = tf.byte_by_byte(rng, sentence(rng, value))
    if rng.random() < 0.5:
        written = rng.choice(["String.fromCharCode({})", "dump: {}", "{}", "raw bytes [{}]"]).format(written)
    result, where = _carry(rng, written)
    return Case("encoded", [call(result)], [value], label=f"{label}:{where}")


def byte_list(rng: Random) -> Case:
    """A sentence holding a value as a JSON list of its bytes (`Buffer.toJSON()`), maybe after a few bytes
    that are no text, in a structured result or JSON in a text block."""
    value = reliable_value(rng)
    raw = sentence(rng, value).encode()
    if rng.random() < 0.3:
        raw = bytes([0x00, 0x01, 0xFE]) + raw
    node: Any = list(raw)
    if rng.random() < 0.5:
        node = {"type": "Buffer", "data": node}
    record = filler_record(rng) | {rng.choice(["attachment", "payload", "body", "data"]): node}
    if rng.random() < 0.5:
        return Case("encoded", [call(tool_result(structured=record))], [value], label="byte-list:structured")
    return Case("encoded", [call(tool_result(json.dumps(record)))], [value], label="byte-list:json-text")


def base32_text(rng: Random) -> Case:
    """A sentence holding a value in base32 (RFC 4648, padded or not), maybe after a label."""
    value = reliable_value(rng)
    written = base64.b32encode(sentence(rng, value).encode()).decode()
    if rng.random() < 0.5:
        written = written.rstrip("=")
    if rng.random() < 0.5:
        written = rng.choice(["b32: {}", "payload={}", "({})"]).format(written)
    result, where = _carry(rng, written)
    return Case("encoded", [call(result)], [value], label=f"base32:{where}")


def pdf_text(rng: Random) -> Case:
    """A PDF showing a value's sentence in pieces, escapes or encoded streams (`media.pdf_shown`), as a
    resource blob or a text field's base64."""
    value = reliable_value(rng)
    data, label = media.pdf_shown(rng, sentence(rng, value))
    blob = base64.b64encode(data).decode()
    resource = {"uri": "file:///r.pdf", "mimeType": "application/pdf", "blob": blob}
    if rng.random() < 0.5:
        msg = call({"content": [{"type": "resource", "resource": resource}]})
    else:
        msg = call(tool_result(structured={"file": "r.pdf", "data": blob}))
    return Case("blobs", [msg], [value], label=label)


def blobs(rng: Random) -> Case:
    """A text blob holding a value: any label or none, any charset, maybe compressed, base64 or base64url;
    or media carrying it (`media_blobs`)."""
    if rng.random() < 0.5:
        return media_blobs(rng)
    value = reliable_value(rng)
    # Non-ASCII beside the value, so a charset other than UTF-8 really changes the bytes.
    body = rng.choice(
        [
            "Notiz (Größe M, café): {s}\n",
            "name,contact\nZoë,{s}\n",
            json.dumps({"note": "Rückruf: {s}"}),
            "<p>{s} – ok</p>",
        ]
    )
    blob, mime, label = tf.blob(rng, body.replace("{s}", sentence(rng, value)))
    resource: dict[str, Any] = {"uri": f"crm://export/{rng.randrange(100)}", "blob": blob}
    if mime is not None:
        resource["mimeType"] = mime
    if rng.random() < 0.5:
        msg = call({"content": [{"type": "resource", "resource": resource}]})
    else:
        from tests.classes.case import Message

        msg = Message("response", "resources/read", {"contents": [resource]})
    return Case("blobs", [msg], [value], label=label)


def media_blobs(rng: Random) -> Case:
    """Real-looking media (PNG, JPEG, GIF, WebP, MP3, PDF) carrying a value's sentence: right after the
    magic, in a metadata slot, in a compressed slot or as UTF-16 (`tests.classes.media`), as a resource
    blob or an image/audio content item's data."""
    value = reliable_value(rng)
    kind = rng.choice(sorted(media.BUILDERS))
    where = rng.choice(media.WHERE)
    build, mime = media.BUILDERS[kind]
    data = base64.b64encode(build(rng, media.Meta(sentence(rng, value), where))).decode()
    carrier = rng.choice(["blob", "content"])
    if carrier == "blob":
        msg = call(
            {
                "content": [
                    {"type": "resource", "resource": {"uri": "file:///m", "mimeType": mime, "blob": data}}
                ]
            }
        )
    else:
        item = "audio" if mime.startswith("audio") else "image"
        msg = call({"content": [{"type": item, "mimeType": mime, "data": data}]})
    return Case("blobs", [msg], [value], label=f"media:{kind}:{where}:{carrier}")


# --------------------------------------------------------------------------------- parser differentials
def _dup_doc(first: str, last: str, key: str) -> str:
    """A JSON object text whose `key` appears twice: a last-wins parser sees only `last`."""
    return (
        "{" + f'"id": 7, {json.dumps(key)}: {json.dumps(first)}, {json.dumps(key)}: {json.dumps(last)}' + "}"
    )


def differentials(rng: Random) -> Case:
    """JSON texts that parse one way and read another: duplicate keys (the hidden one first), and text
    blocks that parse equal to `structuredContent` while holding more."""
    value = reliable_value(rng)
    secret = sentence(rng, value) if rng.random() < 0.7 else value.text
    key = rng.choice(["note", "comment", "status", "detail"])
    benign = rng.choice(["ok", "n/a", "see CRM"])
    where = rng.choice(["text", "mirror", "nested-text", "error-data", "json-blob", "resource-text"])
    doc = _dup_doc(secret, benign, key)
    if where == "text":
        result: dict[str, Any] = tool_result(doc)
    elif where == "mirror":
        result = tool_result(doc, structured={"id": 7, key: benign})
    elif where == "nested-text":
        result = tool_result(json.dumps({"payload": doc}))
    elif where == "error-data":
        from tests.classes.case import Message

        err = {"code": -32000, "message": "failed", "data": doc}
        return Case(
            "differentials",
            [Message("error", "tools/call", err, "lookup")],
            [value],
            label=f"duplicate-key:{where}",
        )
    elif where == "json-blob":
        blob = base64.b64encode(doc.encode()).decode()
        result = {
            "content": [
                {
                    "type": "resource",
                    "resource": {"uri": "crm://x", "mimeType": "application/json", "blob": blob},
                }
            ]
        }
    else:
        result = {
            "content": [
                {
                    "type": "resource",
                    "resource": {"uri": "crm://x", "mimeType": "application/json", "text": doc},
                }
            ]
        }
    return Case("differentials", [call(result)], [value], label=f"duplicate-key:{where}")
