"""The client's one handshake answer, merged from every backend's."""

from __future__ import annotations

from typing import Any

from proxy.backend_config import SEPARATOR


def _merge_handshake(method: str, results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Union of capabilities, one instructions section per backend, the proxy's own server info."""
    first = results[sorted(results)[0]]
    merged: dict[str, Any] = {k: v for k, v in first.items() if k not in ("instructions",)}
    merged["capabilities"] = _union([r.get("capabilities") or {} for r in results.values()])
    merged["serverInfo"] = {"name": "mcp-veil", "version": _version(), "title": " + ".join(sorted(results))}
    if method == "initialize":
        versions = [
            r["protocolVersion"] for r in results.values() if isinstance(r.get("protocolVersion"), str)
        ]
        if versions:
            merged["protocolVersion"] = min(versions)  # dated versions: the oldest every backend speaks
    else:
        lists = [r.get("supportedVersions") or [] for r in results.values()]
        common = [v for v in lists[0] if all(v in other for other in lists[1:])]
        merged["supportedVersions"] = common or sorted({v for lst in lists for v in lst})
        merged["ttlMs"] = 0
    sections = [
        f"## {backend}\n{r['instructions']}"
        for backend, r in sorted(results.items())
        if isinstance(r.get("instructions"), str) and r["instructions"].strip()
    ]
    if sections:
        merged["instructions"] = f"Tools and prompts are named BACKEND{SEPARATOR}NAME.\n\n" + "\n\n".join(
            sections
        )
    return merged


def _union(caps: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for cap in caps:
        for key, value in cap.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                for sub, flag in value.items():
                    prev = out[key].get(sub)
                    out[key][sub] = prev or flag  # a feature any backend offers is offered
            elif key not in out:
                out[key] = dict(value) if isinstance(value, dict) else value
    return out


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mcp-veil")
    except PackageNotFoundError:
        return "0"
