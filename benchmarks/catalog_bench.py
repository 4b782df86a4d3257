"""How much of a model's context `tools/list` takes, full and compact (`catalog: compact`), on three catalogs:
server-everything, the bundled Google backends (Google Ads + Search Console behind one `veil.toml`) and a
three-backend `veil.toml` (those two and server-everything).

    python -m benchmarks.catalog_bench [--json]

Each catalog is listed through a real `veil run` subprocess (every page), once with the shipped policies and
once with a policy adding `catalog: compact`; the size is the JSON of the `tools` array as the client
received it, in characters and in tokens of `o200k_base` from the PyPI package `bpe-openai`, whose
vocabularies are compiled into its wheel (nothing is downloaded: `tokens_offline()` checks it with the
network namespace unshared). Every tool of the full list must still be in the compact one, with the same
argument names and required arguments.
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

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / ".node" / "node_modules"
TOKENIZER = "bpe-openai o200k_base"
PROXY_TOOLS = {"veil_describe_tools", "veil_search_tools"}


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


async def list_all_tools(params: StdioServerParameters) -> list[dict[str, Any]]:
    """Every tool of every page, as JSON objects the way the client received them."""
    tools: list[dict[str, Any]] = []
    async with Client(params, mode="legacy") as client:
        cursor: str | None = None
        while True:
            page = await client.list_tools(cursor=cursor) if cursor else await client.list_tools()
            tools += [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in page.tools]
            cursor = page.next_cursor
            if not cursor:
                return tools


@dataclass(frozen=True)
class Measure:
    catalog: str
    tools: int
    full_chars: int
    compact_chars: int
    full_tokens: int
    compact_tokens: int
    callable: bool  # every full tool is listed in compact form with the same argument names and required

    @property
    def char_reduction(self) -> float:
        return 1 - self.compact_chars / self.full_chars

    @property
    def token_reduction(self) -> float:
        return 1 - self.compact_tokens / self.full_tokens


def _same_calls(full: list[dict[str, Any]], compact: list[dict[str, Any]]) -> bool:
    by_name = {t["name"]: t for t in compact}
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


async def measure(catalog: str, args: Sequence[str], compact_policy: Path, home: Path) -> Measure:
    env = proxy_env(home)
    full = await list_all_tools(veil_params(env, args))
    compact = await list_all_tools(veil_params(env, ["--policy", str(compact_policy), *args]))
    full_text = json.dumps(full, separators=(",", ":"), ensure_ascii=False)
    compact_text = json.dumps(compact, separators=(",", ":"), ensure_ascii=False)
    return Measure(
        catalog,
        len(full),
        len(full_text),
        len(compact_text),
        count_tokens(full_text),
        count_tokens(compact_text),
        _same_calls(full, compact)
        and {t["name"] for t in compact} - {t["name"] for t in full} <= PROXY_TOOLS,
    )


async def run_all(work: Path) -> list[Measure]:
    policy = work / "compact.yaml"
    policy.write_text("version: 1\nname: compact-catalog\ncatalog: compact\n")
    found: list[Measure] = []
    everything = everything_cmd()
    google = write_config(work / "google.toml", google_backends())
    if everything is not None:
        found.append(await measure("server-everything", ["--", *everything], policy, work / "h1"))
    found.append(await measure("Google Ads + Search Console", ["--config", str(google)], policy, work / "h2"))
    if everything is not None:
        three = write_config(work / "three.toml", {**google_backends(), "everything": everything})
        found.append(await measure("three backends", ["--config", str(three)], policy, work / "h3"))
    return found


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="veil-catalog-") as tmp:
        results = anyio.run(run_all, Path(tmp))
    offline = tokens_offline("tools/list, compact and full")
    if "--json" in sys.argv:
        rows = [
            m.__dict__ | {"char_reduction": m.char_reduction, "token_reduction": m.token_reduction}
            for m in results
        ]
        print(json.dumps({"tokenizer": TOKENIZER, "offline_check": offline, "catalogs": rows}, indent=2))
        return
    print(f"tokenizer: {TOKENIZER} (counted with the network unshared: {offline is not None})")
    print(
        f"{'catalog':<30}{'tools':>6}{'full chars':>12}{'compact':>9}{'cut':>7}"
        f"{'full tok':>10}{'compact':>9}{'cut':>7}"
    )
    for m in results:
        print(
            f"{m.catalog:<30}{m.tools:>6}{m.full_chars:>12,}{m.compact_chars:>9,}{m.char_reduction:>7.1%}"
            f"{m.full_tokens:>10,}{m.compact_tokens:>9,}{m.token_reduction:>7.1%}  callable={m.callable}"
        )


if __name__ == "__main__":
    main()
