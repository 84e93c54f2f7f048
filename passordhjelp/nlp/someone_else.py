"""Whether a message brings in anyone but the chatter, for intents about someone else's account.

The classifier sometimes reads a terse account of one's own trouble as someone
else's ("locked out cant log in teams forgot pw", "jeg er låst ute, husker ikke
passordet") and the assistant then refuses the chatter their own request. An
intent about another person's account needs another person in the message: a
pronoun, a role, a user or employee, a capitalised first name (words in
someone_else.yml and third_person_patterns.yml, first names in first_names.yml).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import FrozenSet

import yaml

from passordhjelp.nlp.pipelines import SUPPORTED_LANGUAGES, first_names
from passordhjelp.nlp.third_person import (
    find_third_person,
    person_words,
    strong_spans,
)
from passordhjelp.nlp.words import WORD, words_of

_WORDS_FILE = Path(__file__).with_name("someone_else.yml")


@lru_cache(maxsize=1)
def _words() -> dict:
    raw = yaml.safe_load(_WORDS_FILE.read_text(encoding="utf-8"))
    anyone = set(person_words())
    for language in SUPPORTED_LANGUAGES:
        anyone |= set(raw["anyone"][language].lower().split())
    return {
        "anyone": frozenset(anyone),
        "first_person": frozenset(raw["first_person"].lower().split()),
        "trouble": frozenset(raw["trouble"].lower().split()),
    }


def _names(text: str) -> FrozenSet[str]:
    """Capitalised words that are common first names ("Kari", "Ola")."""
    return frozenset(w.lower() for w in WORD.findall(text) if w[:1].isupper()) & first_names()


def _norwegian_here(text: str) -> bool:
    """Whether "her" in the text is Norwegian "here" ("begynte her på mandag", "Ny her, har aldri
    fått passord"): the message is Norwegian (session 18)."""
    from passordhjelp.language import language_of

    return language_of(text) == "nb"


def mentions_anyone_else(text: str) -> bool:
    """Whether the message names or points at a person other than the chatter."""
    words = set(words_of(text))
    if "her" in words and _norwegian_here(text):
        words.discard("her")
    return bool(words & _words()["anyone"] or _names(text) or find_third_person(text, loose=True))


def tells_own_trouble(text: str) -> bool:
    """A first-person word and a trouble word ("I'm locked out", "jeg har glemt det").

    Words inside a strong third-person reading are not the chatter's: in "my manager
    is locked out and asked me to sort it" the trouble is the manager's.
    """
    # (Every strong match: "reset-forespørsel for kollegaen min? Han har glemt" has two.)
    for start, end in sorted(strong_spans(text), reverse=True):
        text = f"{text[:start]} {text[end:]}"
    words = set(words_of(text))
    return bool(words & _words()["first_person"] and words & _words()["trouble"])
