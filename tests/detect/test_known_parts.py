"""Distinctive parts of a known value are known too, and only distinctive ones (`known_parts`)."""

from __future__ import annotations

from proxy.detect.known import KnownValues


def _entities(known: KnownValues, text: str) -> list[str]:
    return sorted({text[s.start : s.end] for s in known.find(text)})


def test_a_distinctive_surname_of_a_known_person_is_known_alone() -> None:
    known = KnownValues()
    known.add("Osvaldo Thistlewood", "PERSON")
    assert _entities(known, "Thistlewood approved the budget.") == ["Thistlewood"]


def test_a_surname_that_is_an_english_word_is_not_known_alone() -> None:
    known = KnownValues()
    known.add("Anna Baker", "PERSON")
    known.add("Mark Hunter", "PERSON")
    assert _entities(known, "The baker and the hunter met in the park.") == []


def test_an_email_local_part_is_known_only_when_long_with_a_dot_or_digit() -> None:
    known = KnownValues()
    known.add("ofelia.quattlebaum@harborline.com", "EMAIL_ADDRESS")
    known.add("info@harborline.com", "EMAIL_ADDRESS")
    known.add("sales@harborline.com", "EMAIL_ADDRESS")
    assert _entities(known, "user ofelia.quattlebaum logged in") == ["ofelia.quattlebaum"]
    assert _entities(known, "send info to sales today") == []


def test_a_known_phones_last_seven_digits_are_known_as_a_grouped_number_only() -> None:
    known = KnownValues()
    known.add("+1 312 784 3395", "PHONE_NUMBER")
    assert _entities(known, "reach them on 784-3395 ext 12") == ["784-3395"]
    assert _entities(known, "total 17843395.50 and 2784339512") == []


def test_a_known_value_backwards_or_doubled_is_found() -> None:
    known = KnownValues()
    known.add("Osvaldo Thistlewood", "PERSON")
    known.add("ofelia.brandt4@harborline.com", "EMAIL_ADDRESS")
    assert _entities(known, "rev: dooweltsihT odlavsO") == ["dooweltsihT odlavsO"]
    doubled = "ooffeelliiaa..bbrraannddtt44@@hhaarrbboorrlliinnee..ccoomm"
    assert doubled in _entities(known, doubled)
