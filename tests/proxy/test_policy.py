from pathlib import Path

import pytest

from proxy.errors import PolicyError
from proxy.policy import load_policy, normalize_key, parse_path, shipped_policy_files


def write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_the_shipped_policies_load_and_cover_common_personal_data_keys():
    policy = load_policy()
    keys = policy.global_rules.keys
    for key, entity in {
        "email": "EMAIL_ADDRESS",
        "contactEmail": "EMAIL_ADDRESS",
        "phoneNumber": "PHONE_NUMBER",
        "fullName": "PERSON",
        "customerId": "GOOGLE_ADS_CUSTOMER_ID",
        "descriptiveName": "ACCOUNT_NAME",
    }.items():
        assert keys[normalize_key(key)] == entity
    assert shipped_policy_files()[0].name == "default.yaml"
    # `siteUrl` names the client's site on every install; the pack's wider keys (`property`) apply once the
    # backend shows a tool the pack names (here Search Console's).
    assert keys[normalize_key("siteUrl")] == "SITE_URL"
    assert normalize_key("property") not in policy.rules_for_tool("list_sites").keys
    policy.activate_packs(["list_sites"])
    assert policy.rules_for_tool("list_sites").keys[normalize_key("property")] == "SITE_URL"


def test_key_rules_ignore_case_underscores_and_dashes():
    assert normalize_key("contact_email") == normalize_key("contactEmail") == normalize_key("Contact-Email")


def test_an_unknown_option_is_reported_with_file_line_and_option(tmp_path):
    p = write(tmp_path, "version: 1\nname: x\nfields:\n  - entity: EMAIL_ADDRESS\n    kees: [mail]\n")
    with pytest.raises(PolicyError) as err:
        load_policy([p])
    msg = str(err.value)
    assert str(p) in msg and "line 5" in msg and "fields.0.kees" in msg


def test_invalid_yaml_is_reported_with_its_line(tmp_path):
    p = write(tmp_path, "version: 1\nname: x\nfields: [\n  - a\n")
    with pytest.raises(PolicyError, match=r"line \d"):
        load_policy([p])


def test_an_entity_type_must_be_token_safe(tmp_path):
    p = write(tmp_path, "version: 1\nname: x\nfields:\n  - entity: email address\n    keys: [mail]\n")
    with pytest.raises(PolicyError, match="line 4"):
        load_policy([p])


def test_conflicting_rules_for_one_key_are_an_error_not_a_silent_precedence(tmp_path):
    a = write(tmp_path, "version: 1\nname: a\nfields:\n  - {entity: PERSON, keys: [owner]}\n", "a.yaml")
    b = write(tmp_path, "version: 1\nname: b\nfields:\n  - {entity: ACCOUNT_NAME, keys: [owner]}\n", "b.yaml")
    with pytest.raises(PolicyError, match="conflicting rules"):
        load_policy([a, b])


def test_tool_rules_apply_to_matching_tools_only(tmp_path):
    p = write(
        tmp_path,
        "version: 1\nname: t\ntools:\n  '*list_sites':\n    fields:\n"
        "      - {entity: SITE_URL, paths: ['siteEntry[].siteUrl']}\n",
    )
    policy = load_policy([p])
    assert policy.rules_for_tool("sc__list_sites").path_entity(["siteEntry", 3, "siteUrl"]) == "SITE_URL"
    assert policy.rules_for_tool("other").path_entity(["siteEntry", 3, "siteUrl"]) is None


def test_paths_parse_names_any_index_and_fixed_index():
    assert parse_path("rows[].keys[0]") == ("rows", None, "keys", 0)
    assert parse_path("$.a[*].b") == ("a", None, "b")
    with pytest.raises(ValueError):
        parse_path("rows[x]")


def test_egress_rules_deny_wins_and_the_default_applies_elsewhere(tmp_path):
    p = write(
        tmp_path,
        "version: 1\nname: e\negress:\n  default: allow\n  rules:\n"
        "    - {tool: 'send_*', deny: [body]}\n    - {tool: '*', allow: ['*']}\n",
    )
    policy = load_policy([p])
    assert not policy.egress_allows("crm", "send_email", "body")
    assert policy.egress_allows("crm", "send_email", "to")
    assert policy.egress_allows("crm", "lookup", "body")


def test_an_argument_both_allowed_and_denied_in_one_scope_is_an_error(tmp_path):
    p = write(tmp_path, "version: 1\nname: e\negress:\n  rules:\n    - {tool: x, allow: [a], deny: [a]}\n")
    with pytest.raises(PolicyError, match="conflicting egress"):
        load_policy([p])


def test_the_shipped_policy_keeps_real_values_out_of_webhooks_and_fetched_urls():
    policy = load_policy()
    assert not policy.egress_allows("any", "notify", "webhook_url")
    assert not policy.egress_allows("any", "fetch_page", "url")
    assert policy.egress_allows("any", "list_campaigns", "customer_id")
