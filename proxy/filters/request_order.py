"""REQUEST_ORDER: the call filters a client request passes before it is forwarded, in one list.

A search catalog's `veil_call_tool` first (it becomes the named tool's own call, which every later filter
then judges as such), local pages (a page of a stored result never reaches the backend), then the proxy's
own tools and result handles, the request scan (egress, detokenize: `proxy.filters.scan_request`), approvals
(a call paused for a human resumes at the next filter), quotas, limits/timeout, and accounting last (the
call's resource window opens as it is forwarded). With telemetry on (`proxy.telemetry`), the call's span
starts before all of them (`CallSpans`) and its trace context is written into the request after all of them
(`TraceForward`); off, neither is in the list. The pump talks to two of them by name: approvals (a cancelled
request may be waiting there; the answers to the proxy's own prompts) and limits (its housekeeping loop).
"""

from __future__ import annotations

from proxy.chain import CallFilter, Chain, Pump
from proxy.filters.accounting import Accounting
from proxy.filters.approvals import Approvals
from proxy.filters.call_tool import CallThroughCatalog
from proxy.filters.limits import Limits
from proxy.filters.local_pages import LocalPages
from proxy.filters.proxy_tools import ProxyTools
from proxy.filters.quota import Quotas
from proxy.filters.result_handles import ResultHandles
from proxy.filters.scan_request import ScanRequest
from proxy.telemetry import call_filters as traced


class RequestFilters:
    """One session's call filters, in order (`ordered`)."""

    def __init__(self, chain: Chain, pump: Pump) -> None:
        session = chain.session
        self.approvals = Approvals(chain, pump)
        self.limits = Limits(session)
        first, last = traced(session)
        self.ordered: list[CallFilter] = [
            *first,
            CallThroughCatalog(session),
            LocalPages(session),
            ProxyTools(chain),
            ResultHandles(session),
            ScanRequest(chain),
            self.approvals,
            Quotas(session, pump),
            self.limits,
            Accounting(session),
            *last,
        ]
