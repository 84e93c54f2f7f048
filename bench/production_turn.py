"""What a message costs in the production shape beyond the Rasa server: CPU per process,
PostgreSQL statements and Redis commands per message.

    .venv/bin/python bench/production_turn.py --messages 1500 --repeats 2
    .venv/bin/python bench/production_turn.py --count --messages 300

Without ``--count``: ``bench/startup.py``'s measurement of the production shape (CPU ms per
message of the Rasa server, the action server, every ``postgres`` and ``redis-server``
process and the load generator; messages/s at ``--concurrency`` users) plus the Redis
commands per message from ``INFO commandstats`` (the whole server's: other users of it
count too; commands a script runs are counted as well as the script).

With ``--count``: the same load with PostgreSQL behind ``tests/postgres_proxy.py`` (which
records what the server receives on the wire) and a Redis ``MONITOR`` (the bench's key
prefix only), which both cost CPU of their own: the statements and the commands per message
by kind, not the CPU. Nothing is asserted. With ``--count``, the environment variable
``PRODUCTION_TURN_STATEMENTS=FILE`` also writes every recorded statement to FILE, one a line
(for reading what a turn sends; the benchmark's only variable, not the assistant's).
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, Counter, Dict

import redis

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import startup  # noqa: E402
from run import (  # noqa: E402
    DEFAULT_POSTGRES_URL,
    DEFAULT_REDIS_URL,
    OURS,
    PRODUCTION,
    PROJECT_ROOT,
    Bot,
    ProductionStores,
    Stack,
    run_load,
    warm_up,
)


def _commandstats(client: redis.Redis) -> Counter[str]:
    return collections.Counter(
        {name: stats["calls"] for name, stats in client.info("commandstats").items()}
    )


def _kind(statement: str) -> str:
    words = statement.split()
    first = words[0].upper() if words else "?"
    if first in ("EXECUTE", "PREPARE"):
        return f"{first} {words[1]}"
    return first


def count(model: Path, workdir: Path, messages: int, concurrency: int) -> Dict[str, Any]:
    from tests.postgres_proxy import RecordingProxy
    from sqlalchemy.engine import make_url

    target = make_url(DEFAULT_POSTGRES_URL)
    with RecordingProxy(target.host or "127.0.0.1", target.port or 5432) as proxy:
        postgres_url = target.set(host="127.0.0.1", port=proxy.port).render_as_string(
            hide_password=False
        )
        stores = ProductionStores(postgres_url, DEFAULT_REDIS_URL)
        stack = Stack(Bot(OURS, PROJECT_ROOT, model=model), workdir, workdir / "logs",
                      enable_api=False, stores=stores)
        (workdir / "logs").mkdir(parents=True, exist_ok=True)
        commands: Counter[str] = collections.Counter()
        recording = threading.Event()
        try:
            stack.start()
            warm_up(stack)

            def monitor() -> None:
                client = redis.Redis.from_url(DEFAULT_REDIS_URL)
                with client.monitor() as feed:
                    recording.set()
                    for entry in feed.listen():
                        if not recording.is_set():
                            return
                        text = entry["command"]
                        if stores.key_prefix not in text:
                            continue
                        name = text.split()[0].upper()
                        if entry.get("client_type") == "lua" or "lua" in str(
                            entry.get("client_address", "")
                        ):
                            name = f"(in a script) {name}"
                        commands[name] += 1

            thread = threading.Thread(target=monitor, daemon=True)
            thread.start()
            recording.wait(5)
            first = len(proxy.statements)
            load = run_load(f"{stack.url}/webhooks/rest/webhook", concurrency, 3600, "count",
                            messages)
            statements = proxy.statements[first:]
            if os.environ.get("PRODUCTION_TURN_STATEMENTS"):
                Path(os.environ["PRODUCTION_TURN_STATEMENTS"]).write_text(
                    "\n".join(" ".join(s.split())[:4000] for s in statements), encoding="utf-8")
            recording.clear()
            redis.Redis.from_url(DEFAULT_REDIS_URL).ping()  # lets the monitor see the flag
        finally:
            stack.stop()
    ok = max(load["ok"], 1)
    kinds = collections.Counter(_kind(statement) for statement in statements)
    return {
        "messages": load["ok"],
        "errors": load["errors"],
        "postgres_statements_per_message": len(statements) / ok,
        "postgres_by_kind": {kind: round(n / ok, 3) for kind, n in kinds.most_common()},
        "redis_commands_per_message": sum(
            n for name, n in commands.items() if not name.startswith("(")
        ) / ok,
        "redis_by_kind": {name: round(n / ok, 3) for name, n in commands.most_common()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=str(PROJECT_ROOT / "models" / "passordhjelp.tar.gz"))
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--messages", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--count", action="store_true")
    args = parser.parse_args()
    model = Path(args.model).resolve()
    client = redis.Redis.from_url(DEFAULT_REDIS_URL)
    results = []
    with tempfile.TemporaryDirectory(prefix="passordhjelp-production-turn-") as directory:
        for repeat in range(args.repeats):
            workdir = Path(directory) / str(repeat)
            if args.count:
                result = count(model, workdir, args.messages, args.concurrency)
            else:
                before = _commandstats(client)
                result = startup.measure("production", model, workdir, args.messages,
                                         args.concurrency, PRODUCTION)
                # The warm-up's and the load's commands; per message of the load (the
                # warm-up is 2 x the conversations' messages, counted apart below).
                delta = _commandstats(client) - before
                result["redis_calls_per_message"] = round(
                    sum(delta.values()) / max(args.messages + _warm_up_messages(), 1), 2
                )
            results.append(result)
            print(f"{PROJECT_ROOT.name} #{repeat + 1}: " + ", ".join(
                f"{key} {value:.2f}" if isinstance(value, float) else f"{key} {value}"
                for key, value in result.items()), flush=True)
    if len(results) > 1:
        print("medians: " + ", ".join(
            f"{key} {statistics.median(r[key] for r in results):.2f}"
            for key, value in results[0].items() if isinstance(value, (int, float))))


def _warm_up_messages() -> int:
    from run import CONVERSATIONS

    return 2 * sum(len(conversation) for conversation in CONVERSATIONS)


if __name__ == "__main__":
    main()
