"""Conversation helpers: the two-stage fallback, the handoff to a person, the
follow-ups and the conversation's language."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker, ValidationAction
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from passordhjelp.bootstrap import services
from passordhjelp.dialogue_follow_up import read_follow_up
from passordhjelp.language_switch import kept_language
from passordhjelp.outcomes import Outcome
from passordhjelp.placeholder import PLACEHOLDER
from actions.reset_requests import requester_of

FALLBACK_INTENT = "nlu_fallback"
# Steps that say nothing about what the user needed.
_BOOKKEEPING_ACTIONS = {"action_listen", "action_extract_slots", "action_session_start"}


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

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
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
        elif event.get("event") == "action" and event.get("name") not in _BOOKKEEPING_ACTIONS:
            steps.append(event["name"])
    return steps[-20:]


class ActionHandoff(Action):
    """Tells the helpdesk channel a person is wanted, then tells the user how they'll hear."""

    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        app = services()
        app.notifier.handoff(requester_of(tracker),
                             language=tracker.get_slot("language") or app.settings.default_language,
                             summary=conversation_summary(tracker))
        dispatcher.utter_message(
            response="utter_handoff_notified" if app.notifier.enabled else "utter_handoff")
        app.outcomes.count(Outcome.HANDOFF)
        return []


class ActionCheckFollowUp(Action):
    """Whether a message follows up the last answer (a status, the admin steps,
    the change steps) although read as another intent; the rules answer it
    from the slot ``follow_up`` (see ``passordhjelp.dialogue_follow_up``)."""

    def name(self) -> Text:
        return "action_check_follow_up"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        previous_step, admin_steps_shown, seen_message = None, False, False
        for event in reversed(tracker.events):
            if event.get("event") == "user":
                seen_message = True
            elif event.get("event") == "action":
                name = event.get("name")
                admin_steps_shown = admin_steps_shown or name == "utter_admin_reset_steps"
                if (seen_message and previous_step is None and name not in _BOOKKEEPING_ACTIONS
                        and name != self.name()):
                    previous_step = name
        follow_up = read_follow_up(tracker.latest_message, previous_step=previous_step,
                                   admin_steps_shown=admin_steps_shown,
                                   declined=tracker.get_slot("reset_declined") is True)
        return [SlotSet("follow_up", follow_up.value)]


# The tokenizer's language entity and the role it has when a message only hints
# at its language (components/bilingual_tokenizer.py).
LANGUAGE_SLOT = "language"
_HINT_ROLE = "hint"


def _language_before_message(tracker: Tracker) -> Any:
    seen_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_message = True
        elif seen_message and event.get("event") == "slot" and event.get("name") == LANGUAGE_SLOT:
            return event.get("value")
    return None


class ValidateSlotMappings(ValidationAction):
    """Keeps the conversation's language when a message only hints at another
    ("ok gotta run, later" in English, "ja, go for it" in Norwegian): replies
    stay in the language the person writes in."""

    def name(self) -> Text:
        return "action_validate_slot_mappings"

    def domain_slots(self, domain: DomainDict) -> List[Text]:
        # The action server gets no domain for this action (enable_selective_domain
        # in endpoints.yml), so the slot it validates is named here.
        return [LANGUAGE_SLOT]

    async def validate_language(self, slot_value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        entities = tracker.latest_message.get("entities") or []
        clear = not any(e.get("entity") == LANGUAGE_SLOT and e.get("role") == _HINT_ROLE
                        for e in entities)
        return {LANGUAGE_SLOT: kept_language(_language_before_message(tracker), slot_value,
                                             clear=clear)}
