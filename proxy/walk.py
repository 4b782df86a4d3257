"""The walkers of `proxy.scan` (to_client, to_backend) under the names code imports from `proxy.walk`."""

from proxy.scan.plan import ScanPlan
from proxy.scan.to_backend import ENCODED_TOKEN_LIKE_RE, find_token_strings, replace_tokens
from proxy.scan.to_client import ToClientWalker, key_rules_apply

__all__ = [
    "ENCODED_TOKEN_LIKE_RE",
    "ScanPlan",
    "ToClientWalker",
    "find_token_strings",
    "key_rules_apply",
    "replace_tokens",
]
