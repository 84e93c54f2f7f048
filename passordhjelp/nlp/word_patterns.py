"""Regular expressions over a message's lower-case words joined by single spaces ("can't" ->
"can t"), read from a YAML file beside the reading that uses them: one loader for the readings
that are lists of such patterns (how_to_change, process_question, request_withdrawn)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Tuple

import yaml

from passordhjelp.nlp.words import words_of


@lru_cache(maxsize=None)
def _file(path: Path) -> Dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def patterns(path: Path, key: str) -> Tuple[re.Pattern[str], ...]:
    """The patterns under ``key``: a list, or a list per language (``en:``, ``nb:``)."""
    raw = _file(path)[key]
    listed = [p for language in raw.values() for p in language] if isinstance(raw, dict) else raw
    return tuple(re.compile(pattern) for pattern in listed)


@lru_cache(maxsize=None)
def words(path: Path, key: str) -> frozenset:
    """The space-separated words under ``key``."""
    return frozenset(str(_file(path)[key]).split())


def joined_words(text: str) -> str:
    """The message's lower-case words joined by single spaces, as the patterns read them."""
    return " ".join(words_of(text))


def any_match(found: Tuple[re.Pattern[str], ...], joined: str) -> bool:
    return any(pattern.search(joined) for pattern in found)
