"""The stretch of raw text read around a match for the words that say what it is (a label, a phone word,
a greeting): one reach for all that score context, so a label counts as far from its value everywhere.

Free of Presidio: the loop-side screening imports its users."""

from __future__ import annotations

CONTEXT_WINDOW = 40  # characters: a label and its separator, a short phrase (`phone number (mobile):`)


def before(text: str, start: int, reach: int = CONTEXT_WINDOW) -> str:
    """Up to `reach` characters of `text` right before `start`."""
    return text[max(0, start - reach) : start]


def after(text: str, end: int, reach: int = CONTEXT_WINDOW) -> str:
    """Up to `reach` characters of `text` right after `end`."""
    return text[end : end + reach]
