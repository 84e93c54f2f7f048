"""Whether a message is a thanks that closes the topic ("ok, thanks, that was all").

A closing thanks with a few more words ("that was all I was after", "da vet jeg det")
may be read as a wish to change the password ("wanted" is a change word), and the
chatter gets steps they never asked for. A message that opens with thanks and names
nothing of passwords, accounts or requests (closing_thanks.yml) asks for nothing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet

import yaml

from passordhjelp.nlp.words import words_of

_WORDS_FILE = Path(__file__).with_name("closing_thanks.yml")


@lru_cache(maxsize=1)
def _words() -> Dict[str, FrozenSet[str]]:
    raw = yaml.safe_load(_WORDS_FILE.read_text(encoding="utf-8"))
    return {key: frozenset(raw[key].lower().split()) for key in ("thanks", "openers", "topic")}


def closes_with_thanks(text: str) -> bool:
    """A statement that opens with thanks (after openers such as "ok", "flott") and
    has no word of the domain in it."""
    if "?" in text:
        return False
    words = words_of(text)
    listed = _words()
    first = next((word for word in words if word not in listed["openers"]), None)
    return first in listed["thanks"] and not set(words) & listed["topic"]
