"""Which member of an object holds a label, and which the value that label names, read from the member's
name by its morphology rather than from a list of spellings.

An object that carries its own label (`labels.record`) is written in as many spellings as there are
backends: `{"name": …, "value": …}`, `{"k": …, "v": …}`, AWS's `{"Name": …, "Value": …}`, schema.org's
`{"@type": "PropertyValue", "propertyID": …, "value": …}`, a CRM's change record `{"property": …,
"oldValue": …, "newValue": …}`, Salesforce's `{"fieldName": …, "fieldValue": …}`, OpenTelemetry's `{"key":
…, "value": {"stringValue": …}}`, a form's `{"label": …, "answer": …}`, a sheet's `{"header": …, "cell":
…}`. What they share is the head of the member's name, its last word (English compounds put the head
last: an `attrValue`, a `previous_value` and a `stringValue` are values; an `attr_name`, a `propertyID`
and a `fieldKey` are labels), so a member's role is its head word's role. Words glued in lower case
(`newvalue`, `fieldname`) are split at a head word when what comes before it is a head word or a
modifier of one (`new`, `old`, `field`, `string`).

A name whose words mean something of their own is no role word's compound: `customer_name`, `phone_value`,
`total_value`, `display_name` are the keys of a person, a phone, a metric (the key rules read them as
such), never a label or a value beside one. The names that were roles before this reading (`name`,
`type`, `fieldname`, `displayvalue`, `data`) keep theirs whatever they mean alone.
"""

from __future__ import annotations

from functools import lru_cache

from proxy.policy import key_words
from proxy.scan import accounts, names
from proxy.scan.shapes import is_metric_key, key_context

LABEL, VALUE = 1, 2

# Head words: the last word of a member's name that gives it its role.
LABEL_HEADS = frozenset(
    {
        "name", "key", "k", "label", "field", "attribute", "attr", "property", "prop", "param", "parameter",
        "header", "heading", "caption", "column", "col", "title", "question", "type", "kind", "id",
    }
)  # fmt: skip
VALUE_HEADS = frozenset({"value", "val", "v", "text", "data", "content", "answer", "cell", "string"})
# Words that qualify a head glued to it in lower case (`newvalue`, `attrname`): a head, or these.
_MODIFIERS = frozenset(
    {
        "new", "old", "prev", "previous", "current", "cur", "orig", "original", "raw", "display",
        "formatted", "updated", "string", "str", "input", "option", "setting", "custom", "trait",
        "claim", "int", "num", "text",
    }
)  # fmt: skip
_GLUED_HEADS = sorted(
    (h for h in LABEL_HEADS | VALUE_HEADS if len(h) >= 3 and h != "col"), key=len, reverse=True
)


def _head_role(word: str) -> int:
    if word in LABEL_HEADS:
        return LABEL
    if word in VALUE_HEADS:
        return VALUE
    return 0


def _glued_role(word: str) -> int:
    """`newvalue`, `attrname`, `fieldkey`: a head at the end of one lower-case word, after a modifier."""
    for head in _GLUED_HEADS:
        if word.endswith(head) and len(word) > len(head):
            before = word[: -len(head)]
            if before in _MODIFIERS or _head_role(before):
                return _head_role(head)
    return 0


@lru_cache(maxsize=8192)
def member_role(key: str) -> int:
    """`LABEL`, `VALUE` or 0: the role of an object's member named `key` (module doc)."""
    words = [w for w in key_words(key) if not w.isdigit()]
    if not words:
        return 0
    found = _head_role(words[-1])
    if len(words) == 1:
        if found:
            return found  # `name`, `v`, `@type`: role words alone, whatever a key rule reads in them
        return _glued_role(words[0]) if not _meaningful(key) else 0  # `newvalue`, `attrname`
    if not found or role_compound(key):
        return found  # `cell_value`, `field_name`, `property_id`: role words compounded
    return 0 if _meaningful(key) else found


@lru_cache(maxsize=8192)
def role_compound(key: str) -> bool:
    """A name of two role words or more (`cellValue`, `field_name`): a spreadsheet's cell, never a cell
    phone, whatever a key rule reads in one of its words alone."""
    words = [w for w in key_words(key) if not w.isdigit()]
    return len(words) > 1 and all(_head_role(w) or w in _MODIFIERS for w in words)


@lru_cache(maxsize=8192)
def masks_context(key: str) -> bool:
    """Whether a role compound hides what a key rule reads in its words (`cellValue` is no cell phone).
    One whose head is `id` names the identifier of what its other words say (`property_id`: a GA4
    property's, an account number) and keeps it, though as a record's member it is still a label."""
    return role_compound(key) and key_words(key)[-1] != "id"


def _meaningful(key: str) -> bool:
    """A name a key rule reads as the key of a thing (`customer_name`, `phone_value`, `total_value`)."""
    return (
        key_context(key) is not None
        or names.is_name_key(key)
        or is_metric_key(key)
        or accounts.is_org_key(key)
    )
