"""The dialogue states of a conversation, worked out once per turn instead of for every
prediction.

For every prediction Rasa 3.6's ``RulePolicy`` asks for the states of the whole
conversation (``Domain.states_for_tracker_history``), twice right after a user message
(once with its text, once with its intent), and Rasa computes them by replaying every
applied event onto a fresh tracker, taking a state before each action. A turn makes
two to four predictions on the same tracker, so the same conversation was replayed two
to four times: about a tenth of the Rasa server's CPU per message (bench/README.md, "Where a
message's time goes").

Here a tracker keeps its replay: the states taken so far and the replayed tracker at
the end of the events it has seen. Asked again, when the applied events are those it
saw (the same event objects) with more after them, only the new ones are replayed; any
other change (a restart, a reverted turn, a form's executions folded together by
``applied_events``, another domain or option) replays from the start, as Rasa does.
The states returned are copies, so a caller that edits them (``TrackerFeaturizer``
takes the text or the intent out of the last one) changes nothing kept.

The replay's last state (the one after its last event) is also kept until the next event
is replayed: asked again with nothing new (RulePolicy asks with the message's text, then
with its intent), or when the next event is the action that prediction chose (the state
before an action is the state the prediction read), it is not computed again.

A state's slots part (``Domain._get_slots_sub_state``: every slot's features, about 20
slots here) is kept per tracker and slot too: a slot's part is worked out again (by Rasa's
own function, for that slot alone) only when it holds another value (not equal, or of
another type) or was set or reset since (its features read nothing else), and kept only
while its value is a string, number, boolean or None, which can't change in place.

The variant that hides rule-only turns (machine-learning policies; this project has
none) is left to Rasa: each of its states depends on the ones before it.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Set, Text, Tuple

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain, State, SubState
from rasa.shared.core.events import (
    ActionExecuted,
    DefinePrevUserUtteredFeaturization,
    Event,
    UserUttered,
)
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

# Rasa's own, kept before ``runtime.rasa_speedups.install`` replaces them.
rasa_states_for_tracker_history: Callable[..., List[State]] = Domain.states_for_tracker_history
rasa_slots_sub_state: Callable[..., SubState] = Domain._get_slots_sub_state

_HISTORY = "_passordhjelp_state_history"
_SLOTS_PART = "_passordhjelp_slots_part"
# Slot values that can't change in place.
_IMMUTABLE = (str, int, float, bool, type(None))


class _NotAsLogged(Exception):
    """A featurization event that replaying would apply anew (see ``_Replay.advance``)."""


class _Replay:
    """A tracker's applied events replayed so far, and the state before each action."""

    def __init__(self, domain: Domain, omit_unset_slots: bool, tracker: DialogueStateTracker):
        self.domain = domain
        self.omit_unset_slots = omit_unset_slots
        self.tracker = tracker.init_copy()
        self.applied: List[Event] = []
        self.states: List[State] = []
        # The one part of an event a state reads that Rasa changes afterwards: whether a
        # user message is featurized by its text (DefinePrevUserUtteredFeaturization sets
        # it on the message event itself, and Rasa's replay reads it as it is then). For
        # each state taken, its message and what it read; and what the replay's latest
        # message has now.
        self.reads: List[Tuple[UserUttered, Optional[bool]]] = []
        self.latest_read: Optional[bool] = None
        # The messages a featurization event of the replay was for.
        self.featurized: Set[int] = set()
        # The state after the last replayed event and what its latest message read then;
        # None once another event is replayed.
        self.current: Optional[Tuple[State, Optional[bool]]] = None

    def fits(self, domain: Domain, omit_unset_slots: bool, applied: List[Event]) -> bool:
        """Whether ``applied`` is what this replay saw with events only added after it,
        and Rasa's replay of them would read what this one read."""
        return (
            domain is self.domain
            and omit_unset_slots == self.omit_unset_slots
            and len(applied) >= len(self.applied)
            and all(new is seen for new, seen in zip(applied, self.applied))
            and all(message.use_text_for_featurization == read for message, read in self.reads)
            and self._latest_message_reads_the_same(applied[len(self.applied) :])
        )

    def _latest_message_reads_the_same(self, new: List[Event]) -> bool:
        """Whether the next state of the replay's latest message (before the new events'
        first action, or the last state) reads what Rasa's replay reads there."""
        message = self.tracker.latest_message
        if message is None:
            return True
        for event in new:
            if isinstance(event, (UserUttered, DefinePrevUserUtteredFeaturization)):
                # Another message, or the featurization set by this event in both replays.
                return True
            if isinstance(event, ActionExecuted):
                break
        return message.use_text_for_featurization == self.latest_read

    def _check_replays_as_logged(self, event: DefinePrevUserUtteredFeaturization) -> None:
        """Rasa logs one featurization event per user message, right after it, and applies
        it then: replayed, it changes nothing. One that would change its message (after
        reverted events, or a second one for a message) makes Rasa's states depend on
        how often they were computed before; only Rasa's own replay gives those."""
        message = self.tracker.latest_message
        if self.tracker.latest_action_name != ACTION_LISTEN_NAME or message is None:
            return  # It changes nothing in any replay.
        if (
            message.use_text_for_featurization != event.use_text_for_featurization
            or id(message) in self.featurized
        ):
            raise _NotAsLogged
        self.featurized.add(id(message))

    def state(self) -> State:
        """The state after the events replayed so far (not to be edited: callers get copies)."""
        message = self.tracker.latest_message
        read = message.use_text_for_featurization if message is not None else None
        if self.current is None or self.current[1] != read:
            state = self.domain._clean_state(
                self.domain.get_active_state(self.tracker, omit_unset_slots=self.omit_unset_slots)
            )
            self.current = (state, read)
        return self.current[0]

    def advance(self, applied: List[Event]) -> None:
        """Replay the events of ``applied`` after those already replayed.

        Raises:
            _NotAsLogged: a featurization event would change its message when replayed.
        """
        for event in applied[len(self.applied) :]:
            if isinstance(event, DefinePrevUserUtteredFeaturization):
                self._check_replays_as_logged(event)
            if isinstance(event, ActionExecuted):
                self.states.append(self.state())
                message = self.tracker.latest_message
                if message is not None:
                    self.reads.append((message, message.use_text_for_featurization))
            self.tracker.update(event)
            self.current = None
        self.applied = applied
        latest = self.tracker.latest_message
        self.latest_read = latest.use_text_for_featurization if latest is not None else None


