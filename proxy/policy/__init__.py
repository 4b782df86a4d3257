"""Policies: which detectors run, which fields of which tool's result are personal data, and the limits.

A policy is one or more YAML files (`policies/*.yaml`), validated with a typed schema on load
(`schema.py`), loaded and merged into one effective `Policy` (`load.py`, `model.py`); field paths and
the rule trie live in `paths.py`, key-name normalization in `keys.py`, egress rules in `egress.py`. The
checks `veil policy check` runs: field paths against the API's own response schema (`api_schema.py`) and
the policy against a live backend's tool list (`backend_check.py`). Which files apply: `sources.py`.

Every public name is re-exported here, so `from proxy.policy import X` is the one way to import it.
"""

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
