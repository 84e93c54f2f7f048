"""Whether a message with a pasted password in it says that password no longer works.

"It was [secret removed] but it doesn't work any more" is read as vague password
trouble, and "do you still know your current password?" then gets a "yes" (the one
they pasted) that leads to the change steps, which need a working password. A
password the chatter knows that fails is one they need reset: the forgotten path,
whose offer files only after two clear yeses.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import FrozenSet

import yaml

from passordhjelp.nlp.words import words_of
from passordhjelp.placeholder import PLACEHOLDER

_WORDS_FILE = Path(__file__).with_name("pasted_password.yml")


@lru_cache(maxsize=1)
def _fails() -> FrozenSet[str]:
    raw = yaml.safe_load(_WORDS_FILE.read_text(encoding="utf-8"))
    return frozenset((raw["fails"]["en"] + " " + raw["fails"]["nb"]).lower().split())


def pasted_password_fails(text: str) -> bool:
    """A statement with a removed password and a word saying it fails (not a question:
    "would [secret removed] work?" asks something else)."""
    if PLACEHOLDER not in text or "?" in text:
        return False
    rest = text.replace(PLACEHOLDER, " ")
    return bool(set(words_of(rest)) & _fails())
