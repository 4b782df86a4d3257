"""How much of a model's context `tools/list` takes, full, compact (`catalog: compact`) and searched
(`catalog: search`), on three catalogs: server-everything, the bundled Google backends (Google Ads + Search
Console behind one `veil.toml`) and a three-backend `veil.toml` (those two and server-everything).

    python -m benchmarks.catalog_bench [--json]

Each catalog is listed through a real `veil run` subprocess (every page), with the shipped policies and with
a policy adding each catalog mode; the size is the JSON of the `tools` array as the client received it, in
characters and in tokens of `o200k_base` from the PyPI package `bpe-openai`, whose vocabularies are compiled
into its wheel (nothing is downloaded: `tokens_offline()` checks it with the network namespace unshared).
Every tool must stay callable with the same arguments: in the compact list, every tool of the full one with
the same argument names and required arguments; in search mode, `veil_call_tool` listed and every tool of
the full list found by `veil_search_tools` (no query: all of them) with those same names.

One more row is computed, not listed by any mode: `index`, each tool of the full list by its name and first
description line with an empty input schema (`{"type": "object"}`), plus `veil_describe_tools`. It shows
why `catalog: search` lists no backend tool: on catalogs of one-line descriptions, listing every tool even
that way leaves a quarter of the tokens.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
from mcp import Client, StdioServerParameters

from proxy.catalog import DESCRIBE_TOOL_DEFINITION, first_line

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / ".node" / "node_modules"
TOKENIZER = "bpe-openai o200k_base"
PROXY_TOOLS = {"veil_describe_tools", "veil_search_tools", "veil_call_tool"}
MODES = ("compact", "search")
ROWS = (*MODES, "index")
EMPTY = {"type": "object"}


def count_tokens(text: str) -> int:
    import bpe_openai

    return len(bpe_openai.get_encoding("o200k_base").encode(text))


def tokens_offline(text: str) -> int | None:
    """The token count computed in a child process with no network at all (`unshare -n`); None where the
    machine cannot unshare."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    code = "import sys,bpe_openai;print(len(bpe_openai.get_encoding('o200k_base').encode(sys.stdin.read())))"
    done = subprocess.run(
        [unshare, "-n", sys.executable, "-c", code], input=text, capture_output=True, text=True, timeout=60
    )
    return int(done.stdout) if done.returncode == 0 else None


def everything_cmd() -> list[str] | None:
    node = shutil.which("node")
    manifest = NODE_MODULES / "@modelcontextprotocol" / "server-everything" / "package.json"
    if node is None or not manifest.is_file():
        return None
    bin_field = json.loads(manifest.read_text())["bin"]
    entry = bin_field if isinstance(bin_field, str) else next(iter(bin_field.values()))
    return [node, str(manifest.parent / entry), "stdio"]


def _toml_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def write_config(path: Path, backends: dict[str, list[str]], extra: str = "") -> Path:
    body = "".join(f"[backends.{name}]\ncommand = {_toml_list(cmd)}\n\n" for name, cmd in backends.items())
    path.write_text(body + extra)
    return path


def google_backends() -> dict[str, list[str]]:
    py = sys.executable
    return {
        "ads": [py, "-m", "examples.google_ads_server", "--mode", "offline"],
        "console": [py, "-m", "examples.search_console_server", "--mode", "offline"],
    }


def proxy_env(home: Path) -> dict[str, str]:
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    key = os.environ.get("VEIL_MASTER_KEY") or base64.b64encode(os.urandom(32)).decode()
    return {
        "VEIL_HOME": str(home),
        "TMPDIR": str(home / "tmp"),
        "VEIL_MASTER_KEY": key,
        "PYTHONPATH": str(ROOT),
        "PATH": os.environ.get("PATH", ""),
    }


def veil_params(env: dict[str, str], args: Sequence[str]) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable, args=["-m", "proxy", "run", *args], env=dict(env), cwd=str(ROOT)
    )


async def list_all_tools(params: StdioServerParameters, *, search: bool = False) -> list[dict[str, Any]]:
    """Every tool of every page, as JSON objects the way the client received them; with `search`, what
    `veil_search_tools` finds without a query in the same session after it, appended under a `found` key of
    a last item (not counted: it is what the model gets on request, not at connection)."""
    tools: list[dict[str, Any]] = []
    async with Client(params, mode="legacy") as client:
        cursor: str | None = None
        while True:
            page = await client.list_tools(cursor=cursor) if cursor else await client.list_tools()
            tools += [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in page.tools]
            cursor = page.next_cursor
            if not cursor:
                break
        if search:
            found = await client.call_tool("veil_search_tools", {})
            tools.append({"found": (found.structured_content or {}).get("tools", [])})
        return tools


@dataclass(frozen=True)
class Size:
    chars: int
    tokens: int

    @classmethod
    def of(cls, tools: list[dict[str, Any]]) -> Size:
        text = json.dumps(tools, separators=(",", ":"), ensure_ascii=False)
        return cls(len(text), count_tokens(text))


