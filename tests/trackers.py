"""Trackers and events shaped as Rasa's processor and channels produce them."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker


def user_event(text: str, intent: str, *, channel: str = "rest", verified: bool = True,
               ranking: Optional[List[Dict[str, Any]]] = None,
               entities: Optional[List[Dict[str, Any]]] = None,
               message_id: Optional[str] = None) -> Dict[str, Any]:
    """A user event as Rasa's processor records it."""
    message_id = message_id or uuid.uuid4().hex
    return {
        "event": "user", "text": text, "input_channel": channel, "message_id": message_id,
        "metadata": {"verified_identity": verified},
        "parse_data": {
            "text": text, "message_id": message_id,
            "intent": {"name": intent, "confidence": 0.9},
            "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}],
            "entities": entities or [],
        },
    }


def nlu_entities(text: str) -> List[Dict[str, Any]]:
    """The entities OtherAccountExtractor gives ``text`` (other_account or third_person)."""
    from passordhjelp.nlp.other_account import find_account_mention

    mention = find_account_mention(text)
    if mention is None:
        return []
    return [{"entity": mention.entity, "start": mention.start, "end": mention.end,
             "value": mention.text, "extractor": "OtherAccountExtractor"}]


def parsed_event(text: str, intent: str, **kwargs: Any) -> Dict[str, Any]:
    """A user event with the entities the NLU's rules give the text."""
    return user_event(text, intent, entities=nlu_entities(text), **kwargs)


def make_tracker(events: List[Dict[str, Any]], *, sender_id: str = "ola",
                 slots: Optional[Dict[str, Any]] = None) -> Tracker:
    """A tracker whose latest message is the last user event in ``events``."""
    latest = next((e for e in reversed(events) if e["event"] == "user"), None)
    latest_message = dict(latest["parse_data"]) if latest else {}
    return Tracker(
        sender_id=sender_id, slots=slots or {}, latest_message=latest_message,
        events=events, paused=False, followup_action=None, active_loop={},
        latest_action_name="action_listen",
    )
