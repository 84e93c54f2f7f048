"""Which language a message is in: English or Norwegian Bokmål, kept when unclear."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, NamedTuple, Optional, Tuple, cast

import yaml
from spacy.lookups import Table
from spacy.pipeline import Lemmatizer
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.nb.stop_words import STOP_WORDS as NORWEGIAN_STOP_WORDS

from passordhjelp.nlp.pipelines import SUPPORTED_LANGUAGES, message_words, pipeline

_WORDS_FILE = Path(__file__).with_name("nlp") / "language_words.yml"
_NORWEGIAN_LETTERS = frozenset("æøå")
# A Norwegian ending counts on a stem of at least this many letters ("lat-er" does not).
_MIN_STEM = 3


@lru_cache(maxsize=1)
def _words_file() -> Dict[str, Any]:
    """language_words.yml, read once for the vocabulary, the neutral words and the morphology."""
    raw: Dict[str, Any] = yaml.safe_load(_WORDS_FILE.read_text(encoding="utf-8"))
    return raw


@lru_cache(maxsize=1)
def _vocabulary() -> Dict[str, Tuple[FrozenSet[str], FrozenSet[str]]]:
    """Per language: (strong words, weak words). Words both languages use count for neither."""
    raw = _words_file()
    strong = {
        "en": set(raw["en"]["strong"]) | set(ENGLISH_STOP_WORDS),
        "nb": set(raw["nb"]["strong"]) | set(NORWEGIAN_STOP_WORDS),
    }
    weak = {language: set(raw[language]["weak"]) for language in SUPPORTED_LANGUAGES}
    shared = set(raw["shared"])
    for language, other in (("en", "nb"), ("nb", "en")):
        shared |= strong[language] & strong[other]
    return {
        language: (frozenset(strong[language] - shared), frozenset(weak[language] - shared))
        for language in SUPPORTED_LANGUAGES
    }


@lru_cache(maxsize=1)
def _neutral_words() -> FrozenSet[str]:
    """Words that tell neither language (language_words.yml ``shared``), by form neither."""
    return frozenset(_words_file()["shared"])


def _english_table() -> Table:
    return cast(Lemmatizer, pipeline("en").get_pipe("lemmatizer")).lookups.get_table("lemma_lookup")


@lru_cache(maxsize=1)
def _english_lemmas() -> FrozenSet[str]:
    """Base forms English has (the inflected ones are the lookup table's keys)."""
    return frozenset({str(lemma) for lemma in _english_table().values()} | set(ENGLISH_STOP_WORDS))


def _is_english(word: str) -> bool:
    """English has the word: a stop word, or a form or lemma of spaCy's English lookup table."""
    return word in _english_lemmas() or word in _english_table()


@lru_cache(maxsize=1)
def _norwegian_morphology() -> Tuple[Tuple[str, ...], Tuple[str, ...], Tuple[str, ...]]:
    """(endings on a known stem, endings that tell alone, compound heads): language_words.yml."""
    raw = _words_file()["nb"]["morphology"]
    return (
        tuple(raw["endings_on_known_stem"]),
        tuple(raw["endings"]),
        tuple(raw["compound_heads"]),
    )


@lru_cache(maxsize=16384)
def _norwegian_form(word: str) -> bool:
    """A word English doesn't have, inflected or compounded the Norwegian way: a definite or
    plural ending on a stem either language knows ("requesten", "resetten", "chatten"), a
    definite plural ("notatene", "feriepengane") or a compound of a Norwegian word
    ("passordgreier"). Such a word hints at Norwegian as a borrowed noun does."""
    if _is_english(word):
        return False
    on_known_stem, telling, heads = _norwegian_morphology()
    norwegian_strong, norwegian_weak = _vocabulary()["nb"]

    def known(stem: str) -> bool:
        return stem in norwegian_strong or stem in norwegian_weak or _is_english(stem)

    for ending in on_known_stem:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= _MIN_STEM:
            if known(stem) or (stem[-1] == stem[-2] and known(stem[:-1])):
                return True
    if any(word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM for ending in telling):
        return True
    return any(word.startswith(head) and len(word) > len(head) + 2 for head in heads)


# A message tells its language clearly with at least two words only that language
# uses and more than twice the other language's score; "ok gotta run" (spaCy reads
# "got ta") or "ja, go for it" only hints, and a hint does not switch a
# conversation's language (passordhjelp/language_switch.py).
_CLEAR_SCORE = 4
_CLEAR_RATIO = 2


class LanguageReading(NamedTuple):
    """A message's language read once: ``language_of(text)``, ``language_of(text,
    clearly=True)`` and the words they were read from (None when the text was not read:
    empty, or a button payload)."""

    language: Optional[str]
    clearly: Optional[str]
    words: Optional[List[str]]


def read_language(text: str) -> LanguageReading:
    """Both readings of ``language_of`` from one count of the words."""
    if not text or text.lstrip().startswith("/"):
        return LanguageReading(None, None, None)
    words = message_words(text)
    scores = _scores(text, words)
    return LanguageReading(_told(scores, clearly=False), _told(scores, clearly=True), words)


def language_of(text: str, *, clearly: bool = False) -> Optional[str]:
    """The language ``text`` is written in, or ``None`` when it doesn't tell.

    Function words and verbs count double, borrowed nouns ("password") once, so
    "glemt password" is Norwegian and "forgot my passord" English; "ok" or a
    button payload tells nothing. With ``clearly``, a message that only hints
    at its language ("ok gotta run, later") tells nothing either.
    """
    reading = read_language(text)
    return reading.clearly if clearly else reading.language


def _scores(text: str, words: List[str]) -> Dict[str, int]:
    vocabulary = _vocabulary()
    scores = {}
    for language, (strong, weak) in vocabulary.items():
        scores[language] = sum(2 if w in strong else 1 if w in weak else 0 for w in words)
    scores["nb"] += sum(
        1
        for w in words
        if w not in _neutral_words() and not _scored(w, vocabulary) and _norwegian_form(w)
    )
    if any(letter in _NORWEGIAN_LETTERS for letter in text.lower()):
        scores["nb"] += 2
    return scores


def _told(scores: Dict[str, int], *, clearly: bool) -> Optional[str]:
    if scores["en"] == scores["nb"]:
        return None
    told = max(scores, key=lambda language: scores[language])
    other = min(scores.values())
    if clearly and (scores[told] < _CLEAR_SCORE or scores[told] <= _CLEAR_RATIO * other):
        return None
    return told


def _scored(word: str, vocabulary: Dict[str, Tuple[FrozenSet[str], FrozenSet[str]]]) -> bool:
    """The word lists already count the word for one of the languages."""
    return any(word in strong or word in weak for strong, weak in vocabulary.values())


def detect_language(text: str, *, previous: Optional[str] = None, default: str = "en") -> str:
    """The language of ``text``, or ``previous`` (else ``default``) when it doesn't tell."""
    fallback = previous if previous in SUPPORTED_LANGUAGES else default
    return language_of(text) or fallback
