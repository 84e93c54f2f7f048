"""Filing, withdrawing and showing the requester's own admin reset requests."""

from __future__ import annotations

from typing import Any, Dict, FrozenSet, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from passordhjelp.bootstrap import services
from passordhjelp.consent import (
    REQUEST_FORM,
    Owner,
    about_someone_else,
    account_owner,
    speaks_of_self,
    still_about_them,
    without_own_accounts,
)
from passordhjelp.dialogue_follow_up import (
    BOOKKEEPING_ACTIONS,
    FOLLOW_UP_SLOT,
    FollowUp,
    admin_step_read_as_someone_else,
    asks_how_to_reset_theirs,
)
from passordhjelp.helpdesk import Contact, require_helpdesk
from passordhjelp.identity import (
    CONTACT,
    VERIFIED_IDENTITY,
    Requester,
    own_account_names,
    requester_from_conversation,
    typed_identifier,
)
from passordhjelp.outcomes import Outcome
from passordhjelp.reset_requests import FileOutcome, StoreUnavailable, WithdrawOutcome

RESPONSE_FOR_OUTCOME = {
    FileOutcome.FILED: "utter_request_filed",
    FileOutcome.ALREADY_OPEN: "utter_request_already_open",
    FileOutcome.RATE_LIMITED: "utter_request_rate_limited",
    FileOutcome.ANONYMOUS: "utter_request_needs_identity",
    FileOutcome.UNAVAILABLE: "utter_request_store_unavailable",
}

RESPONSE_FOR_WITHDRAWAL = {
    WithdrawOutcome.WITHDRAWN: "utter_request_withdrawn",
    WithdrawOutcome.NOTHING_ACTIVE: "utter_no_request_to_withdraw",
    # An unverified chat cannot have filed anything.
    WithdrawOutcome.ANONYMOUS: "utter_no_request_to_withdraw",
    WithdrawOutcome.UNAVAILABLE: "utter_withdraw_store_unavailable",
}


def _latest_metadata(tracker: Tracker) -> Dict[Text, Any]:
    latest: Dict[Text, Any] = next(
        (e for e in reversed(tracker.events) if e.get("event") == "user"), {}
    )
    return latest.get("metadata") or {}


def requester_of(tracker: Tracker) -> Optional[Requester]:
    """The conversation's own user, if the channel verified who that is."""
    if not _latest_metadata(tracker).get(VERIFIED_IDENTITY):
        return None
    return requester_from_conversation(tracker.get_latest_input_channel(), tracker.sender_id)


def own_names_of(tracker: Tracker) -> FrozenSet[str]:
    """The verified chatter's own addresses and user names (``own_account_names``);
    empty when the channel verified no one (anonymous web chat)."""
    if requester_of(tracker) is None:
        return frozenset()
    contact = Contact.from_metadata(_latest_metadata(tracker).get(CONTACT))
    return own_account_names(tracker.sender_id, contact.email if contact else None)


# Set by validate_reset_request_form when an answer spoke of someone else's account.
OTHER_ACCOUNT = "reset_other_account"
# Set by action_check_account_owner: whose account a request naming one is about.
ACCOUNT_OWNER = "account_owner"
# Set when the assistant refused to act for someone else; rules send the next
# questions through action_check_other_person_follow_up while it is true.
OTHER_PERSON_TOPIC = "other_person_topic"


def cleared_request_slots(*, declined: bool = False) -> List[Dict[Text, Any]]:
    """Events that forget the request form's answers, so the next offer starts afresh."""
    return [
        SlotSet("reset_wanted", None),
        SlotSet("reset_confirmed", None),
        SlotSet("reset_declined", declined),
        SlotSet(OTHER_ACCOUNT, None),
    ]


def request_thread(tracker: Tracker) -> Tuple[List[Dict[Text, Any]], Optional[Dict[Text, Any]]]:
    """Rasa's parse of the answers to the request form, newest first, and of the
    message that started it (what the person asked for), if the tracker has it."""
    answers: List[Dict[Text, Any]] = []
    started = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            message = {"text": event.get("text"), **(event.get("parse_data") or {})}
            if started:
                return answers, message
            answers.append(message)
        elif event.get("event") == "active_loop" and event.get("name") == REQUEST_FORM:
            started = True
    return answers, None


