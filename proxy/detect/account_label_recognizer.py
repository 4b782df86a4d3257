"""`Account: Brightwater Plumbing LLC`, `Client - Northgate Dental Care`, `Advertiser name: Acme GmbH`: an
organisation's name after a label of the org class (ACCOUNT_NAME).

The label decides, by the same rule as keys (`account_keys.is_org_label`: an org-role word, a qualifier, a
name suffix); the value is the capitalised run after the separator, up to the end of the line, a sentence
end or a separator (`|`, `;`, ` - `), and it must read as an organisation's name (`is_org_name`: not
`ENABLED`, `Search`, a number or a URL). A dash-separated label counts only on a line that is no campaign
name (`Brand - Search - Exact` has several dash segments).
"""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import Pattern, RecognizerResult

from proxy.detect.account_keys import ENTITY, is_org_label, is_org_name
from proxy.detect.pattern_judging import MatchJudgingRecognizer

# A label of one to three words, then `:`, a tab or a spaced dash, then a run starting with a capital or a
# digit that stops at a line end or a hard separator (trimmed to the name by `_name_end`).
_LABEL = r"(?P<label>(?:\p{L}{1,20}[ \u00a0]){0,2}\p{L}{1,20})"
_SEPARATOR = r"[ \t]{0,3}(?P<sep>:|[ \t][-–—][ \t]|\t)[ \t]{0,3}"
_VALUE = r"(?P<value>[\p{Lu}\p{N}][^\n\r|;\t/{}<>\"]{0,160})"  # up to a line end, a separator, markup
_PATTERN = rf"(?<![\p{{L}}\p{{N}}_@.'’-]){_LABEL}{_SEPARATOR}{_VALUE}"
_SEGMENT = regex.compile(r" [-–—] ")  # a campaign name's segment separator
_LEGAL_FORMS = (
    r"(?:LLC|Ltd|Limited|GmbH|Inc|SA|S\.A|BV|B\.V|AG|SARL|SAS|SRL|SpA|PLC|LLP|LP|Co|Corp|Pty|NV|Oy|AB|KG|Ltda|SL)"
)
_CONNECTIVES = r"(?:of|and|the|for|de|du|des|der|den|la|le|y|und|et|e|da|di|van|von)"
# Where the run stops being a name: a spaced dash, a bracket, a sentence end, a comma not before a legal
# form (`Acme Law, LLC` goes on), a next label (`, Status:`), lower-case prose (`is paused`) that is no
# connective inside a name (`Bank of the West`).
_HARD_STOP = regex.compile(
    rf" [-–—] | \(|\. (?=\p{{Lu}})|[.!?]$|, (?!{_LEGAL_FORMS}\b)| (?=\p{{L}}{{1,20}}:)"
    rf"|,? (?!{_CONNECTIVES} )(?=\p{{Ll}}{{2,}}(?: |$))"
)
# Abbreviated legal forms whose dot ends no sentence (`Acme Co. Ltd`).
_LEGAL_DOTTED = regex.compile(r"(?:Co|Inc|Ltd|Corp|Bros|Pty|S\.A|B\.V|N\.V|L\.L\.C|Cie)\.$")
SCORE = 0.85  # below the person labels' 0.9: `Customer: Maria Gonzalez` stays a PERSON where both fire


class VeilAccountLabelRecognizer(MatchJudgingRecognizer):
    ENTITY = ENTITY
    PATTERNS: ClassVar[list[Pattern]] = [Pattern("org label: name", _PATTERN, SCORE)]
    OVERLAPPED = True  # a label-like word before (`row: Account: X`) must not hide the org label after it

    def judge(self, match: regex.Match[str], text: str) -> RecognizerResult | None:
        hit = self.hit(match, text)
        return None if hit is None else RecognizerResult(self.ENTITY, *hit, SCORE)

    def hit(self, match: regex.Match[str], text: str) -> tuple[int, int] | None:
        """The name's span, or None: no org label, or no organisation's name after it."""
        if not is_org_label(match.group("label")):
            return None
        if match.group("sep") != ":" and match.group("sep") != "\t":
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.end())
            line = text[line_start : line_end if line_end >= 0 else len(text)]
            if len(_SEGMENT.findall(line)) > 1:
                return None  # a campaign name's segments (`Brand - Acme Shoes - Exact`), no label
        start = match.start("value")
        value = match.group("value")
        end = _name_end(value)
        name = value[:end].rstrip(" ,:")
        if not name.endswith(".") or not _LEGAL_DOTTED.search(name):
            name = name.rstrip(".")
        if not is_org_name(name):
            return None
        return start, start + len(name)


def _name_end(value: str) -> int:
    """Where the name in the run after a label ends: at a spaced dash, a bracket, a sentence end (not an
    abbreviated legal form's dot), or lower-case prose (`Acme Plumbing is paused`)."""
    pos = 0
    while (m := _HARD_STOP.search(value, pos)) is not None:
        if m.group().startswith(".") and _LEGAL_DOTTED.search(value[: m.start() + 1]):
            pos = m.end()
            continue
        return m.start() + (1 if m.group().startswith(".") else 0)
    return len(value)
