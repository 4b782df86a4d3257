"""Names that markup splits onto two lines (red team round 10, class 10): a mail signature's
`Douglas<br>Nakashima`, `<div>Danielle</div><div>Iannucci</div>`, a table of one cell per line; and,
beside them, ordinary HTML with a line break or a block tag between two words.

- `split_markup_names`: a given name and a surname on two lines of an HTML signature (`<br>`, `<br/>`,
  `<div>`, `<p>`, table rows, an inline tag around a part, a newline between the tags), a role after it.
  Planted by surname.
- `split_markup_lookalikes`: colours, products, departments, a city over its region, steps of a list,
  one per line: must stay. (`Jordan<br>Retro 4` is left out: the same words written with a blank are
  taken too, `name_phrases`' class, not this one.)
"""

from __future__ import annotations

from random import Random

from tests.classes.case import Case, Survivor, call, tool_result
from tests.classes.planting import person

SPLITS = (
    "<p>{f}<br>{s}<br>{role}</p>",
    "<p>Best,<br>{f}<br/>{s}<br />{role}</p>",
    "<div>{f}</div><div>{s}</div><div>{role}</div>",
    "<div>{f}</div>\n<div>{s}</div>",
    "<table><tr><td>{f}</td></tr><tr><td>{s}</td></tr><tr><td>{role}</td></tr></table>",
    "<div><b>{f}</b></div><div>{s}</div>",
    "<p>{f}</p><p>{s}</p><p>{role}</p>",
    "Kind regards<br><br>{f}<br>{s}<br>{role} | Initech",
)
ROLES = ("Account Manager", "Director of Finance", "Controller", "Head of Sales", "Support Lead")


def split_markup_names(rng: Random) -> Case:
    return split_markup_pair(rng)[0]


def split_markup_pair(rng: Random) -> tuple[Case, Case]:
    """The split name, and its twin: the same HTML with the name on one line (`<p>Douglas Nakashima<br>…`).
    A reader that drops the boundary finds the split name wherever it finds the twin."""
    planted, first, last = person(rng)
    frame = rng.choice(SPLITS)
    role = rng.choice(ROLES)
    text = frame.format(f=first, s=last, role=role)
    at = frame.index("{f}") + 3
    twin_frame = frame[:at] + " {s}" + frame[frame.index("{s}") + 3 :]
    twin = twin_frame.format(f=first, s=last, role=role)
    structured = rng.random() < 0.4

    def case(t: str, cls: str) -> Case:
        payload = tool_result(structured={"body": {"html": t}}) if structured else tool_result(t)
        return Case(cls, [call(payload)], planted=[planted], label=frame.split(">")[0] + ">")

    return case(text, "split-markup-names"), case(twin, "one-line-twin")


PAIRS = (
    ("Red", "Blue"),
    ("Widget", "Gadget"),
    ("Sales", "Marketing"),
    ("Austin", "Texas"),
    ("Portland", "Oregon"),
    ("Step One", "Step Two"),
    ("Monday", "Tuesday"),
    ("Mobile", "Desktop"),
    ("Brand", "Generic"),
    ("Search", "Display"),
    ("Hello", "World"),
    ("Shipping", "Returns"),
    ("Charlotte", "Airport Shuttle"),
    ("Lincoln", "Center"),
    ("Victoria", "Station"),
)
FRAMES = (
    "<p>{a}<br>{b}</p>",
    "<div>{a}</div><div>{b}</div>",
    "<ul><li>{a}</li><li>{b}</li></ul>",
    "<tr><td>{a}</td></tr><tr><td>{b}</td></tr>",
)


def split_markup_lookalikes(rng: Random) -> Case:
    a, b = rng.choice(PAIRS)
    text = rng.choice(FRAMES).format(a=a, b=b)
    return Case(
        "split-markup-lookalikes",
        [call(tool_result(text))],
        survivors=[Survivor(a, label="first-line"), Survivor(b, label="second-line")],
        label=f"{a}|{b}",
    )
