"""Whether a message switches the conversation's language (applied inside Rasa by
runtime/language_slot.py).

The tokenizer marks a message that only hints at its language ("ok gotta run,
later", "ja, go for it": passordhjelp/language.py) with the role ``hint``; such a
message sets a new conversation's language but does not switch it.
"""

from __future__ import annotations

from typing import Optional


def kept_language(previous: Optional[str], told: str, *, clear: bool) -> str:
    """The conversation's language after a message that tells ``told``: a
    message that only hints at another language keeps the one already set."""
    if previous and not clear:
        return previous
    return told
