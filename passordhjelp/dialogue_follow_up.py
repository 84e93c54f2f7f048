"""Whether a message follows up the assistant's last answer rather than asking anew.

A short follow-up is often read as another intent: "it's been hours" after a
status answer as out of scope, "can I make them change it at next sign-in?"
after the admin steps as the chatter's own change, "where do I do that?" after
the change steps as a question about the request process, "I'll check something
first" right after a decline as a status question or a change. The words that tell
them apart are data (dialogue_follow_up.yml); the rules in data/rules act on
the outcome.
"""

from __future__ import annotations

import enum
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, Mapping, Optional

import yaml

_WORDS_FILE = Path(__file__).with_name("dialogue_follow_up.yml")
_WORD = re.compile(r"\w+")
THIRD_PERSON_ENTITY = "third_person"
# A where/how follow-up to the steps is short; a longer question is a new one.
_MAX_POINTER_QUESTION_WORDS = 8


class FollowUp(enum.Enum):
    """What a message follows up; NONE: answer it as its intent says."""

    STATUS = "status"
    ADMIN_STEPS = "admin_steps"
    CHANGE_STEPS = "change_steps"
    POSTPONED = "postponed"
    NONE = "none"


@lru_cache(maxsize=1)
def _words() -> Dict[str, FrozenSet[str]]:
    raw = yaml.safe_load(_WORDS_FILE.read_text(encoding="utf-8"))

    def both(key: str) -> FrozenSet[str]:
        return frozenset((raw[key]["en"] + " " + raw[key]["nb"]).lower().split())

    return {
        "waiting": both("waiting"),
        "postpone": both("postpone"),
        "other_user": both("other_user"),
        "own": frozenset(raw["own"].lower().split()),
        "where_how": frozenset(raw["where_how"].lower().split()),
        "pointer": frozenset(raw["pointer"].lower().split()),
    }


def read_follow_up(message: Mapping[str, Any], *, previous_step: Optional[str],
                   admin_steps_shown: bool, declined: bool = False) -> FollowUp:
    """Read Rasa's parse of a message against the assistant's last answer.

    Args:
        message: ``tracker.latest_message``.
        previous_step: the last action the assistant ran before the message.
        admin_steps_shown: whether the admin steps were shown earlier in the
            conversation (the chatter spoke as an admin).
        declined: whether the offer or confirmation was declined (reset_declined).
    """
    text = message.get("text") or ""
    words = _WORD.findall(text.lower())
    found = set(words)
    intent = (message.get("intent") or {}).get("name")
    words_of = _words()
    if (declined and previous_step == "action_file_reset_request" and "?" not in text
            and found & words_of["postpone"]):
        return FollowUp.POSTPONED
    if (intent in ("out_of_scope", "nlu_fallback")
            and previous_step == "action_show_request_status"
            and found & words_of["waiting"]):
        return FollowUp.STATUS
    if intent == "change_password" and admin_steps_shown and not found & words_of["own"]:
        entities = message.get("entities") or []
        if found & words_of["other_user"] or any(
                e.get("entity") == THIRD_PERSON_ENTITY for e in entities):
            return FollowUp.ADMIN_STEPS
    if (intent in ("ask_process", "out_of_scope") and previous_step == "action_show_change_steps"
            and len(words) <= _MAX_POINTER_QUESTION_WORDS
            and found & words_of["where_how"] and found & words_of["pointer"]):
        return FollowUp.CHANGE_STEPS
    return FollowUp.NONE
