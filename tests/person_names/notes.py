"""Seeded free-text notes with person names planted at known offsets: CRM notes, emails, meeting minutes,
tickets, labelled lines, greetings and sign-offs. Names are Faker's (many locales) in the written forms of
`generators.name_variant`; the sentence frames are ours. Each note records where its names are."""

from __future__ import annotations

import random
from dataclasses import dataclass

from faker import Faker

from tests.person_names.generators import LOCALES, name_variant, person_parts

# `{n}` is a person's name; the rest is the kind of prose backends return.
SENTENCES = [
    "Spoke to {n} about the renewal on Tuesday.",
    "{n} asked us to pause the Performance Max campaign until March.",
    "Meeting notes: {n} wants a lower CPC cap on brand terms.",
    "Please loop in {n} before we change the budget.",
    "Call back {n} regarding the invoice, she prefers mornings.",
    "{n} confirmed the new landing page is live.",
    "Left a voicemail for {n}; no answer yet.",
    "Escalated to {n} after the billing dispute.",
    "The client contact is {n} from the finance team.",
    "Per {n}, the holiday promotion starts next week.",
    "We met {n} at the trade show in Berlin.",
    "Handover from {n} to the new account lead is scheduled.",
    "Invoice approved by {n} yesterday afternoon.",
    "Got a complaint from {n} about the search terms report.",
    "Reminder: send the monthly report to {n} by Friday.",
    "{n} will review the keyword list and get back to us.",
    "Quarterly review with {n} went well, budget increase likely.",
    "According to {n} the tracking pixel fires twice.",
    "Ticket reopened because {n} still sees the old prices.",
    "Drafted the proposal; {n} needs to sign it off.",
    "Onboarding call with {n} and the marketing team.",
    "Lunch with {n} moved to Thursday.",
    "Our main point of contact, {n}, is on leave until the 15th.",
    "Forwarded the audit to {n} and asked for comments.",
    "{n} mentioned a competitor is bidding on their brand name.",
]
LABELS = ["Owner", "Account manager", "Contact", "Assignee", "Sales rep", "Prepared by", "Reviewer", "Author"]
LABEL_SEPARATORS = [": ", " - ", " – ", ":\t"]
GREETINGS = ["Hi {n},", "Hello {n},", "Dear {n},", "Hey {n}!"]
SIGN_OFFS = ["Best regards,\n{n}", "Thanks,\n{n}", "Kind regards,\n{n}", "Cheers,\n{n}"]
FILLER = [
    "The CTR dropped after the last change.",
    "Budget pacing is on track for the month.",
    "Search Console shows more impressions for emergency plumber near me.",
    "We should test a new headline on the Summer Sale ad group.",
    "Conversion tracking was verified in Google Tag Manager.",
    "The Performance Max asset group needs new images.",
]


@dataclass
class Note:
    text: str
    names: list[tuple[int, int]]  # offsets of each planted name


def _add(parts: list[str], names: list[tuple[int, int]], frame: str, name: str) -> None:
    before, _, after = frame.partition("{n}")
    offset = sum(len(p) for p in parts) + len(before)
    names.append((offset, offset + len(name)))
    parts.append(before + name + after)


def notes(n: int, seed: int = 0) -> list[Note]:
    rng = random.Random(seed)
    fake = Faker(LOCALES)
    fake.seed_instance(seed)
    out = []
    for _ in range(n):
        parts: list[str] = []
        names: list[tuple[int, int]] = []
        kind = rng.randrange(4)
        if kind == 0:  # an email: greeting, sentences, sign-off
            _add(parts, names, rng.choice(GREETINGS) + "\n", person_parts(rng, fake)[0])
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.3:
                parts.append(rng.choice(FILLER) + " ")
            if kind == 1 and rng.random() < 0.5:  # a labelled line
                frame = rng.choice(LABELS) + rng.choice(LABEL_SEPARATORS) + "{n}\n"
            else:
                frame = rng.choice(SENTENCES) + " "
            _add(parts, names, frame, name_variant(rng, *person_parts(rng, fake)))
        if kind == 0:
            _add(parts, names, "\n" + rng.choice(SIGN_OFFS), name_variant(rng, *person_parts(rng, fake)))
        out.append(Note("".join(parts).strip(), names))
    return out
