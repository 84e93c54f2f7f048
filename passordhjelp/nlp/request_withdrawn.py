"""Whether a message names a reset request and takes it back ("revoke my request", "Fjern saken
med referanse PH-3390"): a withdrawal, however the classifier reads the request's words
(request_withdrawn.yml)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Tuple

import yaml

from passordhjelp.nlp.words import words_of

_PATTERNS_FILE = Path(__file__).with_name("request_withdrawn.yml")


@lru_cache(maxsize=1)
def _patterns() -> Tuple[re.Pattern[str], ...]:
    raw = yaml.safe_load(_PATTERNS_FILE.read_text(encoding="utf-8"))
    return tuple(re.compile(pattern) for pattern in raw["withdrawn"])


def withdraws_request(text: str) -> bool:
    """A reset request named with a verb that takes it back."""
    joined = " ".join(words_of(text))
    return any(pattern.search(joined) for pattern in _patterns())
