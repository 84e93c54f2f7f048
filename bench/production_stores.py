"""CPU time of the production shape's stores per turn, as Rasa's processor uses them: the
Redis lock store (``runtime/redis_lock_store.py``) and the PostgreSQL tracker store
(``runtime/tracker_store.py``), without Rasa's NLU and policies.

    .venv/bin/python bench/production_stores.py [--turns 1500] [--users 8] [--repeats 3]

Each turn takes the conversation's lock, gets the tracker (a new conversation: created
empty, then the session start's events, as ``action_session_start`` adds them), adds the
events of a short turn (a user message with its parse data, an action, a bot message,
action_listen), saves it and releases the lock; ``--users`` conversations run at once on
uvloop (Sanic's loop), a new one after every ``TURNS_PER_CONVERSATION`` turns (the
bench's conversations have 3 to 5 messages). Printed per turn: CPU ms of this process
(the stores' clients, their worker threads included), of the store's PostgreSQL backends
(found by their application_name) and of redis-server, all from /proc, and the wall time.
The database is a new one, dropped afterwards; the Redis keys have a prefix of their own.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
import uvloop
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    UserUttered,
)

from runtime.redis_lock_store import AtomicRedisLockStore
from runtime.tracker_store import FailClosedSQLTrackerStore

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS = {"host": "127.0.0.1", "port": 6379, "db": 12}
TURNS_PER_CONVERSATION = 4
_TICKS = os.sysconf("SC_CLK_TCK")


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


def cpu_s(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def named_cpu_s(name: str) -> float:
    total = 0.0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as comm:
                    if comm.read().strip() == name:
                        total += cpu_s(int(entry))
            except OSError:
                pass
    return total


async def run(tracker_store: FailClosedSQLTrackerStore, lock_store: AtomicRedisLockStore,
              turns: int, users: int) -> None:
    issued = 0

    async def user(index: int) -> None:
        nonlocal issued
        conversation, number = None, 0
        while issued < turns:
            issued += 1
            if number % TURNS_PER_CONVERSATION == 0:
                conversation = f"u{index}-{secrets.token_hex(4)}"
            async with lock_store.lock(conversation):
                tracker = await tracker_store.get_or_create_tracker(
                    conversation, append_action_listen=False)
                if not tracker.events:
                    for event in (ActionExecuted("action_session_start"), SessionStarted(),
                                  ActionExecuted("action_listen")):
                        tracker.update(event)
                for event in turn(number):
                    tracker.update(event)
                await tracker_store.save(tracker)
            number += 1

    await asyncio.gather(*(user(i) for i in range(users)))


def measure(turns: int, users: int) -> Dict[str, float]:
    database = f"passordhjelp_stores_{secrets.token_hex(4)}"
    application = f"passordhjelp-stores-{os.getpid()}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    prefix = f"stores{secrets.token_hex(4)}"
    tracker_store = FailClosedSQLTrackerStore(
        Domain.empty(), dialect="postgresql", host="127.0.0.1", port=5432, db=database,
        username="postgres", query={"application_name": application})
    lock_store = AtomicRedisLockStore(**REDIS, key_prefix=prefix)
    try:
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(run(tracker_store, lock_store, 100, users))  # warm-up
            with admin.connect() as connection:
                backends = list(connection.execute(
                    sa.text("SELECT pid FROM pg_stat_activity WHERE application_name = :a"),
                    {"a": application}).scalars())
            before = (time.process_time(), sum(cpu_s(pid) for pid in backends),
                      named_cpu_s("redis-server"), time.perf_counter())
            runner.run(run(tracker_store, lock_store, turns, users))
            with admin.connect() as connection:
                now = list(connection.execute(
                    sa.text("SELECT pid FROM pg_stat_activity WHERE application_name = :a"),
                    {"a": application}).scalars())
            after = (time.process_time(), sum(cpu_s(pid) for pid in backends),
                     named_cpu_s("redis-server"), time.perf_counter())
    finally:
        tracker_store.engine.dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
        for key in lock_store.red.scan_iter(f"{prefix}*"):
            lock_store.red.delete(key)
    spent = [(b - a) / turns * 1000 for a, b in zip(before, after)]
    return {"client_cpu_ms": spent[0], "postgres_cpu_ms": spent[1], "redis_cpu_ms": spent[2],
            "wall_ms": spent[3], "new_backends": len(set(now) - set(backends))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=1500)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    results = []
    for repeat in range(args.repeats):
        result = measure(args.turns, args.users)
        results.append(result)
        print(f"#{repeat + 1}: " + ", ".join(f"{k} {v:.3f}" for k, v in result.items()),
              flush=True)
    print("medians: " + ", ".join(
        f"{key} {statistics.median(r[key] for r in results):.3f}" for key in results[0]))


if __name__ == "__main__":
    main()
