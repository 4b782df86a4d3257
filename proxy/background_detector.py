"""The detector, loaded in a background thread so the proxy answers the handshake at once.

Building the `Detector` imports Presidio and spaCy and loads the policy's NER pipeline: seconds, while an MCP
client starts every configured server at launch and waits for each one's `initialize` result. So the
proxy starts relaying at once and `BackgroundDetector` builds the real detector in a thread. Until it is
ready, a message is answered early only when every one of its strings is *inert*: a string in which no
step of `Detector.detect` other than the session's known values could find anything. For such a string
the full detector's answer is, by construction, the known values' spans alone (see `inert`), so the early
answer is exactly the one the loaded detector gives. Any other message waits for the detector (in a worker
thread: on the event loop it raises `NeedsWorker`). Nothing passes unscanned.

If the detector cannot be built (an NER pipeline that is not installed, an unknown recognizer) or fails its
self-test (`proxy.detect.self_test`: a recognizer that raises or finds nothing in its canary), every
message that needs it is blocked with the cause, and `failure` says why, so the runner can stop.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from proxy.detect import decoders, ner_models, views
from proxy.detect.deadline import NO_DEADLINE, Deadline
from proxy.detect.iban_trigger import IBAN_TRIGGER
from proxy.detect.known import KnownValues
from proxy.detect.name_prefilter import might_hold_name
from proxy.detect.spans import Span, merge_spans
from proxy.errors import DetectionFailed, DetectorSelfTestFailed, PolicyError
from proxy.policy import Policy
from proxy.worker import NeedsWorker

if TYPE_CHECKING:
    from proxy.detect.detector import Detector

log = logging.getLogger(__name__)

# How long a message waits for the detectors to load before it is blocked (fail closed).
LOAD_WAIT_SECONDS = 300.0

# The characters an inert string may hold: letters, digits, space and plain punctuation. Everything an
# encoded layer or a structured value needs (`@ % \ & = + # ~ <`, non-ASCII) is outside it.
_PLAIN = re.compile(r"[A-Za-z0-9 _\-./,:;()'!?]*")
# Supersets of the detector's triggers: a digit run of 7+ characters of the phone/ID/IP classes (the
# detector's own `_DIGIT_RUN`, inside which every digit trigger lies), and a hex digit before a colon (every
# IPv6 trigger has one).
_DIGIT_RUN = re.compile(r"\d[\d\s().\-/+_',]{6,}")
_HEX_COLON = re.compile(r"[0-9A-Fa-f]:")

_MAX_INERT = 256


def inert(text: str, ner: bool) -> bool:
    """Whether the full detector can find nothing in `text` but the session's known values.

    For ASCII text without a backslash the detector's probe is the text itself; it runs Presidio only when
    its structured trigger (an `@`, a digit run, an IPv6 group) fires or, with an NER pipeline, on prose
    (two spaces or more), and decodes percent-encoding only where there is a `%`. An inert text has none of
    these, so the detector's answer for it is its known values alone. Deliberately stricter than needed
    (short, plain characters, no blob-like runs), so a trigger added to the detector later is unlikely to
    fall inside it; `tests/proxy/test_background_detector.py` checks the equivalence on generated text."""
    if not _plain_and_quiet(text, ner):
        return False
    # Plain ASCII can have one view besides itself (digit separators unified: `0.1.0`, `2024/05`; a
    # spelled-out address: `jane at acme dot com`), which the detector matches on too: it must be as quiet.
    return not views.changes(text) or _plain_and_quiet(views.view_of(text).text, ner)


def _plain_and_quiet(text: str, ner: bool) -> bool:
    if len(text) > _MAX_INERT or not text.isascii() or _PLAIN.fullmatch(text) is None:
        return False
    if ner and (text.count(" ") >= 2 or might_hold_name(text)):
        return False
    if _DIGIT_RUN.search(text) is not None or IBAN_TRIGGER.search(text) is not None or _decodes_to_text(text):
        return False
    return ":" not in text or _HEX_COLON.search(text) is None


def _decodes_to_text(text: str) -> bool:
    """Whether a base64 run of `text` is text the detector would scan (the detector's own decoder decides:
    `veil-example-echo` is in the alphabet but decodes to bytes that are no text)."""
    return decoders.has_base64_run(text) and any(
        decoders.decode_base64(text[start:end]) is not None for start, end in decoders.base64_runs(text)
    )


def check_ner_installed(policy: Policy) -> None:
    """PolicyError, at start, for an NER pipeline that is neither an installed package nor a directory:
    the load in the background would fail on it, and a refusal at start reaches the client (same message as
    `presidio_engine.load_spacy`)."""
    model = policy.ner.model
    if model is None:
        return
    found = ner_models.installed(model)
    if not found:
        raise PolicyError(
            f"detection.ner.model: spaCy pipeline {model!r} is not installed "
            "(mcp-veil never downloads models)"
        )


class BackgroundDetector:
    """A `Detector` being built in a thread; `detect` answers inert texts at once and waits for the rest."""

    def __init__(
        self, policy: Policy, *, start: bool = True, on_ready: Callable[[], None] | None = None
    ) -> None:
        self.policy = policy
        self._on_ready = on_ready
        self._ner = policy.ner.model is not None
        self._allow = policy.allow_list
        self._ready = threading.Event()
        self._detector: Detector | None = None
        self.failure: str | None = None
        self._thread = threading.Thread(target=self._load, name="veil-detector-load", daemon=True)
        self._started = False
        if start:
            self.start()

    def start(self) -> None:
        """Start loading (once). The runner starts it after its own imports, so they do not share the GIL."""
        if not self._started:
            self._started = True
            self._thread.start()

    def _load(self) -> None:
        started = time.monotonic()
        try:
            from proxy.detect.detector import Detector
            from proxy.detect.self_test import self_test

            detector = Detector(self.policy)
            self_test(detector)  # before any message is scanned with it
            if self._on_ready is not None:
                self._on_ready()
            self._detector = detector
            log.info("detectors loaded", extra={"seconds": round(time.monotonic() - started, 3)})
        except (PolicyError, DetectorSelfTestFailed) as exc:
            self.failure = str(exc)
            log.error("detectors could not be loaded", extra={"error": self.failure})
        except Exception as exc:  # the message names the class only: reprs may hold text
            self.failure = f"{type(exc).__name__} while loading the detectors"
            log.error("detectors could not be loaded", extra={"error": self.failure})
        finally:
            self._ready.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def wait(self, timeout: float | None = LOAD_WAIT_SECONDS) -> Detector:
        """The loaded detector; DetectionFailed if it failed to load or did not load in time."""
        self.start()
        if not self._ready.wait(timeout):
            raise DetectionFailed("mcp-veil blocked this message: the detectors are still loading")
        if self._detector is None:
            raise DetectionFailed(
                f"mcp-veil blocked this message: the detectors could not be loaded: {self.failure}"
            )
        return self._detector

    def detect(
        self,
        texts: Iterable[str],
        known: KnownValues | None = None,
        deadline: Deadline = NO_DEADLINE,
        *,
        on_loop: bool = False,
    ) -> dict[str, list[Span]]:
        """`Detector.detect`, answered before the detector is loaded when every text is inert."""
        if self._detector is not None:
            return self._detector.detect(texts, known, deadline, on_loop=on_loop)
        texts = texts if isinstance(texts, list) else list(texts)
        if self.failure is None and all(inert(t, self._ner) for t in texts):
            return self._known_only(texts, known)
        if on_loop and not self.ready:
            raise NeedsWorker("detectors loading")
        loaded = self.wait()
        # The budget is for detecting, not for the wait: a message that waited for the detectors to load
        # (LOAD_WAIT_SECONDS bounds that) gets its whole budget once they are there.
        return loaded.detect(texts, known, deadline.renewed(), on_loop=on_loop)

    def _known_only(self, texts: list[str], known: KnownValues | None) -> dict[str, list[Span]]:
        """What `Detector.detect` returns for texts in which only known values can be found."""
        found: dict[str, list[Span]] = {}
        if known is None or not len(known):
            return found
        for text in texts:
            # The detector matches known values on the normalized view, as here.
            spans = [s for s in known.find(views.view_of(text)) if text[s.start : s.end] not in self._allow]
            merged = merge_spans(spans)
            if merged:
                found[text] = merged
        return found

    def __getattr__(self, name: str) -> Any:
        """Anything else a caller asks of the detector: from the loaded one (waiting for it)."""
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.wait(), name)
