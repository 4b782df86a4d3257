"""Over-redaction probes: identifiers and phrases that name no person, changed by the newest name
detection (name_identifiers' person places, name_phrases). Each class runs in its own session and no word
repeats across its cases, so one tokenized case cannot change another through known values.

    cd /tmp/wt-rt8 && /work/main/.venv/bin/python tests/redteam/rt8/probe_overredaction.py
"""

from driver import judge, report, run_cases

CLASSES = {
    "branch topic after feature/ or fix/ (given-name word + surname word)": [
        ("git checkout feature/rose-gold-theme", "rose-gold-theme"),
        ("merged feature/summer-sale-banner", "summer-sale-banner"),
        ("opened fix/amber-alert", "amber-alert"),
        ("pushed feature/will-power", "will-power"),
        ("rebased feature/cassandra-driver", "cassandra-driver"),
        ("CI failed on feature/alexa-skill", "alexa-skill"),
        ("deleted feature/hugo-shortcodes", "hugo-shortcodes"),
        ("reviewing feature/stanley-cup-promo", "stanley-cup-promo"),
        ("tagged feature/elastic-beats", "elastic-beats"),
    ],
    "shared device named after a city or room (given-name word)": [
        ("Sydney-Boardroom-iPad is offline", "Sydney-Boardroom-iPad"),
        ("Paris-Kiosk-iPad battery 12%", "Paris-Kiosk-iPad"),
        ("Lincoln-Room-iPad needs an update", "Lincoln-Room-iPad"),
        ("Madison-Conference-Room.local responded", "Madison-Conference-Room.local"),
        ("Dallas-Lobby-iPad enrolled", "Dallas-Lobby-iPad"),
        ("Victoria-Station-Kiosk.local rebooted", "Victoria-Station-Kiosk.local"),
        ("Chester-Warehouse-PC last check-in 09:12", "Chester-Warehouse-PC"),
        ("Jackson-Lab-iMac.local is up", "Jackson-Lab-iMac.local"),
    ],
    "place or company in a personal-document file name": [
        ("Attached Victoria_Falls_Visa_Guide.pdf", "Victoria_Falls_Visa_Guide.pdf"),
        ("Signed Georgia_Pacific_Contract.pdf", "Georgia_Pacific_Contract.pdf"),
    ],
    "city or venue slug": [
        ("https://www.example.com/locations/winston-salem", "winston-salem"),
        ("https://example.com/airports/orlando-sanford", "orlando-sanford"),
        ("https://nba.example/team/sacramento-kings", "sacramento-kings"),
        ("The Winston Salem office reopened.", "Winston Salem"),
    ],
    "place query: a given-name city before a state or region that is a census surname": [
        ({"rows": [{"keys": ["savannah georgia tours"]}]}, "savannah georgia"),
        ({"rows": [{"keys": ["charlotte carolina events"]}]}, "charlotte carolina"),
        ({"rows": [{"keys": ["helena montana hotels"]}]}, "helena montana"),
        ({"rows": [{"keys": ["jasper alberta hotels"]}]}, "jasper alberta"),
        ({"rows": [{"keys": ["glen allen homes"]}]}, "glen allen"),
        ({"rows": [{"keys": ["winston salem weather"]}]}, "winston salem"),
        ({"rows": [{"keys": ["orlando sanford airport parking"]}]}, "orlando sanford"),
    ],
    "team or institution led by a given-name city (prose)": [
        ("Tickets for the Orlando Magic game are sold out.", "Orlando Magic"),
        ("She cheered for the Charlotte Hornets all season.", "Charlotte Hornets"),
        ("He got into Georgia Tech this fall.", "Georgia Tech"),
        ("We watched the Houston Dynamo play.", "Houston Dynamo"),
        ("The Madison Mallards play tonight.", "Madison Mallards"),
        ("She studied at Virginia Tech before joining us.", "Virginia Tech"),
        ("The sunset at Victoria Falls was stunning.", "Victoria Falls"),
    ],
    "work words no dictionary knows swallowed into the person token": [
        ("Please review the Priya Raman Onboarding Checklist today.", "Onboarding Checklist"),
        ("Sofia Hernandez Webinar Recording", "Webinar Recording"),
        ("Saved the Dmitri Petrov Timesheet for May.", "Timesheet"),
        ("Lucia Cordova Offboarding", "Offboarding"),
        ("Forward the Fatima Quintero Walkthrough link.", "Walkthrough"),
        ("The Nadia Kowalczyk Workflow Rollout is next.", "Workflow Rollout"),
    ],
}


def main() -> None:
    for cls, items in CLASSES.items():
        cases = [
            {"cls": cls, "text" if isinstance(src, str) else "structured": src, "keep": [keep]}
            for src, keep in items
        ]
        report(judge(cases, run_cases(cases)))


if __name__ == "__main__":
    main()
