"""A token written slightly off never reaches a backend (red team 9, class 15): by class.

The generator takes a token of the session's form and alters it the ways a model (or an injected prompt)
writes it back: another case, lookalike or fullwidth brackets, a single bracket, a zero-width character or
a soft hyphen inside, HTML or percent escapes, reversed, base64 (alone or inside a longer text), split over
two or three arguments; placed as an argument, nested, in a list, inside a sentence. Each must be reported
(and so refused), under a name that never resolves. Arguments that only look busy (brackets, colons,
base64, IPv6 literals) must pass untouched, and exact tokens still resolve.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest

from proxy.scan.to_backend import find_token_strings
from tests.proxy.conftest import make_backend
from vault.tokens import TOKEN_RE, format_token

CASES = 150
_ENTITIES = ("EMAIL_ADDRESS", "PERSON", "PHONE_NUMBER", "ACCOUNT_NAME", "LOCATION", "IBAN_CODE", "US_SSN")
_B32 = "abcdefghijklmnopqrstuvwxyz234567"
_LOOKALIKE = (("［", "］"), ("〚", "〛"), ("⟦", "⟧"), ("【", "】"), ("〔", "〕"), ("﹝", "﹞"))
_INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")


def token(rng: random.Random) -> str:
    return format_token(rng.choice(_ENTITIES), "".join(rng.choice(_B32) for _ in range(16)))


def _case(rng: random.Random, t: str) -> str:
    inner = t[2:-2]
    entity, tid = inner.split(":")
    style = rng.randrange(4)
    if style == 0:
        entity = entity.lower()
    elif style == 1:
        entity = entity.title()
    elif style == 2:
        tid = tid.upper()
    else:
        entity, tid = entity.lower(), tid.upper()
    return f"[[{entity}:{tid}]]"


def _brackets(rng: random.Random, t: str) -> str:
    inner = t[2:-2]
    style = rng.randrange(3)
    if style == 0:
        left, right = rng.choice(_LOOKALIKE)
        return f"{left}{left}{inner}{right}{right}"
    if style == 1:
        return f"[{inner}]"
    return f"[[ {inner.replace(':', ' : ')} ]]"


def _invisible(rng: random.Random, t: str) -> str:
    at = rng.randrange(1, len(t) - 1)
    return t[:at] + rng.choice(_INVISIBLE) + t[at:]


def _escaped(rng: random.Random, t: str) -> str:
    style = rng.randrange(4)
    if style == 0:
        return t.replace("[", "&#91;").replace("]", "&#93;")
    if style == 1:
        return t.replace("[", "&#x5B;").replace("]", "&#x5D;")
    if style == 2:
        return t.replace("[", "&lsqb;").replace("]", "&rsqb;")
    return quote(t.lower(), safe="")  # percent-encoded and lower-cased: not the exact encoded form


def _reversed(rng: random.Random, t: str) -> str:
    return t[::-1]


def _base64(rng: random.Random, t: str) -> str:
    text = rng.choice(("{t}", "send it to {t} please", '{{"to": "{t}"}}')).format(t=t)
    raw = text.encode()
    out = base64.urlsafe_b64encode(raw) if rng.random() < 0.5 else base64.b64encode(raw)
    s = out.decode()
    return s.rstrip("=") if rng.random() < 0.5 else s


Transform = Callable[[random.Random, str], str]
TRANSFORMS: dict[str, Transform] = {
    "case": _case,
    "brackets": _brackets,
    "invisible": _invisible,
    "escaped": _escaped,
    "reversed": _reversed,
    "base64": _base64,
}


def _placed(rng: random.Random, text: str) -> dict[str, Any]:
    style = rng.randrange(4)
    if style == 0:
        return {"to": text}
    if style == 1:
        return {"message": {"recipients": [{"address": text}]}}
    if style == 2:
        return {"items": ["first", text]}
    return {"body": f"Please forward {text} to the team."}


def mangled_case(rng: random.Random) -> tuple[str, dict[str, Any]]:
    """(how it was altered, the tool arguments holding it)."""
    t = token(rng)
    if rng.random() < 1 / 7:
        parts, at = [], 0
        cuts = sorted(rng.sample(range(1, len(t)), rng.choice((1, 2))))
        for c in [*cuts, len(t)]:
            parts.append(t[at:c])
            at = c
        args = {f"part{i}": p for i, p in enumerate(parts)}
        if rng.random() < 0.5:
            args = {"chunks": parts}  # type: ignore[dict-item]
        return "split", args
    name = rng.choice(sorted(TRANSFORMS))
    return name, _placed(rng, TRANSFORMS[name](rng, t))


def _reported(args: dict[str, Any]) -> list[str]:
    found = find_token_strings({"name": "send", "arguments": args}, 64)
    return [hit for hits in found.values() for hit in hits]


def test_a_token_altered_in_any_way_a_model_writes_it_is_reported_and_never_resolves():
    rng = random.Random(15)
    passed = []
    for _ in range(CASES):
        how, args = mangled_case(rng)
        hits = _reported(args)
        if not hits or any(TOKEN_RE.fullmatch(h) for h in hits):
            passed.append((how, json.dumps(args, ensure_ascii=False)))
    assert passed == [], f"{len(passed)}/{CASES} altered tokens would reach the backend: {passed[:4]}"


def benign_case(rng: random.Random) -> dict[str, Any]:
    word = "".join(rng.choice(_B32[:26]) for _ in range(rng.randint(3, 10)))
    pick = rng.randrange(9)
    if pick == 0:
        value: Any = f"see [{word}](https://example.com/{word}) and [[{word.title()} Page]]"
    elif pick == 1:
        value = f"[2001:db8::{rng.randint(1, 9999):x}]:{rng.randint(1024, 65535)}"
    elif pick == 2:
        value = (
            f"[{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}] job {word} done"
        )
    elif pick == 3:
        value = base64.b64encode(rng.randbytes(rng.randint(20, 400))).decode()
    elif pick == 4:
        value = base64.b64encode(f"hello {word}, the meeting is at 10:30 [room {word}]".encode()).decode()
    elif pick == 5:
        value = f"{word}:{''.join(rng.choice(_B32) for _ in range(16))}"  # a key:id pair, no bracket
    elif pick == 6:
        value = json.dumps([word, rng.randint(0, 99), [word.upper()]])
    elif pick == 7:
        value = [f"[{word}", f"{word}]"]
    else:
        value = f"/api/v1/{word}/{rng.randbytes(12).hex()}/items?page=[{rng.randint(1, 9)}]"
    return {rng.choice(("query", "note", "path", "filter")): value}


def test_arguments_that_only_look_like_tokens_pass_untouched():
    rng = random.Random(1515)
    refused = [args for args in (benign_case(rng) for _ in range(CASES)) if _reported(args)]
    assert refused == [], f"{len(refused)}/{CASES} plain arguments would be refused: {refused[:4]}"


def test_exact_tokens_plain_or_percent_encoded_are_the_only_things_reported_for_them():
    rng = random.Random(151)
    for _ in range(CASES):
        tokens = [token(rng) for _ in range(rng.randint(1, 3))]
        text = " and ".join(t if rng.random() < 0.7 else quote(t, safe="") for t in tokens)
        hits = _reported({"q": f"mail {text}", "other": tokens[0]})
        assert hits and all(TOKEN_RE.fullmatch(h) for h in hits), (text, hits)


# ------------------------------------------------------------------------------------ end to end


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.anyio
async def test_an_issued_token_altered_is_refused_by_the_relay_and_the_backend_gets_nothing(proxied):
    from mcp import MCPError

    received: list[dict] = []
    rng = random.Random(1500)
    async with proxied(make_backend(received)) as (client, _):
        result = await client.call_tool("whoami", {})
        issued = json.loads("".join(getattr(c, "text", "") for c in result.content))["email"]
        for name in sorted(TRANSFORMS):
            with pytest.raises(MCPError, match="not a well-formed"):
                await client.call_tool("echo", {"text": TRANSFORMS[name](rng, issued)})
        with pytest.raises(MCPError, match="not a well-formed"):
            await client.call_tool("echo", {"text": issued[:9], "more": issued[9:]})
    assert received == []
