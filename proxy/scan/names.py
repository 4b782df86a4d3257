"""Person names decided per column of a list of records, or per record (the walker's side of
`proxy.detect.names`).

A bare name in a short field has no prose around it for NER: the decision is made on the key and the
values. In a list of records, a column of short strings whose distinct values read as names
(`is_name_column`) is a PERSON column: every non-empty value of it is tokenized whole, decided once per
column, never per row. In a single record, a short string under a name key (`owner`, `displayName`) is a
PERSON value when it reads as a name (likelihood ≥ 0.4, the column bar); under a name key, an object's short
string children are name parts (`{"name": {"first": "Maria", "last": "Gonzalez"}}`).

If `proxy.detect.names` is missing (a checkout without it) every hook says no: the walker still runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from proxy.scan.to_client import ToClientWalker

# Under a name key the key is itself evidence: the bar is the column bar (`is_name_column`), so an
# unfamiliar name in capitals (`YAIZA DUPRÉ`: 0.43) passes; a product or a query stays far below it.
_LIKELY = 0.4
_SHORT = 64
_SAMPLE = 16  # a column is first judged on this many distinct values; only a name column is read whole

_is_name_key: Callable[[str], bool]
_likelihood: Callable[[str], float]
_is_name_column: Callable[[str, Sequence[str]], bool]
try:
    from proxy.detect.name_parts import family_value as _family_value
    from proxy.detect.name_parts import is_given_key as _is_given_key
    from proxy.detect.names import is_name_column as _is_name_column
    from proxy.detect.names import is_name_key as _is_name_key
    from proxy.detect.names import person_name_likelihood as _likelihood

    AVAILABLE = True
except ImportError:  # pragma: no cover - a checkout without the names module
    AVAILABLE = False
    _is_name_key = lambda key: False  # noqa: E731
    _likelihood = lambda value: 0.0  # noqa: E731
    _is_name_column = lambda key, values: False  # noqa: E731

    def _family_value(key: str, value: str, beside_given: bool = False) -> bool:
        return False

    def _is_given_key(key: str) -> bool:
        return False


def is_name_key(key: str) -> bool:
    return _is_name_key(key)


def family_value(key: str, value: str, beside_given: bool = False) -> bool:
    """A family name in its own field (`{"last": "Gonzalez"}`: `proxy.detect.name_parts`)."""
    return type(key) is str and _family_value(key, value, beside_given)


def is_given_key(key: str) -> bool:
    """`first`, `givenName`, `vorname`: a key naming a given name (`proxy.detect.name_parts`)."""
    return _is_given_key(key)


def _short(value: str) -> bool:
    return 0 < len(value) <= _SHORT and "\n" not in value and value[:1] not in "{["


_person_memo: dict[str, bool] = {}


def is_person_value(value: str) -> bool:
    """A short string under a name key that reads as a person's name."""
    hit = _person_memo.get(value)
    if hit is None:
        hit = _short(value) and _likelihood(value) >= _LIKELY
        if len(_person_memo) < 50_000:
            _person_memo[value] = hit
    return hit


def is_name_column_of(key: str, name_key: bool, distinct: list[str]) -> bool:
    """Whether a column's distinct values make it a PERSON column (judged on a sample first)."""
    if not AVAILABLE or not distinct:
        return False
    if not name_key and len(distinct) < 3:
        return False
    if max(map(len, distinct)) > _SHORT:
        return False
    if not _is_name_column(key, distinct[:_SAMPLE]):
        return False
    return len(distinct) <= _SAMPLE or _is_name_column(key, distinct)


def list_people(walker: ToClientWalker, items: list[Any], doc: int) -> bool:
    """A list of three or more short strings judged as a column is (a completion's values, a `members` or
    `values` list), when most of them are two words or more (a full name; a given name alone identifies
    nobody): if its distinct values make a name column, each is a PERSON field value and True."""
    if not AVAILABLE or walker._descriptive or len(items) < 3 or type(items[0]) is not str:
        return False
    if not all(type(v) is str for v in items):
        return False
    distinct = list(dict.fromkeys(items))
    if sum(len(v.split()) >= 2 for v in distinct) * 2 <= len(distinct):
        return False  # given names alone (`Alice`, `Bob`: a completion's choices) identify nobody
    # A list written all in lower case (a completion's values often are) is judged as it would be written.
    judged = [v.title() for v in distinct] if all(v.islower() for v in distinct) else distinct
    if not is_name_column_of("", False, judged):
        return False
    for i, v in enumerate(items):
        if v.strip():
            walker._field(items, i, v, doc, "PERSON")
    return True


def record_people(walker: ToClientWalker, rows: list[Any], key: str, doc: int) -> None:
    """Every non-empty string of a PERSON column, as a PERSON field value."""
    for row in rows:
        v = row.get(key)
        if type(v) is str and v.strip():
            walker._field(row, key, v, doc, "PERSON")


def record_columns(walker: ToClientWalker, rows: list[Any], doc: int) -> None:
    """A short list of records (walked row by row): its name columns, decided per column."""
    if not AVAILABLE or walker._descriptive:  # tool and prompt lists: their names are no people
        return
    dicts = [r for r in rows if type(r) is dict]
    if len(dicts) < 2:
        return
    for key in set().union(*dicts):
        values = list(map(dict.get, dicts, repeat(key)))
        if str not in set(map(type, values)):
            continue
        strings = [v for v in values if type(v) is str]
        if len(strings) < 2:
            continue
        info = walker._key_memo.get(key) or walker._key_info(key)
        if info[0] is not None or key == "blob":  # a key a field rule decides
            continue
        if is_name_column_of(key, info[4], list(dict.fromkeys(strings))):
            record_people(walker, dicts, key, doc)


def record_children(walker: ToClientWalker, node: dict[str, Any], doc: int) -> None:
    """`{"name": {"first": "Maria", "last": "Gonzalez"}}`: the name parts of an object under a name key."""
    for ck, cv in node.items():
        if type(cv) is not str or not _short(cv):
            continue
        info = walker._key_memo.get(ck) or walker._key_info(ck)
        if info[0] is not None or info[3]:
            continue  # its own rule decides (an email under `owner`)
        if _is_name_key(ck) or _likelihood(cv) >= _LIKELY:
            walker._field(node, ck, cv, doc, "PERSON")