def about_someone_else_in_thread(tracker: Tracker) -> bool:
    """A third person in an answer to the offer or confirmation, or only someone else's
    account in what started the request (a name there may be the chatter's own; "me and
    my colleague" asked for the chatter's too); the verified chatter's own address or
    user name is not someone else's."""
    answers, started_by = request_thread(tracker)
    own = own_names_of(tracker)
    answers = [without_own_accounts(message, own)[0] for message in answers]
    return any(about_someone_else(message) for message in answers) or (
        started_by is not None and account_owner(started_by, own) is Owner.OTHER
    )


def typed_account_in_thread(tracker: Tracker) -> bool:
    """Whether an answer to the offer or confirmation typed an address or user name."""
    answers, _ = request_thread(tracker)
    return any(
        typed_identifier(str(entity.get("value") or "")) is not None
        for message in answers
        for entity in message.get("entities") or []
        if entity.get("entity") == "other_account"
    )


_REFUSALS = frozenset({"action_refuse_other_account", "utter_refuse_other_account"})


def unclaimed_since_refusal(tracker: Tracker) -> bool:
    """Whether the assistant refused to act for someone else earlier in the
    conversation and no message since has said the account is the chatter's own
    ("I forgot mine too", "det gjelder min konto"): then a request in between is
    still taken to be about that person ("can't you just reset it?")."""
    since: List[Text] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            since.append(event.get("text") or "")
        elif (event.get("event") == "action" and event.get("name") in _REFUSALS) or (
            event.get("event") == "bot"
            and (event.get("metadata") or {}).get("utter_action") in _REFUSALS
        ):
            return not any(speaks_of_self(text) for text in since)
    return False


def _language(tracker: Tracker) -> str:
    return tracker.get_slot("language") or services().settings.default_language


class ActionFileResetRequest(Action):
    """The request form's end: files for the person chatting only if they clearly
    accepted and confirmed (validate_reset_request_form), else says nothing was filed."""

    def name(self) -> Text:
        return "action_file_reset_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        declined = tracker.get_slot("reset_declined") is True
        cleared = cleared_request_slots(declined=declined)
        # Filing for someone who did not ask is the worst mistake there is: a third
        # person at the offer, the confirmation or in what started the request, or
        # a refusal for someone else with no word since that the account is the
        # chatter's own, files nothing, whatever was answered.
        if (
            tracker.get_slot(OTHER_ACCOUNT) is True
            or about_someone_else_in_thread(tracker)
            or unclaimed_since_refusal(tracker)
        ):
            requester = requester_of(tracker)
            services().requests.refuse_other_target(requester)
            dispatcher.utter_message(
                response="utter_refuse_other_account"
                if requester or not typed_account_in_thread(tracker)
                else "utter_typed_account_unverified"
            )
            return [*cleared, SlotSet(OTHER_PERSON_TOPIC, True)]
        if not (
            tracker.get_slot("reset_wanted") is True and tracker.get_slot("reset_confirmed") is True
        ):
            dispatcher.utter_message(
                response="utter_request_not_filed"
                if declined
                else "utter_pending_request_cancelled"
            )
            return cleared
        language = _language(tracker)
        # A retried call for the same message gets the same outcome and reference.
        result = require_helpdesk(services().helpdesk).file(
            requester_of(tracker),
            language=language,
            message_id=tracker.latest_message.get("message_id"),
            contact=Contact.from_metadata(_latest_metadata(tracker).get(CONTACT)),
        )
        variables = {}
        if result.request is not None:
            variables = {
                "reference": result.request.reference,
                "status": services().content.status_label(result.request.status.value, language),
            }
        dispatcher.utter_message(response=RESPONSE_FOR_OUTCOME[result.outcome], **variables)
        if result.outcome is FileOutcome.FILED:
            services().outcomes.count(Outcome.REQUEST_FILED)
        return cleared


