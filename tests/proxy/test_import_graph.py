"""The packages import each other in one direction only: no module of proxy/ or vault/ is part of an import
cycle. A cycle makes the import order matter (a half-initialised module), hides which layer depends on
which, and is how one concept ends up spread over several modules. Imports under `if TYPE_CHECKING:` and
inside functions are left out: they do not run when the module is imported."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("proxy", "vault")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _top_level_imports(tree: ast.Module, name: str, is_package: bool, typing: bool) -> set[str]:
    """What a module imports while it is being imported (module level); with `typing`, its imports under
    `if TYPE_CHECKING:` too (what its annotations depend on)."""
    found: set[str] = set()
    package = name if is_package else name.rpartition(".")[0]

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.body if typing else node.orelse)
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    target = f"{base}.{node.module}" if node.module else base
                else:
                    target = node.module or ""
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.If | ast.Try | ast.With):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    for child in getattr(node, field, []) or []:
                        visit(child.body if isinstance(child, ast.ExceptHandler) else [child])

    visit(tree.body)
    return found


def import_graph(*, typing: bool = False) -> dict[str, set[str]]:
    files = {
        _module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py") if ".venv" not in p.parts
    }
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _top_level_imports(tree, name, path.name == "__init__.py", typing)
        edges = {m for m in imported if m in files and m != name}
        # Importing a submodule runs its package's __init__ first.
        for m in list(edges):
            parent = m.rpartition(".")[0]
            while parent and parent in files and parent != name and not name.startswith(parent + "."):
                edges.add(parent)
                parent = parent.rpartition(".")[0]
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


# The modules a call passes through, from the pump to the detectors and the vault.
CALL_PATH = (
    "proxy.relay",
    "proxy.call",
    "proxy.chain",
    "proxy.filters",
    "proxy.filters",
    "proxy.session",
    "proxy.detect",
)


def test_no_module_of_proxy_or_vault_is_part_of_an_import_cycle():
    assert find_cycle(import_graph()) is None


def test_the_call_path_has_no_import_cycle_even_through_type_annotations():
    graph = import_graph(typing=True)
    on_path = {m for m in graph if m.startswith(CALL_PATH)}
    assert find_cycle({m: graph[m] & on_path for m in on_path}) is None


def test_the_cycle_finder_reports_a_cycle_it_is_given():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
