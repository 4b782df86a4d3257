"""Policy field paths are checked against the API's own response schema, offline: the searchconsole discovery
document google-api-python-client ships and the google-ads library's protobuf descriptors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from proxy.cli import cli
from proxy.policy import load_policy, shipped_policy_files
from proxy.policy.api_schema import (
    GOOGLE_ADS_VERSION,
    Problem,
    SchemaError,
    checked_path_count,
    resolve_schema,
    validate_paths,
)

HEADER = "version: 1\nname: t\ntools:\n"


def pack(tool: str, response: str, *paths: str) -> str:
    lines = [
        f'  "{tool}":',
        f"    response: {response}",
        "    fields:",
        "      - entity: X",
        "        paths:",
    ]
    lines += [f'          - "{p}"' for p in paths]
    return HEADER + "\n".join(lines) + "\n"


def problems(text: str) -> list[Problem]:
    return validate_paths("p.yaml", text)


def test_the_shipped_packs_have_no_path_problems_and_their_paths_are_all_checked():
    for path in shipped_policy_files():
        assert validate_paths(path) == [], path
    packs = {p.name: p for p in shipped_policy_files()}
    assert checked_path_count(packs["google-ads.yaml"]) >= 10
    assert checked_path_count(packs["search-console.yaml"]) >= 2


def test_a_valid_search_console_path_has_no_problem():
    assert problems(pack("*list_sites", "searchconsole:SitesListResponse", "siteEntry[].siteUrl")) == []
    assert (
        problems(pack("*q", "searchconsole:SearchAnalyticsQueryResponse", "rows[].keys[]", "rows[].keys"))
        == []
    )


def test_a_valid_google_ads_path_uses_the_json_names_and_reaches_a_value():
    text = pack(
        "search",
        "google-ads:SearchGoogleAdsResponse",
        "results[].customerClient.clientCustomer",
        "results[].customerManagerLink.managerCustomer",
        "fieldMask",
    )
    assert problems(text) == []


def test_a_misspelt_field_is_reported_with_file_line_tool_and_the_close_match():
    text = pack(
        "*list_sites", "searchconsole:SitesListResponse", "siteEntry[].siteUrl", "siteEntry[].siteURL"
    )
    [problem] = problems(text)
    assert (problem.source, problem.line, problem.tool, problem.path) == (
        "p.yaml",
        10,
        "*list_sites",
        "siteEntry[].siteURL",
    )
    assert (
        "'siteURL' names no field of WmxSite" in problem.message
        and "did you mean 'siteUrl'" in problem.message
    )
    assert str(problem).startswith("p.yaml:10: tool '*list_sites': path 'siteEntry[].siteURL': ")


def test_a_google_ads_field_that_does_not_exist_is_reported_against_its_message():
    [problem] = problems(
        pack("search", "google-ads:SearchGoogleAdsResponse", "results[].customerClient.clientCustomerId")
    )
    assert "names no field of CustomerClient" in problem.message and "'clientCustomer'" in problem.message


def test_the_proto_field_name_is_reported_with_the_json_name_to_use():
    [problem] = problems(pack("search", "google-ads:SearchGoogleAdsResponse", "results[].customer_client.id"))
    assert "JSON name in GoogleAdsRow is 'customerClient'" in problem.message


def test_a_list_entered_without_brackets_is_a_problem():
    [problem] = problems(pack("search", "google-ads:SearchGoogleAdsResponse", "results.customer.id"))
    assert "results is a list" in problem.message and "results[].customer" in problem.message


def test_brackets_on_something_that_is_not_a_list_are_a_problem():
    [problem] = problems(pack("s", "searchconsole:WmxSite", "siteUrl[]"))
    assert "not a list" in problem.message


def test_a_path_that_goes_on_after_a_value_is_a_problem():
    [problem] = problems(pack("search", "google-ads:SearchGoogleAdsResponse", "results[].customer.id.value"))
    assert "follows id" in problem.message


def test_a_path_that_stops_at_an_object_is_a_problem_because_rules_tokenize_values():
    found = problems(pack("*list_sites", "searchconsole:SitesListResponse", "siteEntry[]", "siteEntry"))
    assert len(found) == 2 and all("applies to values" in p.message for p in found)


def test_an_unknown_response_schema_is_reported_on_the_response_line():
    text = pack("*list_sites", "searchconsole:SiteList", "siteEntry[].siteUrl")
    [problem] = problems(text)
    assert problem.path is None and problem.line == 5
    assert "no schema 'SiteList'" in problem.message and "SitesListResponse" in problem.message
    [ads] = problems(pack("search", "google-ads:NoSuchResponse", "results[]"))
    assert "no message 'NoSuchResponse'" in ads.message


def test_a_response_must_name_an_api_and_a_type():
    with pytest.raises(SchemaError, match="api:Type"):
        resolve_schema("SitesListResponse")
    with pytest.raises(SchemaError, match="no discovery document"):
        resolve_schema("nosuchapi:Thing")


def test_tool_rules_without_a_response_are_not_checked():
    text = HEADER + '  "*x":\n    fields:\n      - entity: X\n        paths: ["anything[].goes"]\n'
    assert problems(text) == [] and checked_path_count("p.yaml", text) == 0


def test_aliases_are_checked_once_per_tool_that_uses_them():
    text = (
        pack("a", "searchconsole:WmxSite", "siteURL").replace('  "a":', '  "a": &rules') + '  "b": *rules\n'
    )
    assert [(p.tool, p.line) for p in problems(text)] == [("a", 9), ("b", 9)]


def test_a_response_is_accepted_by_the_policy_loader(tmp_path: Path):
    path = tmp_path / "p.yaml"
    path.write_text(pack("*list_sites", "searchconsole:SitesListResponse", "siteEntry[].siteUrl"))
    policy = load_policy([path])
    assert policy.rules_for_tool("list_sites").path_entity(["siteEntry", 0, "siteUrl"]) == "X"


def test_veil_policy_check_prints_each_problem_and_exits_non_zero(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(pack("search", "google-ads:SearchGoogleAdsResponse", "results[].customer.idd"))
    result = CliRunner().invoke(cli, ["policy", "check", str(bad)])
    assert result.exit_code != 0
    assert f"{bad}:9: tool 'search': path 'results[].customer.idd'" in result.output
    assert "did you mean 'id'" in result.output


def test_veil_policy_check_passes_the_shipped_policies_and_counts_the_checked_paths():
    result = CliRunner().invoke(cli, ["policy", "check"])
    assert result.exit_code == 0, result.output
    assert "field paths checked against their API response schemas, 0 problems" in result.output


def test_the_google_ads_schema_version_is_the_librarys_default_and_the_example_servers():
    from google.ads.googleads import client

    from examples.google_ads_server import API_VERSION

    assert GOOGLE_ADS_VERSION == client._DEFAULT_VERSION == API_VERSION
