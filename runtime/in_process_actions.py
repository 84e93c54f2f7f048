"""Custom actions that read only the conversation, run inside Rasa instead of by a call
to the action server.

Three custom actions of the domain need no service of the action server (no database,
no setting, no notifier): they read the latest message, the last answer and a slot,
with words kept in ``passordhjelp/``, and set slots. As remote actions each was a round
trip sending every event of the conversation as JSON and checking the answer:

- ``action_check_follow_up`` (``passordhjelp.dialogue_follow_up``): every process
  question, change, out-of-scope message and message right after a decline (1 of the
  2 calls of "how do I change my password");
- ``action_check_take_back`` (``passordhjelp.consent.after_decline``): every message
  right after a decline (with the one above, 2 of the 3 calls of "status på saken
  min" after a "nei");
- ``action_reopen_reset_request``: "actually, yes" after a decline.

``install`` makes Rasa's ``action_for_name_or_text`` (where the processor, forms and
fallback look actions up) give these in-process actions for those names; they stay
custom actions of the domain, so rules and stories are as before. The action server
no longer defines them (tests/runtime/test_in_process_actions.py checks both, and the
slots each sets).

The request form's validation (``validate_reset_request_form``, ``actions/request_form.py``)
needs no service either, only a setting: it was 10 of the 25 action-server calls of the
bench's conversations (every answer while the form waits, and its start), each with the
whole domain in the body. Rasa's form makes a ``RemoteAction`` for it; ``install`` gives
that action a transport that hands the call body, the same dict, to rasa-sdk's own
executor in this process instead of to the action server, and Rasa's handling of the
answer (the schema check, the responses, the events) is unchanged. The class stays in
``actions/`` (a rasa-sdk action: the action server still registers it, for a Rasa
started without this entry point); tests/runtime/test_in_process_sdk_actions.py shows
the form gives the same events as with the action server's answer.
``action_offer_self_service`` (``actions/outcomes.py``) goes the same way while the
organisation has no self-service reset (``PASSORDHJELP_SELF_SERVICE_RESET``, the default):
then it only sets ``self_service_reset`` to false (4 of the 15 calls left); when it offers,
it counts the offer in the database, which stays with the action server (a database write
here would wait on the event loop every conversation is served from).

Installed explicitly by the Rasa entry point (``runtime/rasa_server.py``), only on the
Rasa version it was written for.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Dict, List, Mapping, Optional, Text, Union

from rasa.core.actions import action as rasa_actions
from rasa.core.actions import forms as rasa_forms
from rasa.core.actions.action import Action, ActionExecutionRejection, RemoteAction
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from rasa.version import __version__ as rasa_release
from rasa_sdk import interfaces as sdk
from rasa_sdk.executor import ActionExecutor

from passordhjelp.bootstrap import services
from passordhjelp.consent import REOPENED, after_decline
from passordhjelp.dialogue_follow_up import (
    BOOKKEEPING_ACTIONS,
    CHECK_FOLLOW_UP_ACTION,
    FILED_ANSWER,
    FOLLOW_UP_SLOT,
    read_follow_up,
)
from runtime.rasa_release import require_written_for


def latest_message(tracker: DialogueStateTracker) -> Dict[Text, Any]:
    """``tracker.latest_message`` as the action server was sent it: the parse, with the
    entities NLU and policies found."""
    latest = tracker.latest_message
    return {**latest.parse_data, "entities": latest.entities} if latest else {}


def slot_events(slots: Mapping[Text, Any]) -> List[Event]:
    return [SlotSet(name, value) for name, value in slots.items()]


class _InProcessAction(Action):
    """A custom action of the domain that Rasa runs itself."""

    action_name: Text = ""

    def name(self) -> Text:
        return self.action_name

    async def run(
        self,
        output_channel: Any,
        nlg: Any,
        tracker: DialogueStateTracker,
        domain: Any,
        metadata: Optional[Dict[Text, Any]] = None,
    ) -> List[Event]:
        return self.events(tracker)

    def events(self, tracker: DialogueStateTracker) -> List[Event]:
        raise NotImplementedError


class ActionCheckFollowUp(_InProcessAction):
    """Whether a message follows up the last answer (a status, the admin steps, the
    change steps) although read as another intent; the rules answer it from the slot
    ``follow_up`` (see ``passordhjelp.dialogue_follow_up``)."""

    action_name = CHECK_FOLLOW_UP_ACTION

    def events(self, tracker: DialogueStateTracker) -> List[Event]:
        previous_step, admin_steps_shown, seen_message, filed = None, False, False, False
        asked_after: Optional[Text] = None
        # Every event, as the action server was sent them (those before a restart too).
        for event in reversed(tracker.events):
            if isinstance(event, BotUttered):
                filed = filed or (event.metadata or {}).get("utter_action") == FILED_ANSWER
            elif isinstance(event, UserUttered):
                if seen_message and asked_after is None:
                    asked_after = event.text or ""
                seen_message = True
            elif isinstance(event, ActionExecuted):
                name = event.action_name
                admin_steps_shown = admin_steps_shown or name == "utter_admin_reset_steps"
                if (
                    seen_message
                    and previous_step is None
                    and name not in BOOKKEEPING_ACTIONS
                    and name != CHECK_FOLLOW_UP_ACTION
                ):
                    previous_step = name
        follow_up = read_follow_up(
            latest_message(tracker),
            previous_step=previous_step,
            admin_steps_shown=admin_steps_shown,
            declined=tracker.get_slot("reset_declined") is True,
            filed=filed,
            asked_after=asked_after or "",
        )
        return [SlotSet(FOLLOW_UP_SLOT, follow_up.value)]


class ActionCheckTakeBack(_InProcessAction):
    """After a declined offer, a take-back the classifier read as something else
    ("changed my mind, send it" as a status question): reopen as "actually, yes"
    does; otherwise the decline stands and the rules answer the message as usual."""

    action_name = "action_check_take_back"

    def events(self, tracker: DialogueStateTracker) -> List[Event]:
        return slot_events(after_decline(latest_message(tracker)))


class ActionReopenResetRequest(_InProcessAction):
    """ "Actually, yes": a declined offer taken back goes straight to the confirmation."""

    action_name = "action_reopen_reset_request"

    def events(self, tracker: DialogueStateTracker) -> List[Event]:
        return slot_events(REOPENED)


IN_PROCESS_ACTIONS: Dict[Text, Action] = {
    action.name(): action
    for action in (ActionCheckFollowUp(), ActionCheckTakeBack(), ActionReopenResetRequest())
}


def _in_process_first(rasa_lookup: Callable[..., Action]) -> Callable[..., Action]:
    def action_for_name_or_text(
        action_name_or_text: Text, domain: Any, action_endpoint: Any
    ) -> Action:
        """Rasa's lookup, with the actions above run in process."""
        in_process = IN_PROCESS_ACTIONS.get(action_name_or_text)
        if in_process is not None and action_name_or_text in domain.user_actions:
            return in_process
        if action_name_or_text in _SDK_IN_PROCESS and action_name_or_text in domain.user_actions:
            # What Rasa's lookup gives a custom action, over the transport of the moment.
            return RemoteAction(
                action_name_or_text, _endpoint_for(action_name_or_text, action_endpoint)
            )
        return rasa_lookup(action_name_or_text, domain, action_endpoint)

    action_for_name_or_text.runs_in_process = True  # type: ignore[attr-defined]
    return action_for_name_or_text


