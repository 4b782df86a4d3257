"""A person whose surname is a kind of place (`Sofia Plaza`, `Lucia Arena`, `Katherine Tower`, `Laura
Springs`), where the words around say "a person".

`names.person_name_likelihood` reads any run with a place head after its first word as a place
(`Charlotte Airport`, `name_phrases.PLACE_HEADS`), whatever the context: right for `Airport`, which names
nobody, wrong for the heads the census lists as surnames (`Plaza` and `Arena` are ordinary Spanish and
Italian surnames). For those, a clear given name before the head and a context that only a person takes
lift the pair: something said to, by or of a person (`Please call …`, `written by …`, `Her manager, …,`,
`… approved`). The general context words (`with`, `for`, `to`, `from`) are not enough: `flights to
Charlotte Airport`, `from Union Station`. A frequent surname that is a kind of place alone (`Grant
Park`) stays the documented ambiguous case; its heads are not place heads.
"""

from __future__ import annotations

from proxy.detect.name_lexicon import census_surnames, lexicon_form
from proxy.detect.name_phrases import place_head
from proxy.detect.name_words import STRONG, given_evidence, words_of
from proxy.detect.text_windows import after, before

# Said to, by or of a person, right before the name (a window of `_WINDOW` characters).
PERSON_BEFORE = (
    "call ", "called ", "calling ", "phone ", "spoke to ", "spoke with ", "speak to ", "speak with ",
    "talk to ", "talked to ", "talk with ", "ask ", "asked ", "tell ", "told ", "remind ", "written by ",
    "signed by ", "approved by ", "sent by ", "reviewed by ", "prepared by ", "authored by ", "email from ",
    "emails from ", "message from ", "note from ", "letter from ", "reply from ", "contact ", "email ",
    "meeting with ", "meet with ", "met with ", "meet ", "met ", "interview ", "interviewed ", "hire ",
    "hired ", "dear ", "hi ", "hello ", "hey ", "thanks ", "thank you ", "cc ", "cc: ", "manager, ",
    "manager ", "boss, ", "colleague, ", "colleague ", "assistant, ", "assigned to ", "loop in ", "ping ",
    "introduce ", "mr ", "mrs ", "ms ",
    "dr ", "miss ", "from: ", "to: ", "attn: ", "attn ",
)  # fmt: skip
# A person's verb right after the name.
PERSON_AFTER = (
    *(
        " " + w
        for w in words_of("""said asked wrote replied approved called emailed confirmed signed agreed
        declined requested mentioned wants needs prefers thinks says asks writes""")
    ),
    ", approved",
    ", who",
    "'s manager",
    "’s manager",
)
_WINDOW = 24


def place_surname_pair(given: str, head: str) -> bool:
    """A clear given name before a place head that the census lists as a surname."""
    return place_head(head) and lexicon_form(head) in census_surnames() and given_evidence(given) == STRONG


def person_context(text: str, start: int, end: int) -> bool:
    """Words only a person takes, right before `text[start:end]` or right after it."""
    said_before, said_after = before(text, start, _WINDOW).casefold(), after(text, end, _WINDOW).casefold()
    return any(said_before.endswith(w) for w in PERSON_BEFORE) or any(
        said_after.startswith(w) for w in PERSON_AFTER
    )


def place_surname_span(text: str, start: int, run: str) -> tuple[int, int] | None:
    """The `Given Head` pair of the capitalised run `run` (at `start` in `text`) that names a person by
    the rule of the module docstring, as offsets into `text`."""
    words = run.split()
    pos = 0
    spans = []
    for w in words:
        at = run.index(w, pos)
        spans.append((at, at + len(w)))
        pos = at + len(w)
    for i in range(len(words) - 1):
        if place_surname_pair(words[i], words[i + 1].rstrip(",.;:")):
            s, e = start + spans[i][0], start + spans[i + 1][1]
            if i + 2 == len(words) and person_context(text, s, e):  # the pair ends the run
                return s, e
    return None
