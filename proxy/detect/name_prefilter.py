"""Could this text hold a person's name? The cheap test that decides whether the name recognizers and NER
look at a text at all.

Kept apart from the recognizers (which import Presidio) so the proxy can apply it before the detectors have
loaded (`proxy/background_detector.py`).
"""

from __future__ import annotations

import re

from proxy.detect.account_keys import is_org_label
from proxy.detect.directory_names import bare_handle_starts, might_hold_directory_name
from proxy.detect.name_csv import name_header
from proxy.detect.name_glued import might_be_glued_name
from proxy.detect.name_honorifics import TITLED_NAME
from proxy.detect.name_identifiers import might_hold_identifier_name
from proxy.detect.name_inverted_lists import might_hold_inverted_list
from proxy.detect.name_keys import is_name_label
from proxy.detect.name_signoffs import might_hold_signoff_or_cell
from proxy.detect.name_slots import might_fill_slot
from proxy.detect.name_standalone import might_stand_alone
from proxy.detect.name_title_labels import might_hold_label_name
from proxy.detect.name_travel import might_hold_travel_name
from proxy.detect.path_folders import might_hold_path_name

__all__ = ["NAME_PREFILTER", "might_hold_name"]

# The detector's cheap prefilter (standard `re`, C speed): could this text hold a name any name recognizer or
# NER would find? Prose (three or more words, one of them lower-case) with a capitalised or all-caps word, or
# a capitalised word after a label separator or a greeting (`Owner: Maria Gonzalez`, `Hi Maria`, and the org
# labels of `account_label_recognizer`: `Account: Brightwater Plumbing`), a line that is a name alone, a
# delimited header with a person column. Campaign
# names and queries mostly fail it (no capital, or no prose); those that pass are cleared by the recognizers.
_CAPITAL = re.compile(r"[A-ZÀ-ÖØ-Þ][A-Za-zß-öø-ÿ'’\-]")
_LOWER_WORD = re.compile(r"(?<![A-Za-zÀ-ÿ])[a-zß-ÿ]{2,}(?![A-Za-zÀ-ÿ])")
# A label before a separator and a capital: `Owner: M`, `Account manager - M`, `Cc:\tM`. The label is
# checked with the key rule (`is_name_label`), so campaign names (`Café – Berlin – Performance Max`) and
# other dash-separated labels do not send the string to NER.
_LABELLED = re.compile(
    r"((?:[A-Za-zÀ-ÿ]{1,20} ){0,2}[A-Za-zÀ-ÿ]{1,20})[ \t]{0,3}(?::|\t| [-–—])[ \t]{0,3}[A-ZÀ-ÖØ-Þ\d]"
)
_GREETED = re.compile(r"^\s*(?i:hi|hello|hey|dear)\s+[A-ZÀ-ÖØ-Þ]")

# Exposed for the detector's one-piece scan of many strings: no text without a match can hold a name.
NAME_PREFILTER = _CAPITAL


def might_hold_name(text: str) -> bool:
    if _CAPITAL.search(text) is None:
        return _lower_case_directory_name(text) or might_fill_slot(text)
    if text.count(" ") >= 2 and _LOWER_WORD.search(text) is not None:
        return True
    if _GREETED.search(text) is not None or TITLED_NAME.search(text) is not None:
        return True
    # An org label (`Account: Brightwater Plumbing LLC`) sends the text too: `VeilAccountLabelRecognizer`.
    if any(is_name_label(m.group(1)) or is_org_label(m.group(1)) for m in _LABELLED.finditer(text)):
        return True
    # A name standing alone (a whole text or line: `Maria Gonzalez`), or a table with a person column, or
    # a full name inside a title-case label (`Maria Gonzalez Performance Review`: `name_title_labels`).
    return (
        might_stand_alone(text)
        or might_hold_label_name(text)
        or name_header(text)
        or might_hold_inverted_list(text)  # `Santangelo, Lauren; Chamberlain, Rebecca`
        or might_hold_signoff_or_cell(text)  # `— G. Tolliver`, `| Gallagher, Danielle |`
        or might_hold_travel_name(text)  # `CHAMBERLAIN/REBECCA MS`, `P<USAMASTROIANNI<<JONATHAN<<<`
        or might_be_glued_name(text)
        or _lower_case_directory_name(text)
        or might_fill_slot(text)  # `author: maria gonzalez <…>`, `?s=maria+gonzalez` (`name_slots`)
    )


def _lower_case_directory_name(text: str) -> bool:
    """A vCard `N`, a login (`uid=mgonzalez`, `/home/mgonzalez/`), a handle without its `@`
    (`ping maria_gonzalez about it`), a name in a slug, file or host name (`/in/maria-gonzalez-4b2a19`):
    names written where a capital need not be (`directory_names`, `name_identifiers`)."""
    return (
        might_hold_directory_name(text)
        or ("_" in text and bool(bare_handle_starts(text)))
        or might_hold_identifier_name(text)
        or might_hold_path_name(text)  # a full name as a folder: `/HR/Maria Gonzalez/`
    )
