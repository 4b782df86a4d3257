"""OData instance annotations written in object keys: `_parentcustomerid_value@OData.Community.Display.V1.
FormattedValue`, `name@odata.type`, `@odata.etag` (OData JSON Format 4.01, section 18; Dataverse, Dynamics 365
and Microsoft Graph write them in every record).

Such a key is the annotated property's name, an `@`, and a namespace-qualified term: it has an email's
shape, and read as one every Dataverse record's keys came back as email tokens. A key is read as an
annotation only in the vocabularies of the spec and of the servers that write them (`odata.` with one of
the spec's control names; `OData.…`, `Org.OData.…`, `Microsoft.…` with two segments more, none a real mail
domain's). The annotation's value is then read by the annotated property's key: its key rules apply, and a
lookup's formatted value (`_parentcustomerid_value@…FormattedValue`: the display name of the record the
lookup points to, a customer, a contact, an owner) is read as a name key's and an org key's value is.
"""

from __future__ import annotations

import re

from proxy.scan.key_info import CTX, ENTITY, NUM, QUALIFIED, KeyInfo

# The control information names of OData JSON Format 4.01 (section 4.5): the `odata.` annotations.
_CONTROL = ("context", "metadataEtag", "type", "count", "nextLink", "deltaLink", "id", "editLink", "readLink",
            "etag", "navigationLink", "associationLink", "mediaEditLink", "mediaReadLink",
            "mediaContentType", "mediaEtag", "removed", "delta")  # fmt: skip
_KEY = re.compile(
    r"([A-Za-z_]\w{0,127})?@((?:odata\.(?:" + "|".join(_CONTROL) + r"))"
    r"|(?:OData|Org\.OData|Microsoft)(?:\.[A-Za-z]\w{0,63}){2,8})"
)
# A Dataverse lookup property (`_parentcustomerid_value`, `_ownerid_value`): its value is a record's GUID.
_LOOKUP = re.compile(r"_\w+_value")


def annotated(key: str) -> tuple[str, str] | None:
    """(annotated property, term) of an annotation key; the property is "" for the object's own
    (`@odata.context`). None for any other key."""
    if "@" not in key:
        return None
    m = _KEY.fullmatch(key)
    return (m[1] or "", m[2]) if m is not None else None


def names_a_record(prop: str, term: str) -> bool:
    """Whether the annotation's value is the display name of the record a lookup points to."""
    return term.endswith("FormattedValue") and _LOOKUP.fullmatch(prop) is not None


def key_info(base: KeyInfo, prop: str, term: str, descriptive: bool) -> KeyInfo:
    """What an annotation key says of its values: the annotated property's key's (`base`), and for a
    lookup's formatted value a name key's and an org key's reading (a column of them is not walked as
    plain strings)."""
    if descriptive or not names_a_record(prop, term):
        return base
    return (base[ENTITY], False, False, base[CTX], True, base[NUM], False, base[QUALIFIED], True, False)
