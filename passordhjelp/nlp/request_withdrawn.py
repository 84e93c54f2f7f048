"""Whether a message names a reset request and takes it back ("revoke my request", "Fjern saken
med referanse PH-3390"): a withdrawal, however the classifier reads the request's words
(request_withdrawn.yml)."""

from __future__ import annotations

from pathlib import Path

from passordhjelp.nlp.word_patterns import any_match, joined_words, patterns

_PATTERNS_FILE = Path(__file__).with_name("request_withdrawn.yml")


def withdraws_request(text: str) -> bool:
    """A reset request named with a verb that takes it back."""
    return any_match(patterns(_PATTERNS_FILE, "withdrawn"), joined_words(text))


def refuses_sending(text: str) -> bool:
    """Session 23: sending a request refused outright ("Ikke send noe", "don't file anything")."""
    return any_match(patterns(_PATTERNS_FILE, "sending_refused"), joined_words(text))
