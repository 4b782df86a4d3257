"""Hypothesis strategies per class, on the same builders `make eval` draws from a seeded `Random`.

Each builder takes a `random.Random`; hypothesis hands it a controlled one (`st.randoms`), so a failing
example replays and shrinks like any other strategy.
"""

from __future__ import annotations

from random import Random

from hypothesis import strategies as st

from tests.classes import planting, transforms
from tests.classes.case import Case
from tests.classes.catalog import CLASSES

_RANDOMS = st.randoms(use_true_random=False, note_method_calls=False)


def cases(cls: str) -> st.SearchStrategy[Case]:
    """Cases of one class (see catalog.CLASSES for the names)."""
    return _RANDOMS.map(CLASSES[cls])


def planted_values(reliable: bool = False) -> st.SearchStrategy[planting.Planted]:
    """A structured personal value: reliably written (the detectors' promise) or in any format."""
    return _RANDOMS.map(planting.reliable_value if reliable else planting.any_value)


def person_names() -> st.SearchStrategy[planting.Planted]:
    return _RANDOMS.map(lambda r: planting.person(r)[0])


def encodings() -> st.SearchStrategy[tuple[str, transforms.Transform]]:
    """One encoded layer (base64, base64url, MIME base64, percent, form body, HTML, `\\u`, QP): (name, f)."""
    return st.sampled_from(sorted(transforms.ENCODINGS.items()))


def normalized_views() -> st.SearchStrategy[tuple[str, transforms.Transform]]:
    """One normalized-view trick (invisible chars, confusables, other digits, separators): (name, f)."""
    return st.sampled_from(sorted(transforms.NORMALIZED.items()))


def encoded_text(reliable: bool = True) -> st.SearchStrategy[tuple[planting.Planted, str]]:
    """A value's sentence under one or two encoded layers: (planted, text)."""

    def build(rng: Random) -> tuple[planting.Planted, str]:
        value = planting.structured_value(rng, reliable)
        text, _ = transforms.layered(rng, planting.sentence(rng, value), rng.choice([1, 1, 2]))
        return value, text

    return _RANDOMS.map(build)
