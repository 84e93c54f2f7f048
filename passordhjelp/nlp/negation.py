"""Marks the words a negator governs, so "not forgotten" is not read as "forgotten"."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict

import yaml
from spacy.tokens import Doc, Token

NEGATED_PREFIX = "neg_"
_SETTINGS = Path(__file__).with_name("negation.yml")


@lru_cache(maxsize=1)
def _settings() -> Dict[str, dict]:
    return yaml.safe_load(_SETTINGS.read_text(encoding="utf-8"))


def _in_concept(token: Token) -> bool:
    """Whether a concept pattern (pipelines.ConceptLemmas) has already read this word."""
    return Token.has_extension("in_concept") and token._.in_concept


class NegationScope:
    """Prefixes the lemma of each content word in a negator's scope with ``neg_``.

    The scope runs from the negator to the next clause boundary (punctuation,
    or a word such as "but"/"men"), at most ``max_scope`` words. Stop words and
    topic words ("password", "konto") keep their lemma; words a concept
    pattern matched ("can't remember" -> forget) are left alone, since that
    pattern has read the negation. In Norwegian the negated verb
    often comes before "ikke" ("glemte (jeg) ikke"), so up to ``look_back``
    words before it are searched for the first content word (in English only before
    "nothing": "forgot nothing"). A boundary word
    right after the negator that makes the clause behind it the negated thing
    ("not because I forgot", "ikke fordi jeg har glemt") is a ``bridge``: the
    scope goes on past it.
    """

    def __init__(self, language: str) -> None:
        settings = _settings()[language]
        self.negators = frozenset(settings["negators"])
        self.not_first = frozenset(settings["not_first"])
        self.boundaries = frozenset(settings["boundaries"])
        self.bridges = frozenset(settings["bridges"])
        self.unmarked = frozenset(settings["unmarked"])
        self.people = frozenset(_settings()["people"])
        self.look_back = settings["look_back"]
        # The negators that look back; all of them when the list is not given.
        self.look_back_negators = frozenset(settings.get("look_back_negators", self.negators))
        self.max_scope = settings["max_scope"]

    def _is_negator(self, token: Token) -> bool:
        word = token.norm_
        if word not in self.negators or _in_concept(token):
            return False
        return not (word in self.not_first and token.i == 0)

    def _ends_clause(self, token: Token) -> bool:
        return token.is_punct or token.norm_ in self.boundaries or token.is_space

    def _mark(self, token: Token, people: bool = False) -> bool:
        """Marks ``token`` if it is a content word; tells whether it was one.

        With ``people``, a person a concept pattern read ("colleague") is marked
        too: "not my colleague's" is the chatter's own account.
        """
        lemma = token.lemma_ or token.lower_
        person = people and lemma in self.people
        if (
            token.is_stop
            and not person
            or not token.is_alpha
            and not token.like_num
            or _in_concept(token)
            and not person
            or lemma.startswith(NEGATED_PREFIX)
        ):
            return False
        if token.norm_ not in self.unmarked and lemma.lower() not in self.unmarked:
            token.lemma_ = NEGATED_PREFIX + lemma.lower()
        return True

    def __call__(self, doc: Doc) -> Doc:
        for negator in doc:
            if not self._is_negator(negator):
                continue
            look_back = self.look_back if negator.norm_ in self.look_back_negators else 0
            for token in reversed(doc[max(0, negator.i - look_back) : negator.i]):
                if (
                    self._ends_clause(token)
                    or self._is_negator(token)
                    or token.lemma_ in self.people
                    or self._mark(token)
                ):
                    break
            for token in doc[negator.i + 1 : negator.i + 1 + self.max_scope]:
                if token.i == negator.i + 1 and token.norm_ in self.bridges:
                    continue
                if self._ends_clause(token) or self._is_negator(token):
                    break
                self._mark(token, people=True)
        return doc
