"""Known words up to a typo: "thnaks" and "takkkk" are known, "qwpoeiru" is not."""

from __future__ import annotations

import re
from typing import FrozenSet, Iterable, Set

# Shorter words have too many neighbours one edit away to count as typos.
MIN_TYPO_LENGTH = 4
_REPEATS = re.compile(r"(.)\1{2,}")
# Playful endings on small talk ("hallois", "heisann", "takkers", "thanksies"): a known
# word of at least three letters with one of these is known.
PLAYFUL_SUFFIXES = ("is", "isen", "sann", "ers", "ern", "ies", "ski")
_PLAYFUL_STEM = 3


def _deletes(word: str) -> Set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Vocabulary:
    """Words seen in training, matched exactly or within one typo (symmetric deletes).

    A word matches when it is a known word after collapsing letters repeated
    three or more times ("takkkk" -> "takk"), when it is a known word with a
    playful ending (``PLAYFUL_SUFFIXES``), or when it and a known word of
    at least ``MIN_TYPO_LENGTH`` letters are one deletion apart from a common
    form: one letter missing, added, changed or two swapped.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.words: FrozenSet[str] = frozenset(w.lower() for w in words if w)
        self._deleted = frozenset(
            d for w in self.words if len(w) >= MIN_TYPO_LENGTH for d in _deletes(w)
        )

    def __contains__(self, word: str) -> bool:
        word = word.lower()
        if word in self.words:
            return True
        for form in {word, _REPEATS.sub(r"\1\1", word), _REPEATS.sub(r"\1", word)}:
            if form in self.words:
                return True
        if any(
            word.endswith(suffix)
            and len(word) - len(suffix) >= _PLAYFUL_STEM
            and word[: -len(suffix)] in self.words
            for suffix in PLAYFUL_SUFFIXES
        ):
            return True
        if len(word) < MIN_TYPO_LENGTH:
            return False
        if word in self._deleted:
            return True
        return any(d in self.words or d in self._deleted for d in _deletes(word))
