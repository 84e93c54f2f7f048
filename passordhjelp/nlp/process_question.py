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


def asks_to_file_now(text: str) -> bool:
    """Session 23: a request asked for now ("Send forespørsel om tilbakestilling, takk."), with no
    earlier request pointed at: the classifier reads the request's words as a status question."""
    joined = joined_words(text)
    return any_match(patterns(_PATTERNS_FILE, "filing_asked"), joined) and not any_match(
        patterns(_PATTERNS_FILE, "filed_before"), joined
    )


def asks_about_temporary_password(text: str) -> bool:
    """Session 23: a question about the temporary password an admin sets ("Do I get a temporary
    password first?"): the process, which the words of changing or forgetting hide."""
    return any_match(patterns(_PATTERNS_FILE, "temporary_password"), joined_words(text))
