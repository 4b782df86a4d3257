"""A list of records (a report's rows) walked column by column: most of a large result is such a list, and
a column is decided by a few C-speed passes (types, max/min, distinct values) instead of once per row."""

from __future__ import annotations

from functools import reduce
from itertools import chain, repeat
from operator import or_
from typing import TYPE_CHECKING, Any

from proxy.detect.number_lookalikes import is_moment_or_version
from proxy.scan import accounts, labels, names, record_parts
from proxy.scan.key_info import (
    COLUMN,
    DICT,
    JSON_STARTS,
    LIST,
    METRIC_TEXT,
    NAME,
    NUM,
    NUMBERS,
    ORG,
    PLAIN_SCALARS,
    SKIP,
    STR,
    TIME,
    big,
)
from proxy.scan.plan import QUIET_MIN_CHARS
from proxy.scan.shapes import BIG_INT, is_enum_shaped, refuse_beyond_64_bits

if TYPE_CHECKING:
    from proxy.scan.to_client import ToClientWalker


def plain_rows(walker: ToClientWalker, rows: list[Any], doc: int, depth: int) -> bool:
    """A list of records (a report's rows) walked column by column at C speed: a column of numbers is
    passed by one type test (or one max/min for integers that may be candidates), a column of
    strings, or of lists of strings (`keys: [query, page]`), adds its distinct values to the texts and
    is recorded as one column to patch; a column of names is decided once (`names`). Anything else (a
    key a rule names, a nested object, a string that may hold JSON, nesting near the limit) returns
    False with nothing recorded: the list takes the row-by-row walk."""
    if depth + 2 > walker.max_depth or set(map(type, rows)) != DICT:
        return False
    memo = walker._key_memo
    keys = set().union(*rows)
    for name in keys:
        info = memo.get(name) or walker._key_info(name)
        if not info[COLUMN]:
            return False
    if walker._label_roles == 3 and labels.labelled_rows(walker, rows, keys):
        return False  # records that carry their own label (`{"Name": …, "Value": …}`): read row by row
    if walker._part_roles and record_parts.combined(reduce(or_, map(record_parts.mask, keys), 0)):
        return False  # a value split across a row's fields: the row walk joins them (`record_parts`)
    texts = walker._plan.texts
    new: list[str] = []
    columns: list[tuple[list[Any], str, bool, int]] = []
    people: list[str] = []
    orgs: list[tuple[str, set[str]]] = []
    numbers: list[str] = []
    quiet: list[str] = []  # metric columns holding large numbers (`ScanPlan.quiet_values`)
    strings: list[Any]
    size = 0
    for name in keys:
        info = memo[name]
        column: list[Any] = list(map(dict.get, rows, repeat(name)))  # missing reads as null
        kinds = set(map(type, column))
        if kinds <= PLAIN_SCALARS:
            if not kinds.isdisjoint(NUMBERS):
                nums = column if kinds <= NUMBERS else [v for v in column if type(v) in NUMBERS]
                top, bottom = max(nums), min(nums)
                if info[NUM] and (top >= BIG_INT or bottom <= -BIG_INT):
                    numbers.append(name)
                else:  # a metric column: an integer beyond 64 bits is refused, a large number is quiet
                    if int in kinds:
                        ints = nums if float not in kinds else [v for v in nums if type(v) is int]
                        refuse_beyond_64_bits(max(ints))
                        refuse_beyond_64_bits(min(ints))
                    if top >= BIG_INT or bottom <= -BIG_INT:
                        quiet.append(name)
            continue
        if kinds - PLAIN_SCALARS == STR:
            strings = column if kinds == STR else [v for v in column if type(v) is str]
            if not kinds.isdisjoint(NUMBERS):
                return False  # strings and numbers mixed: the row walk decides each
            distinct = list(dict.fromkeys(strings))
            if not info[NUM] and all(METRIC_TEXT.fullmatch(v) for v in distinct):
                if any(len(v) >= QUIET_MIN_CHARS for v in distinct):
                    quiet.append(name)
                continue  # a metric column written as strings
            if info[TIME] and any(map(is_moment_or_version, distinct)):
                return False  # a time key's epochs among its strings: the row walk judges each
            if not walker._descriptive and names.is_name_column_of(name, info[NAME], distinct):
                people.append(name)
                size += sum(map(len, strings))
                continue
            if info[NAME]:
                return False  # not a name column: the row walk judges each value under the name key
            if info[ORG]:  # `company`, `brand`: each distinct value judged once, named ones are fields
                orgs.append((name, set(filter(accounts.is_org_name, distinct))))
            columns.append((rows, name, False, doc))
            if info[SKIP]:
                distinct = [v for v in distinct if not is_enum_shaped(v)]
        elif kinds - PLAIN_SCALARS == LIST:
            if info[ORG]:
                return False  # lists of account names: the row walk judges them (`accounts.record_items`)
            lists = column if kinds == LIST else [v for v in column if type(v) is list]
            flat = list(chain.from_iterable(lists))
            inner = set(map(type, flat))
            if not inner - PLAIN_SCALARS <= STR or not inner.isdisjoint(NUMBERS):
                return False
            columns.append((rows, name, True, doc))
            strings = flat if inner == STR else [v for v in flat if type(v) is str]
            distinct = list(dict.fromkeys(strings))
            if info[SKIP]:
                distinct = [v for v in distinct if not is_enum_shaped(v)]
        else:
            return False
        size += sum(map(len, strings))
        for v in distinct:
            if v not in texts:
                if v[:1] in JSON_STARTS:  # may be a JSON document: the row-by-row walk decides
                    return False
                new.append(v)
    texts.update(dict.fromkeys(new))
    walker._plan.columns.extend(columns)
    for name in people:
        names.record_people(walker, rows, name, doc)
    for name, named in orgs:
        for row in rows:
            v = row.get(name)
            if type(v) is str and v in named:
                walker._field(row, name, v, doc, accounts.ENTITY)
    for name in numbers:
        time = memo[name][TIME]
        for row in rows:
            v = row.get(name)
            if type(v) in NUMBERS and big(v):
                if time and is_moment_or_version(v):
                    walker._quiet(v, (row, name, doc))
                else:
                    walker._number(v, (row, name, doc))
    for name in quiet:
        for row in rows:
            v = row.get(name)
            if (type(v) in NUMBERS and big(v)) or type(v) is str:
                walker._quiet(v, (row, name, doc))
    walker._grow(size)
    return True
