"""Person names in free text on the default install: the shipped spaCy pipeline (never downloaded) and the
name recognizers, through the real detector and the default policy."""

from pathlib import Path

import pytest

from proxy.detect.detector import Detector
from proxy.detect.presidio_engine import load_spacy, resolve_model
from proxy.errors import PolicyError
from proxy.policy import DEFAULT_NER_MODEL, load_policy, shipped_policy_files


def ner_policy(tmp_path: Path, model: str):
    p = tmp_path / "ner.yaml"
    p.write_text(f"version: 1\nname: ner\ndetection:\n  ner:\n    model: {model}\n    entities: [PERSON]\n")
    return load_policy([*shipped_policy_files(), p])


@pytest.fixture(scope="module")
def detector():
    return Detector(load_policy())


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Spoke to Jane Miller about the renewal on Tuesday.", "Jane Miller"),
        ("Meeting notes: Omar Haddad wants a lower CPC cap.", "Omar Haddad"),
        ("Please ask Lena Fischer to approve the new budget.", "Lena Fischer"),
    ],
)
def test_person_names_in_free_text_are_found_with_the_default_policy(detector, text, name):
    spans = detector.detect([text]).get(text, [])
    assert any(text[s.start : s.end] == name and s.entity == "PERSON" for s in spans)


def test_the_default_policy_names_a_pipeline_that_is_installed():
    assert load_policy().ner.model == DEFAULT_NER_MODEL
    assert resolve_model(DEFAULT_NER_MODEL)  # the README's name resolves to the packaged pipeline


def test_the_pipeline_is_loaded_once_per_process_and_runs_only_its_entity_recognizer():
    nlp = load_spacy(DEFAULT_NER_MODEL)
    assert load_spacy(DEFAULT_NER_MODEL) is nlp
    assert nlp.pipe_names == ["ner"]


def test_with_ner_turned_off_names_in_free_text_are_not_guessed(tmp_path):
    d = Detector(ner_policy(tmp_path, "null"))
    assert d.detect(["Spoke to Jane Miller about the renewal.", "Owner: Maria Gonzalez"]) == {}


def test_a_pipeline_that_is_not_installed_is_a_policy_error_not_a_download(tmp_path):
    with pytest.raises(PolicyError, match="not installed"):
        Detector(ner_policy(tmp_path, "en_core_web_nonexistent"))
