"""Leak probes: in prose (NER runs), a person whose surname is also a word of the language (`Miller`,
`Hunter`, `White`: the commonest US surnames) followed by a title-case word (a job title, a document
kind, `Tomorrow`). name_phrases' phrase rule (`Georgia Peach` + `Tea`) reads the person as the modifier
of a phrase and drops the NER span, so the name reaches the client.

    cd /tmp/wt-rt8 && /work/main/.venv/bin/python tests/redteam/rt8/probe_phrases.py
"""

from driver import judge, report, run_cases

GIVEN = [
    "Sarah",
    "Emily",
    "Rachel",
    "Megan",
    "Laura",
    "Hannah",
    "Olivia",
    "Chloe",
    "Natalie",
    "Vanessa",
    "Melissa",
    "Caroline",
    "Brian",
    "Kevin",
    "Jason",
    "Justin",
    "Ryan",
    "Eric",
    "Steven",
    "Gregory",
]
SURNAMES = [
    "Miller",
    "Baker",
    "Walker",
    "Hunter",
    "Fisher",
    "Carter",
    "Turner",
    "Parker",
    "Cooper",
    "Young",
    "King",
    "Brown",
    "White",
    "Green",
    "Stone",
    "Bell",
    "Ward",
    "Porter",
    "Mason",
    "Butler",
]
TEMPLATES = [
    "The {G} {S} Performance Review was moved to Friday.",
    "I filed the {G} {S} Contract Renewal yesterday.",
    "Meeting notes: {G} {S} Laptop Request is approved.",
    "{G} {S} Account Manager called about the invoice.",
    "Ask {G} {S} Tomorrow about the refund.",
    "{G} {S} Regional Manager approved the budget.",
    "Our new hire {G} {S} Junior Developer starts on the 4th.",
    "Signed by {G} {S} Chief Financial Officer",
    "Please send the {G} {S} Termination Letter to legal.",
    "We reviewed the {G} {S} Medical Records this morning.",
    "Contact {G} {S} Customer Success for the renewal.",
    "The {G} {S} Divorce Filing is due next week.",
    "Forwarded the {G} {S} Background Check to the hiring team.",
    "{G} {S} Senior Accountant left the company.",
    "Approved by {G} {S} Finance Director on the 3rd.",
    "The {G} {S} Insurance Claim was denied.",
    "Route it to {G} {S} Support Lead please.",
    "I spoke with {G} {S} Yesterday about it.",
    "Reminder: the {G} {S} Exit Interview starts at 3pm.",
    "{G} {S} Office Manager will sign for it.",
]


def main() -> None:
    cases = [
        {
            "cls": "word surname before a title-case word, in prose",
            "text": t.format(G=g, S=s),
            "plant": [f"{g} {s}"],
        }
        for t, g, s in zip(TEMPLATES, GIVEN, SURNAMES, strict=False)
    ]
    report(judge(cases, run_cases(cases)))


if __name__ == "__main__":
    main()
