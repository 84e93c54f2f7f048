"""The admin-request form: which answers count, and the ways out of a pending request."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.reset_requests import (
    OTHER_ACCOUNT,
    OTHER_PERSON_TOPIC,
    cleared_request_slots,
    own_names_of,
)
from passordhjelp.bootstrap import services
from passordhjelp.consent import (
    CONFIRMED,
    DECLINED,
    REQUEST_FORM,
    WANTED,
    Answer,
    WayOut,
    about_someone_else,
    courteous_yes,
    declines_waiting_for_someone,
    hedged,
    is_bare_no,
    is_bare_yes,
    question_without_way_out,
    read_answer,
    read_way_out,
    starts_with_yes,
    withdraws,
    without_own_accounts,
    yes_naming_self,
)
from passordhjelp.placeholder import PLACEHOLDER

# The intents the form's slot mappings take as answers (domain.yml).
ANSWER_INTENTS = frozenset({"affirm", "thank", "deny", "cancel_request"})
# A message with a pasted password in it (redacted by the guard, which has said
# so) is classified from what is left ("the old one was [secret removed]" may read
# as goodbye or start over), so while the form waits only these end it; anything
# else is asked again.
# What a yes with more words at the offer may be misread as.
_READ_AS_DIGRESSION = frozenset({"greet", "ask_process", "out_of_scope", "nlu_fallback"})
# Small talk the form answers and then asks again (data/rules/request_form.yml), which a
# withdrawal ("scratch that", "glem det") may be misread as: it declines instead.
_SMALL_TALK = frozenset({"greet", "bot_challenge"})
_ENDS_THE_FORM_WITH_A_SECRET = frozenset(
    {
        "deny",
        "cancel_request",
        "remembered_password",
        "change_password",
        "other_person_password",
        "human_handoff",
    }
)


def _someone_else() -> List[EventType]:
    # Both answers "no" so the form ends; action_file_reset_request then refuses.
    return [
        SlotSet(OTHER_ACCOUNT, True),
        SlotSet(WANTED, False),
        SlotSet(CONFIRMED, False),
        SlotSet(DECLINED, False),
    ]


class ValidateResetRequestForm(FormValidationAction):
    """A yes fills a slot only when it is clear; see ``passordhjelp.consent``."""

    def name(self) -> Text:
        return "validate_reset_request_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        # Rasa calls this for every message while the offer or confirmation is
        # pending, whatever its intent: a digression that speaks of someone
        # else's account ("it's my colleague's actually", read as anything) ends
        # the form here instead of being answered and asked again.
        requested = tracker.get_slot("requested_slot")
        # The verified chatter's own address or user name ("ja, e-posten min er …") is
        # theirs, not someone else's: left out before the answer is read; with nothing
        # but a yes around it, it is a yes. Never kept in a slot or echoed.
        message, typed_own = without_own_accounts(tracker.latest_message, own_names_of(tracker))
        if requested in (WANTED, CONFIRMED) and typed_own and yes_naming_self(message["text"]):
            return [SlotSet(requested, True), SlotSet(DECLINED, False)]
        if requested and about_someone_else(message):
            return _someone_else()
        # "y" or "👍" may be read as unclear or small talk, so no slot mapping
        # takes it; nothing but a yes is a yes to the pending question all the same.
        intent = (message.get("intent") or {}).get("name")
        text = message.get("text") or ""
        if requested in (WANTED, CONFIRMED) and intent not in ANSWER_INTENTS:
            if PLACEHOLDER in text and intent not in _ENDS_THE_FORM_WITH_A_SECRET:
                return [SlotSet(requested, None)]
            if is_bare_yes(text) or _yes_read_as_small_talk(requested, intent, text):
                return [SlotSet(requested, True), SlotSet(DECLINED, False)]
            if is_bare_no(text) or (intent in _SMALL_TALK and withdraws(text)):
                # "👎" or "scratch that" read as anything: a no, nothing filed.
                return [SlotSet(WANTED, False), SlotSet(CONFIRMED, False), SlotSet(DECLINED, True)]
        return await super().run(dispatcher, tracker, domain)

    def validate_reset_wanted(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value is True and _reopened_since_last_message(tracker):
            # A declined offer taken back: the take-back was the answer to the offer.
            return {WANTED: True, DECLINED: False}
        # Accepting the offer only leads to the confirmation, so any confidence will
        # do, and "ok never mind that, yes" after a digression is a yes; but a yes
        # with more than yes in it may be about someone else.
        return _validated(
            WANTED,
            value,
            dispatcher,
            tracker,
            min_confidence=0.0,
            plain_only=True,
            dismissals_plain=True,
        )

    def validate_reset_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return _validated(
            CONFIRMED,
            value,
            dispatcher,
            tracker,
            min_confidence=services().settings.confirm_min_confidence,
            plain_only=True,
        )


# The actions that reopen a declined offer (run inside Rasa: runtime/in_process_actions.py).
_REOPENERS = frozenset({"action_reopen_reset_request", "action_check_take_back"})


def _reopened_since_last_message(tracker: Tracker) -> bool:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") in _REOPENERS:
            return True
    return False


def _yes_read_as_small_talk(requested: str, intent: Optional[str], text: str) -> bool:
    """A yes first, nothing hedged and no question, read as something else: "ja
    takk skal du ha" as goodbye, and at the offer (which only leads to the
    confirmation) "ja, få en admin til å fikse det" as a process question."""
    if courteous_yes(text):
        # "ja, takk for hjelpen, ha det" read as goodbye, thanks or unclear: a yes.
        return True
    if "?" in text or not starts_with_yes(text) or hedged(text):
        return False
    return intent == "goodbye" or (requested == WANTED and intent in _READ_AS_DIGRESSION)


def _validated(
    slot: str,
    value: Any,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    *,
    min_confidence: float,
    plain_only: bool,
    dismissals_plain: bool = False,
) -> Dict[Text, Optional[bool]]:
    if value is None:
        return {}
    message, _ = without_own_accounts(tracker.latest_message, own_names_of(tracker))
    answer = read_answer(
        message,
        min_confidence=min_confidence,
        plain_only=plain_only,
        dismissals_plain=dismissals_plain,
    )
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


class ActionCancelPendingRequest(Action):
    """Ends the form without filing: the user moved on (remembered it, someone else's, ...)."""

    def name(self) -> Text:
        return "action_cancel_pending_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        message = tracker.latest_message
        if tracker.active_loop_name == REQUEST_FORM and _question_read_as_goodbye(message):
            # "would I have to come in for that?" read as goodbye: a question never
            # ends the offer; it is answered as a process question and asked again.
            answer = _process_answer(message)
            if answer:
                dispatcher.utter_message(response=answer)
            return [FollowupAction(REQUEST_FORM)]
        if tracker.active_loop_name == REQUEST_FORM and _names_only_own_account(tracker):
            # "adressen min er <the chatter's own verified address>" read as someone else's
            # account: nobody else is named; the form reads it (a yes with it is a yes) or
            # asks again.
            return [FollowupAction(REQUEST_FORM)]
        if tracker.active_loop_name == REQUEST_FORM and declines_waiting_for_someone(message):
            # "nei takk, venter til Per er tilbake i morgen" read as someone else's account or
            # as asking for a person: a no to the chatter's own request, nothing filed, and
            # the offer can be taken back; nobody else's account was named.
            dispatcher.utter_message(response="utter_request_not_filed")
            return [
                ActiveLoop(None),
                SlotSet("requested_slot", None),
                *cleared_request_slots(declined=True),
                FollowupAction("action_listen"),
            ]
        if tracker.active_loop_name == REQUEST_FORM and _hesitation_read_as_way_out(message):
            # "maybe, I need to think" read unsurely as asking for a person or
            # goodbye: no answer yet, so the pending question is asked again.
            dispatcher.utter_message(response="utter_confirm_needs_clear_yes")
            return [FollowupAction(REQUEST_FORM)]
        dispatcher.utter_message(response="utter_pending_request_cancelled")
        return [ActiveLoop(None), SlotSet("requested_slot", None), *cleared_request_slots()]


# The slot action_check_way_out sets (domain.yml); the rules of request_form.yml act on it.
WAY_OUT_SLOT = "way_out"


class ActionCheckWayOut(Action):
    """Remembering or changing the password while the offer or confirmation waits:
    whether it says so, or only holds the request off ("I might have it written
    down") or asks doubtfully ("is it [secret] maybe?"); see
    ``passordhjelp.consent.read_way_out``."""

    def name(self) -> Text:
        return "action_check_way_out"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        way_out = read_way_out(tracker.latest_message)
        if way_out is WayOut.ASK_AGAIN and not courteous_yes(
            tracker.latest_message.get("text") or ""
        ):
            dispatcher.utter_message(response="utter_confirm_needs_clear_yes")
        return [SlotSet(WAY_OUT_SLOT, way_out.value)]


class ActionDeclinePendingRequest(Action):
    """Ends the form as a no does: nothing filed, and the offer can be taken back."""

    def name(self) -> Text:
        return "action_decline_pending_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_request_not_filed")
        return [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            *cleared_request_slots(declined=True),
        ]


