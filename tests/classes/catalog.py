"""Every class of input, by name: a case builder `f(random.Random) -> Case` each."""

from __future__ import annotations

from collections.abc import Callable
from random import Random

from tests.classes import byte_codes as codes
from tests.classes import numerals as nums
from tests.classes.carried_records import records_encoded, records_notations
from tests.classes.case import Case
from tests.classes.data_labels import (
    accounts_in_data_labels,
    names_in_path_folders,
    non_account_tables,
    place_and_product_folders,
)
from tests.classes.forged import forged_tokens
from tests.classes.identifier_names import (
    names_in_identifiers,
    names_in_search_queries,
    product_and_place_names,
)
from tests.classes.identifier_shapes import identifier_lookalikes, names_in_identifier_shapes
from tests.classes.layers import blobs, differentials, encoded, normalized
from tests.classes.layouts import layouts
from tests.classes.name_slots import (
    names_in_link_texts,
    names_in_mailbox_displays,
    names_in_query_slots,
)
from tests.classes.notations import notations
from tests.classes.number_lookalikes import number_lookalikes
from tests.classes.people import known_values, names_in_fields, names_in_free_text
from tests.classes.positional import positional_lookalikes, positional_values
from tests.classes.record_parts_cases import record_parts
from tests.classes.scope import control, formats, numbers, placement
from tests.classes.structured_names import (
    names_in_directory_formats,
    names_in_markup,
    names_in_paths_and_logins,
)
from tests.classes.survivors import over_redaction
from tests.classes.terminal import terminal_codes
from tests.classes.title_names import (
    names_in_title_labels,
    names_with_place_surnames,
    names_with_word_surnames_in_phrases,
)

CLASSES: dict[str, Callable[[Random], Case]] = {
    "control": control,
    "formats": formats,
    "placement": placement,
    "numbers": numbers,
    "normalized": normalized,
    "encoded": encoded,
    "blobs": blobs,
    "differentials": differentials,
    "notations": notations,
    "layouts": layouts,
    "forged-tokens": forged_tokens,
    "numerals": lambda rng: rng.choice(
        [nums.other_numerals, nums.letters_for_digits, nums.spelled_numbers, nums.separator_notations]
    )(rng),
    "byte-codes": lambda rng: rng.choice(
        [codes.byte_codes, codes.named_characters, codes.email_stand_ins, codes.open_blocks]
    )(rng),
    "terminal-codes": terminal_codes,
    "record-parts": record_parts,
    "known-values": known_values,
    "names-text": names_in_free_text,
    "names-fields": names_in_fields,
    "names-directory": names_in_directory_formats,
    "names-markup": names_in_markup,
    "names-paths": names_in_paths_and_logins,
    "records-encoded": records_encoded,
    "records-notations": records_notations,
    "names-identifiers": names_in_identifiers,
    "names-queries": names_in_search_queries,
    "names-lookalikes": product_and_place_names,
    "names-path-folders": names_in_path_folders,
    "names-path-places": place_and_product_folders,
    "accounts-data-labels": accounts_in_data_labels,
    "accounts-data-labels-plain": non_account_tables,
    "names-title-labels": names_in_title_labels,
    "names-word-surname-phrases": names_with_word_surnames_in_phrases,
    "names-place-surnames": names_with_place_surnames,
    "names-identifier-shapes": names_in_identifier_shapes,
    "names-identifier-lookalikes": identifier_lookalikes,
    "names-mailbox-display": names_in_mailbox_displays,
    "names-link-texts": names_in_link_texts,
    "names-query-keys": names_in_query_slots,
    "positional-values": positional_values,
    "positional-lookalikes": positional_lookalikes,
    "over-redaction": over_redaction,
    "numbers-lookalikes": number_lookalikes,
}


def seeded(cls: str, n: int, seed: int = 20261204) -> list[Case]:
    """`n` cases of a class, the same on every run."""
    rng = Random(f"{cls}:{seed}")
    return [CLASSES[cls](rng) for _ in range(n)]
