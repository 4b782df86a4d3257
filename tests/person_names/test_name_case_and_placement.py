"""Person names by class of casing and placement, through the real detector (default policy, NER on).

Casing: the same notes written in title case, ALL CAPS and lower case (the case view re-cases a text
written in one case). Placement: a name standing alone (a whole text, a list item, a quoted line), in a CSV
or TSV column under a person header, with a possessive, as an @mention. Names are Faker's (many locales),
never the detector's own lexicon.
"""

from __future__ import annotations

import random

import pytest
from faker import Faker

from proxy.detect.detector import Detector
from tests.person_names.generators import LOCALES, person_parts
from tests.person_names.notes import SENTENCES

N = 160


def _people(seed: int, n: int = N) -> list[tuple[str, str]]:
    rng, fake = random.Random(seed), Faker(LOCALES)
    fake.seed_instance(seed)
    out = []
    while len(out) < n:
        first, last = person_parts(rng, fake)
        if " " not in first and " " not in last:
            out.append((first, last))
    return out


def _covered(text: str, start: int, end: int, spans) -> bool:
    return all(
        any(s.start <= i < s.end and s.entity == "PERSON" for s in spans)
        for i in range(start, end)
        if text[i].isalpha()
    )


def _recall(detector: Detector, planted: list[tuple[str, int, int]]) -> tuple[float, list[str]]:
    found = detector.detect([t for t, _, _ in planted])
    missed = [t[s:e] for t, s, e in planted if not _covered(t, s, e, found.get(t, []))]
    return 1 - len(missed) / len(planted), missed


def _in_frame(frame: str, name: str) -> tuple[str, int, int]:
    before, _, after = frame.partition("{n}")
    return before + name + after, len(before), len(before) + len(name)


CASINGS = {"title": str, "upper": str.upper, "lower": str.lower}
# Lower case carries the least evidence: only runs led by a clear given name are re-cased.
CASE_BARS = {"title": 0.9, "upper": 0.9, "lower": 0.5}


@pytest.mark.parametrize("casing", sorted(CASINGS))
def test_names_in_notes_are_found_whatever_case_the_note_is_written_in(detector, casing):
    rng = random.Random(f"case:{casing}")
    planted = []
    for first, last in _people(21):
        text, s, e = _in_frame(rng.choice(SENTENCES), f"{first} {last}")
        recased = CASINGS[casing](text)
        assert len(recased) == len(text)
        planted.append((recased, s, e))
    recall, missed = _recall(detector, planted)
    assert recall >= CASE_BARS[casing], (recall, missed[:15])


STANDALONE = ["{n}", "- {n}", "* {n}", "1. {n}", '"{n}"', "Open items:\n- Renewal\n- {n}\n- Budget"]


# A lower-case name alone is re-cased only when every word of it is a name word of the lexicon (a query such
# as `jordan shoes` or `david garcia plumber` is not a name alone): about half are found.
ALONE_BARS = {"title": 0.85, "upper": 0.85, "lower": 0.4}


@pytest.mark.parametrize("casing", sorted(CASINGS))
def test_a_name_standing_alone_as_a_text_or_a_line_is_found(detector, casing):
    rng = random.Random(f"alone:{casing == 'upper'}")
    planted = []
    for first, last in _people(22):
        planted.append(_in_frame(rng.choice(STANDALONE), CASINGS[casing](f"{first} {last}")))
    recall, missed = _recall(detector, planted)
    assert recall >= ALONE_BARS[casing], (recall, missed[:15])


HEADERS = ["name", "contact", "Account Owner", "assignee", "salesRep", "Full Name", "created_by", "reviewer"]


