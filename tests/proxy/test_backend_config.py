"""`veil.toml`: backends and share rules parse; every mistake names the file and the option."""

from __future__ import annotations

from pathlib import Path

import pytest

from proxy.backend_config import header_values, load_backends
from proxy.errors import PolicyError

GOOD = """
policy = ["policies/default.yaml"]

[backends.ads]
command = ["python", "-m", "examples.google_ads_server"]
env = { ADS_REGION = "eu" }
policy = ["policies/google-ads.yaml"]

[backends.search-console]
url = "https://mcp.example/mcp"
headers_env = { Authorization = "CONSOLE_TOKEN" }

[[share]]
from = "ads"
to = ["search-console"]
entities = ["EMAIL_ADDRESS"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "veil.toml"
    path.write_text(text)
    return path


def test_a_config_lists_its_backends_share_rules_and_policy_files_relative_to_itself(tmp_path):
    config = load_backends(write(tmp_path, GOOD))
    assert config.names() == ["ads", "search-console"]
    ads, console = config.backends
    assert ads.command == ("python", "-m", "examples.google_ads_server") and ads.env == {"ADS_REGION": "eu"}
    assert console.url == "https://mcp.example/mcp" and console.headers_env == {
        "Authorization": "CONSOLE_TOKEN"
    }
    assert config.policies == (tmp_path / "policies/default.yaml",)
    assert ads.policy == (tmp_path / "policies/google-ads.yaml",) and console.policy == ()
    assert config.shares_token("EMAIL_ADDRESS", "ads", "search-console")
    assert not config.shares_token("PHONE_NUMBER", "ads", "search-console")
    assert not config.shares_token("EMAIL_ADDRESS", "search-console", "ads")
    assert config.shares_token("PHONE_NUMBER", "ads", "ads")
    assert not config.shares_token("EMAIL_ADDRESS", "ads", None)  # a fan-out needs "*"


def test_a_share_rule_to_every_backend_covers_fanned_out_messages_too(tmp_path):
    text = '[backends.a]\ncommand = ["x"]\n[backends.b]\ncommand = ["y"]\n[[share]]\nfrom = "a"\nto = ["*"]\n'
    config = load_backends(write(tmp_path, text))
    assert config.shares_token("IBAN_CODE", "a", "b") and config.shares_token("IBAN_CODE", "a", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[backends.Ads]\ncommand = ["x"]\n', "backends.Ads: invalid backend name"),
        ('[backends.a__b]\ncommand = ["x"]\n', "backends.a__b: invalid backend name"),
        ('[backends.ads]\ncommand = ["x"]\nurl = "https://h/mcp"\n', "backends.ads: give exactly one"),
        ("[backends.ads]\n", "backends.ads: give exactly one"),
        ('[backends.ads]\ncommand = "python server.py"\n', "backends.ads.command: must be a list"),
        ('[backends.ads]\nurl = "ftp://h"\n', "backends.ads.url: must be an http"),
        ('[backends.ads]\ncommand = ["x"]\nheaders = {A = "b"}\n', "backends.ads.headers: unknown option"),
        ('[backends.ads]\ncommand = ["x"]\nheaders_env = {A = "B"}\n', "headers_env: applies to a url"),
        ('[backends.ads]\nurl = "https://h"\nheaders_env = {A = "not a var"}\n', "is not an environment"),
        ('[backends.ads]\ncommand = ["x"]\ntransport = "ws"\n', "backends.ads.transport"),
        ('[backend.ads]\ncommand = ["x"]\n', "unknown option 'backend'"),
        ("policy = []\n", "backends: give at least one"),
        ('[backends.ads]\ncommand = ["x"]\n[[share]]\nfrom = "crm"\nto = ["ads"]\n', "share[0].from"),
        ('[backends.ads]\ncommand = ["x"]\n[[share]]\nfrom = "ads"\nto = ["crm"]\n', "share[0].to"),
        ('[backends.ads]\ncommand = ["x"]\n[[share]]\nfrom = "ads"\nto = []\n', "share[0].to"),
        (
            '[backends.ads]\ncommand = ["x"]\n[[share]]\nfrom = "ads"\nto = ["*"]\nentities = ["email"]\n',
            "share[0].entities",
        ),
        ("[backends.ads\n", "not valid TOML"),
        ('[backends.ads]\ncommand = ["x"]\npolicy = "p.yaml"\n', "backends.ads.policy: must be a list"),
    ],
)
def test_every_mistake_is_an_error_naming_the_file_and_the_option(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(PolicyError) as caught:
        load_backends(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert expected in str(caught.value)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(PolicyError, match="cannot read the file"):
        load_backends(tmp_path / "nope.toml")


def test_header_values_come_from_the_environment_and_a_missing_variable_is_named_never_a_value(tmp_path):
    console = load_backends(write(tmp_path, GOOD)).backends[1]
    assert header_values(console, {"CONSOLE_TOKEN": "Bearer s3cret"}) == {"Authorization": "Bearer s3cret"}
    with pytest.raises(ValueError, match="CONSOLE_TOKEN") as caught:
        header_values(console, {})
    assert "s3cret" not in str(caught.value)
