"""Whether a message says outright that the chatter's own password is forgotten.

"Per said I should write here. I've forgotten my password" is read as vague password
trouble, and "do you still know your current password?" asks what the chatter has just
said. A clause with a word of forgetting and a password word right after it, or a phrase of
not remembering ("husker det ikke"), with no negation, condition, doubt or other person
before it in the clause (forgotten_told.yml), tells it: the forgotten path. "I haven't
forgotten my password" still asks.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict

import yaml

from passordhjelp.nlp.clauses import split_clauses

_WORDS_FILE = Path(__file__).with_name("forgotten_told.yml")
_CLAUSE_END = re.compile(r"[,.;:!?]+(?=\s|$)")


@lru_cache(maxsize=1)
def _words() -> Dict[str, Any]:
    raw = yaml.safe_load(_WORDS_FILE.read_text(encoding="utf-8"))

    def both(key: str) -> frozenset:
        return frozenset((raw[key]["en"] + " " + raw[key]["nb"]).lower().split())

    return {
        "within": int(raw["within"]),
        "forgot": both("forgot"),
        "password": both("password"),
        "blockers": both("blockers"),
        "clause_words": frozenset(raw["clause_words"].lower().split()),
        # Each phrase as whole words, compiled once.
        "not_remembered": tuple(
            re.compile(rf"\b{re.escape(phrase)}\b")
            for phrase in raw["not_remembered"]["en"] + raw["not_remembered"]["nb"]
        ),
    }


def tells_forgotten(text: str) -> bool:
    """A clause that tells the chatter's password is forgotten ("I've forgotten my
    Microsoft password", "har glemt passordet mitt", "men jeg husker det ikke"), with
    nothing before it in the clause that negates, doubts or names another person."""
    listed = _words()
    for clause in split_clauses(text, _CLAUSE_END, listed["clause_words"]):
        joined = " ".join(clause)
        for pattern in listed["not_remembered"]:
            found = pattern.search(joined)
            if not found:
                continue
            # Nothing before it that blocks, nor right after it ("I can't remember if ...").
            around = joined[: found.start()].split() + joined[found.end() :].split()[:1]
            if not set(around) & listed["blockers"]:
                return True
        for position, word in enumerate(clause):
            after = clause[position + 1 : position + 1 + listed["within"]]
            if (
                word in listed["forgot"]
                and set(after) & listed["password"]
                and not set(clause[:position]) & listed["blockers"]
                and not set(after) & listed["blockers"]
            ):
                return True
    return False
