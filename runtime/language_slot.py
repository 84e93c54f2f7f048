"""The domain's slot-mapping validation (``action_validate_slot_mappings``), run inside Rasa.

Rasa 3.6 runs the validation action after every user message, as a call to the action
server: it rebuilt the conversation from its events, sent all of them as JSON and
checked the answer, on every turn, even for "thanks" (2026-11-30, py-spy: about a
tenth of the Rasa server's CPU per message, and one of the turn's round trips the
issue of a lean message path counts). The only slot it validates is ``language``,
whose rule needs no service of the action server: a message that only hints at its
language (the tokenizer's ``language`` entity with the role ``hint``) sets a new
conversation's language but does not switch it, and while the request form waits for an
answer no message switches it (``passordhjelp.language_switch.kept_language``).

``install`` replaces ``ActionExtractSlots._execute_validation_action`` with the same
steps in process, with what rasa-sdk's ``ValidationAction`` gave back: the validated
``language`` candidate first, then the other candidates as extracted. So the action
server defines no ``action_validate_slot_mappings`` (tests/runtime/test_language_slot.py
checks that it doesn't: its answer would no longer be asked for); a slot that needs
validating by a service would need the remote call back.

Installed explicitly by the Rasa entry point (``runtime/rasa_server.py``), only on the
Rasa version it was written for.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.core.actions.action import ActionExtractSlots
from rasa.shared.core.constants import ACTION_VALIDATE_SLOT_MAPPINGS
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, Restarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITY_ATTRIBUTE_ROLE, ENTITY_ATTRIBUTE_TYPE
from rasa.version import __version__ as rasa_release

from components.bilingual_tokenizer import HINT_ROLE, LANGUAGE_ENTITY
from passordhjelp.consent import REQUEST_FORM
from passordhjelp.language_switch import kept_language
from runtime.rasa_release import require_written_for

LANGUAGE_SLOT = "language"


def language_before_message(tracker: DialogueStateTracker) -> Any:
    """The value the latest ``language`` slot event before the latest user message set,
    since the conversation's latest restart (None when there is none)."""
    seen_message = False
    for event in reversed(tracker.events):
        if isinstance(event, Restarted):
            return None
        if event.type_name == UserUttered.type_name:
            seen_message = True
        elif seen_message and event.type_name == SlotSet.type_name and event.key == LANGUAGE_SLOT:
            return event.value
    return None


def told_clearly(tracker: DialogueStateTracker) -> bool:
    """Whether the latest message tells its language (no ``language`` entity of it is a hint)."""
    entities = tracker.latest_message.entities if tracker.latest_message else []
    return not any(
        entity.get(ENTITY_ATTRIBUTE_TYPE) == LANGUAGE_ENTITY
        and entity.get(ENTITY_ATTRIBUTE_ROLE) == HINT_ROLE
        for entity in entities or []
    )


def validated_candidates(tracker: DialogueStateTracker, candidates: List[SlotSet]) -> List[SlotSet]:
    """The slot events of this message after validation: the ``language`` candidate (the
    last one, if several) as the conversation keeps it, then the other candidates."""
    told: Dict[Text, Any] = {event.key: event.value for event in candidates}
    if LANGUAGE_SLOT not in told:
        return list(candidates)
    language = kept_language(
        language_before_message(tracker),
        told[LANGUAGE_SLOT],
        clear=told_clearly(tracker),
        pending=tracker.active_loop_name == REQUEST_FORM,
    )
    return [SlotSet(LANGUAGE_SLOT, language)] + [
        event for event in candidates if event.key != LANGUAGE_SLOT
    ]


async def _execute_validation_action(
    self: ActionExtractSlots,
    extraction_events: List[Event],
    output_channel: Any,
    nlg: Any,
    tracker: DialogueStateTracker,
    domain: Domain,
) -> List[Event]:
    """Rasa's ``ActionExtractSlots._execute_validation_action``, validating in process."""
    candidates = [event for event in extraction_events if isinstance(event, SlotSet)]
    if ACTION_VALIDATE_SLOT_MAPPINGS not in domain.user_actions:
        return list(candidates)
    return validated_candidates(tracker, candidates)


def install(rasa_version: str = rasa_release) -> None:
    """Validate the slot candidates of each message inside Rasa instead of by a call.

    Raises:
        RuntimeError: Rasa is not the release this was written for; check that
            ``ActionExtractSlots._execute_validation_action`` still does what this
            replaces.
    """
    require_written_for(
        rasa_version,
        changed_by="runtime/language_slot.py",
        check="ActionExtractSlots._execute_validation_action",
    )
    ActionExtractSlots._execute_validation_action = _execute_validation_action
