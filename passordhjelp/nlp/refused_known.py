"""Whether a message says the chatter knows their password but sign-in refuses it.

"I know my password but it keeps saying it's wrong" is read as vague password trouble, and
"do you still know your current password?" asks what the chatter has just said; a yes to it
led to the change steps, which need the sign-in that fails. A message that tells both (a
phrase of refusal or of failing to sign in, and one of knowing the password or of typing it
right, with no negation,
condition or other person before it in its clause: refused_known.yml) gets the checks a
helpdesk would ask for and then the offer of an admin reset
(``passordhjelp.dialogue_follow_up``). A message that only says the password is refused ("it
keeps saying my password is wrong") is still asked whether the chatter knows it; a yes then
tells both.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Tuple

import yaml

from passordhjelp.nlp.clauses import split_clauses

_WORDS_FILE = Path(__file__).with_name("refused_known.yml")
_CLAUSE_END = re.compile(r"[,.;:!?]+(?=\s|$)")
# How many words after a known or right phrase may undo it ("jeg husker det bare ikke").
_AFTER = 2


def _patterns(phrases: Dict[str, Any]) -> Tuple["re.Pattern[str]", ...]:
    """Each phrase of both languages as whole words, compiled once."""
    return tuple(
        re.compile(rf"\b{re.escape(phrase.lower())}\b") for phrase in phrases["en"] + phrases["nb"]
    )


@lru_cache(maxsize=1)
def _words() -> Dict[str, Any]:
    raw = yaml.safe_load(_WORDS_FILE.read_text(encoding="utf-8"))
    return {
        "refused": _patterns(raw["refused"]),
        "fails": _patterns(raw["fails"]),
        "known": _patterns(raw["known"]),
        "right": _patterns(raw["right"]),
        "blockers": frozenset((raw["blockers"]["en"] + " " + raw["blockers"]["nb"]).split()),
        "not_after": frozenset(raw["not_after"].split()),
        "clause_words": frozenset(raw["clause_words"].lower().split()),
    }


@lru_cache(maxsize=64)
def _clauses(text: str) -> Tuple[str, ...]:
    """The message's clauses, split once: each reading of a message looks at them again."""
    listed = _words()
    return tuple(
        " ".join(clause)
        for clause in split_clauses(text.replace("’", "'"), _CLAUSE_END, listed["clause_words"])
    )


def _told(text: str, kind: str) -> bool:
    """A phrase of ``kind`` in a clause, with no blocker before it in the clause nor in the
    clause's next two words after it."""
    listed = _words()
    blockers, after_blockers = listed["blockers"], listed["blockers"] | listed["not_after"]
    for joined in _clauses(text):
        for pattern in listed[kind]:
            for found in pattern.finditer(joined):
                before = set(joined[: found.start()].split())
                after = set(joined[found.end() :].split()[:_AFTER])
                if not before & blockers and not after & after_blockers:
                    return True
    return False


def _says(text: str, kind: str) -> bool:
    listed = _words()
    return any(pattern.search(joined) for joined in _clauses(text) for pattern in listed[kind])


def tells_refused(text: str) -> bool:
    """Whether the message says sign-in refuses the password ("it keeps saying it's wrong",
    "passordet blir avvist"); "it doesn't work" does not."""
    return _says(text, "refused")


def insists_right(text: str) -> bool:
    """Whether the message says what the chatter types is right ("I'm sure it's right",
    "jeg skriver det riktig")."""
    return _told(text, "right")


def tells_known(text: str) -> bool:
    """Whether the message says the chatter knows the password ("I know my password", "jeg vet
    passordet") or types it right."""
    return _told(text, "known") or insists_right(text)


def refused_though_known(text: str) -> bool:
    """Whether the message says both: the chatter knows the password, and sign-in refuses it
    ("I know my password but it keeps saying it's wrong", "passordet godtas ikke selv om jeg
    skriver det riktig") or fails ("I know my password but I can't sign in")."""
    return (tells_refused(text) or _says(text, "fails")) and tells_known(text)
