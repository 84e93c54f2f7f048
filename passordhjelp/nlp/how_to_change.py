"""Whether a message asks how to change the chatter's own password ("how do I do it", "hvor
bytter jeg?"): a change, though the classifier may read a how-question as one about the reset
process (how_to_change.yml)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict

import yaml

from passordhjelp.nlp.words import words_of

_PATTERNS_FILE = Path(__file__).with_name("how_to_change.yml")


@lru_cache(maxsize=1)
def _patterns() -> Dict[str, Any]:
    raw = yaml.safe_load(_PATTERNS_FILE.read_text(encoding="utf-8"))
    return {
        "asks_how": tuple(
            re.compile(pattern) for language in raw["asks_how"].values() for pattern in language
        ),
        "blockers": frozenset(raw["blockers"].split()),
    }


def asks_how_to_change(text: str) -> bool:
    """A how-question about changing a password, with no user or administrator named."""
    words = words_of(text)
    if set(words) & _patterns()["blockers"]:
        return False
    joined = " ".join(words)
    return any(pattern.search(joined) for pattern in _patterns()["asks_how"])
