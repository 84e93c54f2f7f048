"""CPU time of saving one turn to the tracker store: Rasa's SQL store against ours
(runtime/tracker_store.py), on SQLite files in a temporary folder.

    .venv/bin/python bench/tracker_store.py [--turns 400]

Each turn is read back as Rasa's processor reads it, gets the events of a short turn
(a user message with its parse data, an action, a bot message, action_listen) and is
saved; only the save is timed, in CPU seconds of this process (the disk waits of
Rasa's store, an fsync per commit, are not counted). A conversation has four turns.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from runtime.tracker_store import FailClosedSQLTrackerStore

TURNS_PER_CONVERSATION = 4


def turn(number: int) -> List[Event]:
    intent = {"name": "greet", "confidence": 0.9}
    ranking = [{"name": f"intent_{k}", "confidence": 0.01} for k in range(10)]
    parse_data = {"intent": intent, "intent_ranking": ranking, "entities": []}
    return [
        UserUttered(f"hei {number}", intent, parse_data=parse_data),
        ActionExecuted("utter_greet"),
        BotUttered("Hei!"),
        ActionExecuted("action_listen"),
    ]


async def save_cpu_ms(store: TrackerStore, turns: int) -> float:
    """Mean CPU milliseconds of one save."""
    spent = 0.0
    for number in range(turns):
        sender = f"sender-{number // TURNS_PER_CONVERSATION}"
        if number % TURNS_PER_CONVERSATION == 0:
            start = [
                ActionExecuted("action_session_start"),
                SessionStarted(),
                ActionExecuted("action_listen"),
            ]
            await store.save(DialogueStateTracker.from_events(sender, start))
        tracker = await store.retrieve(sender)
        assert tracker is not None
        for event in turn(number):
            tracker.update(event)
        started = time.process_time()
        await store.save(tracker)
        spent += time.process_time() - started
    return spent / turns * 1000


def main(argv: List[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=400)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        for repeat in range(2):
            for name, store_class in (
                ("Rasa's SQLTrackerStore", SQLTrackerStore),
                ("FailClosedSQLTrackerStore", FailClosedSQLTrackerStore),
            ):
                store = store_class(
                    Domain.empty(),
                    dialect="sqlite",
                    db=str(Path(directory) / f"{repeat}-{store_class.__name__}.db"),
                )
                ms = asyncio.run(save_cpu_ms(store, args.turns))
                print(f"{name}: {ms:.2f} CPU ms per save")


if __name__ == "__main__":
    main()
