"""Path endings that are counted (without text), and the thumbs up/down at their end."""

from __future__ import annotations

import abc
from typing import Any, Dict, List, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from passordhjelp.bootstrap import services
from passordhjelp.identity import requester_from_conversation
from passordhjelp.outcomes import Outcome


class CountedPathEnd(Action, abc.ABC):
    """Sends ``responses`` and counts ``outcome``: the end of a path worth counting."""

    responses: Tuple[Text, ...]
    outcome: Outcome

    @abc.abstractmethod
    def name(self) -> Text:
        """Abstract, so rasa-sdk does not register this base as an action."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        for response in self.responses:
            dispatcher.utter_message(response=response)
        services().outcomes.count(
            self.outcome,
            conversation=requester_from_conversation(
                tracker.get_latest_input_channel(), tracker.sender_id
            ),
        )
        return []


class ActionShowChangeSteps(CountedPathEnd):
    """The article's self-service steps and the link to learn more."""

    responses = ("utter_change_password_steps", "utter_learn_more")
    outcome = Outcome.CHANGE_STEPS_SHOWN

    def name(self) -> Text:
        return "action_show_change_steps"


class ActionOfferSelfService(CountedPathEnd):
    """Self-service password reset first, when the organisation has it.

    Predicted where a forgotten-password path forks; the ``self_service_reset`` slot
    it sets tells the rules which way (PASSORDHJELP_SELF_SERVICE_RESET is read here,
    not carried into every turn).
    """

    responses = ("utter_self_service_reset", "utter_ask_self_service_worked")
    outcome = Outcome.SELF_SERVICE_OFFERED

    def name(self) -> Text:
        return "action_offer_self_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        offered = services().settings.self_service_reset
        if offered:
            await super().run(dispatcher, tracker, domain)
        return [SlotSet("self_service_reset", offered)]


class ActionRecordFeedback(Action):
    """Thumbs up or down from the buttons at the end of a path."""

    def name(self) -> Text:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        positive = tracker.get_intent_of_latest_message() == "feedback_positive"
        services().outcomes.count(Outcome.FEEDBACK_UP if positive else Outcome.FEEDBACK_DOWN)
        dispatcher.utter_message(response="utter_thanks_for_feedback")
        return []