@pytest.mark.parametrize("sep", [",", "\t", ";", "|"])
def test_every_cell_of_a_csv_column_under_a_person_header_is_found(detector, sep):
    rng = random.Random(f"csv:{sep!r}")
    people = _people(23, 60)
    missed: list[str] = []
    for chunk in range(0, len(people), 5):
        header = rng.choice(HEADERS)
        rows = [sep.join(["id", header, "stage"])]
        cells = []
        for i, (first, last) in enumerate(people[chunk : chunk + 5]):
            name = rng.choice([str, str.upper, str.lower])(f"{first} {last}")
            if sep == "," and rng.random() < 0.3:
                name = f'"{last}, {first}"'
            line = sep.join([str(i), name, rng.choice(["open", "won"])])
            start = sum(len(r) + 1 for r in rows) + len(str(i)) + 1
            cells.append((start + name.startswith('"'), start + len(name) - name.startswith('"')))
            rows.append(line)
        text = "\n".join(rows)
        spans = detector.detect([text]).get(text, [])
        missed += [text[s:e] for s, e in cells if not _covered(text, s, e, spans)]
    assert not missed, missed


def test_a_column_under_a_header_that_names_no_person_is_left_alone(detector):
    text = "keyword,clicks,campaign\nemergency plumber,12,Brand Search\nboiler repair near me,4,Generic"
    assert not detector.detect([text])


POSSESSIVES = [
    "{n}'s account is overdue.",
    "We forwarded {n}’s invoice to finance.",
    "Ask about {n}'s renewal.",
]


def test_a_possessive_name_is_found_and_its_s_stays_outside_the_span(detector):
    rng = random.Random("possessive")
    planted = [_in_frame(rng.choice(POSSESSIVES), f"{f} {la}") for f, la in _people(24)]
    recall, missed = _recall(detector, planted)
    assert recall >= 0.9, (recall, missed[:15])
    found = detector.detect([t for t, _, _ in planted])
    for text, _, e in planted:
        assert not any(s.entity == "PERSON" and s.start < e < s.end for s in found.get(text, [])), text


def _handle(rng: random.Random, first: str, last: str) -> str:
    form = rng.randrange(4)
    if form == 0:
        return f"{first}.{last}".lower()
    if form == 1:
        return f"{first}_{last}".lower()
    if form == 2:
        return f"{first}{last[0]}"
    return f"{first}{last}".lower()


def test_an_at_mention_made_of_a_persons_name_parts_is_found(detector):
    rng = random.Random("mention")
    planted = []
    for first, last in _people(25):
        handle = _handle(rng, first, last.replace("'", "").replace("’", ""))
        text, s, e = _in_frame("cc {n} on the renewal thread", "@" + handle)
        planted.append((text, s + 1, e))
    recall, missed = _recall(detector, planted)
    assert recall >= 0.7, (recall, missed[:15])


def test_at_mentions_of_teams_channels_and_words_are_left_alone(detector):
    texts = [f"ping {m} about the deploy" for m in ("@here", "@channel", "@dev-team", "@max.size", "@admin")]
    found = detector.detect(texts)
    assert not any(s.entity == "PERSON" for spans in found.values() for s in spans), found


NAME_LABELS = ["Owner", "owner", "Assignee", "Account Owner", "Contact", "Sales Rep", "reviewer"]


def test_a_lower_case_name_under_a_label_that_names_a_person_is_found_whatever_the_lexicon_knows(detector):
    rng = random.Random("labelled-lower")
    planted = [
        _in_frame(f"{rng.choice(NAME_LABELS)}: {{n}}", f"{f} {last}".lower()) for f, last in _people(23)
    ]
    recall, missed = _recall(detector, planted)
    assert recall >= 0.9, (recall, missed[:15])


def test_lower_case_words_under_a_label_that_names_no_person_stay_readable(detector):
    texts = [
        f"{label}: {words}"
        for label in ["Status", "Campaign", "Query", "Notes", "Category"]
        for words in [
            "budget review",
            "summer sale",
            "plumber near me",
            "call back tomorrow",
            "red running shoes",
        ]
    ]
    assert [t for t, _ in _person_texts_of(detector, texts)] == []


def _person_texts_of(detector: Detector, texts: list[str]) -> list[tuple[str, list[str]]]:
    found = detector.detect(texts)
    return [
        (t, [t[s.start : s.end] for s in spans if s.entity == "PERSON"])
        for t, spans in found.items()
        if any(s.entity == "PERSON" for s in spans)
    ]
