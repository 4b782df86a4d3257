"""Names by class of form, through the real detector (default policy, NER on):

* a title of address before a name (`Dr. Huong Ngo`, `Mr Tanaka`, `Frau Schmidt`, `Sra. López`): honorific ×
  given name known or not × casing × placement; the words after a title that are no name (`Miss Universe`)
  stay readable;
* a full name glued in CamelCase (`OliviaThornbury`) against generated CamelCase identifiers, brands and
  campaign words (`PerformanceMax`, `MaxBid`, `GoogleAds`), which stay readable;
* a name inside an encoded layer (tests/classes/transforms.py encoders) is found wherever the same text
  in plain is found;
* a given name that is also a word or a place, followed by words of the language (`Victoria Secret sale`,
  `Paris Saint-Germain vs Marseille`) is no person; a word before a particle-led surname (`Ask van der
  Berg`) is no part of the name.

Names come from Faker's lists (tests/classes/name_lists.py), never the detector's own lexicon.
"""

from __future__ import annotations

import random

import pytest

from proxy.detect.detector import Detector
from tests.classes.judge import views
from tests.classes.name_lists import FIRST, LAST, ascii_only
from tests.classes.transforms import ENCODINGS

# Written out here, not imported: the test's list of titles is independent of the detector's.
TITLES = [
    "Dr.", "Dr", "Prof.", "Mr", "Mr.", "Mrs.", "Mrs", "Ms", "Ms.", "Herr", "Frau", "M.", "Mme", "Mlle",
    "Sr.", "Sra.", "Srta.", "Sir", "Dame", "Rev.", "Capt.", "Sig.", "Dott.",
]  # fmt: skip
PLACEMENTS = [
    "{n}", "- {n}", "Please ask {n} about the renewal.", "{n} approved the budget", "cc: {n}",
    "Notes from the call with {n}, pending sign-off", "Spoke to {n}; she will call back",
]  # fmt: skip


