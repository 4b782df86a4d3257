"""spaCy's PERSON entities, checked against the shape of a name and completed to the whole name.

A small pipeline both over- and under-reads: it tags title-case labels (`Performance Max`, `Google Ads`)
as people, and it cuts names short at what it has not seen (`Maria` of `Maria van der Berg`, `Sean` of
`Sean O'Brien`) — and a span cut short leaks the rest of the name. So a PERSON span made only of dictionary
words, a company form or digits is dropped, and a kept span is extended over the name words around it.
"""

from __future__ import annotations

import regex
from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from proxy.detect.name_honorifics import HONORIFIC
from proxy.detect.name_lexicon import is_first_name
from proxy.detect.name_patterns import PARTICLE, WORD
from proxy.detect.name_phrases import before_phrase_word
from proxy.detect.name_text import (
    implausible_name,
    inside_company_name,
    is_name_word,
    verb_before_particle,
    word_phrase,
)
from proxy.detect.person_recognizer import has_person_context

_NEXT = regex.compile(rf"[ \u00a0](?:{PARTICLE}[ \u00a0]){{0,2}}{WORD}(?![\p{{L}}\p{{N}}_@'’-])")
_PREVIOUS = regex.compile(rf"(?<![\p{{L}}\p{{N}}_@.'’-]){WORD}[ \u00a0]$")
_COMMA_AFTER = regex.compile(rf",[ \u00a0](?P<given>{WORD})(?![\p{{L}}\p{{N}}_@'’-])")
_COMMA_BEFORE = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}_@.'’-])(?i:{PARTICLE}[ \u00a0]){{0,2}}(?P<surname>{WORD}),[ \u00a0]$"
)


class VeilSpacyRecognizer(SpacyRecognizer):
    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        out = []
        for r in super().analyze(text, entities, nlp_artifacts):
            if r.entity_type == "PERSON":
                if implausible_name(text[r.start : r.end]) or inside_company_name(text, r.start, r.end):
                    continue
                r.start, r.end = extend_name_span(text, r.start, r.end)
                r.start += len(_verb_before_particle(text[r.start : r.end]))
                r.start += len(_title(text[r.start : r.end]))
                r.end -= len(_possessive(text[r.start : r.end]))
                if implausible_name(text[r.start : r.end]) or lone_word_starting_clause(text, r.start, r.end):
                    continue  # what the extension took in shows the span is none (`Le` + `Loin Guy`)
                if before_phrase_word(text, r.start, r.end):
                    continue  # `Hamilton Beach` of `Hamilton Beach Blender` (`name_phrases`)
                if word_phrase(text[r.start : r.end]) and not has_person_context(text, r.start, r.end):
                    continue  # `Victoria Secret sale`: words of the language only, nothing says person
            out.append(r)
        return out


def lone_word_starting_clause(text: str, start: int, end: int) -> bool:
    """`- gzip-file: Max fetch size controlled by …`: one capitalised word where a clause or line starts
    (its capital is grammar, not evidence) and a lower-case word after it, with no person context around
    (`Maria called`, `spoke to Maria about` have one). A name word beside it would have extended the span."""
    if " " in text[start:end].strip() or not _LOWER_NEXT.match(text, end):
        return False
    before = text[max(0, start - 40) : start].rstrip(_OPENERS)
    if before and before[-1] not in _CLAUSE_ENDS:
        return False
    return not has_person_context(text, start, end)


_POSSESSIVE = regex.compile(r"['’][sS]?$")
_FIRST_WORD = regex.compile(r"(\S+)[ \u00a0]+")
_TITLE = regex.compile(rf"{HONORIFIC}[ \u00a0]+")


def _title(span: str) -> str:
    """A title of address a span starts with (`Herr ` of `Herr Müller`): it stays readable, as the titled
    name recognizer leaves it."""
    m = _TITLE.match(span)
    return m.group() if m and m.end() < len(span) else ""


def _verb_before_particle(span: str) -> str:
    """The word and space a span starts with when it is a word of the language before a particle-led
    surname (`Email van der Garcia`): no part of the name."""
    m = _FIRST_WORD.match(span)
    return m.group() if m and verb_before_particle(m.group(1), span[m.end() :]) else ""


def _possessive(span: str) -> str:
    """The `'s` (or a lone `'`) a span ends in: no part of the name (`Maria Gonzalez's`)."""
    m = _POSSESSIVE.search(span)
    return m.group() if m else ""


_LOWER_NEXT = regex.compile(r"[ \u00a0]+\p{Ll}")
_OPENERS = " \t-*•>\"'`([#|"
_CLAUSE_ENDS = ".!?:;\n"


def extend_name_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a name span over the name words around it: following particles and surnames (any capitalised
    word that is not a plain dictionary word), preceding such words (`Davi` of `Davi Miguel Fernandes`),
    and the other half of the comma order (`Figueroa, Carlito`; `Thomas, Annette`)."""
    for _ in range(4):
        m = _NEXT.match(text, end)
        if m is None or not is_name_word(m.group().split()[-1]):
            break
        end = m.end()
    for _ in range(3):
        m = _PREVIOUS.search(text, max(0, start - 40), start)
        if m is None or not (is_first_name(m.group().strip()) or is_name_word(m.group().strip())):
            break
        if verb_before_particle(m.group().strip(), text[start:end]):
            break  # `Email van der Garcia`: the particle starts the name
        start = m.start()
    m = _COMMA_AFTER.match(text, end)
    if m is not None and is_first_name(m.group("given")):
        end = m.end()
    else:
        m = _COMMA_BEFORE.search(text, max(0, start - 40), start)
        if m is not None and is_name_word(m.group("surname")) and is_first_name(text[start:end].split()[0]):
            start = m.start()
    return start, end