# Below this confidence a question or a hedge read as a way out ("do I have to come in
# for that?" as remembered_password, "tja, kanskje" as goodbye) is taken for what it is,
# an aside: answered or asked again. (consent.UNSURE_WAY_OUT, 0.6, is another line: where
# a way out with a word that holds off declines.)
_ASIDE_BELOW = 0.5


def _question_read_as_goodbye(message: Dict[Text, Any]) -> bool:
    """A question read as goodbye, or unsurely as another way out of the form."""
    intent = message.get("intent") or {}
    if "?" not in (message.get("text") or ""):
        return False
    return intent.get("name") == "goodbye" or (
        intent.get("name") in ("remembered_password", "change_password")
        and (
            (intent.get("confidence") or 0.0) < _ASIDE_BELOW
            or question_without_way_out(message.get("text") or "")
        )
    )


# Ways out a hesitation is misread as; someone else's account or remembering the
# password still end the form however hesitantly said.
_WAYS_OUT_A_HESITATION_MAY_LOOK_LIKE = frozenset({"human_handoff", "goodbye"})


def _names_only_own_account(tracker: Tracker) -> bool:
    """Whether the latest message types the verified chatter's own address or user name and
    names no one else (``without_own_accounts`` cut it, and what is left is about no one)."""
    kept, cut = without_own_accounts(tracker.latest_message, own_names_of(tracker))
    return cut and not about_someone_else(kept)


