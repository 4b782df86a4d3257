"""Protocol surface: a plain email (the easiest value there is) planted in every message kind a backend
can send toward the client, around the answer to one client request. Detection of a plain email is not in
doubt (the controls), so a leak here is a message or member the proxy did not judge.

    cd /tmp/wt-rt9 && /work/main/.venv/bin/python tests/redteam/rt9/probe_surface.py
"""

import json
import sys

from driver import judge, report, run
from values import b64, email, text

OK = text("done")


def N(method, params):
    return {"jsonrpc": "2.0", "method": method, "params": params}


def REQ(method, params, rid="srv-1"):
    return {"jsonrpc": "2.0", "id": rid, "method": method, "params": params}


def kinds():
    K = []

    def add(desc, make, **kw):
        e = email()
        c = make(e)
        c.setdefault("reply", OK["result"] and OK)
        c.update(kw)
        c["desc"] = desc
        c["cls"] = "surface"
        if c.get("plant") == "B64":
            c["plant"] = [e, b64(e), b64(f"to: {e}")[:20], b64(f"owner {e}")[:20]]
        c.setdefault("plant", [e])
        K.append(c)

    add(
        "log data string",
        lambda e: {"emit": [N("notifications/message", {"level": "info", "data": f"user {e} logged in"})]},
    )
    add(
        "log data object key",
        lambda e: {"emit": [N("notifications/message", {"level": "info", "data": {e: {"ok": 1}}})]},
    )
    add(
        "log logger name",
        lambda e: {"emit": [N("notifications/message", {"level": "info", "logger": e, "data": "x"})]},
    )
    add(
        "progress message",
        lambda e: {
            "emit": [
                N("notifications/progress", {"progressToken": "t1", "progress": 1, "message": f"mailing {e}"})
            ]
        },
    )
    add(
        "progressToken string",
        lambda e: {"emit": [N("notifications/progress", {"progressToken": e, "progress": 1})]},
    )
    add(
        "cancelled reason",
        lambda e: {"emit": [N("notifications/cancelled", {"requestId": "zz", "reason": f"bounced {e}"})]},
    )
    add("cancelled requestId", lambda e: {"emit": [N("notifications/cancelled", {"requestId": e})]})
    add(
        "resources/updated uri",
        lambda e: {"emit": [N("notifications/resources/updated", {"uri": f"mailto:{e}"})]},
    )
    add("list_changed params", lambda e: {"emit": [N("notifications/tools/list_changed", {"note": e})]})
    add("unknown notification", lambda e: {"emit": [N("x-vendor/notice", {"who": e})]})
    add(
        "notification with id null",
        lambda e: {
            "emit": [
                {
                    "jsonrpc": "2.0",
                    "id": None,
                    "method": "notifications/message",
                    "params": {"level": "info", "data": e},
                }
            ]
        },
    )
    add(
        "sampling messages",
        lambda e: {
            "emit": [
                REQ(
                    "sampling/createMessage",
                    {
                        "messages": [{"role": "user", "content": {"type": "text", "text": f"write to {e}"}}],
                        "maxTokens": 5,
                    },
                    "s1",
                )
            ]
        },
    )
    add(
        "sampling systemPrompt",
        lambda e: {
            "emit": [
                REQ(
                    "sampling/createMessage",
                    {
                        "messages": [{"role": "user", "content": {"type": "text", "text": "hi"}}],
                        "systemPrompt": f"You are {e}",
                        "maxTokens": 5,
                    },
                    "s2",
                )
            ]
        },
    )
    add(
        "sampling modelPreferences hint",
        lambda e: {
            "emit": [
                REQ(
                    "sampling/createMessage",
                    {
                        "messages": [{"role": "user", "content": {"type": "text", "text": "hi"}}],
                        "modelPreferences": {"hints": [{"name": e}]},
                        "maxTokens": 5,
                    },
                    "s3",
                )
            ]
        },
    )
    add(
        "elicitation message",
        lambda e: {
            "emit": [
                REQ(
                    "elicitation/create",
                    {
                        "message": f"Confirm {e}?",
                        "requestedSchema": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
                    },
                    "e1",
                )
            ]
        },
    )
    add(
        "elicitation schema title",
        lambda e: {
            "emit": [
                REQ(
                    "elicitation/create",
                    {
                        "message": "Confirm",
                        "requestedSchema": {
                            "type": "object",
                            "properties": {
                                "ok": {"type": "boolean", "title": f"Send to {e}", "description": f"for {e}"}
                            },
                        },
                    },
                    "e2",
                )
            ]
        },
    )
    add(
        "elicitation enumNames",
        lambda e: {
            "emit": [
                REQ(
                    "elicitation/create",
                    {
                        "message": "Pick",
                        "requestedSchema": {
                            "type": "object",
                            "properties": {"who": {"type": "string", "enum": ["a"], "enumNames": [e]}},
                        },
                    },
                    "e3",
                )
            ]
        },
    )
    add("server request string id", lambda e: {"emit": [REQ("ping", {}, e)]})
    add("error.message", lambda e: {"reply": {"error": {"code": -32000, "message": f"no mailbox {e}"}}})
    add(
        "error.data object",
        lambda e: {"reply": {"error": {"code": -32000, "message": "x", "data": {"detail": {"to": e}}}}},
    )
    add("extra envelope member", lambda e: {"reply_extra": {"note": e}})
    add(
        "result and error both",
        lambda e: {
            "reply": {
                "result": {"content": [{"type": "text", "text": "ok"}]},
                "error": {"code": 1, "message": e},
            }
        },
    )
    add(
        "result _meta",
        lambda e: {"reply": {"result": {"content": [{"type": "text", "text": "ok"}], "_meta": {"owner": e}}}},
    )
    add(
        "content annotations extra",
        lambda e: {
            "reply": {
                "result": {
                    "content": [
                        {"type": "text", "text": "ok", "annotations": {"audience": ["user"], "note": e}}
                    ]
                }
            }
        },
    )
    add(
        "resource_link",
        lambda e: {
            "reply": {"result": {"content": [{"type": "resource_link", "uri": f"mailto:{e}", "name": e}]}}
        },
    )
    add(
        "embedded resource blob",
        lambda e: {
            "reply": {
                "result": {
                    "content": [
                        {
                            "type": "resource",
                            "resource": {
                                "uri": "file:///a",
                                "mimeType": "text/plain",
                                "blob": b64(f"to: {e}"),
                            },
                        }
                    ]
                }
            }
        },
        plant="B64",
    )
    add(
        "image data is text",
        lambda e: {
            "reply": {
                "result": {"content": [{"type": "image", "mimeType": "image/png", "data": b64(f"owner {e}")}]}
            }
        },
    )
    add(
        "audio data is text",
        lambda e: {
            "reply": {
                "result": {"content": [{"type": "audio", "mimeType": "audio/wav", "data": b64(f"owner {e}")}]}
            }
        },
    )
    add(
        "unknown content type",
        lambda e: {"reply": {"result": {"content": [{"type": "x-card", "payload": {"who": e}}]}}},
    )
    add(
        "structuredContent key",
        lambda e: {"reply": {"result": {"content": [], "structuredContent": {"rows": {e: 3}}}}},
    )
    add(
        "answer to unknown id",
        lambda e: {
            "emit": [{"jsonrpc": "2.0", "id": 987654, "result": {"content": [{"type": "text", "text": e}]}}]
        },
    )
    add(
        "answer id as string",
        lambda e: {
            "emit": [
                '{"jsonrpc":"2.0","id":"$ID","result":{"content":[{"type":"text","text":"'
                + e
                + '"}]}}'.replace('"$ID"', '"__SID__"')
            ]
        },
    )
    add(
        "duplicate answer after the first",
        lambda e: {
            "emit": ['{"jsonrpc":"2.0","id":$ID,"result":{"content":[{"type":"text","text":"first"}]}}'],
            "reply": text(e),
        },
    )
    add(
        "batch of notifications",
        lambda e: {"emit": [json.dumps([N("notifications/message", {"level": "info", "data": e})])]},
    )
    add(
        "resources/read text",
        lambda e: {
            "method": "resources/read",
            "reply": {
                "result": {"contents": [{"uri": "rt9://x", "mimeType": "text/plain", "text": f"owner {e}"}]}
            },
        },
    )
    add(
        "resources/read uri",
        lambda e: {
            "method": "resources/read",
            "reply": {"result": {"contents": [{"uri": f"mailto:{e}", "text": "x"}]}},
        },
    )
    add(
        "resources/read blob",
        lambda e: {
            "method": "resources/read",
            "reply": {
                "result": {
                    "contents": [
                        {"uri": "rt9://x", "mimeType": "application/octet-stream", "blob": b64(f"owner {e}")}
                    ]
                }
            },
        },
    )
    add(
        "prompts/get message",
        lambda e: {
            "method": "prompts/get",
            "reply": {
                "result": {
                    "description": f"for {e}",
                    "messages": [{"role": "user", "content": {"type": "text", "text": f"email {e}"}}],
                }
            },
        },
    )
    add(
        "completion values",
        lambda e: {
            "method": "completion/complete",
            "reply": {"result": {"completion": {"values": [e], "total": 1, "hasMore": False}}},
        },
    )
    add(
        "resources/list name + cursor",
        lambda e: {
            "method": "resources/list",
            "reply": {"result": {"resources": [{"uri": "rt9://a", "name": e}], "nextCursor": e}},
        },
    )
    add(
        "nextCursor alone",
        lambda e: {"method": "resources/list", "reply": {"result": {"resources": [], "nextCursor": e}}},
    )
    add(
        "nextCursor base64",
        lambda e: {"method": "prompts/list", "reply": {"result": {"prompts": [], "nextCursor": b64(e)}}},
        plant="B64",
    )
    add(
        "templates uriTemplate",
        lambda e: {
            "method": "resources/templates/list",
            "reply": {"result": {"resourceTemplates": [{"uriTemplate": "users/{id}?cc=" + e, "name": "u"}]}},
        },
    )
    add(
        "tools/list description",
        lambda e: {
            "method": "tools/list",
            "reply": {
                "result": {
                    "tools": [
                        {
                            "name": "t9",
                            "description": f"Mails {e}",
                            "inputSchema": {
                                "type": "object",
                                "properties": {
                                    "x": {"type": "string", "description": f"e.g. {e}", "title": e}
                                },
                            },
                        }
                    ]
                }
            },
        },
    )
    add(
        "tools/list outputSchema",
        lambda e: {
            "method": "tools/list",
            "reply": {
                "result": {
                    "tools": [
                        {
                            "name": "t8",
                            "inputSchema": {"type": "object"},
                            "outputSchema": {
                                "type": "object",
                                "properties": {"x": {"type": "string", "pattern": e, "description": e}},
                            },
                        }
                    ]
                }
            },
        },
    )
    return K


def main():
    cases = kinds()
    # fix plants for encoded variants: the encoded form reaching the client is the leak
    # the string-id case: substitute the id as a string
    for i, c in enumerate(cases):
        c["emit"] = [
            x.replace("__SID__", str(1000 + i)) if isinstance(x, str) else x for x in c.get("emit", [])
        ]
    _, outs, late, err = run(cases)
    rows = judge(cases, outs, err, late)
    report(rows)
    if "-v" in sys.argv:
        for c, o in zip(cases, outs, strict=False):
            print(c["desc"], o)


if __name__ == "__main__":
    main()
