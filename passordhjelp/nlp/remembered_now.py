"""Whether the message's last word on the password is that it was remembered after all ("had
forgotten it completely, but my notebook had it. all good now", "Glemte det i stad, men husket
det i dusjen"): remembering it after all, however many words of forgetting come before it
(remembered_now.yml)."""

from __future__ import annotations

from pathlib import Path

from passordhjelp.nlp.word_patterns import any_match, joined_words, patterns, words

_PATTERNS_FILE = Path(__file__).with_name("remembered_now.yml")


def remembered_after_all(text: str) -> bool:
    """A remembering with no blocker in the three words before it, nothing lost after it and no
    wish for a new password (remembering then changing is a change)."""
    joined = joined_words(text)
    if any_match(patterns(_PATTERNS_FILE, "wish"), joined):
        return False
    blockers = words(_PATTERNS_FILE, "blockers")
    lost_after = patterns(_PATTERNS_FILE, "lost_after")
    for pattern in patterns(_PATTERNS_FILE, "remembered"):
        for found in pattern.finditer(joined):
            before = set(joined[: found.start()].split()[-3:])
            if not before & blockers and not any_match(lost_after, joined[found.end() :]):
                return True
    return False