@dataclass(frozen=True)
class Measure:
    catalog: str
    tools: int
    full: Size
    compact: Size
    search: Size
    index: Size  # computed from the full list (see the module's docstring)
    compact_callable: bool  # every full tool listed with the same argument names and required
    search_callable: bool  # veil_call_tool listed, every full tool found with those same names

    def reduction(self, mode: str, unit: str) -> float:
        size: Size = getattr(self, mode)
        return 1 - getattr(size, unit) / getattr(self.full, unit)

    def row(self) -> dict[str, Any]:
        out: dict[str, Any] = {"catalog": self.catalog, "tools": self.tools}
        for mode in ("full", *ROWS):
            size: Size = getattr(self, mode)
            out[mode] = {"chars": size.chars, "tokens": size.tokens}
            if mode != "full":
                out[mode] |= {
                    "char_reduction": round(self.reduction(mode, "chars"), 4),
                    "token_reduction": round(self.reduction(mode, "tokens"), 4),
                }
            if mode in MODES:
                out[mode]["callable"] = getattr(self, f"{mode}_callable")
        return out


def index_of(full: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each tool by name, first description line and an empty schema, and `veil_describe_tools`."""
    listed = [
        {"name": t["name"], "description": first_line(t.get("description")), "inputSchema": EMPTY}
        for t in full
    ]
    return [{k: v for k, v in t.items() if v} for t in listed] + [dict(DESCRIBE_TOOL_DEFINITION)]


def _same_calls(full: list[dict[str, Any]], listed: list[dict[str, Any]]) -> bool:
    by_name = {t["name"]: t for t in listed}
    for tool in full:
        lean = by_name.get(tool["name"])
        if lean is None:
            return False
        schema, small = tool.get("inputSchema") or {}, lean.get("inputSchema") or {}
        if set(schema.get("properties") or {}) != set(small.get("properties") or {}):
            return False
        if sorted(schema.get("required") or []) != sorted(small.get("required") or []):
            return False
    return True


async def measure(catalog: str, args: Sequence[str], policies: dict[str, Path], home: Path) -> Measure:
    env = proxy_env(home)
    full = await list_all_tools(veil_params(env, args))
    compact = await list_all_tools(veil_params(env, ["--policy", str(policies["compact"]), *args]))
    *search, found = await list_all_tools(
        veil_params(env, ["--policy", str(policies["search"]), *args]), search=True
    )
    names = {t["name"] for t in full}
    return Measure(
        catalog,
        len(full),
        Size.of(full),
        Size.of(compact),
        Size.of(search),
        Size.of(index_of(full)),
        _same_calls(full, compact) and {t["name"] for t in compact} - names <= PROXY_TOOLS,
        "veil_call_tool" in {t["name"] for t in search}
        and _same_calls(full, found["found"])
        and {t["name"] for t in search} <= PROXY_TOOLS,
    )


async def run_all(work: Path) -> list[Measure]:
    policies = {}
    for mode in MODES:
        policies[mode] = work / f"{mode}.yaml"
        policies[mode].write_text(f"version: 1\nname: {mode}-catalog\ncatalog: {mode}\n")
    found: list[Measure] = []
    everything = everything_cmd()
    google = write_config(work / "google.toml", google_backends())
    if everything is not None:
        found.append(await measure("server-everything", ["--", *everything], policies, work / "h1"))
    google_args = ["--config", str(google)]
    found.append(await measure("Google Ads + Search Console", google_args, policies, work / "h2"))
    if everything is not None:
        three = write_config(work / "three.toml", {**google_backends(), "everything": everything})
        found.append(await measure("three backends", ["--config", str(three)], policies, work / "h3"))
    return found


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="veil-catalog-") as tmp:
        results = anyio.run(run_all, Path(tmp))
    offline = tokens_offline("tools/list, compact and full")
    if "--json" in sys.argv:
        rows = [m.row() for m in results]
        print(json.dumps({"tokenizer": TOKENIZER, "offline_check": offline, "catalogs": rows}, indent=2))
        return
    print(f"tokenizer: {TOKENIZER} (counted with the network unshared: {offline is not None})")
    print(f"{'catalog':<28}{'tools':>6}{'mode':>9}{'chars':>8}{'cut':>7}{'tokens':>8}{'cut':>7}  callable")
    for m in results:
        print(f"{m.catalog:<28}{m.tools:>6}{'full':>9}{m.full.chars:>8,}{'':>7}{m.full.tokens:>8,}")
        for mode in ROWS:
            size: Size = getattr(m, mode)
            callable_ = getattr(m, f"{mode}_callable") if mode in MODES else "(computed, not a mode)"
            print(
                f"{'':<34}{mode:>9}{size.chars:>8,}{m.reduction(mode, 'chars'):>7.1%}"
                f"{size.tokens:>8,}{m.reduction(mode, 'tokens'):>7.1%}  {callable_}"
            )


if __name__ == "__main__":
    main()
