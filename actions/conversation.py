"""Conversation helpers: the two-stage fallback and the handoff to a person (the
conversation's language and the follow-up check run inside Rasa:
runtime/language_slot.py, runtime/in_process_actions.py)."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from passordhjelp.bootstrap import services
from passordhjelp.dialogue_follow_up import BOOKKEEPING_ACTIONS
from passordhjelp.outcomes import Outcome
from passordhjelp.placeholder import PLACEHOLDER
from actions.reset_requests import requester_of

FALLBACK_INTENT = "nlu_fallback"


def _consecutive_fallbacks(tracker: Tracker) -> int:
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if (event.get("parse_data") or {}).get("intent", {}).get("name") != FALLBACK_INTENT:
            break
        count += 1
    return count


class ActionHandleFallback(Action):
    """First unclear message: suggest likely topics; the next one in a row: offer a person."""

    def name(self) -> Text:
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if PLACEHOLDER in (tracker.latest_message.get("text") or ""):
            # The channel guard removed a pasted password and has said so; topic
            # buttons on top of that notice would only confuse.
            return []
        services().outcomes.count(Outcome.FALLBACK)
        if _consecutive_fallbacks(tracker) >= 2:
            dispatcher.utter_message(response="utter_offer_human")
            return []
        ranking = tracker.latest_message.get("intent_ranking") or []
        likely = [r["name"] for r in ranking if r.get("name") != FALLBACK_INTENT][:3]
        content = services().content
        language = tracker.get_slot("language") or services().settings.default_language
        buttons = content.topic_buttons(likely, language)
        buttons += content.topic_buttons(["human_handoff"], language)
        dispatcher.utter_message(
            response="utter_suggest_topics",
            buttons=[{"title": b.title, "payload": b.payload} for b in buttons],
        )
        return []


def conversation_summary(tracker: Tracker) -> List[str]:
    """Intents and steps so far, for a person taking over: names only, never text."""
    steps = []
    for event in tracker.events:
        if event.get("event") == "user":
            steps.append((event.get("parse_data") or {}).get("intent", {}).get("name") or "?")
        elif event.get("event") == "action" and event.get("name") not in BOOKKEEPING_ACTIONS:
            steps.append(event["name"])
    return steps[-20:]


class ActionHandoff(Action):
    """Tells the helpdesk channel a person is wanted, then tells the user how they'll hear."""

    def name(self) -> Text:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        app = services()
        app.notifier.handoff(
            requester_of(tracker),
            language=tracker.get_slot("language") or app.settings.default_language,
            summary=conversation_summary(tracker),
        )
        dispatcher.utter_message(
            response="utter_handoff_notified" if app.notifier.enabled else "utter_handoff"
        )
        app.outcomes.count(Outcome.HANDOFF)
        return []
