"""Account and company names under org keys (the walker's side of `proxy.detect.account_keys`).

Under a key of the org class (`account`, `company`, `advertiser`, `brand`, `clientName`, `accounts`…), a value
that reads as an organisation's name is an ACCOUNT_NAME field value, tokenized whole, wherever the walk
meets it: a string (`"company": "Northgate Dental Care"`), an object's name child (`"account": {"id": 7,
"name": "Brightwater Plumbing LLC"}`), the strings and objects of a list (`"clients": [...]`). An explicit
field rule for the same key decides first, and a person's name under a role both share (`customer`,
`tenant`) stays a PERSON. A tokenized name is a session's known value from then on, so it is found again
inside campaign names and prose (`proxy.detect.known`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from proxy.detect.account_keys import ENTITY, NAME_CHILDREN, is_org_key, is_org_name
from proxy.policy import normalize_key

if TYPE_CHECKING:
    from proxy.scan.to_client import ToClientWalker

__all__ = ["ENTITY", "is_org_key", "is_org_name", "record_children", "record_items"]


def record_children(walker: ToClientWalker, node: dict[str, Any], doc: int) -> None:
    """`"account": {"id": …, "name": "Acme Plumbing"}`: the object's name child is the account name."""
    for ck, cv in node.items():
        if type(cv) is str and normalize_key(ck) in NAME_CHILDREN and is_org_name(cv):
            info = walker._key_memo.get(ck) or walker._key_info(ck)
            if info[0] is None:  # a field rule for the child decides itself
                walker._field(node, ck, cv, doc, ENTITY)


def record_items(walker: ToClientWalker, items: list[Any], doc: int) -> None:
    """`"clients": ["Acme Plumbing", {"name": "Northgate Dental"}]`: each name, or each object's name."""
    for i, item in enumerate(items):
        if type(item) is str and is_org_name(item):
            walker._field(items, i, item, doc, ENTITY)
        elif type(item) is dict:
            record_children(walker, item, doc)
