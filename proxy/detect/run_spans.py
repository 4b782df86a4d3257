"""Which spans stand when a text holds base64 runs: a run whose decoding found something is one span (what
it holds is named by its verdict, not by digits it happens to show), and names read in a long run written
out are noise. Kept apart from the detector, which calls them once per text.
"""

from __future__ import annotations

import re

from proxy.detect import decoders
from proxy.detect.known import KNOWN_SCORE
from proxy.detect.name_identifiers import identifier_names
from proxy.detect.name_layers import reads_as_words
from proxy.detect.path_folders import path_folder_names
from proxy.detect.spans import Span

# A base64 run this long is read by decoding it; its letters as written are noise to the name recognizers
# (`…PBzBtvSUQ9oN2ih…` holds CamelCase humps and capitalised words by chance).
_OPAQUE_RUN = 32
_WORD_ENTITIES = frozenset({"PERSON", "ACCOUNT_NAME"})
# A home root right before a span: the span is a path's user folder (`/home/psolomon/projects/report-3`
# is a base64-alphabet run too), named by the folder's place, not by chance letters (`directory_names`).
_HOME_ROOT_BEFORE = re.compile(r"(?:[/\\](?i:home|users)\$?[/\\])\Z")


def outside_decoded_runs(spans: list[Span], decoded: list[tuple[int, int]]) -> list[Span]:
    """`spans` without those strictly inside a run whose decoding found something: the run's own span
    covers them, and its verdict names what it holds (hex of a name is no card for the digits it shows)."""
    if not decoded:
        return spans
    return [
        s
        for s in spans
        if not any(a <= s.start and s.end <= b and (s.start, s.end) != (a, b) for a, b in decoded)
    ]


def outside_long_runs(text: str, spans: list[Span]) -> list[Span]:
    """`spans` without the names found inside a long base64 run written out in `text` (what its decoding
    finds covers the whole run, and stays). Words glued by `+` are a form value, not such a run; a known value
    stays wherever it stands: it is certain, and a path or slug (`/accounts/Korbinian_Esposito/report`) is a
    base64-alphabet run too; so does a user folder right under a home root (`/home/mgonzalez/…`) and a
    name glued into a slug (`/about/team/irmtrud-shaffer`) or a full name as a folder (`/HR/Maria-Reyes/`)."""
    long_runs = [
        (a, b)
        for a, b in decoders.base64_runs(text)
        if b - a >= _OPAQUE_RUN and not any(c.isspace() for c in text[a:b]) and not reads_as_words(text[a:b])
    ]
    if not long_runs:
        return spans
    # A name glued into a slug between separators (`/about/team/irmtrud-shaffer`) is read by its parts,
    # not by chance letters (`name_identifiers`): it stays too.
    # So is a full name as a folder of a path (`/mnt/share/HR/Annamaria-Reyes/contract.pdf`: `path_folders`).
    words = any(s.entity in _WORD_ENTITIES for s in spans)
    glued = set(identifier_names(text)) | set(path_folder_names(text)) if words else set()
    return [
        s
        for s in spans
        if s.entity not in _WORD_ENTITIES
        or s.score >= KNOWN_SCORE
        or _HOME_ROOT_BEFORE.search(text, max(0, s.start - 8), s.start) is not None
        or (s.start, s.end) in glued
        or not any(a <= s.start and s.end <= b and (s.start, s.end) != (a, b) for a, b in long_runs)
    ]