def _hesitation_read_as_way_out(message: Dict[Text, Any]) -> bool:
    """A hedged statement ("tja, kanskje") read unsurely as a person or goodbye."""
    intent = message.get("intent") or {}
    return (
        intent.get("name") in _WAYS_OUT_A_HESITATION_MAY_LOOK_LIKE
        and (intent.get("confidence") or 0.0) < _ASIDE_BELOW
        and not about_someone_else(message)
        and hedged(message.get("text") or "")
    )


def _process_answer(message: Dict[Text, Any]) -> Optional[Text]:
    """The ResponseSelector's answer to a process question (utter_ask_process/<topic>)."""
    selected = (message.get("response_selector") or {}).get("ask_process") or {}
    return (selected.get("response") or {}).get("utter_action")


class ActionStartOver(Action):
    """ "Start over" (the restart intent): forget the pending request and greet afresh.

    Overrides Rasa's default ``action_restart``, which would also forget the
    conversation's language, so the next short answer could switch language.
    """

    def name(self) -> Text:
        return "action_restart"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if tracker.active_loop_name == REQUEST_FORM and PLACEHOLDER in (
            tracker.latest_message.get("text") or ""
        ):
            # A pasted password read as "start over" (Rasa runs this before the
            # form sees the message): the pending question is asked again.
            return [FollowupAction(REQUEST_FORM)]
        dispatcher.utter_message(response="utter_start_over")
        dispatcher.utter_message(response="utter_greet")
        return [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            *cleared_request_slots(),
            SlotSet(OTHER_PERSON_TOPIC, False),
        ]
