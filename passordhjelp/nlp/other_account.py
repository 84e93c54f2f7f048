"""Finds requests about someone else's account ("reset Bob's password", "passordet til Kari")."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Optional

import yaml
from spacy.matcher import Matcher
from spacy.tokens import Span

from passordhjelp.nlp.pipelines import (
    SUPPORTED_LANGUAGES,
    first_names,
    names_after_preposition,
    pipeline,
    plain_doc,
)
from passordhjelp.nlp.third_person import find_third_person
from passordhjelp.nlp.variants import on_norms

_PATTERNS_FILE = Path(__file__).with_name("other_account_patterns.yml")


@dataclass(frozen=True)
class Mention:
    """Where in the text another person's account is named."""

    start: int
    end: int
    text: str
    # other_account: someone else's account wherever it is said (refused at once);
    # third_person: another person named, a role or a pronoun, which only at the
    # offer or the confirmation means someone else's account.
    entity: str = "other_account"


def _with_name_lists(patterns: Any) -> Any:
    """The patterns with the placeholders FIRST_NAMES and NAMES_AFTER_PREPOSITION replaced
    by those lists (first_names.yml), for names written in lower case ("kari nordmann's
    password"), which no capital tells, and USER_HANDLE by the shape of a user name
    ("john.smith"; session 23), written once for every pattern that names one."""
    lists: Dict[str, Any] = {
        "FIRST_NAMES": sorted(first_names()),
        "NAMES_AFTER_PREPOSITION": sorted(names_after_preposition()),
        "USER_HANDLE": {"REGEX": _patterns_file()["user_handle_shape"]},
    }
    if isinstance(patterns, dict):
        return {key: _with_name_lists(value) for key, value in patterns.items()}
    if isinstance(patterns, list):
        return [_with_name_lists(value) for value in patterns]
    return lists.get(patterns, patterns) if isinstance(patterns, str) else patterns


@lru_cache(maxsize=1)
def _patterns_file() -> Dict[str, Any]:
    raw: Dict[str, Any] = yaml.safe_load(_PATTERNS_FILE.read_text(encoding="utf-8"))
    return raw


def _owns_a_thing(span: Span) -> bool:
    """Whether a possessive match names a thing of the person, not their account ("my
    assistant's laptop")."""
    after = span.doc[span.end : span.end + 1]
    things = _patterns_file()["things_not_accounts"]
    return bool(after) and span[-1].lower_ in ("'s", "’s") and after[0].lower_ in things


@lru_cache(maxsize=None)
def _matcher(language: str) -> Matcher:
    patterns = _patterns_file()[language]
    matcher = Matcher(pipeline(language).vocab)
    for name, alternatives in patterns.items():
        matcher.add(name, on_norms(_with_name_lists(alternatives)))
    return matcher


def find_other_account(text: str) -> Optional[Mention]:
    """The first mention of another person's account, in either language's patterns.

    Both languages are tried because people mix them ("reset passordet til Kari").
    Besides the patterns here, a third person in trouble counts ("my colleague
    forgot her password", "Kari er låst ute": ``third_person``, strong reading).
    """
    third = find_third_person(text)
    for language in SUPPORTED_LANGUAGES:
        found = _matcher(language)(plain_doc(language, text), as_spans=True)
        matches = [span for span in found if not _owns_a_thing(span)]
        if matches:
            span = min(matches, key=lambda s: (s.start_char, -len(s)))
            # Session 23: a third person in trouble told before it stays the first mention
            # ("kollegaen min har glemt passordet til kari.nordmann", the chatter's own name).
            if third is not None and third.start < span.start_char:
                break
            return Mention(span.start_char, span.end_char, span.text)
    return Mention(third.start, third.end, third.text) if third else None


def find_account_mention(text: str) -> Optional[Mention]:
    """Someone else's account (``other_account``), else a looser mention of a third
    person (``third_person``: "yes, for Kari", "ja, det er til sjefen"), else None."""
    mention = find_other_account(text)
    if mention is not None:
        return mention
    third = find_third_person(text, loose=True)
    return Mention(third.start, third.end, third.text, "third_person") if third else None