class ActionWithdrawRequest(Action):
    """Withdraws the requester's own active request; the helpdesk is told."""

    def name(self) -> Text:
        return "action_withdraw_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        result = services().requests.withdraw(requester_of(tracker))
        variables = {"reference": result.request.reference} if result.request else {}
        dispatcher.utter_message(response=RESPONSE_FOR_WITHDRAWAL[result.outcome], **variables)
        return []


class ActionRefuseOtherAccount(Action):
    """The same fixed refusal whatever account was named; the decision is audited."""

    def name(self) -> Text:
        return "action_refuse_other_account"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        services().requests.refuse_other_target(requester_of(tracker))
        dispatcher.utter_message(response="utter_refuse_other_account")
        return [SlotSet(OTHER_PERSON_TOPIC, True)]


def _previous_step(tracker: Tracker) -> Optional[Text]:
    """The last action the assistant ran before the latest message (bookkeeping left out)."""
    seen_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_message = True
        elif (
            seen_message
            and event.get("event") == "action"
            and event.get("name") not in BOOKKEEPING_ACTIONS
        ):
            return event.get("name")
    return None


class ActionCheckAccountOwner(Action):
    """Whose account a request that names an account is about (``account_owner``): the
    chatter's own typed address or user name goes on as their own request; "me and my
    colleague" gets the colleague told to act themself and the chatter's own offer;
    anyone else's only is refused (the rules act on the ``account_owner`` slot)."""

    def name(self) -> Text:
        return "action_check_account_owner"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        owner = account_owner(tracker.latest_message, own_names_of(tracker))
        if owner is Owner.OTHER and admin_step_read_as_someone_else(
            tracker.latest_message, previous_step=_previous_step(tracker)
        ):
            # "finner ikke Aktive brukere" right after the admin steps, read unsurely as
            # someone else's account: nobody is named; the steps again.
            dispatcher.utter_message(response="utter_admin_reset_steps")
            return [FollowupAction("action_listen")]
        if owner is Owner.BOTH:
            services().requests.refuse_other_target(requester_of(tracker))
        return [SlotSet(ACCOUNT_OWNER, owner.value)]


class ActionCheckOtherPersonFollowUp(Action):
    """After a refusal to act for someone else, whether the next question is still
    about them ("so what should she do?", "kan jeg ikke bare bestille for henne?"):
    then the rules refuse again; otherwise the question is the chatter's own and
    is answered as usual (the topic ends)."""

    def name(self) -> Text:
        return "action_check_other_person_follow_up"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        # "ok how do I reset it then?": still that person's, answered with who can reset it
        # (follow_up admin_steps); follow_up is set either way, so no earlier value counts.
        how_to_reset = asks_how_to_reset_theirs(tracker.latest_message)
        return [
            SlotSet(OTHER_PERSON_TOPIC, how_to_reset or still_about_them(tracker.latest_message)),
            SlotSet(
                FOLLOW_UP_SLOT, (FollowUp.ADMIN_STEPS if how_to_reset else FollowUp.NONE).value
            ),
        ]


class ActionShowRequestStatus(Action):
    """Lists the requester's own requests with reference, status and age."""

    def name(self) -> Text:
        return "action_show_request_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        language = _language(tracker)
        content = services().content
        try:
            requests = services().requests.requests_of(requester_of(tracker))
        except StoreUnavailable:
            dispatcher.utter_message(response="utter_request_store_unavailable")
            return []
        if not requests:
            dispatcher.utter_message(response="utter_no_requests")
            return []
        for request in requests:
            dispatcher.utter_message(
                response="utter_request_status_item",
                reference=request.reference,
                status=content.status_label(request.status.value, language),
                age=content.age(request.age(), language),
            )
        return []


class ActionTellRequestUpdate(Action):
    """Run by the admin side through Rasa's API: tells the requester their request was closed."""

    def name(self) -> Text:
        return "action_tell_request_update"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        # The conversation is the requester's own: the request is looked up by
        # its channel and sender, never by anything passed in.
        requester = requester_from_conversation(
            tracker.get_latest_input_channel(), tracker.sender_id
        )
        request = services().requests.latest_closed_of(requester)
        if request is not None:
            dispatcher.utter_message(
                response=f"utter_request_{request.status.value}", reference=request.reference
            )
        return []
