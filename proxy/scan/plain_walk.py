"""The to-client walk's fast path: containers with no rule below them, most of any large payload.

A value under a plain key (one no field rule, context, name, org or schema rule applies to) is decided by
its type alone: a string is a text to scan (JSON carried in it opened as its own document), a large number
is scanned as its digits, a container is walked the same way. Any other key goes back to the walker's
`_other` (`proxy.scan.to_client`, which also keeps the walk of plain lists). A long list of records is
tried column by column (`columns`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from proxy.detect.number_lookalikes import is_moment_or_version
from proxy.errors import check_depth
from proxy.scan import labels, record_parts
from proxy.scan.columns import plain_rows
from proxy.scan.key_info import ENTITY, JSON_STARTS, METRIC_TEXT, NUM, PLAIN_SCALARS, TIME, KeyInfo, big
from proxy.scan.plan import Location, ScanPlan
from proxy.scan.positional import MAX_COLUMNS
from proxy.scan.shapes import BIG_INT, INT64, refuse_beyond_64_bits

if TYPE_CHECKING:
    from proxy.scan.to_client import ToClientWalker


class PlainWalk:
    """Mixed into `ToClientWalker`: the walk of plain objects and lists."""

    _plan: ScanPlan
    _key_memo: dict[str, KeyInfo]
    _label_roles: int
    _part_roles: int
    _table_lists: list[tuple[list[Any], int]]
    _descriptive: bool
    max_depth: int

    @property
    def _whole(self) -> ToClientWalker:
        """The walker this is part of (the helpers take the whole walker)."""
        return cast("ToClientWalker", self)

    if TYPE_CHECKING:

        def _walk(
            self, node: Any, doc: int, trie: Any, depth: int, list_entity: str | None, list_skip: bool
        ) -> None: ...

        def _key_info(self, key: str) -> KeyInfo: ...

        def _plain_list(self, node: list[Any], doc: int, depth: int) -> None: ...

        def _locate(self, text: str, location: Location) -> None: ...

        def _embedded(self, container: Any, key: Any, text: str, doc: int, depth: int) -> bool: ...

        def _number(self, v: int | float, location: Location) -> None: ...

        def _quiet(self, v: int | float | str, location: Location) -> None: ...

        def _grow(self, size: int) -> None: ...

        def _other(
            self,
            container: Any,
            key: Any,
            v: Any,
            doc: int,
            trie: Any,
            depth: int,
            entity: str | None,
            info: KeyInfo,
        ) -> int: ...

    def _plain_dict(self, node: dict[str, Any], doc: int, depth: int) -> None:
        """`_walk` of an object with no path rule below (the usual case): a plain key has its value
        decided by type alone; any other key takes `_other`."""
        check_depth(depth, self.max_depth)
        plan = self._plan
        texts = plan.texts
        memo = self._key_memo
        size = 0
        plain = False
        top = doc == 0 and depth == 0 and plan.structured is not None
        for k, v in node.items():
            info = memo.get(k)
            if info is None:
                info = self._key_info(k)
            t = type(v)
            if info[2]:
                if t is str:
                    size += len(v)
                    metric = not info[NUM] and METRIC_TEXT.fullmatch(v)
                    if metric or (info[TIME] and is_moment_or_version(v)):
                        # A metric written as a string (`"costMicros": "1994969632"`), a time key's epoch,
                        # a version key's version: an identifier only if known as one.
                        self._quiet(v, (node, k, doc))
                        continue
                    # A string seen before is a text again (whether a string is JSON never varies).
                    if v in texts or v[:1] not in JSON_STARTS or not self._embedded(node, k, v, doc, depth):
                        texts[v] = None
                        plain = True
                elif t is list:
                    if not (top and k == "structuredContent"):  # walked as its own document
                        self._plain_list(v, doc, depth + 1)
                        if v and type(v[0]) is list and not self._descriptive:
                            labels.matrix(self._whole, k, v, doc)  # `{"values": [["Name", "SSN"], …]}`
                        elif v and type(v[0]) is str and len(v) <= MAX_COLUMNS:
                            self._table_lists.append((v, doc))  # a header (`detached_headers`)
                elif t is dict:
                    if not (top and k == "structuredContent"):
                        self._plain_dict(v, doc, depth + 1)
                elif t is int or t is float:
                    if v >= BIG_INT or v <= -BIG_INT:
                        if info[NUM] and not (info[TIME] and is_moment_or_version(v)):
                            self._number(v, (node, k, doc))
                        else:  # under a metric key, or a time key's epoch
                            if t is int and (v >= INT64 or v < -INT64):
                                refuse_beyond_64_bits(v)
                            self._quiet(v, (node, k, doc))
                elif t not in PLAIN_SCALARS:  # not JSON: scanned as what it prints as
                    size += self._other(node, k, v, doc, None, depth, None, info)
                continue
            if top and k == "structuredContent":
                continue
            size += self._other(node, k, v, doc, None, depth, info[ENTITY], info)
        if plain:
            plan.plain.append((node, doc))
        if self._label_roles == 3 and not self._descriptive:  # any size: `record` is linear in its keys
            labels.record(self._whole, node, doc)  # `{"name": "SSN", "value": "123456789"}`
        if self._part_roles and not self._descriptive and record_parts.combined(self._part_roles):
            record_parts.record(self._whole, node, doc)  # `{"area_code": "415", "number": "5550132"}`
        self._grow(size)

    def _plain_value(self, node: Any, k: Any, v: Any, doc: int, depth: int, info: KeyInfo) -> int:
        """A value under a plain key outside plain containers (below a path rule)."""
        t = type(v)
        if t is str:
            if (not info[NUM] and METRIC_TEXT.fullmatch(v)) or (info[TIME] and is_moment_or_version(v)):
                self._quiet(v, (node, k, doc))  # a metric written as a string, a time key's epoch
                return len(v)
            if v[:1] not in JSON_STARTS or not self._embedded(node, k, v, doc, depth):
                self._locate(v, (node, k, doc))
            return len(v)
        if t is dict or t is list:
            self._walk(v, doc, None, depth + 1, None, False)
        elif (t is int or t is float) and big(v):
            if info[NUM] and not (info[TIME] and is_moment_or_version(v)):
                self._number(v, (node, k, doc))
            else:  # under a metric key, or a time key's epoch
                if t is int:
                    refuse_beyond_64_bits(v)
                self._quiet(v, (node, k, doc))
        return 0

    def _plain_rows(self, rows: list[Any], doc: int, depth: int) -> bool:
        """A list of records walked column by column (`columns.plain_rows`); False: walk it row by row."""
        return plain_rows(self._whole, rows, doc, depth)
