"""The batch pre-scan: which of a message's many strings any step of the detector could find something in,
from one scan of all of them joined by NUL, at C speed (a loop over thousands of strings costs microseconds
each). A message with `BATCH` unique strings or more is pre-scanned; the rest are scanned one by one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import partial
from itertools import accumulate

from proxy.detect import (
    address_forms,
    block_encodings,
    byte_codes,
    byte_escapes,
    concatenated,
    decoders,
    digit_letters,
    digit_rows,
    digit_separators,
    email_stand_ins,
    email_words,
    ip_forms,
    name_identifiers,
    numeral_scripts,
    text_escapes,
    vertical,
    views,
)
from proxy.detect.defanged import DEFANGED_TRIGGERS
from proxy.detect.directory_names import bare_handle_starts, login_starts
from proxy.detect.folded_view import FOLD_TRIGGER
from proxy.detect.iban_trigger import IBAN_TRIGGER
from proxy.detect.known import KnownValues
from proxy.detect.markup_view import MARKUP_BESIDE_DIGIT
from proxy.detect.name_case_view import LOWER_CASE_TEXT, lower_case_name_starts
from proxy.detect.name_prefilter import NAME_PREFILTER
from proxy.detect.national_id_trigger import NATIONAL_ID_TRIGGER
from proxy.detect.path_folders import FOLDER, might_hold_path_name
from proxy.detect.reordered import OVERRIDE_TRIGGER
from proxy.detect.spaced import SPACED_OUT_TRIGGER
from proxy.detect.triggers import IPV6_TRIGGER, SITE_TRIGGER, digit_trigger_at
from proxy.detect.word_triggers import patterns as word_patterns
from proxy.detect.word_triggers import word_trigger_starts

# What makes a text's views differ from it, for the batch pre-scan: a local encoding's first character or an
# ASCII control (NUL left out: the batch scan joins texts with it, and a text holding one is never
# batch-scanned), a form body's `+` between digits, digit groups the view rewrites (dotted, or a separator
# run), a spelled-out email address, a folded line, a base64, hex or chunked base64 run. Each pattern
# scanned on its own: an alternation of them is slower than the scans together (it loses the engine's fast
# first-character search). Non-ASCII texts also get the view's own non-ASCII tests (`candidates`).
VIEW_TRIGGERS = (
    re.compile(r"[%&\\=\x01-\x08\x0e-\x1f\x7f]"),
    views.DIGIT_GROUPS_TRIGGER,
    *views.SPELLED_EMAIL_BATCH_TRIGGERS,
    SPACED_OUT_TRIGGER,
    *DEFANGED_TRIGGERS,
    MARKUP_BESIDE_DIGIT,
    FOLD_TRIGGER,
    decoders.LONG_TRIGGER,
    *decoders.CHUNK_TRIGGERS,
    *byte_escapes.TRIGGERS,
    *ip_forms.TRIGGERS,
    vertical.TRIGGER,
    digit_rows.TRIGGER,
    *concatenated.TRIGGERS,
    block_encodings.TRIGGER,
    *byte_codes.TRIGGERS,
    *text_escapes.TRIGGERS,
    *email_stand_ins.TRIGGERS,
    *email_words.TRIGGERS,
    *address_forms.TRIGGERS,
    OVERRIDE_TRIGGER,
    numeral_scripts.MORSE_TRIGGER,
    *digit_letters.TRIGGERS,
    *digit_separators.TRIGGERS,
)


CAPITAL = re.compile(r"[A-Z]")
# A message with at least this many unique strings is pre-scanned in one piece (`candidates`).
BATCH = 64
SEP = "\x00"
# Texts remembered as silent (no trigger fires in them) per detector: short ones, a bounded number.
SILENT_CHARS = 256
SILENT_MAX = 100_000


def regex_finder(pattern: re.Pattern[str], text: str) -> Callable[[int], int]:
    def find(pos: int) -> int:
        match = pattern.search(text, pos)
        return match.start() if match is not None else -1

    return find


def candidates(
    texts: list[str],
    known: KnownValues | None,
    *,
    quiet: dict[str, None],
    ner: bool,
    silent: dict[str, None] | None = None,
) -> set[int] | None:
    """The indices of the texts in which any step of `detect` could find something, from one scan of
    all of them joined by NUL (C speed, where a loop over thousands of strings costs microseconds
    each): a known value (a superset: its longest word, lower-cased), what `triggers.triggered` looks for,
    or anything that makes a text's views differ from it (`VIEW_TRIGGERS`, the view's non-ASCII
    class). No pattern or trigger can match across a NUL, so a text holds a hit of the
    joined scan exactly when it holds one of its own. None where that cannot be assured (a text or a
    known value holding NUL). With the NER pipeline, a text with a capital is a candidate too (what
    `might_hold_name` needs first)."""
    joined = SEP.join(texts)
    if joined.count(SEP) != len(texts) - 1:
        return None
    if known is not None and known.holds_nul:
        return None
    # What the triggers say of a text depends on the text alone: the texts found quiet (`Detector._scan`)
    # or silent (no trigger, an earlier call) are not scanned for them again, so a response seen before
    # (the next page of a paging client) costs the known-value scan alone.
    fresh = [i for i, t in enumerate(texts) if t not in quiet and (silent is None or t not in silent)]
    hits = {fresh[i] for i in _triggered([texts[i] for i in fresh], quiet, ner)} if fresh else set()
    if silent is not None:
        for i in fresh:
            if i not in hits and len(texts[i]) <= SILENT_CHARS and len(silent) < SILENT_MAX:
                silent[texts[i]] = None
    if known is not None and len(known):
        starts_known = known.starts(joined)
        if starts_known is None:
            return None
        starts = [0, *accumulate(len(t) + 1 for t in texts)]
        hits.update(bisect_right(starts, at) - 1 for at in starts_known)
    return hits


def _triggered(texts: list[str], quiet: dict[str, None], ner: bool) -> set[int]:
    """The indices of `texts` (none holding NUL) in which a trigger of `detect` fires."""
    joined = SEP.join(texts)
    starts = [0, *accumulate(len(t) + 1 for t in texts)]  # text i is joined[starts[i]:starts[i+1]-1]
    hits: set[int] = set()

    def scan(find: Callable[[int], int]) -> None:
        pos = 0
        while (at := find(pos)) >= 0:
            index = bisect_right(starts, at) - 1
            hits.add(index)
            pos = starts[index + 1]  # one hit is enough: on to the next text

    if "@" in joined:
        scan(partial(joined.find, "@"))
    scan(lambda pos: digit_trigger_at(joined, pos))
    if ":" in joined:
        scan(regex_finder(IPV6_TRIGGER, joined))
        scan(regex_finder(SITE_TRIGGER, joined))
    scan(regex_finder(IBAN_TRIGGER, joined))
    scan(regex_finder(NATIONAL_ID_TRIGGER, joined))
    # Texts whose views differ from them (an encoding, a control, a digit separator, a base64 run,
    # a non-ASCII character the view rewrites): every step runs on those.
    for trigger in VIEW_TRIGGERS:
        scan(regex_finder(trigger, joined))
    word_starts = word_trigger_starts(joined)  # an address's word or spelled digits before them
    if word_starts is None:
        for trigger in word_patterns():
            scan(regex_finder(trigger, joined))
    else:
        for at in word_starts:
            hits.add(bisect_right(starts, at) - 1)
    # A short base64 run counts only with a capital: the texts with one are tried alone.
    pos = 0
    while (capital := CAPITAL.search(joined, pos)) is not None:
        index = bisect_right(starts, capital.start()) - 1
        if index not in hits and decoders.has_short_run(texts[index]):
            hits.add(index)
        pos = starts[index + 1]
    if not joined.isascii():
        scan(regex_finder(views.fold_pattern(), joined))
        scan(regex_finder(views.SYMBOL_AFTER_DIGIT_TRIGGER, joined))
        for trigger in numeral_scripts.NON_ASCII_TRIGGERS:  # CJK numerals, Braille digits
            scan(regex_finder(trigger, joined))
    if ner:
        scan(regex_finder(NAME_PREFILTER, joined))
        # A login in lower case (`uid=mgonzalez`, `/home/mgonzalez/`), a handle without its `@`
        # (`maria_gonzalez`): literals found at C speed, each checked (`directory_names`).
        for at in (*login_starts(joined), *bare_handle_starts(joined)):
            hits.add(bisect_right(starts, at) - 1)
        hits.update(_lower_case_named(texts, joined, starts, quiet))
        # A name glued into a slug, a file or a host name (`/in/maria-gonzalez-4b2a19`): each text with a
        # letter run, a separator and a letter run is judged whole (`name_identifiers`), once.
        pos = 0
        while (m := name_identifiers.TRIGGER.search(joined, pos)) is not None:
            index = bisect_right(starts, m.start()) - 1
            if index not in hits and name_identifiers.might_hold_identifier_name(texts[index]):
                hits.add(index)
            pos = starts[index + 1]
        # A full name as a folder of a path (`/HR/Maria Gonzalez/`): each text with a folder of a name's
        # shape is judged whole (`path_folders`), once.
        pos = 0
        while (m := FOLDER.search(joined, pos)) is not None:
            index = bisect_right(starts, m.start()) - 1
            if index not in hits and might_hold_path_name(texts[index]):
                hits.add(index)
            pos = starts[index + 1]
    return hits


def _lower_case_named(texts: list[str], joined: str, starts: list[int], quiet: dict[str, None]) -> set[int]:
    """The lower-case texts (five words, no capital) that hold a given name which could lead a name run:
    the ones the case view may re-case. Texts already found quiet are left out first, so a response seen
    before costs one regex pass."""
    lower: list[int] = []
    pos = 0
    while (m := LOWER_CASE_TEXT.search(joined, pos)) is not None:
        index = bisect_right(starts, m.start()) - 1
        if texts[index] not in quiet:
            lower.append(index)
        pos = m.end() + 1
    if not lower:
        return set()
    few = SEP.join(texts[i] for i in lower)
    named = lower_case_name_starts(few)
    if named is None:
        return set(lower)
    bounds = [0, *accumulate(len(texts[i]) + 1 for i in lower)]
    return {lower[bisect_right(bounds, at) - 1] for at in named}
