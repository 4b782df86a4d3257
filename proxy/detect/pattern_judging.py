"""The two ways our pattern recognizers decide a hit beyond its regex, on one loop (`JudgingRecognizer`):
candidates found by the declared patterns, each judged with the text around it.

- `MatchJudgingRecognizer` reads every match of its declared patterns itself (the `regex` module: `\\p{L}`,
  named groups, multi-line anchors): the value is often one group of the match (a login after its scheme,
  a name after its label), which Presidio's own loop, giving the whole match's span, cannot say.
- `ResultJudgingRecognizer` judges Presidio's own pattern results: rescored where the surroundings say
  more than the shape, dropped where they say something else.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Generic, TypeVar

import regex
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

Candidate = TypeVar("Candidate")


class JudgingRecognizer(PatternRecognizer, Generic[Candidate]):
    """A pattern recognizer whose results are its `candidates`, each `judge`d: a result, or None."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        out: list[RecognizerResult] = []
        for candidate in self.candidates(text, entities, nlp_artifacts, regex_flags):
            result = self.judge(candidate, text)
            if result is not None:
                out.append(result)
        return out

    def candidates(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None, regex_flags: int | None
    ) -> Iterable[Candidate]:
        """What the declared patterns find in `text`, before judgement."""
        raise NotImplementedError

    def judge(self, candidate: Candidate, text: str) -> RecognizerResult | None:
        """The result `candidate` stands for in `text`, or None: it is no value of the entity."""
        raise NotImplementedError


class MatchJudgingRecognizer(JudgingRecognizer[regex.Match[str]]):
    """A recognizer of `ENTITY` that judges each match of `PATTERNS` (`OVERLAPPED`: also the matches that
    start inside another, where a label-like word before must not hide the label after it)."""

    PATTERNS: ClassVar[list[Pattern]] = []
    ENTITY: ClassVar[str] = ""
    OVERLAPPED: ClassVar[bool] = False

    def __init__(self) -> None:
        # Case matters (a capital starts a name): no IGNORECASE, unlike Presidio's default.
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            patterns=self.PATTERNS,
            global_regex_flags=regex.MULTILINE,
        )
        self._compiled = [regex.compile(p.regex, regex.MULTILINE) for p in self.PATTERNS]

    def candidates(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None, regex_flags: int | None
    ) -> Iterable[regex.Match[str]]:
        for rx in self._compiled:
            yield from rx.finditer(text, overlapped=self.OVERLAPPED)


class ResultJudgingRecognizer(JudgingRecognizer[RecognizerResult]):
    """A pattern recognizer whose `judge` rescores each of Presidio's results, or drops it (None)."""

    def candidates(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None, regex_flags: int | None
    ) -> Iterable[RecognizerResult]:
        return PatternRecognizer.analyze(self, text, entities, nlp_artifacts, regex_flags)
