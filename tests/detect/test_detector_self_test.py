"""The detector self-test: every shipped recognizer and the NER pipeline find their canaries through the
real pipeline; a recognizer that raises or finds nothing fails it with a value-free error, and a background
detector that fails it blocks every message that needs detection (fail closed, inert text included)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from proxy.background_detector import BackgroundDetector
from proxy.detect import recognizers
from proxy.detect.canaries import CANARIES
from proxy.detect.detector import Detector
from proxy.detect.self_test import self_test
from proxy.errors import DetectionFailed, DetectorSelfTestFailed
from proxy.policy import Policy, load_policy
from proxy.policy.sources import policy_files

HELPERS = {"SeparatedPhoneRecognizer", "VeilGluedNameRecognizer"}  # parts of others, no canary of their own


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return load_policy(policy_files([], Path(tempfile.mkdtemp())))


def test_the_shipped_detectors_pass_and_every_enabled_recognizer_has_a_canary(shipped):
    detector = Detector(shipped)
    self_test(detector)
    names = {r.name for r in detector.analyzer.registry.recognizers}
    assert names - HELPERS <= set(CANARIES)
    assert "VeilSpacyRecognizer" in names  # the name pipeline is tested too


def test_a_recognizer_that_raises_fails_the_self_test_naming_it_and_no_value(shipped, monkeypatch):
    original = recognizers.VeilEmailRecognizer.analyze

    def broken(self, text, entities, nlp_artifacts=None, regex_flags=None):
        if "@" in text:  # raises on some inputs only: the start-up warm-up does not find it out
            raise ValueError(f"cannot parse {text}")  # an exception text that quotes its input
        return original(self, text, entities, nlp_artifacts, regex_flags)

    monkeypatch.setattr(recognizers.VeilEmailRecognizer, "analyze", broken)
    with pytest.raises(DetectorSelfTestFailed) as failed:
        self_test(Detector(shipped))
    message = str(failed.value)
    assert (
        message == "detector self-test failed: recognizer VeilEmailRecognizer raised ValueError on its canary"
    )
    assert "@" not in message


def test_a_recognizer_that_finds_nothing_fails_the_self_test(shipped, monkeypatch):
    monkeypatch.setattr(recognizers.GoogleAdsCustomerIdRecognizer, "analyze", lambda self, *a, **k: [])
    with pytest.raises(
        DetectorSelfTestFailed, match="GoogleAdsCustomerIdRecognizer found no GOOGLE_ADS_CUSTOMER_ID"
    ):
        self_test(Detector(shipped))


def test_an_ner_pipeline_without_a_trained_ner_fails_the_self_test(tmp_path):
    import spacy

    blank = tmp_path / "blank_pipeline"
    spacy.blank("en").to_disk(blank)
    policy_file = tmp_path / "blank.yaml"
    policy_file.write_text(f"version: 1\nname: blank\ndetection:\n  ner:\n    model: {blank}\n")
    policy = load_policy(policy_files([policy_file], tmp_path))
    with pytest.raises(DetectorSelfTestFailed, match=r"the NER pipeline '.*blank_pipeline' found no PERSON"):
        self_test(Detector(policy))


def test_a_background_detector_that_fails_its_self_test_blocks_every_message(shipped, monkeypatch):
    monkeypatch.setattr(recognizers.VeilPhoneRecognizer, "analyze", lambda self, *a, **k: [])
    background = BackgroundDetector(shipped)
    with pytest.raises(DetectionFailed) as blocked:
        background.detect(["Call +1 415 555 0199 now"])
    assert "VeilPhoneRecognizer found no PHONE_NUMBER" in blocked.value.message
    assert "415" not in blocked.value.message
    with pytest.raises(DetectionFailed):
        background.detect(["plain words"])  # inert text too: nothing is answered by a failed detector
    assert background.failure is not None and "self-test" in background.failure
