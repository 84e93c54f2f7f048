"""Ready time, memory and CPU cost per message of Passordhjelp's Rasa server, for one or more
trained models, served the way `make bench` serves the embedded shape (or the production one).

    .venv/bin/python bench/startup.py before=/tmp/old.tar.gz after=models/passordhjelp.tar.gz
    .venv/bin/python bench/startup.py now=models/passordhjelp.tar.gz --shapes embedded,production

For each model and shape (the runs alternate between them, ``--repeats`` times, so a change
in the machine's load hits both alike): seconds from start until both servers answer
(wall), the CPU seconds the Rasa server spent until then, its resident memory after
warm-up, and over ``--messages`` messages of the bench's conversations at
``--concurrency`` users, the CPU milliseconds the Rasa server and the action server
spend per message (and the load generator, this process), the messages per second and
the latency percentiles. On a shared, loaded machine the CPU
figures and the ratios between models are the ones to compare; wall times move
with the load. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (
    DEFAULT_POSTGRES_URL,
    DEFAULT_REDIS_URL,
    EMBEDDED,
    OURS,
    PRODUCTION,
    PROJECT_ROOT,
    Bot,
    ProductionStores,
    Stack,
    _TICKS,
    _children,
    process_stats,
    run_load,
    tree_cpu_s,
    tree_rss_mb,
    warm_up,
)

# The production shape's stores run as their own processes; their CPU counts for the machine.
STORE_PROCESSES = {"postgres": ("postgres",), "redis": ("redis-server",)}


def named_cpu_s(names: tuple) -> float:
    """CPU seconds of every running process whose command name is one of ``names`` (from
    /proc; a process that exits meanwhile takes its seconds with it: PostgreSQL's pooled
    backends live as long as the servers)."""
    return sum((int(fields[11]) + int(fields[12])) / _TICKS
               for _, name, fields in process_stats() if name in names)


def measure(
    name: str, model: Path, workdir: Path, messages: int, concurrency: int, shape: str = EMBEDDED
) -> Dict[str, Any]:
    stores = (
        ProductionStores(DEFAULT_POSTGRES_URL, DEFAULT_REDIS_URL) if shape == PRODUCTION else None
    )
    stack = Stack(
        Bot(OURS, PROJECT_ROOT, model=model),
        workdir,
        workdir / "logs",
        enable_api=False,
        stores=stores,
    )
    (workdir / "logs").mkdir(parents=True, exist_ok=True)
    try:
        ready_s = stack.start()
        ready_cpu_s = tree_cpu_s(stack.rasa_pid)
        warm_up(stack)
        rss_mb = tree_rss_mb(stack.rasa_pid)
        rasa_cpu, action_cpu = tree_cpu_s(stack.rasa_pid), tree_cpu_s(stack.action_pid)
        # Sanic's workers (production shape): how the messages' CPU is shared among them.
        workers = {pid: tree_cpu_s(pid) for pid in _children(stack.rasa_pid)}
        stores_cpu = {name: named_cpu_s(names) for name, names in STORE_PROCESSES.items()}
        generator_cpu = time.process_time()
        load = run_load(f"{stack.url}/webhooks/rest/webhook", concurrency, 3600, name, messages)
        generator_cpu = time.process_time() - generator_cpu
        stores_cpu = {
            name: named_cpu_s(STORE_PROCESSES[name]) - before for name, before in stores_cpu.items()
        }
        return {
            "ready_s": ready_s,
            "ready_cpu_s": ready_cpu_s,
            "rss_mb": rss_mb,
            "action_rss_mb": tree_rss_mb(stack.action_pid),
            "rasa_cpu_ms_per_message": (tree_cpu_s(stack.rasa_pid) - rasa_cpu)
            / max(load["ok"], 1)
            * 1000,
            "action_cpu_ms_per_message": (tree_cpu_s(stack.action_pid) - action_cpu)
            / max(load["ok"], 1)
            * 1000,
            # The load generator (this process) shares the machine's cores with the servers.
            "generator_cpu_ms_per_message": generator_cpu / max(load["ok"], 1) * 1000,
            # The machine's PostgreSQL and Redis (other users of them count too).
            **{
                f"{name}_cpu_ms_per_message": seconds / max(load["ok"], 1) * 1000
                for name, seconds in stores_cpu.items()
            },
            "msgs_per_s": load["msgs_per_s"],
            "p50_ms": load["p50_ms"],
            "p95_ms": load["p95_ms"],
            "p99_ms": load["p99_ms"],
            "errors": load["errors"],
            "worker_cpu_s": "/".join(
                f"{tree_cpu_s(pid) - before:.1f}" for pid, before in workers.items()
            )
            or "-",
        }
    finally:
        stack.stop()


def main(argv: List[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="+", help="NAME=PATH of a trained model")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--shapes",
        default=EMBEDDED,
        help=f"comma-separated: {EMBEDDED} (default) and/or {PRODUCTION} (the local "
        "PostgreSQL and Redis, SANIC_WORKERS = CPU cores, as `make bench`)",
    )
    args = parser.parse_args(argv)
    shapes = [shape.strip() for shape in args.shapes.split(",") if shape.strip()]
    models = {
        f"{name}-{shape}" if len(shapes) > 1 else name: (path, shape)
        for name, path in (entry.split("=", 1) for entry in args.models)
        for shape in shapes
    }
    runs: Dict[str, List[Dict[str, Any]]] = {name: [] for name in models}
    with open("/proc/loadavg") as loadavg:
        print(f"load average at start: {loadavg.read().split()[:3]}", flush=True)
    with tempfile.TemporaryDirectory(prefix="passordhjelp-startup-") as directory:
        for repeat in range(args.repeats):
            for name, (path, shape) in models.items():
                result = measure(
                    name,
                    Path(path).resolve(),
                    Path(directory) / f"{name}-{repeat}",
                    args.messages,
                    args.concurrency,
                    shape,
                )
                runs[name].append(result)
                print(
                    f"{name} #{repeat + 1}: "
                    + ", ".join(
                        f"{key} {value:.1f}" if isinstance(value, float) else f"{key} {value}"
                        for key, value in result.items()
                    ),
                    flush=True,
                )
    print("\nmedians:")
    first = next(iter(runs))
    for name, results in runs.items():
        medians = {
            key: statistics.median(r[key] for r in results)
            for key in results[0]
            if isinstance(results[0][key], (int, float))
        }
        line = ", ".join(f"{key} {value:.1f}" for key, value in medians.items())
        print(f"  {name}: {line}")
        if name != first:
            base = {key: statistics.median(r[key] for r in runs[first]) for key in medians}
            print(
                "    ratio to "
                + first
                + ": "
                + ", ".join(
                    f"{key} {value / base[key]:.2f}" for key, value in medians.items() if base[key]
                )
            )
    with open("/proc/loadavg") as loadavg:
        print(f"load average at end: {loadavg.read().split()[:3]}")


if __name__ == "__main__":
    main()
