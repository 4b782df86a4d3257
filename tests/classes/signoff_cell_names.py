"""A person named by a sign-off or a header-less Markdown row (red team round 10, classes 11 and 13), and a
surname alone after the full name earlier in the session.

- `signoff_and_cell_names`: `— G. Tolliver` closing a note (an initial or two, or the full name, after an
  em dash, an en dash, `--`, `~`), a row `| Gallagher, Danielle | Controller | Finance |` of a table with
  no header, and a surname alone in prose (`Mastroianni said the export is still failing.`) after a
  message that named the person in full. Planted by surname.
- `signoff_and_cell_lookalikes`: an outline's `— A. Introduction`, `~ The Team`, rows of places, products
  and campaigns (`| Austin, Texas | 12 |`, `| Charlotte Airport | open |`): must stay.
"""

from __future__ import annotations

from random import Random

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.planting import person

ROLES = ("Account Manager", "Controller", "Head of Sales", "Support Lead", "Finance")
BODIES = ("The export is fixed now.", "Invoice attached.", "Let me know if the numbers look off.")


def signoff_and_cell_names(rng: Random) -> Case:
    planted, first, last = person(rng)
    shape = rng.choice(["signoff-initial", "signoff-full", "markdown-row", "session-surname"])
    role = rng.choice(ROLES)
    if shape == "signoff-initial":
        dash = rng.choice(["—", "–", "--", "~", "- "])
        initials = first[0] + "." + (f" {rng.choice('ABCDEFGHJKLMNPRST')}." if rng.random() < 0.3 else "")
        sep = "" if dash == "- " else " "
        text = f"{rng.choice(BODIES)}\n\nThanks,\n{dash}{sep}{initials} {last}\n{role}"
        return Case("signoff-names", [call(tool_result(text))], planted=[planted], label=shape)
    if shape == "signoff-full":
        dash = rng.choice(["—", "–", "--", "~"])
        text = f"{rng.choice(BODIES)}\n{dash} {first} {last}"
        return Case("signoff-names", [call(tool_result(text))], planted=[planted], label=shape)
    if shape == "markdown-row":
        rows = [f"| {last}, {first} | {role} | {rng.choice(['Finance', 'Sales', 'Ops'])} |"]
        rows += [f"| Total | {rng.randrange(2, 40)} | - |"] if rng.random() < 0.5 else []
        return Case("cell-names", [call(tool_result("\n".join(rows)))], planted=[planted], label=shape)
    first_msg = call(tool_result(f"Ticket 4471 opened by {first} {last} ({role})."))
    later = call(tool_result(f"{last} said the export is still failing."))
    return Case("session-surnames", [first_msg, later], planted=[planted], label=shape)


LOOKALIKES = (
    "— A. Introduction",
    "- B. Methods",
    "~ The Team",
    "-- Support",
    "— Q. Results",
    "| Austin, Texas | 12 | 3 |",
    "| Charlotte Airport | open | 24h |",
    "| Rose Garden | open | daily |",
    "| Brand, Exact | 42 | 1.2% |",
    "| Search Campaign | Brand | 42 |",
    "| Shoes, Running | 18 | in stock |",
    "| Victoria Station | 3 | closed |",
    "| Lincoln Center | 7 | open |",
    "| Performance Max | 12 | 0.8% |",
)


def signoff_and_cell_lookalikes(rng: Random) -> Case:
    picks = rng.sample(LOOKALIKES, 2)
    return Case(
        "signoff-cell-lookalikes",
        [call(tool_result("\n".join(picks)))],
        survivors=[Survivor(p.strip("|-—~ ").split(" | ")[0], label="lookalike") for p in picks],
        label="|".join(picks),
    )
