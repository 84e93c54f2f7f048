"""Rasa's CPU per message in one process, the NLU apart, with the server's changes to Rasa.

    .venv/bin/python bench/message_cpu.py [--model models/passordhjelp.tar.gz] [--rounds 10]
        [--count]

Starts the action server (runtime/action_server.py, as `make bench` serves it), loads the
trained model in this process as the Rasa server does (``runtime.rasa_server``'s changes
installed, the SQLite tracker store and in-memory lock store of the embedded shape), and
sends the bench's conversations (bench/run.py) one message at a time through
``Agent.handle_message`` with a fresh sender per conversation and round, as the REST
channel hands them over (no HTTP server, no channel guard). Printed: CPU ms per message of
this process (``time.process_time``, the median and the least of the rounds after a
warm-up round: on a loaded machine the least moves less), of it the
NLU (``MessageProcessor.parse_message``) and the rest. ``--count`` instead counts, per
message, tracker copies, dialogue-state computations (``Domain.get_active_state``) and
action-server calls; ``--profile N`` runs the rounds under cProfile and prints the N
functions with the most cumulative time (the profiler's overhead inflates every figure:
read the shares). The action server's CPU is its own process's and not counted.

Run from a checkout of the code to measure (old and new alternating, on the same model);
nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable, List

PROJECT_ROOT = Path.cwd()
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import CONVERSATIONS  # noqa: E402 (bench/ on the path first)

MESSAGES = sum(map(len, CONVERSATIONS))


def _endpoints(workdir: Path, action_port: int, token: str) -> Path:
    path = workdir / "endpoints.yml"
    path.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        f"  headers:\n    X-Action-Token: {token}\n  enable_selective_domain: true\n"
        "tracker_store:\n  type: runtime.tracker_store.FailClosedSQLTrackerStore\n"
        f"  dialect: sqlite\n  db: {workdir / 'tracker.db'}\n"
        "lock_store:\n  type: runtime.ticket_lock.PromptInMemoryLockStore\n",
        encoding="utf-8",
    )
    return path


def _counting(owner: Any, name: str, counts: Counter, key: str) -> None:
    original: Callable = getattr(owner, name)

    if asyncio.iscoroutinefunction(original):

        async def counted_async(*args: Any, **kwargs: Any) -> Any:
            counts[key] += 1
            return await original(*args, **kwargs)

        setattr(owner, name, counted_async)
    else:

        def counted(*args: Any, **kwargs: Any) -> Any:
            counts[key] += 1
            return original(*args, **kwargs)

        setattr(owner, name, counted)


async def measure(args: argparse.Namespace, endpoints: Path) -> None:
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints

    agent = await load_agent(
        model_path=args.model, endpoints=AvailableEndpoints.read_endpoints(str(endpoints))
    )
    nlu: List[float] = []
    parse_message = agent.processor.parse_message

    async def timed_parse(*a: Any, **k: Any) -> Any:
        start = time.process_time()
        try:
            return await parse_message(*a, **k)
        finally:
            nlu[-1] += time.process_time() - start

    agent.processor.parse_message = timed_parse  # type: ignore[method-assign]
    counts: Counter = Counter()
    if args.count:
        from rasa.core.actions.action import RemoteAction
        from rasa.shared.core.domain import Domain
        from rasa.shared.core.trackers import DialogueStateTracker

        _counting(DialogueStateTracker, "copy", counts, "tracker copies")
        _counting(Domain, "get_active_state", counts, "state computations")
        _counting(RemoteAction, "run", counts, "custom action runs (remote or in process)")
        _counting(type(agent.processor.action_endpoint), "request", counts, "action-server calls")

    async def one_round(number: int) -> float:
        nlu.append(0.0)
        start = time.process_time()
        for index, conversation in enumerate(CONVERSATIONS):
            sender = f"cpu-{os.getpid()}-{number}-{index}"
            for text in conversation:
                await agent.handle_message(
                    UserMessage(text, CollectingOutputChannel(), sender_id=sender)
                )
        return time.process_time() - start

    await one_round(0)  # warm-up: caches, the first conversations' code paths
    nlu.clear()
    counts.clear()
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for number in range(1, args.rounds + 1):
            await one_round(number)
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats(args.profile_sort)
        stats.print_stats(args.profile)
        if args.profile_callers:
            stats.print_callers(args.profile_callers)
        return
    whole = [await one_round(number) for number in range(1, args.rounds + 1)]
    if args.count:
        print(f"per message, over {args.rounds} rounds of {MESSAGES} messages:")
        for key, value in sorted(counts.items()):
            print(f"  {key:45} {value / (args.rounds * MESSAGES):6.2f}")
        return
    per_message = 1000 / MESSAGES
    rest = [w - n for w, n in zip(whole, nlu)]
    print(f"{MESSAGES} messages x {args.rounds} rounds; CPU ms per message, median and least:")
    for name, rounds in (("whole turn", whole), ("NLU", nlu), ("the rest", rest)):
        print(
            f"  {name:10}  {statistics.median(rounds) * per_message:6.3f}"
            f"  {min(rounds) * per_message:6.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=str(PROJECT_ROOT / "models" / "passordhjelp.tar.gz"))
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--count", action="store_true")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument(
        "--profile-sort", default="cumulative", help="pstats sort key of --profile's listing"
    )
    parser.add_argument(
        "--profile-callers", metavar="FUNCTION", help="also list the callers of FUNCTION"
    )
    args = parser.parse_args()

    from runtime.launcher import Launcher, action_server_command, free_port
    from runtime.quiet import silence_third_party_warnings

    silence_third_party_warnings()
    import secrets

    workdir = Path(tempfile.mkdtemp(prefix="message-cpu-"))
    token = secrets.token_urlsafe(24)
    action_port = free_port()
    # As bench/run.py's embedded shape, for the action server and the in-process actions.
    os.environ.update(
        DATABASE_URL=f"sqlite:///{workdir / 'requests.db'}",
        PASSORDHJELP_DATA_DIR=str(workdir),
        ACTION_SERVER_TOKEN=token,
        RASA_TELEMETRY_ENABLED="false",
        LOG_LEVEL="WARNING",
    )
    launcher = Launcher(cwd=PROJECT_ROOT, env=dict(os.environ), logs=workdir)
    launcher.start(
        "actions",
        action_server_command(action_port),
        ready_url=f"http://127.0.0.1:{action_port}/health",
    )
    try:
        from runtime import lean_imports

        lean_imports.install()
        import structlog

        logging.disable(logging.WARNING)
        # As the server runs: Rasa's debug lines dropped.
        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
        from runtime import gc_tuning, rasa_server

        rasa_server.install_changes()
        gc_tuning.install()
        launcher.wait_until_ready(timeout=120)
        asyncio.run(measure(args, _endpoints(workdir, action_port, token)))
    finally:
        launcher.stop()


if __name__ == "__main__":
    main()
