"""Misbehaving MCP backends for the adversarial tests: each mode is a small real server on stdio.

    python -m examples.hostile_backends MODE        (cwd = the repository, PYTHONPATH = the repository)

Every mode serves the same honest tools, so a test can check the proxy still works after the hostile part:
    whoami()                  -> a record full of personal data (JSON text + structuredContent)
    echo(text)                -> the text verbatim (a model can ask it to reflect tokens)
    fetch_page(url)           -> "fetched"        (the shipped egress policy denies real values in `url`)
    post(webhook, body)       -> "posted"         (... and in `webhook`)
    resource crm://contacts/{contact_id}, prompt review(customer_id), completions for both
Everything the server receives is appended as JSON lines to $VEIL_EXAMPLE_TRACE, if set: that file holds
what the backend saw (real values, by design), never a file the proxy writes.

Modes — what goes wrong:
    echo       nothing (the target of hostile-model tests)
    crash      tool `crash` exits the process mid-call; `crash_partial` writes half a JSON line first
    hang       tool `hang` blocks the whole server (a stuck event loop: no answer, no reaction to cancel)
    banner     prints a banner (quoting an email address) on stdout before the protocol starts
    garbage    tool `garbage` writes non-JSON-RPC lines (quoting personal data) to stdout, then answers
    flood      tool `flood(n)` sends n log notifications quoting personal data, then answers
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.types import Completion

MODES = ("echo", "crash", "hang", "banner", "garbage", "flood")

PERSON: dict[str, Any] = {
    "fullName": "Jane Miller",
    "email": "jane.miller@acme-plumbing.example",
    "phone": "+1 415 555 0134",
    "iban": "DE89370400440532013000",
    "customerId": "7157461338",
    "note": "card 4111111111111111 from 203.0.113.77",
}
CANARY_LINE = "jane.miller@acme-plumbing.example +1 415 555 0134 DE89370400440532013000"


def _trace(record: dict[str, Any]) -> None:
    path = os.environ.get("VEIL_EXAMPLE_TRACE")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")


# The SDK's stdio server diverts fd 1 to stderr while it serves (so stray prints cannot corrupt the wire);
# a hostile backend writes to the wire itself, through a duplicate of the original stdout taken first.
_WIRE = os.dup(1)


def _raw_stdout(line: str) -> None:
    os.write(_WIRE, line.encode())


def build_server(mode: str) -> MCPServer:
    server = MCPServer(f"hostile-{mode}")

    @server.tool()
    def whoami() -> dict[str, Any]:
        return dict(PERSON)

    @server.tool()
    def echo(text: str) -> str:
        _trace({"tool": "echo", "text": text})
        return text

    @server.tool()
    def fetch_page(url: str) -> str:
        _trace({"tool": "fetch_page", "url": url})
        return "fetched"

    @server.tool()
    def post(webhook: str, body: str) -> str:
        _trace({"tool": "post", "webhook": webhook, "body": body})
        return "posted"

    @server.resource("crm://contacts/{contact_id}")
    def contact(contact_id: str) -> str:
        _trace({"resource": contact_id})
        return json.dumps({"id": contact_id, "email": PERSON["email"]})

    @server.prompt()
    def review(customer_id: str) -> str:
        _trace({"prompt": customer_id})
        return f"Review account {customer_id} for {PERSON['email']}"

    @server.completion()
    async def complete(ref: Any, argument: Any, context: Any) -> Completion:
        _trace({"completion": argument.value})
        return Completion(values=[argument.value, PERSON["email"]])

    if mode == "crash":

        @server.tool()
        def crash(text: str) -> str:
            _trace({"tool": "crash", "text": text})
            os._exit(3)

        @server.tool()
        def crash_partial(text: str) -> str:
            _raw_stdout('{"jsonrpc":"2.0","id":')
            os._exit(4)

    if mode == "hang":

        @server.tool()
        def hang(text: str) -> str:
            _trace({"tool": "hang", "started": True})
            time.sleep(3600)  # blocks the event loop: the server reads and answers nothing more
            return "never"

    if mode == "garbage":

        @server.tool()
        def garbage(text: str) -> str:
            _raw_stdout(f"DEBUG: looked up {CANARY_LINE}\n")
            _raw_stdout(json.dumps({"not": "json-rpc", "who": PERSON["email"]}) + "\n")
            _raw_stdout("\x00\xff\n")
            _raw_stdout('[{"jsonrpc":"2.0","method":"x","params":{"e":"' + PERSON["email"] + '"}}]\n')
            if text == "surrogate":  # valid JSON, but a lone surrogate is not valid UTF-8 once decoded
                _raw_stdout(
                    '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info",'
                    '"data":"\\ud800 ' + PERSON["email"] + '"}}\n'
                )
            if text == "bytes":  # a valid notification whose bytes are not UTF-8 around personal data
                os.write(
                    _WIRE,
                    b'{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"\xff\xfe'
                    + PERSON["email"].encode()
                    + b'\xc3"}}\n',
                )
            return f"garbage done for {text}"

    if mode == "flood":

        @server.tool()
        async def flood(n: int, ctx: Context) -> str:
            for i in range(n):
                await ctx.info(f"row {i}: {CANARY_LINE}")
            return f"flooded {n}"

    return server


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    mode = args[0] if args else "echo"
    if mode not in MODES:
        sys.stderr.write(f"unknown mode {mode!r}; one of {', '.join(MODES)}\n")
        raise SystemExit(2)
    if mode == "banner":
        _raw_stdout(f"hostile backend v0.1 starting; support: {PERSON['email']}\n")
        _raw_stdout("=" * 60 + "\n")
    build_server(mode).run("stdio")


if __name__ == "__main__":
    main()
