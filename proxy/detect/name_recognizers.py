"""The person-name recognizers, by name, for `detection.recognizers` (each in its own module)."""

from __future__ import annotations

from proxy.detect.name_csv_recognizer import VeilCsvNameColumnRecognizer
from proxy.detect.name_dn_recognizer import VeilDnNameRecognizer
from proxy.detect.name_glued_recognizer import VeilGluedNameRecognizer
from proxy.detect.name_greeting_recognizer import VeilGreetingNameRecognizer
from proxy.detect.name_identifier_recognizer import VeilIdentifierNameRecognizer
from proxy.detect.name_inverted_list_recognizer import VeilInvertedListNameRecognizer
from proxy.detect.name_labeled_recognizer import VeilLabeledNameRecognizer
from proxy.detect.name_lexicon_recognizer import VeilLexiconNameRecognizer
from proxy.detect.name_login_recognizer import VeilLoginNameRecognizer
from proxy.detect.name_mention_recognizer import VeilMentionNameRecognizer
from proxy.detect.name_path_recognizer import VeilPathFolderNameRecognizer
from proxy.detect.name_signoff_recognizer import VeilSignoffCellNameRecognizer
from proxy.detect.name_slot_recognizer import VeilNameSlotRecognizer
from proxy.detect.name_standalone_recognizer import VeilStandaloneNameRecognizer
from proxy.detect.name_system_login_recognizer import VeilSystemLoginNameRecognizer
from proxy.detect.name_title_recognizer import VeilTitledNameRecognizer
from proxy.detect.name_travel_recognizer import VeilTravelNameRecognizer
from proxy.detect.name_userinfo_recognizer import VeilUserinfoNameRecognizer
from proxy.detect.name_vcard_recognizer import VeilVcardNameRecognizer
from proxy.detect.person_recognizer import VeilPersonRecognizer

NAME_RECOGNIZERS = (
    VeilPersonRecognizer,
    VeilLabeledNameRecognizer,
    VeilGreetingNameRecognizer,
    VeilLexiconNameRecognizer,
    VeilStandaloneNameRecognizer,
    VeilMentionNameRecognizer,
    VeilCsvNameColumnRecognizer,
    VeilTitledNameRecognizer,
    VeilGluedNameRecognizer,
    VeilVcardNameRecognizer,
    VeilLoginNameRecognizer,
    VeilDnNameRecognizer,
    VeilSystemLoginNameRecognizer,
    VeilUserinfoNameRecognizer,
    VeilIdentifierNameRecognizer,
    VeilPathFolderNameRecognizer,
    VeilNameSlotRecognizer,
    VeilInvertedListNameRecognizer,
    VeilTravelNameRecognizer,
    VeilSignoffCellNameRecognizer,
)
