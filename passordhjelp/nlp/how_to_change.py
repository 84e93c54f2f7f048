"""Whether a message asks how to change the chatter's own password ("how do I do it", "hvor
bytter jeg?"): a change, though the classifier may read a how-question as one about the reset
process (how_to_change.yml)."""

from __future__ import annotations

from pathlib import Path

from passordhjelp.nlp.word_patterns import any_match, joined_words, patterns, words

_PATTERNS_FILE = Path(__file__).with_name("how_to_change.yml")


def asks_how_to_change(text: str) -> bool:
    """A how-question about changing a password, with no user or administrator named."""
    joined = joined_words(text)
    if set(joined.split()) & words(_PATTERNS_FILE, "blockers"):
        return False
    return any_match(patterns(_PATTERNS_FILE, "asks_how"), joined)
