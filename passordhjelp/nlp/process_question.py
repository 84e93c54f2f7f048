"""Whether a message asks about the reset process in general rather than about the chatter's own
request ("hvor lenge må jeg vente på nytt passord?", "who handles reset requests?"): the
classifier reads such questions as status questions (process_question.yml)."""

from __future__ import annotations

from pathlib import Path

from passordhjelp.nlp.word_patterns import any_match, joined_words, patterns

_PATTERNS_FILE = Path(__file__).with_name("process_question.yml")


def asks_about_process(text: str) -> bool:
    """A question shaped as one about the process, pointing at no request already made."""
    joined = joined_words(text)
    return any_match(patterns(_PATTERNS_FILE, "process"), joined) and not any_match(
        patterns(_PATTERNS_FILE, "own"), joined
    )


def asks_if_remembered_later(text: str) -> bool:
    """Session 23: a question with remembering as its condition ("what happens if I remember it
    later?"), not a remembering told: the classifier reads it as remembering it after all."""
    return any_match(patterns(_PATTERNS_FILE, "remembered_if"), joined_words(text))