def _copy(state: State) -> State:
    # A state's features are strings and tuples; its parts are the dicts a caller may edit.
    return {part: dict(features) for part, features in state.items()}


def states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: Optional[Dict[Text, Any]] = None,
) -> List[State]:
    """Rasa's ``Domain.states_for_tracker_history``, replaying only what is new since the
    last call for the same tracker."""
    if ignore_rule_only_turns:
        return rasa_states_for_tracker_history(
            self,
            tracker,
            omit_unset_slots=omit_unset_slots,
            ignore_rule_only_turns=ignore_rule_only_turns,
            rule_only_data=rule_only_data,
        )
    if tracker.__dict__.get(_HISTORY, False) is None:
        return rasa_states_for_tracker_history(self, tracker, omit_unset_slots=omit_unset_slots)
    applied = tracker.applied_events()
    replay: Optional[_Replay] = tracker.__dict__.get(_HISTORY)
    if replay is None or not replay.fits(self, omit_unset_slots, applied):
        replay = tracker.__dict__[_HISTORY] = _Replay(self, omit_unset_slots, tracker)
    try:
        replay.advance(applied)
    except _NotAsLogged:
        # Nothing shared was changed (the replay stopped before the event): from now on
        # this tracker's states are Rasa's own.
        tracker.__dict__[_HISTORY] = None
        return rasa_states_for_tracker_history(self, tracker, omit_unset_slots=omit_unset_slots)
    return [_copy(state) for state in replay.states] + [_copy(replay.state())]


class _OneSlot:
    """All of a tracker Rasa's slots part reads (its slots), with one slot in it."""

    def __init__(self, name: Text, slot: Slot) -> None:
        self.slots = {name: slot}


def slots_sub_state(tracker: DialogueStateTracker, omit_unset_slots: bool = False) -> SubState:
    """Rasa's ``Domain._get_slots_sub_state``, each slot's part worked out by Rasa's own
    function for that slot alone, and kept per tracker while the slot holds the same value
    (equal, of the same type, a string, number, boolean or None) and was set or not as before."""
    kept: Dict[Text, Tuple[Slot, bool, Any, bool, SubState]] = tracker.__dict__.setdefault(
        _SLOTS_PART, {}
    )
    part: SubState = {}
    for name, slot in tracker.slots.items():
        value = slot.value if slot is not None else None
        seen = kept.get(name)
        if (
            seen is not None
            and seen[0] is slot
            and seen[1] == omit_unset_slots
            and type(seen[2]) is type(value)
            and seen[2] == value
            and seen[3] == slot.has_been_set
        ):
            own = seen[4]
        else:
            own = rasa_slots_sub_state(_OneSlot(name, slot), omit_unset_slots=omit_unset_slots)
            if slot is not None and type(value) in _IMMUTABLE:
                kept[name] = (slot, omit_unset_slots, value, slot.has_been_set, own)
            else:
                kept.pop(name, None)
        part.update(own)
    return part
