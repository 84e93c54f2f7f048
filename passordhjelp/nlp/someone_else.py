"""Whether a message brings in anyone but the chatter, for intents about someone else's account.

The classifier sometimes reads a terse account of one's own trouble as someone
else's ("locked out cant log in teams forgot pw", "jeg er låst ute, husker ikke
passordet") and the assistant then refuses the chatter their own request. An
intent about another person's account needs another person in the message: a
pronoun, a role, a user or employee, a capitalised first name (words in
someone_else.yml and third_person_patterns.yml, first names in first_names.yml).
"""

from __future__ import annotations

import re

from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, List, Tuple

import yaml

from passordhjelp.nlp.pipelines import SUPPORTED_LANGUAGES, first_names
from passordhjelp.nlp.third_person import (
    denied_spans,
    find_third_person,
    others_trouble_spans,
    passing_spans,
    self_spans,
    person_words,
    states_own_change,
    strong_spans,
)
from passordhjelp.nlp.word_patterns import joined_words
from passordhjelp.nlp.words import WORD, words_of

_WORDS_FILE = Path(__file__).with_name("someone_else.yml")


@lru_cache(maxsize=1)
def _words() -> dict:
    raw = yaml.safe_load(_WORDS_FILE.read_text(encoding="utf-8"))
    anyone = set(person_words())
    for language in SUPPORTED_LANGUAGES:
        anyone |= set(raw["anyone"][language].lower().split())
    return {
        "not_people": tuple(raw["not_people"]),
        "plural_endings": tuple(raw["plural_thing_endings"]),
        "anyone": frozenset(anyone),
        "first_person": frozenset(raw["first_person"].lower().split()),
        "trouble": frozenset(raw["trouble"].lower().split()),
        "groups": frozenset(raw["groups"].lower().split()),
        "admin_or_how": frozenset(raw["admin_or_how"].lower().split()),
        "implied_self": re.compile(raw["implied_self"]),
    }


def _names(text: str) -> FrozenSet[str]:
    """Capitalised words that are common first names ("Kari", "Ola")."""
    return frozenset(w.lower() for w in WORD.findall(text) if w[:1].isupper()) & first_names()


def _norwegian_here(text: str) -> bool:
    """Whether "her" in the text is Norwegian "here" ("begynte her på mandag", "Ny her, har aldri
    fått passord"): the message is Norwegian (session 18)."""
    from passordhjelp.language import language_of

    return language_of(text) == "nb"


def _without_idioms(text: str) -> str:
    """The text without phrases that bring in no person ("av en eller annen grunn") and with
    "de" as an article ("alle de passordene") left out (session 20)."""
    lowered = f" {' '.join(words_of(text))} "
    for phrase in _words()["not_people"]:
        lowered = lowered.replace(f" {phrase} ", " ")
    words = lowered.split()
    # ("anyone" holds every person word already: "de kollegaene" keeps its "de".)
    return " ".join(
        word
        for i, word in enumerate(words)
        if not (
            word == "de"
            and i + 1 < len(words)
            and words[i + 1].endswith(_words()["plural_endings"])
            and words[i + 1] not in _words()["anyone"]
        )
    )


def _blanked(text: str, spans: List[Tuple[int, int]], stand_in: str = " ") -> str:
    for start, end in sorted(spans, reverse=True):
        text = f"{text[:start]}{stand_in}{text[end:]}"
    return text


def set_aside(text: str) -> List[Tuple[int, int]]:
    """The spans of people who are no one else's account: the chatter introducing themself ("ny
    ansatt her"), and people in passing ("låner kollegaens PC") when the chatter is in the message
    outside them; "teamlederen får melding om at kontoen er låst" has only the team lead, whose
    account it may be (session 22)."""
    own = self_spans(text)
    passing = passing_spans(text)
    if passing:
        rest = set(words_of(_blanked(text, passing)))
        if not rest & _words()["first_person"] and not _opens_with_own_trouble(text):
            passing = []
    return [*own, *passing]


def mentions_anyone_else(text: str) -> bool:
    """Whether the message names or points at a person other than the chatter.

    Session 22: not the chatter introducing themself ("ny ansatt her, ...") nor a person
    mentioned in passing ("låner kollegaens PC", "my boss told me to"); find_third_person
    leaves those out already.
    """
    text = _blanked(text, set_aside(text))
    words = set(words_of(_without_idioms(text)))
    if "her" in words and _norwegian_here(text):
        words.discard("her")
    return bool(words & _words()["anyone"] or _names(text) or find_third_person(text, loose=True))


def tells_own_trouble(text: str) -> bool:
    """A first-person word and a trouble word ("I'm locked out", "jeg har glemt det").

    Words inside a strong third-person reading are not the chatter's: in "my manager
    is locked out and asked me to sort it" the trouble is the manager's.
    """
    # (Every strong match: "reset-forespørsel for kollegaen min? Han har glemt" has two.)
    return _opens_with_own_trouble(text) or _trouble_outside(text, strong_spans(text))


def _opens_with_own_trouble(text: str) -> bool:
    """Session 23: the trouble first, its subject left out ("låst ute etter for mange forsøk,
    kollegaen min Kari sa du kunne hjelpe"): the chatter's own."""
    return bool(_words()["implied_self"].search(joined_words(text)))


def _trouble_outside(text: str, spans: List[Tuple[int, int]]) -> bool:
    # Session 22: nor inside a denial ("I didn't forget mine"), nor "my" of "my colleague" /
    # "min" of "kollegaen min", which point at the other person, not at the chatter's trouble.
    # (A span left out stands as "someone": "min" after it is the person's, "kollegaen min".)
    words = words_of(_blanked(text, [*spans, *denied_spans(text)], " someone "))
    roles = _words()["anyone"] | _words()["groups"]
    first_person = {
        word
        for i, word in enumerate(words)
        if word in _words()["first_person"]
        and not (i + 1 < len(words) and words[i + 1] in roles)
        and not (i > 0 and words[i - 1] in roles and word in ("min", "mi", "mitt", "mine"))
    }
    return bool(first_person and set(words) & _words()["trouble"])


def mentions_trouble(text: str) -> bool:
    """Whether the message has a word of trouble ("locked", "glemt"), whoever's."""
    return bool(set(words_of(text)) & _words()["trouble"])


def change_after_others_trouble(text: str) -> bool:
    """Whether the chatter wants their own password changed after telling another person's
    trouble, and tells none of their own ("my manager forgot hers, which reminded me to change
    mine", "sjefen glemte sitt, så jeg vil bytte mitt"): the forgetting is the other's (session
    20)."""
    if not states_own_change(text):
        return False
    spans = others_trouble_spans(text)
    return bool(spans) and not _trouble_outside(text, spans)


def asks_to_act(text: str) -> bool:
    """Whether the message has no word of an administrator or of asking how a reset is done
    ("please reset password for user jonas.berg", "kan jeg sende inn en reset-forespørsel for en
    kollega?"): read as an administrator's question about someone else's account, it asks us to
    act for that person (session 23)."""
    return not set(words_of(text)) & _words()["admin_or_how"]
