"""mcp-veil's proxy: front transport → relay (a chain of filters per call) → backend transport."""

import os

# Presidio's tldextract must never fetch the public-suffix list at run time (DESIGN.md §1.5): use its
# bundled snapshot. Set before anything imports tldextract.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
