"""What a key says about its values (the key memo's fields, `KeyInfo`), and the value types and shapes
the to-client walker tests, shared by its parts (`to_client`, `columns`, `documents`)."""

from __future__ import annotations

import re
from typing import Final

from proxy.scan.shapes import BIG_INT

# A number written as a string (`"1994969632"`, `"0.9193"`, `"11.12.14.13"`): under a metric key
# (`costMicros`, `appVersion`) it is the metric, as a JSON number there is.
METRIC_TEXT = re.compile(r"[+-]?\d[\d.,_]{0,40}")

JSON_STARTS = frozenset("{[ \t\r\n")
PLAIN_SCALARS = frozenset({int, float, bool, type(None)})
DICT, LIST, STR = frozenset({dict}), frozenset({list}), frozenset({str})
NUMBERS = frozenset({int, float})

# The key memo's fields: (entity of a key rule, skipped key, plain, context, name key, numbers are
# candidates, may be walked as a column, the rule's key only qualified: `emails`, `primary_email`; org key:
# `proxy.scan.accounts`; time key: an epoch under it is a time, a version key's dotted value a version,
# `proxy.detect.number_lookalikes`).
ENTITY: Final = 0
SKIP: Final = 1
PLAIN: Final = 2
CTX: Final = 3
NAME: Final = 4
NUM: Final = 5
COLUMN: Final = 6
QUALIFIED: Final = 7
ORG: Final = 8
TIME: Final = 9
KeyInfo = tuple[str | None, bool, bool, bool, bool, bool, bool, bool, bool, bool]


def big(v: int | float) -> bool:
    return v >= BIG_INT or v <= -BIG_INT
