"""Real MCP servers nobody here wrote, direct vs behind `veil run --`: golden comparisons.

A result that carries no personal data must reach the client exactly as the server sent it, whatever the
method: listings, every tool, every resource, every prompt, completions, server→client requests (sampling,
elicitation, roots) and notifications (progress, logging, list_changed, resource updates). Where a value
legitimately differs between two runs (a clock, a random id), that one field is normalized, with the reason
next to it; the rest of the result is still compared as a whole.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import signal
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import anyio
import mcp_types as types
import pytest
from mcp import Client, MCPError, StdioServerParameters

from proxy.scan.output_schema import rewrite_tools
from tests.polling import wait_until
from vault.tokens import TOKEN_RE

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

SESSION_LIMIT = 45.0  # seconds for a whole scripted session, proxy start-up (Presidio load) included
EVENT_LIMIT = 10.0  # seconds for one expected notification or server→client request


def dump(model: Any) -> Any:
    """What went over the wire, as JSON (aliases, no unset optionals)."""
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


async def outcome(call: Awaitable[Any]) -> Any:
    """A result, or the JSON-RPC error it became: errors are compared too."""
    try:
        return dump(await call)
    except MCPError as exc:
        return {"error": dump(exc.error)}


def diff_report(direct: dict[str, Any], proxied: dict[str, Any]) -> str:
    lines = []
    for key in sorted(set(direct) | set(proxied)):
        if direct.get(key) != proxied.get(key):
            lines.append(f"--- {key}\n direct:  {json.dumps(direct.get(key))[:1500]}")
            lines.append(f" proxied: {json.dumps(proxied.get(key))[:1500]}")
    return "\n".join(lines)


def assert_golden(direct: dict[str, Any], proxied: dict[str, Any]) -> None:
    assert direct.keys() == proxied.keys()
    # The one intended difference: each tool's output schema accepts the tokens its results may carry.
    listing = direct.get("tools/list")
    rewrite_tools({"tools": listing} if isinstance(listing, list) else listing)
    assert direct == proxied, "proxied results differ from direct ones:\n" + diff_report(direct, proxied)


async def both(
    run: Callable[[StdioServerParameters, str], Awaitable[dict[str, Any]]],
    direct: StdioServerParameters,
    proxied: StdioServerParameters,
    mode: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run the same script against the direct and the proxied server, side by side."""
    results: dict[str, dict[str, Any]] = {}

    async def one(name: str, params: StdioServerParameters) -> None:
        results[name] = await run(params, mode)

    with anyio.fail_after(SESSION_LIMIT):
        async with anyio.create_task_group() as tg:
            tg.start_soon(one, "direct", direct)
            tg.start_soon(one, "proxied", proxied)
    return results["direct"], results["proxied"]


# =========================================================================== PyPI mcp-server-time

TIME_CMD = [sys.executable, "-m", "mcp_server_time", "--local-timezone", "UTC"]
ZONES = ["UTC", "Europe/Warsaw", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]
CONVERSIONS = [
    {"source_timezone": "Europe/Warsaw", "time": "16:30", "target_timezone": "America/New_York"},
    {"source_timezone": "UTC", "time": "00:00", "target_timezone": "Asia/Kolkata"},
    {"source_timezone": "America/Los_Angeles", "time": "23:59", "target_timezone": "Asia/Tokyo"},
    {"source_timezone": "Australia/Lord_Howe", "time": "12:15", "target_timezone": "UTC"},
]
TIME_ERRORS = [
    ("convert_time", {"source_timezone": "Nowhere/Atlantis", "time": "16:30", "target_timezone": "UTC"}),
    ("convert_time", {"source_timezone": "UTC", "time": "25:61", "target_timezone": "Asia/Tokyo"}),
    ("get_current_time", {"timezone": "Mars/Olympus_Mons"}),
]


