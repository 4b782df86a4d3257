"""Account and company names under org keys (the walker's side of `proxy.detect.account_keys`).

Under a key of the org class (`account`, `company`, `advertiser`, `brand`, `clientName`, `accounts`…), a value
that reads as an organisation's name is an ACCOUNT_NAME field value, tokenized whole, wherever the walk
meets it: a string (`"company": "Northgate Dental Care"`), an object's name child (`"account": {"id": 7,
"name": "Brightwater Plumbing LLC"}`), the strings and objects of a list (`"clients": [...]`). An explicit
field rule for the same key decides first, and a person's name under a role both share (`customer`,
`tenant`) stays a PERSON. A tokenized name is a session's known value from then on, so it is found again
inside campaign names and prose (`proxy.detect.known`).

The same vocabulary names an account where the key is written as data (`labels`): a GAQL report's CSV
header `customer.descriptive_name`, a Markdown column `Account name`, a `columns` entry, logfmt
`client_name=…`, `<accountName>…</accountName>` (`data_label`, `data_label_value`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from proxy.detect.account_keys import (
    ENTITY,
    NAME_CHILDREN,
    NAME_LABEL,
    is_org_key,
    is_org_name,
    org_data_label,
)
from proxy.policy import normalize_key
from proxy.policy.keys import key_rule_entity

if TYPE_CHECKING:
    from proxy.scan.to_client import ToClientWalker

__all__ = [
    "ENTITY",
    "data_label",
    "data_label_value",
    "is_org_key",
    "is_org_name",
    "record_children",
    "record_items",
]


# The keys of a list wrapper (`{"type": "list", "data": [...]}`, `{"nodes": [...]}`): its items are the
# org key's items.
_LIST_WRAPPERS = frozenset({"data", "items", "results", "nodes", "records", "entries", "elements", "values"})


def record_children(walker: ToClientWalker, node: dict[str, Any], doc: int) -> None:
    """`"account": {"id": …, "name": "Acme Plumbing"}`: the object's name child is the account name; a list
    wrapper's items are the org key's items (Intercom's `"companies": {"type": "list", "data": [{"name":
    …}]}`)."""
    for ck, cv in node.items():
        if type(cv) is str and normalize_key(ck) in NAME_CHILDREN and is_org_name(cv):
            info = walker._key_memo.get(ck) or walker._key_info(ck)
            if info[0] is None:  # a field rule for the child decides itself
                walker._field(node, ck, cv, doc, ENTITY)
        elif type(cv) is list and normalize_key(ck) in _LIST_WRAPPERS:
            record_items(walker, cv, doc)


def record_items(walker: ToClientWalker, items: list[Any], doc: int) -> None:
    """`"clients": ["Acme Plumbing", {"name": "Northgate Dental"}]`: each name, or each object's name."""
    for i, item in enumerate(items):
        if type(item) is str and is_org_name(item):
            walker._field(items, i, item, doc, ENTITY)
        elif type(item) is dict:
            record_children(walker, item, doc)


def data_label(walker: ToClientWalker, label: str) -> int:
    """How a label written as data names an account (`account_keys.org_data_label`), or a field rule
    naming account names read on it (`descriptiveName`, `accountName`, and GAQL's dotted
    `customer.descriptive_name` by the rule's last words): the label vocabulary is the key vocabulary."""
    found = org_data_label(label)
    if not found and key_rule_entity(label, walker._keys) == ENTITY:
        return NAME_LABEL
    return found


def data_label_value(strength: int, value: str) -> bool:
    """Whether a value under such a label is an account name: shaped as an organisation's name, and under
    a bare role word (`Client`, `Account`) of two words or more (`Account,Mastercard`, `Brand,Google`
    name a card or a make; `Brightwater Plumbing` under `Client` is the client)."""
    if not strength or not is_org_name(value):
        return False
    return strength == NAME_LABEL or len(value.split()) >= 2


# A bare `key=value` whose value goes on in words before the next `key=` or the line's end
# (`client=Mossbank Physical Therapy spend=88.10`): logfmt as people write it, unquoted.
_RUN_ON = re.compile(r"(?:[ \t]+[^\s=&;,\"'<>|]{1,64}){1,9}?(?=[ \t]+[A-Za-z_][\w.-]{0,63}=|[ \t]*(?:\n|$))")


def run_on(text: str, a: int, b: int, walker: ToClientWalker, label: str) -> int:
    """The end of a value under an org label: a bare assignment's value runs on over the words after it
    (`_RUN_ON`) where they make an organisation's name; any other value ends where its reader said."""
    if a == 0 or text[a - 1] != "=" or b >= len(text) or text[b] not in " \t":
        return b
    if not data_label(walker, label):
        return b
    m = _RUN_ON.match(text, b)
    if m is None or not is_org_name(text[a : m.end()]):
        return b
    return m.end()
