"""A message's detection budget: a deadline on the monotonic clock, checked between units of work.

Detection cannot be interrupted inside a regex or an NER call, so the work is cut into bounded units (one
unique string, one chunk of a long string, one Presidio call) and the deadline is checked between them. A
unit is bounded too: our regexes are linear, long strings are analysed in fixed-size chunks, and Presidio's
own regex timeout is set to the budget (see `presidio_engine.bound_regex_timeouts`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from proxy.errors import DetectionBudgetExceeded


class Deadline:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._end = clock() + seconds

    def check(self) -> None:
        """Raise DetectionBudgetExceeded once the budget is spent."""
        if self._clock() >= self._end:
            raise DetectionBudgetExceeded(self.seconds)

    def renewed(self) -> Deadline:
        """The same budget, starting now."""
        return Deadline(self.seconds, self._clock) if self.seconds != float("inf") else self


NO_DEADLINE = Deadline(float("inf"))
