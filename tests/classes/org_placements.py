"""Keyed JSON naming an account (`{"clientName": X}`) in every string the client reads, for every method:
listings, cursors, schema patterns, URIs, templates, `initialize` instructions, server requests, log text,
object keys."""

from __future__ import annotations

import json
from random import Random

from tests.classes.case import Case, Message, call, tool_result
from tests.classes.org_cases import company


def _keyed_placements(text: str) -> dict[str, Message]:
    tool = {"name": "t", "description": "d", "inputSchema": {"type": "object"}}
    return {
        "tool-name": Message("response", "tools/list", {"tools": [{**tool, "name": text}]}),
        "tool-description": Message("response", "tools/list", {"tools": [{**tool, "description": text}]}),
        "schema-pattern": Message(
            "response",
            "tools/list",
            {
                "tools": [
                    {
                        **tool,
                        "inputSchema": {
                            "type": "object",
                            "properties": {"q": {"type": "string", "pattern": f"^{text}$"}},
                        },
                    }
                ]
            },
        ),
        "next-cursor": Message("response", "tools/list", {"tools": [tool], "nextCursor": text}),
        "prompt-name": Message("response", "prompts/list", {"prompts": [{"name": text}]}),
        "prompt-arg": Message(
            "response",
            "prompts/list",
            {"prompts": [{"name": "p", "arguments": [{"name": "a", "description": text}]}]},
        ),
        "prompt-message": Message(
            "response",
            "prompts/get",
            {"messages": [{"role": "user", "content": {"type": "text", "text": text}}]},
        ),
        "resource-uri": Message(
            "response", "resources/list", {"resources": [{"uri": f"mem://r/{text}", "name": "r"}]}
        ),
        "resource-name": Message(
            "response", "resources/list", {"resources": [{"uri": "mem://r", "name": text}]}
        ),
        "template": Message(
            "response",
            "resources/templates/list",
            {"resourceTemplates": [{"uriTemplate": f"x://{text}/{{id}}"}]},
        ),
        "instructions": Message(
            "response",
            "initialize",
            {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "serverInfo": {"name": "s", "version": "1"},
                "instructions": text,
            },
        ),
        "sampling-params": Message(
            "request", "sampling/createMessage", {"messages": [], "maxTokens": 5, "systemPrompt": text}
        ),
        "request-method": Message("request", text, {}),
        "log-prefix": Message(
            "notification", "notifications/message", {"level": "info", "data": f"row: {text}"}
        ),
        "object-key": call(tool_result(structured={text: 1})),
    }


KEYED = (
    "clientName",
    "accountName",
    "account_name",
    "ACCOUNT_NAME",
    "account-name",
    "company",
    "advertiser",
    "organization",
    "brand",
    "customerName",
)


def keyed_json_case(rng: Random) -> Case:
    """`{"clientName": X, "status": "ENABLED"}` as JSON text in any string the client reads, any method."""
    name = company(rng)
    text = json.dumps(
        {rng.choice(KEYED): name.text, "status": "ENABLED"}, separators=rng.choice([None, (",", ":")])
    )
    where, msg = rng.choice(sorted(_keyed_placements(text).items()))
    return Case("org-keyed-json", [msg], [name], [], where)
