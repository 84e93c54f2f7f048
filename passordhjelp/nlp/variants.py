"""Reads dialect, chat and loan-word spellings as the standard word ("gløymt" -> glemt).

The standard word becomes each token's NORM, which the Matcher patterns of this
package match on (``on_norms``), and the word the lemma is looked up by: the
classifier sees "æ har gløymt passordet" as "jeg har glemt passordet", and a
Norwegian word written without æ, ø, å ("laast", "pa") as the word with them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Dict, FrozenSet, Iterable, Optional

import yaml
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

ENGLISH_STOP_WORDS: FrozenSet[str] = frozenset(STOP_WORDS)

_VARIANTS_FILE = Path(__file__).with_name("variants.yml")
# ASCII spellings of the Norwegian letters, most common first.
_FOLDS = (
    {"æ": "ae", "ø": "o", "å": "a"},
    {"æ": "ae", "ø": "oe", "å": "aa"},
    {"æ": "e", "ø": "o", "å": "a"},
    {"æ": "a", "ø": "o", "å": "aa"},
)


def _fold(word: str, table: Dict[str, str]) -> str:
    return "".join(table.get(c, c) for c in word)


@lru_cache(maxsize=1)
def _raw() -> Dict[str, Any]:
    raw: Dict[str, Any] = yaml.safe_load(_VARIANTS_FILE.read_text(encoding="utf-8"))
    return raw


def variant_table(language: str) -> Dict[str, str]:
    """Variant -> standard word for ``language`` ("en" or "nb"), from variants.yml.

    Raises:
        ValueError: a variant listed under two standard words.
    """
    table: Dict[str, str] = {}
    for standard, variants in _raw()[language].items():
        for variant in variants or []:
            variant = str(variant).lower()
            if table.get(variant, standard) != standard:
                raise ValueError(f"{variant!r} is listed under {table[variant]!r} and {standard!r}")
            table[variant] = str(standard)
    return table


def folded_table(words: Iterable[str], known: FrozenSet[str]) -> Dict[str, str]:
    """ASCII spelling -> Norwegian word, for ``words`` with æ, ø or å.

    A spelling that is itself a known word ("for", "sa", "var") is left alone, and so
    is one that two of the words share.
    """
    table: Dict[str, str] = {}
    ambiguous = set()
    for word in words:
        if not any(c in word for c in "æøå"):
            continue
        for fold in _FOLDS:
            ascii_form = _fold(word, fold)
            if ascii_form in known:
                continue
            if table.get(ascii_form, word) != word:
                ambiguous.add(ascii_form)
            table[ascii_form] = word
    return {form: word for form, word in table.items() if form not in ambiguous}


_LONG_ENOUGH_TO_DROP = 7


def slip_table(words: Iterable[str], known: FrozenSet[str]) -> Dict[str, str]:
    """Slip of the finger -> word, for ``words`` (variants.yml's ``slip_words``).

    Two neighbouring letters swapped after the first ("fogrot"), in words of five
    letters or more, or one letter dropped inside a word of seven or more ("pasword"):
    a dropped letter in a shorter word too often makes another word ("huske" ->
    "huke"). A slip that is itself a known word, or that two of the
    words share, is left alone.
    """
    table: Dict[str, str] = {}
    ambiguous = set()
    for word in words:
        if len(word) < 5:
            continue
        slips = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)}
        if len(word) >= _LONG_ENOUGH_TO_DROP:
            slips |= {word[:i] + word[i + 1 :] for i in range(1, len(word) - 1)}
        for slip in slips - {word} - known:
            if table.get(slip, word) != word:
                ambiguous.add(slip)
            table[slip] = word
    return {slip: word for slip, word in table.items() if slip not in ambiguous}


def glued_table(
    answers: Iterable[str], courtesy: Iterable[str], known: FrozenSet[str], variants: Dict[str, str]
) -> Dict[str, str]:
    """A yes or no glued to a courtesy word -> the answer's standard word ("jatakk" -> ja,
    "nothanks" -> no); a glued form that is a known word is left alone."""
    return {
        answer + word: variants.get(answer, answer)
        for answer in answers
        for word in courtesy
        if answer + word not in known
    }


def norm_table(
    language: str, lexicon: Iterable[str], stop_words: Iterable[str] = ()
) -> Dict[str, str]:
    """Every spelling read as another word in ``language``: variants, then ASCII folds.

    Args:
        language: "en" or "nb".
        lexicon: the words the language's pipeline knows (stop words, lemma table),
            which ASCII folding never starts from.
        stop_words: the language's stop words, which it may lead to (besides
            variants.yml's ``fold_words`` and standard words).
    """
    variants = variant_table(language)
    known = frozenset(lexicon) | frozenset(stop_words) | frozenset(variants)
    slips = slip_table(_raw()["slip_words"][language], known | ENGLISH_STOP_WORDS)
    glued = _raw()["glued_answers"][language]
    slips.update(glued_table(glued["answers"], glued["courtesy"], known, variants))
    if language != "nb":
        return {**slips, **variants}
    # English words too: Norwegian messages borrow them ("last", "pass").
    known = frozenset(lexicon) | ENGLISH_STOP_WORDS | frozenset(_raw()["not_folded"])
    targets = set(_raw()["fold_words"]) | set(stop_words) | set(variants.values())
    folds = folded_table(targets, known | frozenset(variants))
    # "glomt" folds to the dialect "glømt", which stands for "glemt".
    return {**slips, **{form: variants.get(word, word) for form, word in folds.items()}, **variants}


def clitic_table(language: str) -> Dict[str, str]:
    """Glued spoken endings -> the written ending for ``language`` ("'n" -> "en")."""
    return {str(k): str(v) for k, v in (_raw().get("clitics", {}).get(language) or {}).items()}


def on_norms(patterns: Any) -> Any:
    """Matcher patterns with every LOWER key read as NORM, so variants match too."""
    if isinstance(patterns, dict):
        return {("NORM" if k == "LOWER" else k): on_norms(v) for k, v in patterns.items()}
    if isinstance(patterns, list):
        return [on_norms(p) for p in patterns]
    return patterns


class NormalisingTokenizer:
    """Wraps a spaCy tokenizer: each token's NORM is its standard word, else its lower case.

    spaCy's own norms (English "n't" -> "not") are replaced by the lower case, so
    a NORM pattern matches what a LOWER pattern did, plus the variants.
    """

    def __init__(
        self,
        tokenizer: Callable[[str], Doc],
        table: Dict[str, str],
        clitics: Optional[Dict[str, str]] = None,
    ) -> None:
        self.tokenizer = tokenizer
        self.table = table
        self.clitics = clitics or {}
        # A word's norm depends on the word alone: worked out once per word and kept.
        self._norm = lru_cache(maxsize=50_000)(self._norm_of)

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        norm = self._norm
        for token in doc:
            token.norm_ = norm(token.lower_)
        return doc

    def _norm_of(self, lower: str) -> str:
        word = self._unglued(lower)
        return self.table.get(word, word)

    def _unglued(self, word: str) -> str:
        for ending, written in self.clitics.items():
            if word.endswith(ending) and len(word) > len(ending) + 1:
                return word[: -len(ending)] + written
        return word

    def __getattr__(self, name: str) -> Any:
        # spaCy reaches into its tokenizer (pipe, explain, to_disk): pass through.
        return getattr(self.tokenizer, name)
