"""The admin-request form: which answers count, and the ways out of a pending request."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.reset_requests import OTHER_ACCOUNT, OTHER_PERSON_TOPIC, cleared_request_slots
from passordhjelp.bootstrap import services
from passordhjelp.consent import Answer, about_someone_else, is_bare_yes, read_answer

WANTED, CONFIRMED, DECLINED = "reset_wanted", "reset_confirmed", "reset_declined"
# The intents the form's slot mappings take as answers (domain.yml).
ANSWER_INTENTS = frozenset({"affirm", "thank", "deny", "cancel_request"})


def _someone_else() -> List[EventType]:
    # Both answers "no" so the form ends; action_file_reset_request then refuses.
    return [SlotSet(OTHER_ACCOUNT, True), SlotSet(WANTED, False), SlotSet(CONFIRMED, False),
            SlotSet(DECLINED, False)]


class ValidateResetRequestForm(FormValidationAction):
    """A yes fills a slot only when it is clear; see ``passordhjelp.consent``."""

    def name(self) -> Text:
        return "validate_reset_request_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        # Rasa calls this for every message while the offer or confirmation is
        # pending, whatever its intent: a digression that speaks of someone
        # else's account ("it's my colleague's actually", read as anything) ends
        # the form here instead of being answered and asked again.
        requested = tracker.get_slot("requested_slot")
        message = tracker.latest_message
        if requested and about_someone_else(message):
            return _someone_else()
        # "y" or "👍" may be read as unclear or small talk, so no slot mapping
        # takes it; nothing but a yes is a yes to the pending question all the same.
        intent = (message.get("intent") or {}).get("name")
        if (requested in (WANTED, CONFIRMED) and intent not in ANSWER_INTENTS
                and is_bare_yes(message.get("text") or "")):
            return [SlotSet(requested, True), SlotSet(DECLINED, False)]
        return await super().run(dispatcher, tracker, domain)

    def validate_reset_wanted(self, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        # Accepting the offer only leads to the confirmation, so any confidence will
        # do; but a yes with more than yes in it may be about someone else.
        return _validated(WANTED, value, dispatcher, tracker, min_confidence=0.0,
                          plain_only=True)

    def validate_reset_confirmed(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return _validated(CONFIRMED, value, dispatcher, tracker,
                          min_confidence=services().settings.confirm_min_confidence,
                          plain_only=True)


def _validated(slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, *,
               min_confidence: float, plain_only: bool) -> Dict[Text, Optional[bool]]:
    if value is None:
        return {}
    answer = read_answer(tracker.latest_message, min_confidence=min_confidence,
                         plain_only=plain_only)
    if answer is Answer.YES:
        return {slot: True, DECLINED: False}
    if answer is Answer.NO:
        return {WANTED: False, CONFIRMED: False, DECLINED: True}
    if answer is Answer.OTHER_ACCOUNT:
        return {event["name"]: event["value"] for event in _someone_else()}
    if answer is Answer.UNCLEAR:
        dispatcher.utter_message(response="utter_confirm_needs_clear_yes")
    if answer is Answer.THANKS:
        dispatcher.utter_message(response="utter_you_are_welcome")
    # Unclear, thanks, or the guard removed a pasted password (and said so): ask again.
    return {slot: None}


class ActionReopenResetRequest(Action):
    """"Actually, yes": a declined offer taken back goes straight to the confirmation."""

    def name(self) -> Text:
        return "action_reopen_reset_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return [SlotSet(WANTED, True), SlotSet(CONFIRMED, None), SlotSet(DECLINED, False)]


class ActionCancelPendingRequest(Action):
    """Ends the form without filing: the user moved on (remembered it, someone else's, ...)."""

    def name(self) -> Text:
        return "action_cancel_pending_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_pending_request_cancelled")
        return [ActiveLoop(None), SlotSet("requested_slot", None), *cleared_request_slots()]


class ActionStartOver(Action):
    """"Start over" (the restart intent): forget the pending request and greet afresh.

    Overrides Rasa's default ``action_restart``, which would also forget the
    conversation's language, so the next short answer could switch language.
    """

    def name(self) -> Text:
        return "action_restart"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_start_over")
        dispatcher.utter_message(response="utter_greet")
        return [ActiveLoop(None), SlotSet("requested_slot", None), *cleared_request_slots(),
                SlotSet(OTHER_PERSON_TOPIC, False)]
