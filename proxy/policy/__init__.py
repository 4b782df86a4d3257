"""Policies: which detectors run, which fields of which tool's result are personal data, and the limits.

A policy is one or more YAML files (`policies/*.yaml`), validated with a typed schema on load
(`schema.py`), loaded and merged into one effective `Policy` (`load.py`, `model.py`); field paths and
the rule trie live in `paths.py`, key-name normalization in `keys.py`, egress rules in `egress.py`. The
checks `veil policy check` runs: field paths against the API's own response schema (`api_schema.py`) and
the policy against a live backend's tool list (`backend_check.py`). Which files apply: `sources.py`.

Every public name is re-exported here, so `from proxy.policy import X` is the one way to import it. Each is
imported when first asked for (PEP 562): `veil run` reads the policy's file list and its sandbox section
before the schema's models are built (`proxy.sandbox_section`), so that it can start the backend first.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from proxy.policy.api_schema import (
        GOOGLE_ADS_VERSION,
        Problem,
        SchemaError,
        checked_path_count,
        resolve_schema,
        validate_paths,
    )
    from proxy.policy.backend_check import BackendTool, Finding, check_against, tools_from_listing
    from proxy.policy.keys import key_rule_entity, key_words, normalize_key
    from proxy.policy.load import (
        SHIPPED_DIR,
        load_policy,
        load_policy_file,
        pack_scope,
        shipped_policy_files,
    )
    from proxy.policy.model import (
        DEFAULT_RECOGNIZERS,
        ApprovalRule,
        Budget,
        CallLimits,
        Pack,
        Policy,
        Quota,
        ToolHints,
        looks_like_write,
    )
    from proxy.policy.paths import PathNode, ToolRules, parse_path
    from proxy.policy.schema import (
        DEFAULT_NER_MODEL,
        DETECTION_SECONDS,
        ENTITY_PATTERN,
        ApprovalRuleSpec,
        ApprovalsSpec,
        BudgetSpec,
        DetectionSpec,
        DryRunSpec,
        EgressRule,
        EgressSpec,
        EntitySpec,
        FieldRule,
        LimitsSpec,
        NerSpec,
        PolicyFile,
        QuotaSpec,
        SandboxLimits,
        SandboxSpecFile,
        ToolSpec,
    )
    from proxy.policy.sources import HOME_POLICIES, home_policy_files, policy_files

# Which module holds each public name.
_WHERE = {
    "ApprovalRule": "model",
    "ApprovalRuleSpec": "schema",
    "ApprovalsSpec": "schema",
    "BackendTool": "backend_check",
    "Budget": "model",
    "BudgetSpec": "schema",
    "CallLimits": "model",
    "DEFAULT_NER_MODEL": "schema",
    "DEFAULT_RECOGNIZERS": "model",
    "DETECTION_SECONDS": "schema",
    "DetectionSpec": "schema",
    "DryRunSpec": "schema",
    "ENTITY_PATTERN": "schema",
    "EgressRule": "schema",
    "EgressSpec": "schema",
    "EntitySpec": "schema",
    "FieldRule": "schema",
    "Finding": "backend_check",
    "GOOGLE_ADS_VERSION": "api_schema",
    "HOME_POLICIES": "sources",
    "LimitsSpec": "schema",
    "NerSpec": "schema",
    "Pack": "model",
    "PathNode": "paths",
    "Policy": "model",
    "PolicyFile": "schema",
    "Problem": "api_schema",
    "Quota": "model",
    "QuotaSpec": "schema",
    "SHIPPED_DIR": "load",
    "SandboxLimits": "schema",
    "SandboxSpecFile": "schema",
    "SchemaError": "api_schema",
    "ToolHints": "model",
    "ToolRules": "paths",
    "ToolSpec": "schema",
    "check_against": "backend_check",
    "checked_path_count": "api_schema",
    "home_policy_files": "sources",
    "key_rule_entity": "keys",
    "key_words": "keys",
    "load_policy": "load",
    "load_policy_file": "load",
    "looks_like_write": "model",
    "normalize_key": "keys",
    "pack_scope": "load",
    "parse_path": "paths",
    "policy_files": "sources",
    "resolve_schema": "api_schema",
    "shipped_policy_files": "load",  # (from proxy.shipped)
    "tools_from_listing": "backend_check",
    "validate_paths": "api_schema",
}

__all__ = [
    "DEFAULT_NER_MODEL",
    "DEFAULT_RECOGNIZERS",
    "DETECTION_SECONDS",
    "ENTITY_PATTERN",
    "GOOGLE_ADS_VERSION",
    "HOME_POLICIES",
    "SHIPPED_DIR",
    "ApprovalRule",
    "ApprovalRuleSpec",
    "ApprovalsSpec",
    "BackendTool",
    "Budget",
    "BudgetSpec",
    "CallLimits",
    "DetectionSpec",
    "DryRunSpec",
    "EgressRule",
    "EgressSpec",
    "EntitySpec",
    "FieldRule",
    "Finding",
    "LimitsSpec",
    "NerSpec",
    "Pack",
    "PathNode",
    "Policy",
    "PolicyFile",
    "Problem",
    "Quota",
    "QuotaSpec",
    "SandboxLimits",
    "SandboxSpecFile",
    "SchemaError",
    "ToolHints",
    "ToolRules",
    "ToolSpec",
    "check_against",
    "checked_path_count",
    "home_policy_files",
    "key_rule_entity",
    "key_words",
    "load_policy",
    "load_policy_file",
    "looks_like_write",
    "normalize_key",
    "pack_scope",
    "parse_path",
    "policy_files",
    "resolve_schema",
    "shipped_policy_files",
    "tools_from_listing",
    "validate_paths",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
