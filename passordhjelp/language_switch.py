"""Whether a message switches the conversation's language (applied inside Rasa by
runtime/language_slot.py).

The tokenizer marks a message that only hints at its language ("ok gotta run,
later", "ja, go for it": passordhjelp/language.py) with the role ``hint``; such a
message sets a new conversation's language but does not switch it. Nor does any
message while the request form waits for an answer: a question in the other
language at the confirmation ("how long does it take?" in a Norwegian conversation)
is a digression, and the offer, the confirmation and the filing stay in the
language they were started in.
"""

from __future__ import annotations

from typing import Optional


def kept_language(previous: Optional[str], told: str, *, clear: bool, pending: bool = False) -> str:
    """The conversation's language after a message that tells ``told``: a
    message that only hints at another language, or any message while a request
    is ``pending`` (the form waits for a yes or no), keeps the one already set."""
    if previous and (pending or not clear):
        return previous
    return told
