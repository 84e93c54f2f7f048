"""No tracker copy before ``action_listen`` when the copy could change nothing.

Rasa 3.6's ``MessageProcessor._run_action`` copies the tracker before every action
(``tracker.copy()`` replays every event of the conversation onto a new tracker), applies
the prediction's events to the copy and runs the action on it, so that a rejected action
leaves the tracker as it was. ``action_listen`` ends every turn, reads nothing and
returns no events, so with no prediction events its copy is thrown away unread.

The copy's replay is not quite without effect: replaying writes into shared event
objects (a ``DefinePrevUserUtteredFeaturization`` sets its message's featurization, an
``EntitiesAdded`` adds to its message's entities, and the reverting events replay the
applied events again). A replay of the same events writes the same values a replay of
them wrote before, so the copy is skipped only when Rasa's last copy of this tracker
(before the turn's previous action) replayed every event but ones that write nothing,
and the states of the tracker were never replayed Rasa's own way since
(``runtime/state_history.py`` falls back to it for a featurization event that would
change its message: that replay can write other values). Otherwise Rasa copies as ever.

Installed by ``runtime/rasa_speedups.py`` (with its Rasa version check).
"""

from __future__ import annotations

import itertools
from typing import Awaitable, Callable, Optional, Tuple

from rasa.core.actions.action import Action, ActionListen
from rasa.core.channels.channel import OutputChannel
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import (
    ActionReverted,
    DefinePrevUserUtteredFeaturization,
    EntitiesAdded,
    Event,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

from runtime import state_history

# Events whose replay writes into other events (or replays others that do).
_WRITE_WHEN_REPLAYED = (
    DefinePrevUserUtteredFeaturization,
    EntitiesAdded,
    UserUtteranceReverted,
    ActionReverted,
)
# Per tracker: how many events Rasa's last copy of it replayed, and the last of them.
_COPIED = "_passordhjelp_copied"

# Rasa's own, kept before ``runtime.rasa_speedups.install`` replaces it.
rasa_run_action: Callable[..., Awaitable[bool]] = MessageProcessor._run_action


def _copy_would_change_nothing(tracker: DialogueStateTracker) -> bool:
    copied: Optional[Tuple[int, Optional[Event]]] = tracker.__dict__.get(_COPIED)
    if copied is None or tracker.__dict__.get(state_history._HISTORY, ()) is None:
        return False
    count, last = copied
    events = tracker.events
    if count == 0 or len(events) < count or events[count - 1] is not last:
        return False
    return not any(
        isinstance(event, _WRITE_WHEN_REPLAYED) for event in itertools.islice(events, count, None)
    )


async def run_action(
    self: MessageProcessor,
    action: Action,
    tracker: DialogueStateTracker,
    output_channel: OutputChannel,
    nlg: NaturalLanguageGenerator,
    prediction: PolicyPrediction,
) -> bool:
    """Rasa's ``MessageProcessor._run_action``, without the copy before a listen that
    has no prediction events when the copy could change nothing."""
    if type(action) is ActionListen and not prediction.events:
        if _copy_would_change_nothing(tracker):
            # Rasa's method from after the run: ActionListen.run returns no events, so
            # no slot extraction, no slot line (a listen) and no side effects follow.
            self._log_action_on_tracker(tracker, action, [], prediction)
            await self.execute_side_effects([], tracker, output_channel)
            return self.should_predict_another_action(action.name())
    events = tracker.events
    tracker.__dict__[_COPIED] = (len(events), events[-1] if events else None)
    return await rasa_run_action(self, action, tracker, output_channel, nlg, prediction)
