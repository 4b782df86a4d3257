"""The compact catalog's pieces: the compact form of a tool, the session catalog, BM25 search, the policy and
veil.toml options that switch it on."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from proxy.backend_config import load_backends
from proxy.catalog import ToolCatalog, compact_tool, first_line
from proxy.errors import ConfigError, LocalRequestError, PolicyError
from proxy.filters.call_tool import _inner_params
from proxy.policy import load_policy
from proxy.session import ProxySession

TOOL = {
    "name": "search_analytics_query",
    "title": "Search analytics",
    "description": "searchanalytics.query: clicks and impressions by dimension.\n\nsite_url: as listed.",
    "inputSchema": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "title": "Arguments",
        "properties": {
            "site_url": {"type": "string", "description": "The property, exactly as list_sites shows it."},
            "dimensions": {
                "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}],
                "default": None,
            },
            "search_type": {"type": "string", "enum": ["web", "image"], "default": "web", "title": "Type"},
            "description": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Description"},
        },
        "required": ["site_url", "description"],
    },
    "annotations": {
        "readOnlyHint": True,
        "destructiveHint": False,
        "idempotentHint": True,
        "openWorldHint": True,
    },
    "outputSchema": {"type": "object"},
}


def test_a_compact_tool_keeps_names_types_enums_and_required_and_drops_the_prose():
    lean = compact_tool(TOOL)
    props = lean["inputSchema"]["properties"]
    assert (
        lean["name"] == TOOL["name"]
        and lean["description"] == "searchanalytics.query: clicks and impressions by dimension."
    )
    assert set(props) == set(TOOL["inputSchema"]["properties"])  # an argument called `description` stays
    assert lean["inputSchema"]["required"] == ["site_url", "description"]
    assert props["site_url"] == {"type": "string"}
    assert props["search_type"] == {"type": "string", "enum": ["web", "image"]}
    assert props["description"] == {"type": ["string", "null"]}
    assert props["dimensions"]["anyOf"][0] == {
        "type": "array",
        "items": {"type": "string"},
    }  # not a simple T|null
    assert "$schema" not in lean["inputSchema"] and "title" not in lean and "outputSchema" not in lean
    assert lean["annotations"] == {
        "readOnlyHint": True
    }  # open world is the default; read-only implies the rest


def test_a_long_first_line_is_cut_to_its_first_sentence():
    long = "Compresses a single file using gzip. Depending upon the selected output type, returns " + "x" * 80
    assert first_line(long) == "Compresses a single file using gzip."
    assert first_line("\n\n  Short one.\nSecond line") == "Short one."
    assert first_line(None) == ""


def test_a_tools_definition_is_attached_once_and_describe_names_the_unknown_tool():
    catalog = ToolCatalog()
    catalog.remember([TOOL, {"name": "list_sites", "description": "sites.list"}])
    assert catalog.first_result("list_sites") == {"name": "list_sites", "description": "sites.list"}
    assert catalog.first_result("list_sites") is None
    assert catalog.first_result("not_listed") is None
    with pytest.raises(KeyError, match="nope"):
        catalog.describe(["list_sites", "nope"])


def test_search_ranks_tools_by_name_and_description_and_leaves_out_those_with_no_matching_word():
    catalog = ToolCatalog()
    catalog.remember([
        {"name": "ads__list_campaigns", "description": "Campaigns of a customer with clicks and cost."},
        {"name": "ads__list_accessible_customers", "description": "Customers this login can access."},
        {"name": "console__search_analytics_query", "description": "Clicks, impressions by query, page."},
        {"name": "everything__get-sum", "description": "Returns the sum of two numbers"},
    ])  # fmt: skip
    assert [t["name"] for t in catalog.search("campaign clicks")][:1] == ["ads__list_campaigns"]
    assert catalog.search("search console impressions")[0]["name"] == "console__search_analytics_query"
    assert [t["name"] for t in catalog.search("sum numbers")] == ["everything__get-sum"]
    assert catalog.search("zebra") == [] and catalog.search("") == []


def test_catalog_and_accepts_results_are_policy_options_and_a_bad_value_is_an_error(tmp_path: Path):
    good = tmp_path / "good.yaml"
    good.write_text(
        "version: 1\nname: g\ncatalog: {mode: compact, search_over: 5}\n"
        "tools:\n  append_*:\n    accepts_results: [rows]\n    keep_results: true\n"
        "limits: {query_seconds: 2, query_memory_mb: 64}\n"
    )
    policy = load_policy([good])
    assert (policy.catalog, policy.catalog_search_over) == ("compact", 5)
    assert policy.accepts_results("append_rows") == {"rows"} and policy.accepts_results("list_sites") == set()
    assert policy.keeps_results("append_rows") and not policy.keeps_results("list_sites")
    assert (policy.query_seconds, policy.query_memory_mb) == (2, 64)
    assert load_policy([tmp_path / "short.yaml"] if (tmp_path / "short.yaml").write_text(
        "version: 1\nname: s\ncatalog: compact\n") else []).catalog == "compact"  # fmt: skip
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nname: b\ncatalog: tiny\n")
    with pytest.raises(PolicyError, match="catalog"):
        load_policy([bad])


def test_veil_toml_takes_a_catalog_and_refuses_an_unknown_one(tmp_path: Path):
    path = tmp_path / "veil.toml"
    path.write_text('catalog = "compact"\n[backends.a]\ncommand = ["true"]\n')
    assert load_backends(path).catalog == "compact"
    path.write_text('catalog = "small"\n[backends.a]\ncommand = ["true"]\n')
    with pytest.raises(ConfigError, match='catalog: expected "full", "compact" or "search"'):
        load_backends(path)


def test_catalog_search_is_a_policy_and_veil_toml_mode_and_the_stricter_of_two_modes_wins(tmp_path: Path):
    policy_file = tmp_path / "search.yaml"
    policy_file.write_text("version: 1\nname: s\ncatalog: {mode: search}\n")
    assert load_policy([policy_file]).catalog == "search"
    toml = tmp_path / "veil.toml"
    toml.write_text('catalog = "search"\n[backends.a]\ncommand = ["true"]\n')
    assert load_backends(toml).catalog == "search"

    def mode(policy: str, backends: str | None) -> str:
        fake = SimpleNamespace(
            policy=SimpleNamespace(catalog=policy),
            backends=None if backends is None else SimpleNamespace(catalog=backends),
        )
        return ProxySession.catalog_mode(fake)  # type: ignore[arg-type]

    assert mode("full", None) == "full" and mode("compact", None) == "compact"
    assert mode("full", "search") == "search" and mode("search", "compact") == "search"
    assert mode("compact", "full") == "compact" and mode("full", "full") == "full"


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({}, "needs `name`"),
        ({"name": ""}, "needs `name`"),
        ({"name": 3}, "needs `name`"),
        ({"name": "veil_call_tool"}, "cannot call itself"),
        ({"name": "get-sum", "arguments": [2, 3]}, "`arguments` must be an object"),
        ({"name": "get-sum", "a": 2}, "'a' belongs inside `arguments`"),
    ],
)
def test_veil_call_tool_with_a_bad_argument_is_refused_naming_it(arguments, named):
    with pytest.raises(LocalRequestError, match=re.escape(named)):
        _inner_params({"name": "veil_call_tool", "arguments": arguments})


def test_veil_call_tool_stands_for_the_named_tools_call_and_keeps_the_requests_meta():
    outer = {
        "name": "veil_call_tool",
        "arguments": {"name": "everything__get-sum", "arguments": {"a": 2, "b": 3}},
        "_meta": {"progressToken": 7},
    }
    assert _inner_params(outer) == {
        "_meta": {"progressToken": 7},
        "name": "everything__get-sum",
        "arguments": {"a": 2, "b": 3},
    }
    assert _inner_params({"arguments": {"name": "echo"}})["arguments"] == {}  # no arguments: none