# rasa-sdk actions of actions/ run by rasa-sdk's executor in this process, each while what
# it does needs no service but the settings.
_SDK_IN_PROCESS: Dict[Text, Callable[[], bool]] = {
    "validate_reset_request_form": lambda: True,
    # It counts an offer in the database only when the organisation has self-service.
    "action_offer_self_service": lambda: not services().settings.self_service_reset,
}


@lru_cache(maxsize=1)
def sdk_executor() -> ActionExecutor:
    """rasa-sdk's executor with the actions above, made at the first call: a Rasa serving
    another project through this entry point (the bench's starter bot, whose own
    ``actions`` package stands first on the path) never imports ours."""
    from actions.outcomes import ActionOfferSelfService
    from actions.request_form import ValidateResetRequestForm

    executor = ActionExecutor()
    for action in (ValidateResetRequestForm, ActionOfferSelfService):
        executor.register_action(action)
    return executor


def runs_in_process(name: Text) -> bool:
    """Whether Rasa runs the domain's custom action ``name`` itself (the bench counts the
    others as action-server calls)."""
    if name in IN_PROCESS_ACTIONS:
        return True
    runs_here = _SDK_IN_PROCESS.get(name)
    return runs_here is not None and runs_here()


class InProcessEndpoint:
    """Stands in for the action endpoint of a ``RemoteAction``: the call body goes to
    rasa-sdk's executor here instead of over HTTP, and comes back as the action server
    answers (a rejection as the ``ActionExecutionRejection`` Rasa makes of its 400)."""

    def __init__(
        self, endpoint: EndpointConfig, *, executor: Optional[ActionExecutor] = None
    ) -> None:
        self.url = endpoint.url
        # Where Rasa reads enable_selective_domain: the body is the one it would send.
        self.kwargs = endpoint.kwargs
        self.executor = executor or sdk_executor()

    async def request(self, **kwargs: Any) -> Any:
        try:
            return await self.executor.run(kwargs["json"])
        except sdk.ActionExecutionRejection as rejection:
            raise ActionExecutionRejection(rejection.action_name, rejection.message) from None


def _endpoint_for(
    name: Text, action_endpoint: Optional[EndpointConfig]
) -> Union[None, EndpointConfig, InProcessEndpoint]:
    """Where a call of the custom action ``name`` goes: here while it runs here, else to
    the action server."""
    if action_endpoint is not None and name in _SDK_IN_PROCESS and _SDK_IN_PROCESS[name]():
        return InProcessEndpoint(action_endpoint)
    return action_endpoint


class _FormsRemoteAction(RemoteAction):
    """``RemoteAction`` as Rasa's forms make it for ``validate_<form>``, over the transport
    of ``_endpoint_for``."""

    def __init__(self, name: Text, action_endpoint: Optional[EndpointConfig]) -> None:
        super().__init__(name, _endpoint_for(name, action_endpoint))


def install(rasa_version: str = rasa_release) -> None:
    """Run the actions above inside Rasa instead of by a call.

    Raises:
        RuntimeError: Rasa is not the release this was written for; check that
            ``rasa.core.actions.action.action_for_name_or_text`` is still where the
            processor, forms and fallback look actions up, and that
            ``FormAction.validate_slots`` still makes a ``RemoteAction`` for the validation.
    """
    require_written_for(
        rasa_version,
        changed_by="runtime/in_process_actions.py",
        check="rasa.core.actions.action.action_for_name_or_text and FormAction.validate_slots",
    )
    rasa_forms.RemoteAction = _FormsRemoteAction
    if getattr(rasa_actions.action_for_name_or_text, "runs_in_process", False):
        return
    rasa_actions.action_for_name_or_text = _in_process_first(rasa_actions.action_for_name_or_text)