def _people(seed: int, n: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if " " not in first and "-" not in last:
            out.append((first, last))
    return out


def _persons(detector: Detector, text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in detector.detect([text]).get(text, []) if s.entity == "PERSON"]


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(any(a <= i < b for a, b in spans) for i in range(start, end))


def test_a_name_after_a_title_is_a_person_wherever_it_stands_and_whatever_its_case(detector):
    rng = random.Random("titles")
    missed, titled = [], []
    cases = 0
    for first, last in _people(31, 240):
        title = rng.choice(TITLES)
        name = rng.choice([last, f"{first} {last}"])  # the surname alone: the title is the only evidence
        upper = rng.random() < 0.25
        written = f"{title} {name}"
        written = written.upper() if upper else written
        text = rng.choice(PLACEMENTS).format(n=written)
        at = text.index(written) + len(written) - len(name)
        cases += 1
        spans = _persons(detector, text)
        if not _covered(spans, at, at + len(name)):
            missed.append(text)
        t_at = text.index(written)
        if any(a <= t_at < b for a, b in spans):
            titled.append(text)
    assert len(missed) / cases <= 0.03, missed[:12]
    # The title stays readable (the name's token is the same with or without it).
    assert len(titled) / cases <= 0.03, titled[:12]


@pytest.mark.parametrize(
    "text",
    ["Miss Universe pageant", "Dr. Software update notes", "Dr. The results are in", "the Sr. Manager role",
     "Mr. Clean Magic Eraser", "Dr. Martens 1460 Boots"],
)  # fmt: skip
def test_words_of_the_language_after_a_title_stay_readable(detector, text):
    assert _persons(detector, text) == []


# ------------------------------------------------------------------------------ glued CamelCase names
_WORDS = """performance max google ads search display video shopping campaign brand budget target bid
smart auto conversion click lead gen remarketing audience keyword asset group feed merchant center data
cloud studio analytics report manager account tag pixel tracker event page view session user profile
config service client server request response handler factory builder parser token cache queue worker
pool stream buffer writer reader logger router model schema field value index table store shop cart
order invoice payment price sale deal offer coupon gift card summer winter spring black friday cyber
monday holiday promo launch test draft live paused enabled status type kind mode level""".split()  # noqa: SIM905
# Given names that are also product or code words in CamelCase identifiers (`MaxBid`, `RubyGems`).
_WORDY_GIVEN = ["Max", "Ruby", "Grace", "Will", "Mark", "Bill", "Rose", "June", "Victoria", "Ray", "Jack"]


def _identifiers(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    out = set()
    while len(out) < n:
        kind = rng.random()
        humps = rng.sample(_WORDS, rng.choice([2, 2, 3]))
        if kind < 0.3:
            humps[0] = rng.choice(_WORDY_GIVEN).lower()  # a given name glued to words: `MaxBid`
        out.add("".join(h.capitalize() for h in humps))
    return sorted(out)


_BRANDS = """PerformanceMax GoogleAds MaxBid MaxConversions RubyGems JavaScript PayPal YouTube LinkedIn
OpenAI SalesForce HubSpot WordPress TikTok DoorDash CloudFlare DataDog RayBan RoseGold VictoriaSecret
AdaBoost RubyMine MarcoPolo RyanAir BillPay MarkDown ConnectionPool MaxRetries RayTracer JaneStreet
JuneSale AprilFools TypeScript DevOps NetSuite MailChimp DocuSign SoundCloud DropBox PlayStation
BlackBerry AirTable GitLab EasyJet JetBlue CarMax SeaWorld DreamWorks LeadGen SmartBidding""".split()  # noqa: SIM905


def test_camelcase_identifiers_brands_and_campaign_words_are_no_glued_name(detector):
    texts = _identifiers(41, 300) + _BRANDS
    texts += [f"Enable {t} for the campaign" for t in texts[:60]]
    found = detector.detect(texts)
    flagged = [t for t, spans in found.items() if any(s.entity == "PERSON" for s in spans)]
    assert flagged == [], flagged[:15]


def test_a_full_name_glued_in_camelcase_is_a_person(detector):
    rng = random.Random("glued")
    planted = []
    for first, last in _people(43, 200):
        first, last = ascii_only(first), ascii_only(last)
        if not (first.isalpha() and last.isalpha()):
            continue
        glued = first.capitalize() + last.capitalize()
        text = rng.choice(["{n}", "cc {n} on this", "owner {n}", "files shared by {n}"]).format(n=glued)
        planted.append((text, text.index(glued), glued))
    missed = [t for t, at, g in planted if not _covered(_persons(detector, t), at, at + len(g))]
    # A given name glued to a surname that is also an English word (`JohnSmith`) is left out by design.
    assert 1 - len(missed) / len(planted) >= 0.7, missed[:15]


# ------------------------------------------------------------------------------ names in encoded layers
FRAMES = ["{n} called", "{n}", "Please call {n} tomorrow", "owner: {n}"]


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_a_name_inside_an_encoded_layer_is_found_as_in_plain_text(detector, encoding):
    rng = random.Random(f"layer:{encoding}")
    plain_found = leaked = 0
    examples = []
    for first, last in _people(47, 60):
        if encoding == "quoted-printable":
            # The generator writes a UTF-8 byte that is a Latin-1 letter raw (`Ã=A9`), which no decoder reads
            # back as `é`: mojibake, not a layer; ASCII names keep the class to what quoted-printable is.
            first, last = ascii_only(first), ascii_only(last)
        text = rng.choice(FRAMES).format(n=f"{first} {last}")
        if not _covered(_persons(detector, text), text.index(last), text.index(last) + len(last)):
            continue  # a miss in plain text is another class's
        plain_found += 1
        encoded, _label = ENCODINGS[encoding](rng, text)
        out = encoded
        for a, b in sorted(_persons(detector, encoded), reverse=True):
            out = out[:a] + "[[PERSON]]" + out[b:]
        if any(last.casefold() in v.casefold() for v in views(out)):
            leaked += 1
            examples.append(encoded[:90])
    assert plain_found >= 30
    assert leaked == 0, examples[:5]


# ------------------------------------------------------------------------------ phrases, not persons
_PLACE_GIVEN = ["Paris", "Victoria", "Florence", "Austin", "Bill", "Grace", "Rose", "Will", "Hope", "Jean"]
# Words of the language that no name list knows (a surname that is also a word, `Park`, `Street`, is out of
# this class: `Florence Park` reads as `Mary Wood` does).
_NOUNS = ["Secret", "Sale", "Period", "Payment", "Station", "Saint-Germain", "Saint-Denis", "Sainte-Foy",
          "Square", "Festival", "Deals", "Opening", "Concert", "Weekend"]  # fmt: skip
_TAILS = ["{p} sale", "{p} vs Marseille", "{p} opening hours", "Shop the {p} collection", "{p} 2026 tickets"]


def test_a_given_name_that_is_a_word_followed_by_words_of_the_language_is_no_person(detector):
    rng = random.Random("phrases")
    texts = sorted(
        {rng.choice(_TAILS).format(p=f"{rng.choice(_PLACE_GIVEN)} {rng.choice(_NOUNS)}") for _ in range(150)}
    )
    found = detector.detect(texts)
    flagged = [t for t, spans in found.items() if any(s.entity == "PERSON" for s in spans)]
    assert len(flagged) <= len(texts) // 50, flagged[:15]


@pytest.mark.parametrize("verb", ["Ask", "Call", "Email", "Please ask", "Tell"])
def test_a_word_before_a_particle_led_surname_is_no_part_of_the_name(detector, verb):
    rng = random.Random(f"particle:{verb}")
    for particle in ["van der", "de la", "von", "van", "de"]:
        last = rng.choice(LAST)
        text = f"{verb} {particle} {last} about the invoice"
        spans = _persons(detector, text)
        name_at = text.index(f"{particle} {last}")
        assert _covered(spans, name_at + len(particle) + 1, name_at + len(particle) + 1 + len(last)), text
        assert not any(a < name_at - 1 for a, _ in spans), (text, spans)


# ------------------------------------------------------------------------------ @mentions, double-barrelled
def test_a_mention_of_a_given_name_and_a_double_barrelled_surname_is_a_person(detector):
    rng = random.Random("mentions")
    planted = []
    for first, last in _people(53, 160):
        other = rng.choice(LAST)
        surname = f"{last}-{other}" if rng.random() < 0.6 else last
        handle = f"{first}{rng.choice('._')}{surname}".lower().replace(" ", "")
        if not all(c.isalpha() or c in "._-" for c in handle):
            continue
        text = f"cc @{handle} on the renewal thread"
        planted.append((text, text.index(handle), handle))
    missed = [t for t, at, h in planted if not _covered(_persons(detector, t), at, at + len(h))]
    assert 1 - len(missed) / len(planted) >= 0.9, missed[:15]


def test_a_mention_of_words_of_the_language_is_no_person(detector):
    rng = random.Random("handles")
    handles = {f"{rng.choice(_WORDS)}{rng.choice('._-')}{rng.choice(_WORDS)}" for _ in range(300)}
    handles |= {f"{g.lower()}.{rng.choice(_WORDS)}" for g in _WORDY_GIVEN for _ in range(3)}
    texts = [f"cc @{h} on the thread" for h in sorted(handles)]
    found = detector.detect(texts)
    flagged = [t for t, spans in found.items() if any(s.entity == "PERSON" for s in spans)]
    # Left: a clear given name and a census surname that is also a word (`@grace.click`, `@max.friday`) read
    # as `@mark.smith` does (12 of 328 here; 13 before the halves rule, which added recall, not these).
    assert len(flagged) <= len(texts) * 0.04, flagged[:15]
