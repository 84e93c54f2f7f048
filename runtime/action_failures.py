"""Custom actions that fail are visible: a short timeout, and a reply in the conversation's
language instead of silence.

Rasa 3.6 waits up to 300 s for the action server (``DEFAULT_REQUEST_TIMEOUT``),
so a frozen action server stalls every user for as long as it is frozen; and
when a call fails (server down, killed mid-call, an error status) Rasa logs
"the actions events are lost" and carries on without a word to the user, who
sees an empty reply. ``install`` wraps ``RemoteAction.run``: the call gets
``ACTION_TIMEOUT_SECONDS`` (``passordhjelp.config``), and when it fails the turn
answers ``utter_action_failed`` (domain.yml, English and Norwegian by the
``language`` slot). A rejection (``ActionExecutionRejection``, a form declining)
is passed on as before: it is how Rasa asks the policies for another action.
One notice per turn: once a call of a turn has failed, the turn's later custom
actions are not tried (a frozen server would cost the timeout each time) and the
user reads the notice once.

The timeout is ``asyncio.timeout``, in the turn's own task: Python 3.11's
``asyncio.wait_for`` runs the call in a new task, and the turn then waits for the event
loop three times more (the new task's start, its end, the wake-up of the turn), each
time behind every other conversation's ready work. At 8 users that was about 20 ms of
every custom action's latency, also for those Rasa runs in process (a call that never
waits), and the filing turns, with two such waits, were the slowest 1 %
(bench/README.md, "Session 16").
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any, Callable, List

from rasa.core.actions.action import ActionBotResponse, ActionExecutionRejection, RemoteAction
from rasa.shared.core.events import BotUttered, Event, UserUttered

logger = logging.getLogger(__name__)

ACTION_FAILED_RESPONSE = "utter_action_failed"
_ORIGINAL_RUN = RemoteAction.run


def _failing_visibly(run: Callable[..., Any], timeout: Callable[[], float]) -> Callable[..., Any]:
    @functools.wraps(run)
    async def run_visibly(
        self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> List[Event]:
        if _told_this_turn(tracker):
            logger.warning("custom action %s skipped: a call of this turn failed", self.name())
            return []
        try:
            # In this task, not a new one as ``asyncio.wait_for`` makes on Python 3.11.
            async with asyncio.timeout(timeout()):
                return await run(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except Exception as error:  # noqa: BLE001 - every failure gets the same reply
            reason = (
                "timed out" if isinstance(error, asyncio.TimeoutError) else type(error).__name__
            )
            logger.error("custom action %s failed (%s); the user is told", self.name(), reason)
            return await ActionBotResponse(ACTION_FAILED_RESPONSE).run(
                output_channel, nlg, tracker, domain
            )

    return run_visibly


def _told_this_turn(tracker: Any) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if (
            isinstance(event, BotUttered)
            and event.metadata.get("utter_action") == ACTION_FAILED_RESPONSE
        ):
            return True
    return False


def install(timeout: Callable[[], float]) -> None:
    """Wrap Rasa's ``RemoteAction.run``; ``timeout`` gives the seconds for each call."""
    RemoteAction.run = _failing_visibly(_ORIGINAL_RUN, timeout)
