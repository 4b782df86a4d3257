"""A Search Console domain property written anywhere: `sc-domain:whitcombe-dental.com`.

A property is the client's site, and the `sc-domain:` prefix is Search Console's own notation for one, so
the shape alone is evidence: the whole property is a SITE_URL wherever it appears (a sentence, a log
line, a key this policy does not name). A URL-prefix property (`https://www.example.com/`) is an ordinary
URL by its shape and is tokenized by its key instead (`siteUrl`, default policy). SITE_URL does not
propagate, so the site's page URLs in search analytics rows stay readable.
"""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

ENTITY = "SITE_URL"
# A host name after the prefix: labels of letters, digits and hyphens (any script), a dot between them.
_HOST = r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{2,59})"


class SitePropertyRecognizer(PatternRecognizer):
    """A Search Console domain property (`sc-domain:` and a host name), prefix included."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("domain property", rf"(?i)(?<![\w-])sc-domain:{_HOST}(?![\w-])", 0.9),
    ]

    def __init__(self) -> None:
        super().__init__(supported_entity=ENTITY, name="SitePropertyRecognizer", patterns=self.PATTERNS)