async def time_session(params: StdioServerParameters, mode: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    async with Client(params, mode=mode) as client:
        out["protocol"] = client.protocol_version
        out["tools/list"] = dump(await client.list_tools())
        assert {t["name"] for t in out["tools/list"]["tools"]} == {"get_current_time", "convert_time"}
        for args in CONVERSIONS:
            # convert_time of a fixed HH:MM is deterministic (it uses today's date: same in both runs).
            out[f"convert_time {args}"] = await outcome(client.call_tool("convert_time", args))
        for zone in ZONES:
            out[f"get_current_time {zone}"] = await outcome(
                client.call_tool("get_current_time", {"timezone": zone})
            )
        for tool, args in TIME_ERRORS:
            out[f"{tool} {args}"] = await outcome(client.call_tool(tool, args))
    return out


def normalize_current_time(direct: dict[str, Any], proxied: dict[str, Any]) -> None:
    """get_current_time reads the clock: its `datetime` differs by the seconds between the two runs.

    Everything else in the result (timezone, day of week, DST flag, the UTC offset, the text block being the
    same JSON as structuredContent) is still compared; the two instants must be within a minute.
    """
    for zone in ZONES:
        key = f"get_current_time {zone}"
        instants = []
        for run in (direct, proxied):
            result = run[key]
            assert not result.get("isError"), result
            structured = result["structuredContent"]
            assert json.loads(result["content"][0]["text"]) == structured
            assert structured["timezone"] == zone
            stamp = datetime.fromisoformat(structured["datetime"])
            instants.append(stamp)
            placeholder = f"<now{stamp.strftime('%z')}>"
            text = result["content"][0]["text"]
            assert structured["datetime"] in text
            result["content"][0]["text"] = text.replace(structured["datetime"], placeholder)
            structured["datetime"] = placeholder
        assert abs((instants[0] - instants[1]).total_seconds()) < 60


def local_days() -> tuple[str, ...]:
    """Today's date in every zone the script touches: the server answers with its dates and weekdays."""
    pairs = [(args["source_timezone"], args["target_timezone"]) for args in CONVERSIONS]
    zones = set(ZONES) | {zone for pair in pairs for zone in pair}
    return tuple(datetime.now(ZoneInfo(zone)).date().isoformat() for zone in sorted(zones))


async def time_sessions(direct: StdioServerParameters, proxied: StdioServerParameters, mode: str) -> Any:
    """Both runs within one calendar day in every zone: a run that straddles a midnight is repeated.

    A real clock, not a mocked one: if the direct run answered before a midnight and the proxied run after,
    their dates and weekdays differ for a reason that has nothing to do with the proxy.
    """
    for _attempt in range(3):
        before = local_days()
        runs = await both(time_session, direct, proxied, mode)
        if local_days() == before:
            return runs
    raise AssertionError("three runs in a row straddled a midnight")


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_time_server_direct_and_proxied_agree(direct_stdio, veil_stdio, mode):
    direct, proxied = await time_sessions(direct_stdio(TIME_CMD), veil_stdio(TIME_CMD), mode)
    # auto = the SDK's default: server/discover, so this run speaks the 2026-07-28 protocol through the proxy.
    assert proxied["protocol"] == ("2025-11-25" if mode == "legacy" else "2026-07-28")
    for args in CONVERSIONS:
        result = proxied[f"convert_time {args}"]
        assert not result.get("isError"), result
        assert result["structuredContent"]["source"]["timezone"] == args["source_timezone"]
    for tool, args in TIME_ERRORS:
        assert proxied[f"{tool} {args}"].get("isError") or "error" in proxied[f"{tool} {args}"]
    normalize_current_time(direct, proxied)
    assert_golden(direct, proxied)


# =========================================================================== npm server-everything

EVERYTHING = "@modelcontextprotocol/server-everything"

# Arguments beyond what the input schema alone gives (see `args_from_schema`): several variants for a tool
# whose behaviour branches, no network for gzip (a data URI instead of its GitHub default), short waits.
GZIP_DATA = "data:text/plain;base64," + base64.b64encode(b"golden test payload\n" * 20).decode()
TOOL_CALLS: dict[str, list[dict[str, Any]]] = {
    "echo": [{"message": "Hello from the golden test: 42 widgets, order #7."}],
    "get-annotated-message": [
        {"messageType": "error"},
        {"messageType": "success", "includeImage": True},
        {"messageType": "debug"},
    ],
    "get-resource-links": [{"count": 10}],
    "get-resource-reference": [
        {"resourceType": "Text", "resourceId": 3},
        {"resourceType": "Blob", "resourceId": 4},
    ],
    "get-structured-content": [{"location": loc} for loc in ("New York", "Chicago", "Los Angeles")],
    "get-sum": [{"a": 2, "b": 40.5}],
    "gzip-file-as-resource": [
        {"name": "golden.txt.gz", "data": GZIP_DATA},
        {"name": "golden-inline.txt.gz", "data": GZIP_DATA, "outputType": "resource"},
    ],
    "trigger-long-running-operation": [{"duration": 0.5, "steps": 5}],
    "trigger-sampling-request": [{"prompt": "Write one sentence about tide pools.", "maxTokens": 30}],
    "trigger-url-elicitation": [
        {"url": "https://example.com/golden/consent", "elicitationId": "golden-elicitation-1"},
        # The error path: MCP error -32042 carrying a prerequisite URL elicitation.
        {
            "url": "https://example.com/golden/authorize",
            "elicitationId": "golden-elicitation-2",
            "errorPath": True,
        },
    ],
    "simulate-research-query": [{"topic": "tide pool ecology"}],
    # toggles: on, then off again (so nothing keeps ticking while the rest runs)
    "toggle-simulated-logging": [{}, {}],
    "toggle-subscriber-updates": [{}, {}],
}
PROMPT_ARGS: dict[str, list[dict[str, str]]] = {
    "args-prompt": [{"city": "Springfield"}, {"city": "Springfield", "state": "Oregon"}],
    "completable-prompt": [{"department": "Engineering", "name": "Bob"}],
    "resource-prompt": [
        {"resourceType": "Text", "resourceId": "5"},
        {"resourceType": "Blob", "resourceId": "6"},
    ],
}
# The form elicitation's answer: everything the form offers that is not personal data.
FORM_ANSWER = {
    "name": "n/a",
    "check": True,
    "firstLine": "It was a dark and stormy night.",
    "integer": 7,
    "number": 2.5,
    "untitledSingleSelectEnum": "Rachel",
    "untitledMultipleSelectEnum": ["Piano", "Drums"],
    "titledSingleSelectEnum": "hero-2",
    "titledMultipleSelectEnum": ["fish-3"],
    "legacyTitledEnum": "pet-4",
}
SAMPLING_REPLY = "Tide pools are rocky seaside basins left full of seawater at low tide."
ROOTS = [types.Root(uri="file:///srv/golden-project", name="golden-project")]
SIMULATED_LOG = re.compile(r"^\w+[- ]level[- ]message")


def value_for(prop: dict[str, Any]) -> Any:
    if "enum" in prop:
        return prop["enum"][0]
    if "default" in prop:
        return prop["default"]
    kind = prop.get("type")
    if kind == "string":
        return "https://example.com/golden" if prop.get("format") == "uri" else "golden test value"
    if kind in ("number", "integer"):
        return prop.get("minimum", 3)
    if kind == "boolean":
        return True
    if kind == "array":
        return []
    if kind == "object":
        return args_from_schema(prop)
    return "golden test value"


def args_from_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Valid arguments for an input schema: every required property, from its enum, default or type."""
    props = schema.get("properties", {})
    return {name: value_for(props[name]) for name in schema.get("required", [])}


def tool_calls(tool: types.Tool) -> list[dict[str, Any]]:
    base = args_from_schema(tool.input_schema)
    return [{**base, **extra} for extra in TOOL_CALLS.get(tool.name, [{}])]


class Peer:
    """The client side of one session. Direct and proxied sessions get the same callbacks (one Peer each),
    which record what the server asked and notified."""

    def __init__(self) -> None:
        self.sampling: list[Any] = []
        self.elicitation: list[Any] = []
        self.roots_requests = 0
        self.logs: list[Any] = []
        self.notifications: list[Any] = []
        self.roots_synced = anyio.Event()
        self.simulated_log = anyio.Event()
        self.resource_updated = anyio.Event()

    async def on_sampling(self, context: Any, params: types.CreateMessageRequestParams) -> Any:
        self.sampling.append(dump(params))
        return types.CreateMessageResult(
            role="assistant",
            content=types.TextContent(type="text", text=SAMPLING_REPLY),
            model="golden-model",
            stop_reason="endTurn",
        )

    async def on_elicitation(self, context: Any, params: Any) -> types.ElicitResult:
        self.elicitation.append(dump(params))
        if getattr(params, "mode", None) == "url":
            return types.ElicitResult(action="accept")
        return types.ElicitResult(action="accept", content=FORM_ANSWER)

    async def on_roots(self, context: Any) -> types.ListRootsResult:
        self.roots_requests += 1
        return types.ListRootsResult(roots=ROOTS)

    async def on_log(self, params: types.LoggingMessageNotificationParams) -> None:
        entry = dump(params)
        self.logs.append(entry)
        if "Roots updated" in str(params.data):
            self.roots_synced.set()
        if SIMULATED_LOG.match(str(params.data)):
            self.simulated_log.set()

    async def on_message(self, message: Any) -> None:
        if isinstance(message, Exception):
            self.notifications.append({"exception": type(message).__name__})
            return
        note = dump(message)
        self.notifications.append(note)
        if note.get("method") == "notifications/resources/updated":
            self.resource_updated.set()

    def client(self, params: StdioServerParameters, mode: str) -> Client:
        return Client(
            params,
            mode=mode,
            read_timeout_seconds=30,
            sampling_callback=self.on_sampling,
            elicitation_callback=self.on_elicitation,
            list_roots_callback=self.on_roots,
            logging_callback=self.on_log,
            message_handler=self.on_message,
        )


async def list_all(fetch: Callable[..., Awaitable[Any]], field: str) -> list[Any]:
    """Every page of a listing (nextCursor), as JSON."""
    items: list[Any] = []
    cursor: str | None = None
    for _ in range(100):
        page = await fetch(cursor=cursor)
        items.extend(dump(page)[field])
        cursor = page.next_cursor
        if cursor is None:
            return items
    raise AssertionError(f"{field}: more than 100 pages")


async def call_as_task(client: Client, name: str, args: dict[str, Any]) -> dict[str, Any]:
    """A tool whose `execution.taskSupport` is `required` (2025-11-25 tasks): create, poll, fetch.

    The SDK's `send_request` validates a `tools/call` answer as a CallToolResult, which a CreateTaskResult
    is not: the task requests go through the session's dispatcher as raw JSON-RPC."""
    dispatcher = client.session._dispatcher  # raw JSON-RPC, no SDK-side result validation

    async def send(method: str, params: dict[str, Any]) -> dict[str, Any]:
        return await dispatcher.send_raw_request(method, params, {"timeout": 30})

    created = await send("tools/call", {"name": name, "arguments": args, "task": {"ttl": 60_000}})
    task_id = created["task"]["taskId"]
    statuses = [created]
    status: dict[str, Any] = {}
    for _ in range(200):
        status = await send("tasks/get", {"taskId": task_id})
        if status["status"] not in ("working", "input_required"):
            break
        await anyio.sleep(0.25)
    statuses.append(status)
    payload = await send("tasks/result", {"taskId": task_id})
    assert types.CallToolResult.model_validate(payload, by_name=False).content
    return {"task": statuses, "result": payload}


async def everything_session(params: StdioServerParameters, mode: str) -> dict[str, Any]:
    peer = Peer()
    out: dict[str, Any] = {}
    progress: dict[str, list[Any]] = {}
    async with peer.client(params, mode) as client, anyio.create_task_group() as tg:
        out["protocol"] = client.protocol_version
        out["server_info"] = dump(client.server_info)
        out["capabilities"] = dump(client.server_capabilities)
        out["instructions"] = client.instructions
        # The server asks for roots 350 ms after initialization and logs what it got.
        with anyio.fail_after(EVENT_LIMIT):
            await peer.roots_synced.wait()

        tools = [types.Tool.model_validate(t) for t in await list_all(client.list_tools, "tools")]
        out["tools/list"] = [dump(t) for t in tools]
        out["prompts/list"] = await list_all(client.list_prompts, "prompts")
        out["resources/list"] = await list_all(client.list_resources, "resources")
        out["resources/templates/list"] = await list_all(client.list_resource_templates, "resourceTemplates")

        # Tasks take seconds (4 simulated research stages): run them beside the rest of the script.
        async def task_call(key: str, name: str, args: dict[str, Any]) -> None:
            out[key] = await call_as_task(client, name, args)

        for tool in tools:
            if tool.execution is not None and tool.execution.task_support == "required":
                for args in tool_calls(tool):
                    tg.start_soon(task_call, f"tools/call {tool.name} {args} (task)", tool.name, args)

        for resource in out["resources/list"]:
            uri = resource["uri"]
            out[f"resources/read {uri}"] = await outcome(client.read_resource(uri))
        for template in out["resources/templates/list"]:
            variables = re.findall(r"\{(\w+)\}", template["uriTemplate"])
            for value in ("1", "2"):
                uri = template["uriTemplate"]
                for var in variables:
                    uri = uri.replace("{" + var + "}", value)
                out[f"resources/read {uri}"] = await outcome(client.read_resource(uri))
                for var in variables:
                    ref = types.ResourceTemplateReference(type="ref/resource", uri=template["uriTemplate"])
                    out[f"completion/complete {uri} {var}"] = await outcome(
                        client.complete(ref, {"name": var, "value": value})
                    )

        for prompt in out["prompts/list"]:
            arguments = [a["name"] for a in prompt.get("arguments", [])]
            for args in PROMPT_ARGS.get(prompt["name"], [{a: "golden" for a in arguments}]):
                out[f"prompts/get {prompt['name']} {args}"] = await outcome(
                    client.get_prompt(prompt["name"], args)
                )
                ref = types.PromptReference(type="ref/prompt", name=prompt["name"])
                for arg in arguments:
                    for value in ("", args.get(arg, "")[:1]):
                        context = {k: v for k, v in args.items() if k != arg}
                        out[
                            f"completion/complete {prompt['name']} {arg}={value!r} {context}"
                        ] = await outcome(
                            client.complete(ref, {"name": arg, "value": value}, context_arguments=context)
                        )

        # Resource update notifications come only for subscribed URIs, while the toggle is on.
        subscribed = out["resources/list"][0]["uri"]
        out["resources/subscribe"] = await outcome(client.subscribe_resource(subscribed))

        for tool in tools:
            if tool.execution is not None and tool.execution.task_support == "required":
                continue
            for i, args in enumerate(tool_calls(tool)):
                key = f"tools/call {tool.name} {args}" + (f" #{i + 1}" if i else "")
                steps: list[Any] = []

                async def on_progress(value: float, total: float | None, message: str | None) -> None:
                    steps.append({"progress": value, "total": total, "message": message})  # noqa: B023

                out[key] = await outcome(client.call_tool(tool.name, args, progress_callback=on_progress))
                progress[key] = steps
                if tool.name == "toggle-subscriber-updates" and i == 0:
                    with anyio.fail_after(EVENT_LIMIT):
                        await peer.resource_updated.wait()
                if tool.name == "toggle-simulated-logging" and i == 0:
                    with anyio.fail_after(EVENT_LIMIT):
                        await peer.simulated_log.wait()

        out["resources/unsubscribe"] = await outcome(client.unsubscribe_resource(subscribed))
        # gzip-file-as-resource added session resources: the listing changed, and they can be read.
        out["resources/list (after tools)"] = await list_all(client.list_resources, "resources")
        for resource in out["resources/list (after tools)"]:
            if resource["uri"].startswith("demo://resource/session/"):
                out[f"resources/read {resource['uri']}"] = await outcome(
                    client.read_resource(resource["uri"])
                )

    out["progress"] = progress
    out["sampling/createMessage"] = peer.sampling
    out["elicitation/create"] = peer.elicitation
    out["roots/list requests"] = peer.roots_requests
    out["notifications/message"] = peer.logs
    out["notifications (other)"] = [
        normalize_progress_token(n) for n in peer.notifications if n.get("method") != "notifications/message"
    ]
    return out


# --------------------------------------------------------------------------- normalizers, one per reason


def normalize_progress_token(note: dict[str, Any]) -> dict[str, Any]:
    """A progress token is the client's own request id: with the task polling running alongside, how many
    requests came before the long-running call depends on timing. The callback receiving the progress at
    all (checked in the test) shows the token came back as sent."""
    if note.get("method") == "notifications/progress":
        return {**note, "params": {**note["params"], "progressToken": "<client request id>"}}
    return note


DYNAMIC_STAMP = re.compile(
    r"(This is a (?:plaintext resource|base64 blob) created at )\d{1,2}:\d{2}:\d{2}(?:\s?[AP]M)?"
)


def normalize_dynamic_resource(node: Any) -> Any:
    """server-everything's dynamic resources (`demo://resource/dynamic/…`) embed the wall-clock time they
    were generated at ("… created at 12:34:56 PM"), in `text` or inside the base64 `blob`. Only that
    timestamp is replaced; the uri, mime type and the rest of the text are compared."""
    if isinstance(node, list):
        return [normalize_dynamic_resource(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: normalize_dynamic_resource(v) for k, v in node.items()}
    if str(out.get("uri", "")).startswith("demo://resource/dynamic/"):
        if isinstance(out.get("text"), str):
            out["text"] = DYNAMIC_STAMP.sub(r"\1<time>", out["text"])
        if isinstance(out.get("blob"), str):
            decoded = base64.b64decode(out["blob"]).decode()
            assert DYNAMIC_STAMP.search(decoded), decoded
            out["blob"] = "<base64 of> " + DYNAMIC_STAMP.sub(r"\1<time>", decoded)
    return out


TASK_VARYING = {"taskId": "<task id>", "createdAt": "<time>", "lastUpdatedAt": "<time>"}


def normalize_task(node: Any) -> Any:
    """A task's id is a random UUID and its timestamps are the clock; its status, status message, ttl,
    poll interval and the final tool result are compared."""
    if isinstance(node, list):
        return [normalize_task(v) for v in node]
    if not isinstance(node, dict):
        return node
    return {k: TASK_VARYING[k] if k in TASK_VARYING else normalize_task(v) for k, v in node.items()}


def normalize_url_elicitation_error(result: Any) -> Any:
    """The -32042 error's prerequisite elicitation gets a fresh random UUID (`elicitationId`) per call."""
    error = result["error"]
    assert error["code"] == -32042, error
    for item in error["data"]["elicitations"]:
        assert re.fullmatch(r"[0-9a-f-]{36}", item["elicitationId"]), item
        item["elicitationId"] = "<random uuid>"
    return result


# Environment variables the proxy process itself adds before spawning its backend (proxy/__init__.py keeps
# Presidio's dependencies offline; the interpreter coerces a C locale to UTF-8): the backend legitimately
# sees them only when proxied.
PROXY_PROCESS_ENV = {"TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "HF_HUB_OFFLINE", "LC_CTYPE"}


def normalize_get_env(direct: Any, proxied: Any) -> None:
    """get-env prints the server's environment; behind the proxy it is the proxy's, scrubbed: the master
    key never reaches the backend, every variable that does arrive has the direct value, the scrub drops
    variables nobody allowed, and the only extra variables are the ones the proxy process sets."""
    d_env = json.loads(direct["content"][0]["text"])
    p_env = json.loads(proxied["content"][0]["text"])
    assert "VEIL_MASTER_KEY" not in p_env and "VEIL_MASTER_KEY_FILE" not in p_env
    assert set(p_env) - set(d_env) <= PROXY_PROCESS_ENV, set(p_env) - set(d_env)
    assert {k: d_env[k] for k in p_env if k in d_env} == {k: v for k, v in p_env.items() if k in d_env}
    assert "PATH" in p_env and "VEIL_HOME" in d_env and "VEIL_HOME" not in p_env
    proxied["content"][0]["text"] = direct["content"][0]["text"]


# The person names this script itself sends (PROMPT_ARGS, FORM_ANSWER) and the server echoes back: the
# proxy rightly tokenizes them. Nothing else may become a PERSON token (`Max fetch size …` in the server's
# instructions, `JSON`, code identifiers in its docs are no names).
ECHOED_NAMES = ("Bob", "Rachel")
PERSON_TOKEN = re.compile(r"\[\[PERSON:[a-z0-9]+\]\]")


def normalize_echoed_names(direct: dict[str, Any], proxied: dict[str, Any]) -> None:
    """Where the proxied result differs from the direct one only by PERSON tokens standing exactly where
    the direct one has one of `ECHOED_NAMES`, take the direct result; any other difference stays."""
    names = "|".join(map(re.escape, ECHOED_NAMES))
    for key, value in proxied.items():
        got, want = json.dumps(value), json.dumps(direct.get(key))
        if got == want or not PERSON_TOKEN.search(got):
            continue
        pattern = "".join(
            f"(?:{names})" if PERSON_TOKEN.fullmatch(part) else re.escape(part)
            for part in re.split(f"({PERSON_TOKEN.pattern})", got)
        )
        if re.fullmatch(pattern, want):
            proxied[key] = direct[key]


def normalize_everything(direct: dict[str, Any], proxied: dict[str, Any]) -> None:
    normalize_echoed_names(direct, proxied)
    for run in (direct, proxied):
        for key, value in run.items():
            if key.startswith(("resources/read demo://resource/dynamic/", "prompts/get resource-prompt")) or (
                key.startswith("tools/call get-resource-reference")
            ):
                run[key] = normalize_dynamic_resource(value)
            elif key.endswith("(task)"):
                run[key] = normalize_task(value)
            elif key.startswith("tools/call trigger-url-elicitation") and "'errorPath': True" in key:
                run[key] = normalize_url_elicitation_error(value)
        # Simulated logging picks a random level for each message: compare the rest of the log exactly.
        simulated = [e for e in run["notifications/message"] if SIMULATED_LOG.match(str(e.get("data")))]
        assert simulated, "no simulated log message arrived"
        run["notifications/message"] = [e for e in run["notifications/message"] if e not in simulated]
    env_keys = [k for k in direct if k.startswith("tools/call get-env")]
    for key in env_keys:
        normalize_get_env(direct[key], proxied[key])
    accept_its_people(direct, proxied)


# The people server-everything's demos name (`Please promote Bob …`, an elicitation answer `Rachel`): a
# privacy proxy tokenizes them. Only these, whole words, and only where that is the whole difference — any
# other PERSON token (a false positive such as `Max fetch size`) still fails the comparison.
ITS_PEOPLE = re.compile(r"\b(?:Bob|Rachel)\b")
PERSON_TOKEN = re.compile(r"\[\[PERSON:[a-z0-9]{16}\]\]")


def accept_its_people(direct: dict[str, Any], proxied: dict[str, Any]) -> None:
    for key in direct:
        if key not in proxied or direct[key] == proxied[key]:
            continue
        theirs = ITS_PEOPLE.sub("<person>", json.dumps(direct[key]))
        ours = PERSON_TOKEN.sub("<person>", json.dumps(proxied[key]))
        if theirs == ours:
            proxied[key] = direct[key]


@pytest.mark.filterwarnings("ignore::mcp.shared.exceptions.MCPDeprecationWarning")
@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_everything_server_golden_direct_vs_proxied(direct_stdio, veil_stdio, node_package_cmd, mode):
    cmd = node_package_cmd(EVERYTHING, "stdio")
    direct, proxied = await both(everything_session, direct_stdio(cmd), veil_stdio(cmd), mode)

    # What the comparison covers (it would pass vacuously on an empty server).
    tool_names = {t["name"] for t in proxied["tools/list"]}
    assert {"echo", "get-sum", "trigger-long-running-operation", "trigger-sampling-request"} <= tool_names
    assert {"trigger-elicitation-request", "get-roots-list", "simulate-research-query"} <= tool_names
    called = {k.split()[1] for k in proxied if k.startswith("tools/call ")}
    assert called == tool_names
    assert len(proxied["prompts/list"]) >= 4 and len(proxied["resources/list"]) >= 7
    assert len(proxied["resources/templates/list"]) >= 2

    # Progress and logging notifications come through the proxy.
    long_op = next(v for k, v in proxied["progress"].items() if "trigger-long-running-operation" in k)
    assert [p["progress"] for p in long_op] == [1, 2, 3, 4, 5]
    assert any("Roots updated: 1 root(s)" in str(e["data"]) for e in proxied["notifications/message"])
    # Server→client requests went through and were answered.
    assert proxied["roots/list requests"] >= 1 and proxied["sampling/createMessage"]
    assert {e.get("mode", "form") for e in proxied["elicitation/create"]} == {"form", "url"}
    sampled = next(v for k, v in proxied.items() if k.startswith("tools/call trigger-sampling-request"))
    assert SAMPLING_REPLY in json.dumps(sampled)
    methods = {n.get("method") for n in proxied["notifications (other)"]}
    assert "notifications/resources/updated" in methods

    normalize_everything(direct, proxied)
    assert_golden(direct, proxied)


# --------------------------------------------------------------------------- personal data through it

EMAIL = "jane.doe@acme-plumbing.example"


def text_of(result: types.CallToolResult) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


async def test_everything_echo_tokenizes_an_email_and_round_trips_the_token(
    veil_stdio, veil_home, node_package_cmd
):
    cmd = node_package_cmd(EVERYTHING, "stdio")
    asked: list[str] = []
    token = ""

    async def on_elicitation(context: Any, params: Any) -> types.ElicitResult:
        asked.append(params.message)
        # The model's side only knows the token: it answers the form with it.
        return types.ElicitResult(action="accept", content={"name": "n/a", "email": token})

    with anyio.fail_after(SESSION_LIMIT):
        async with Client(veil_stdio(cmd), elicitation_callback=on_elicitation) as client:  # default mode
            first = text_of(await client.call_tool("echo", {"message": f"Please write to {EMAIL} today"}))
            assert EMAIL not in first
            found = TOKEN_RE.search(first)
            assert found and found.group(1) == "EMAIL_ADDRESS", first
            token = found.group(0)
            assert first == f"Echo: Please write to {token} today"

            # The token goes back to the server as the email, whose echo is tokenized again: same token.
            again = text_of(await client.call_tool("echo", {"message": token}))
            assert again == f"Echo: {token}"

            # Evidence the server sees the real value, not the token: a session resource named after the
            # email comes back as a link naming the same token, and reading that link finds the resource
            # (the server looks it up by the email; by the token it would answer "not found").
            made = await client.call_tool(
                "gzip-file-as-resource", {"name": f"{EMAIL}.gz", "data": "data:text/plain,hello"}
            )
            link = made.content[0]
            assert isinstance(link, types.ResourceLink), made
            # `….com.gz` also reads as an email at the domain `com.gz`: overlapping detections become one
            # token (no detected character is left bare), so the link may name the file as one token.
            assert EMAIL not in link.model_dump_json()
            assert link.uri.startswith("demo://resource/session/[[EMAIL_ADDRESS:")
            assert link.uri.endswith(("]]", "]].gz")) and link.name == link.uri.rsplit("/", 1)[1]
            link_token = TOKEN_RE.search(link.uri).group(0)  # type: ignore[union-attr]
            read = await client.read_resource(link.uri)
            assert [c.uri for c in read.contents] == [link.uri]
            assert EMAIL not in read.model_dump_json()

            # The same through a server→client request: the form's answer carries the token, the server
            # gets the email, and its summary is tokenized on the way back.
            form = text_of(await client.call_tool("trigger-elicitation-request", {}))
            assert asked and EMAIL not in form and f"- Email: {token}" in form, form

    from proxy.config import default_vault_url
    from vault import audit
    from vault.store import create_vault_engine

    engine = create_vault_engine(default_vault_url(veil_home))
    try:
        events = [
            r["event"]
            for t in dict.fromkeys([token, link_token])
            for r in audit.query(engine, audit.AuditQuery(token=t))
        ]
    finally:
        engine.dispose()
    assert "token-created" in events
    # echo, resources/read and the elicitation answer each carried the token toward the server
    assert events.count("token-detokenized") >= 3, events


# --------------------------------------------------------------------------- the backend's lifetime


async def test_a_terminated_proxy_takes_its_backend_down(veil_stdio, veil_home, node_package_cmd):
    """Desktop clients stop their servers with SIGTERM (the SDK's stdio client does too, 2 s after closing
    stdin). The proxy must not leave the real server running behind it, even one busy with a request."""
    from tests.e2e.conftest import started_processes

    def alive() -> set[int]:
        return set(started_processes(veil_home))

    cmd = node_package_cmd(EVERYTHING, "stdio")
    with anyio.fail_after(SESSION_LIMIT):
        async with Client(veil_stdio(cmd), mode="legacy") as client, anyio.create_task_group() as tg:

            async def busy() -> None:
                # 60 s in one step: the server holds a timer and writes nothing until it ends.
                with contextlib.suppress(Exception):
                    await client.call_tool("trigger-long-running-operation", {"duration": 60, "steps": 1})

            tg.start_soon(busy)
            await anyio.sleep(1.0)  # the request reaches the server
            ours = {pid: _cmdline(pid) for pid in alive()}
            proxy = [pid for pid, line in ours.items() if " proxy run " in line]
            backend = [pid for pid, line in ours.items() if pid not in proxy and "server-everything" in line]
            if len(proxy) == 1:
                os.kill(proxy[0], signal.SIGTERM)
                while proxy[0] in alive():
                    await anyio.sleep(0.05)
                # the backend ends once its stdin is closed: within 3 s
                await wait_until(lambda: not any(pid in alive() for pid in backend), timeout=3.0)
            survivors = [pid for pid in backend if pid in alive()]
            tg.cancel_scope.cancel()
    assert len(proxy) == 1 and len(backend) == 1, ours
    assert survivors == [], f"backend pid(s) {survivors} outlived the terminated proxy"


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode()
    except OSError:
        return ""
