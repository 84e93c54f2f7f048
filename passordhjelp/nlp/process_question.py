"""Whether a message asks about the reset process in general rather than about the chatter's own
request ("hvor lenge må jeg vente på nytt passord?", "who handles reset requests?"): the
classifier reads such questions as status questions (process_question.yml)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict

import yaml

from passordhjelp.nlp.words import words_of

_PATTERNS_FILE = Path(__file__).with_name("process_question.yml")


@lru_cache(maxsize=1)
def _patterns() -> Dict[str, Any]:
    raw = yaml.safe_load(_PATTERNS_FILE.read_text(encoding="utf-8"))
    return {
        "process": tuple(
            re.compile(pattern) for language in raw["process"].values() for pattern in language
        ),
        "own": tuple(re.compile(pattern) for pattern in raw["own"]),
    }


def asks_about_process(text: str) -> bool:
    """A question shaped as one about the process, pointing at no request already made."""
    joined = " ".join(words_of(text))
    patterns = _patterns()
    return any(p.search(joined) for p in patterns["process"]) and not any(
        p.search(joined) for p in patterns["own"]
    )
