"""The few MCP SDK modules the stdio relay needs, loaded without the SDK's package `__init__` files.

`import mcp` runs the SDK's package `__init__`, which imports its whole client and server (Starlette,
httpx, uvicorn, OAuth, two versions of every protocol model), and `import mcp_types` builds a pydantic
model for every MCP type: together about three quarters of a second of CPU, on the path of `veil run`'s
answer to `initialize`, although the relay uses only the JSON-RPC envelope (`mcp_types.jsonrpc`) and the
SDK's message wrapper (`mcp.shared.message`). So:

- `mcp_types` is entered in `sys.modules` as its real package module, not yet executed, holding the names
  of `mcp_types.jsonrpc` (the same objects its `__init__` re-exports). The first lookup of any other name
  runs the real `__init__` in that module (`_Completing`), so `mcp_types.Tool` or `from mcp_types import
  Tool` works as ever, only later.
- `mcp.shared.message` (which imports nothing but `mcp_types`'s envelope names) is loaded from its file
  under its own name, without `mcp/__init__`. The SDK, imported later (an HTTP transport, a test), finds it
  in `sys.modules` and uses it, so there is one `SessionMessage` class in the process.

Both are no-ops when the package is imported already. `tests/proxy/test_light_sdk.py` checks the
identities and that the rest of the SDK still imports and works after them.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import os
import sys
import threading
from contextlib import suppress
from types import ModuleType
from typing import Any

_lock = threading.RLock()


def leaf_module(name: str) -> ModuleType:
    """The module `name`, loaded from its file without running its packages' `__init__` (it must import
    nothing of them but what is in `sys.modules` already), or the one imported already."""
    with _lock:
        if name in sys.modules:
            return sys.modules[name]
        top, *rest = name.split(".")
        package = importlib.util.find_spec(top)  # a top-level name: finding it imports nothing
        if package is None or not package.submodule_search_locations:
            raise ImportError(f"cannot find the package {top!r}", name=name)
        path = os.path.join(next(iter(package.submodule_search_locations)), *rest) + ".py"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {name!r} from {path}", name=name)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
        parent_name, _, child = name.rpartition(".")
        parent = sys.modules.get(parent_name)
        if parent is not None:  # the package is imported already: bind the submodule as an import would
            setattr(parent, child, module)
        else:  # or once it is
            sys.meta_path.insert(0, _BindWhenImported(parent_name, child, module))
        return module


class _BindWhenImported(importlib.abc.MetaPathFinder):
    """Binds a module loaded ahead of its package to the package once that is imported (an import binds a
    submodule to its package when it loads it, and this one was loaded before the package was)."""

    def __init__(self, package: str, child: str, module: ModuleType) -> None:
        self.package, self.child, self.module = package, child, module

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != self.package:
            return None
        with suppress(ValueError):
            sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)  # its own parents are imported by now
        if spec is not None and spec.loader is not None:
            spec.loader = _ThenBind(spec.loader, self.child, self.module)
        return spec


class _ThenBind(importlib.abc.Loader):
    """A package's loader that, once the package is executed, binds a submodule loaded before it."""

    def __init__(self, loader: Any, child: str, module: ModuleType) -> None:
        self.loader, self.child, self.module = loader, child, module

    def create_module(self, spec: Any) -> ModuleType | None:
        created: ModuleType | None = self.loader.create_module(spec)
        return created

    def exec_module(self, module: ModuleType) -> None:
        self.loader.exec_module(module)
        setattr(module, self.child, self.module)

    def __getattr__(self, name: str) -> Any:
        """The rest of the loader's interface (resources, source): the wrapped loader's."""
        return getattr(self.loader, name)


class _Completing:
    """`mcp_types.__getattr__` until the package's `__init__` has run: runs it (once), then answers."""

    def __init__(self, package: ModuleType) -> None:
        self.package = package
        self.done = False

    def __call__(self, name: str) -> Any:
        with _lock:
            if not self.done and (name == "__all__" or not name.startswith("__")):
                self.done = True
                spec = self.package.__spec__
                assert spec is not None and spec.loader is not None
                spec.loader.exec_module(self.package)
        try:
            return self.package.__dict__[name]
        except KeyError:
            raise AttributeError(f"module 'mcp_types' has no attribute {name!r}") from None


def mcp_types_envelope() -> ModuleType:
    """The `mcp_types` package, its JSON-RPC envelope names loaded and the rest on first use."""
    with _lock:
        if "mcp_types" in sys.modules:
            return sys.modules["mcp_types"]
        spec = importlib.util.find_spec("mcp_types")
        if spec is None or spec.loader is None:
            raise ImportError("cannot find the package 'mcp_types'", name="mcp_types")
        package = importlib.util.module_from_spec(spec)
        sys.modules["mcp_types"] = package
        try:
            jsonrpc = importlib.import_module("mcp_types.jsonrpc")  # parent in sys.modules: no __init__
        except BaseException:
            del sys.modules["mcp_types"]
            raise
        for name in jsonrpc.__all__:
            setattr(package, name, getattr(jsonrpc, name))
        package.__getattr__ = _Completing(package)  # type: ignore[method-assign]
        return package


def session_message() -> ModuleType:
    """`mcp.shared.message`, without the SDK's package `__init__`."""
    mcp_types_envelope()
    return leaf_module("mcp.shared.message")
