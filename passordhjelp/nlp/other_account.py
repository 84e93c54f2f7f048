"""Finds requests about someone else's account ("reset Bob's password", "passordet til Kari")."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml
from spacy.matcher import Matcher

from passordhjelp.nlp.pipelines import SUPPORTED_LANGUAGES, pipeline

_PATTERNS_FILE = Path(__file__).with_name("other_account_patterns.yml")


@dataclass(frozen=True)
class Mention:
    """Where in the text another person's account is named."""

    start: int
    end: int
    text: str


@lru_cache(maxsize=None)
def _matcher(language: str) -> Matcher:
    patterns = yaml.safe_load(_PATTERNS_FILE.read_text(encoding="utf-8"))[language]
    matcher = Matcher(pipeline(language).vocab)
    for name, alternatives in patterns.items():
        matcher.add(name, alternatives)
    return matcher


def find_other_account(text: str) -> Optional[Mention]:
    """The first mention of another person's account, in either language's patterns.

    Both languages are tried because people mix them ("reset passordet til Kari").
    """
    for language in SUPPORTED_LANGUAGES:
        doc = pipeline(language).make_doc(text)
        matches = _matcher(language)(doc, as_spans=True)
        if matches:
            span = min(matches, key=lambda s: (s.start_char, -len(s)))
            return Mention(span.start_char, span.end_char, span.text)
    return None
