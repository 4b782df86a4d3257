"""Account IDs of the ad and analytics platforms beside Google Ads, found by the shape their APIs write
them in: a resource name whose collection names an account (`properties/581666226`, `accounts/123456789`,
`accounts/…/locations/…`, `advertisers/…`, `merchants/…`, `accountSummaries/…`), and Meta's `act_` prefix
(`act_622820361001809`).

Google Ads customer IDs are read the same way (`customers/1234567890`, `GoogleAdsCustomerIdRecognizer`);
this is that class for the other platforms an agency's MCP servers return (GA4 Admin, Business Profile,
Merchant Center, Meta Marketing, Display & Video 360). A digit run after any other collection
(`campaigns/123`, `adGroups/…`, `geoTargetConstants/…`) names no account and stays. The keys that name
such an ID (`merchantId`, `advertiser_id`, `propertyId`) give a bare number its meaning in
`proxy.scan.shapes` (digit context).
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

ENTITY = "ACCOUNT_NUMBER"
# Collections whose item is an account (fixed-width look-behinds, one per collection name).
COLLECTIONS = ("accounts", "properties", "advertisers", "merchants", "locations", "accountSummaries",
               "adAccounts", "partners", "businesses", "sponsoredAccount")  # fmt: skip
_AFTER = "|".join(f"(?<=[^\\w]{c}/)|(?<=^{c}/)" for c in COLLECTIONS)
_ACT = r"(?<=[^\w]act_)|(?<=^act_)"


class AdAccountIdRecognizer(PatternRecognizer):
    """An ad or analytics platform's account ID in its resource name or with Meta's `act_` prefix."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("account resource name", rf"(?:{_AFTER})\d{{6,21}}(?![\w])", 0.9),
        Pattern("act prefix", rf"(?:{_ACT})\d{{6,21}}(?![\w])", 0.9),
    ]

    def __init__(self) -> None:
        super().__init__(supported_entity=ENTITY, name="AdAccountIdRecognizer", patterns=self.PATTERNS)
