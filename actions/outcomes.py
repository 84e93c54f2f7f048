"""Path endings that are counted (without text), and the thumbs up/down at their end."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from passordhjelp.bootstrap import services
from passordhjelp.outcomes import Outcome


class ActionShowChangeSteps(Action):
    """The article's self-service steps and the link to learn more."""

    def name(self) -> Text:
        return "action_show_change_steps"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_change_password_steps")
        dispatcher.utter_message(response="utter_learn_more")
        services().outcomes.count(Outcome.CHANGE_STEPS_SHOWN)
        return []


class ActionOfferSelfService(Action):
    """Self-service password reset first, when the organisation has it."""

    def name(self) -> Text:
        return "action_offer_self_service"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_self_service_reset")
        dispatcher.utter_message(response="utter_ask_self_service_worked")
        services().outcomes.count(Outcome.SELF_SERVICE_OFFERED)
        return []


class ActionRecordFeedback(Action):
    """Thumbs up or down from the buttons at the end of a path."""

    def name(self) -> Text:
        return "action_record_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        positive = tracker.get_intent_of_latest_message() == "feedback_positive"
        services().outcomes.count(Outcome.FEEDBACK_UP if positive else Outcome.FEEDBACK_DOWN)
        dispatcher.utter_message(response="utter_thanks_for_feedback")
        return []
