"""Which messages make the slowest 1 % at load, and what the Rasa server did meanwhile.

    .venv/bin/python bench/tail.py [--model models/passordhjelp.tar.gz] [--seconds 20]
        [--concurrency 8] [--repeats 1] [--probe]

Serves the embedded shape as `make bench` does (``run.Stack``: the action server, Rasa with
the SQLite tracker store and the in-memory lock store), warms it up as the bench does, and
drives the bench's conversations with ``--concurrency`` closed-loop users for ``--seconds``
(the bench's own load generator, ``run.KeptConnection``), recording each request's text,
its place in its conversation and its latency. Printed per run: the load's figures (msg/s,
p50/p95/p99, the Rasa server's and the action server's CPU ms per message), each text's
median and p99 with its share of the slowest 1 %, and the slowest requests with how many
requests were in flight when each was sent.

``--probe`` also loads ``bench/tail_probe.py`` into the Rasa server (a ``sitecustomize`` on
its ``PYTHONPATH``): it logs every garbage collection and every turn's wall and thread CPU
time and its tracker store read and save, and the run prints the collections during the
load and the slowest turns as the server saw them. The probe's own cost is in its figures.

Run from a checkout of the code to measure; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (
    OURS,
    PROJECT_ROOT,
    Bot,
    Stack,
    closed_loop,
    percentile,
    tree_cpu_s,
    warm_up,
)

PROBE = Path(__file__).resolve().parent / "tail_probe.py"


def _load(url: str, concurrency: int, seconds: float, tag: str) -> List[Dict]:
    import uvloop

    records: List[Dict] = []
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(closed_loop(url, concurrency, seconds, tag, sys.maxsize, records))
    return records


def _report(records: List[Dict], seconds: float, cpu: Tuple[float, float]) -> None:
    ok = [r for r in records if r["ok"]]
    ms = [r["ms"] for r in ok]
    p99 = percentile(ms, 99) or 0.0
    print(
        f"  {len(ok)} ok, {len(records) - len(ok)} failed, {len(ok) / seconds:.1f} msg/s; "
        f"p50 {percentile(ms, 50):.1f}, p95 {percentile(ms, 95):.1f}, p99 {p99:.1f} ms, "
        f"max {max(ms):.1f}; CPU ms per message: Rasa {cpu[0] / len(ok) * 1000:.2f}, "
        f"action server {cpu[1] / len(ok) * 1000:.2f}"
    )
    slow = [r for r in ok if r["ms"] >= p99]
    by_text: Dict[str, List[float]] = collections.defaultdict(list)
    for r in ok:
        by_text[r["text"]].append(r["ms"])
    slow_by_text = collections.Counter(r["text"] for r in slow)
    print(f"  {'text':36} {'n':>5} {'median':>7} {'p99':>7}  in slowest 1 %")
    for text, values in sorted(by_text.items(), key=lambda item: -statistics.median(item[1])):
        print(
            f"  {text[:36]:36} {len(values):5} {statistics.median(values):7.1f}"
            f" {percentile(values, 99):7.1f}  {slow_by_text.get(text, 0)}"
        )
    print("  slowest requests (sent at s, ms, in flight when sent, text):")
    for r in sorted(slow, key=lambda r: -r["ms"])[:15]:
        print(f"    {r['sent']:7.3f} {r['ms']:7.1f} {r['others']:2} {r['text']}")


def _probe_report(log: Path, action_log: Path, start: float, end: float) -> None:
    """The probe's lines between the load's start and end (the server's monotonic clock)."""
    gcs, turns = [], []
    for line in log.read_text().splitlines():
        entry = json.loads(line)
        if not start <= entry["at"] <= end:
            continue
        (gcs if entry["kind"] == "gc" else turns).append(entry)
    by_generation = collections.Counter(g["generation"] for g in gcs)
    longest = max((g["ms"] for g in gcs), default=0.0)
    print(
        f"  server: {len(gcs)} collections during the load {dict(by_generation)}, "
        f"longest {longest:.1f} ms, all {sum(g['ms'] for g in gcs):.0f} ms"
    )
    for g in gcs:
        print(
            f"    collection at {g['at'] - start:6.2f} s: generation {g['generation']}, "
            f"{g['ms']:.1f} ms, {g['collected']} freed"
        )
    if not turns:
        return
    for key in ("wall_ms", "cpu_ms", "read_ms", "save_ms"):
        values = [t[key] for t in turns if t.get(key) is not None]
        if values:
            print(
                f"  server {key}: median {statistics.median(values):.2f}, "
                f"p99 {percentile(values, 99):.2f}, max {max(values):.2f}"
            )
    by_text: Dict[str, List[Dict]] = collections.defaultdict(list)
    for t in turns:
        by_text[t["text"]].append(t)
    print(
        f"  server, medians by text: {'text':30} {'wall':>6} {'cpu':>5} {'step':>5}"
        f" {'steps':>5} {'calls':>5} {'call wall':>9}"
    )
    for text, entries in sorted(
        by_text.items(), key=lambda item: -statistics.median(t["wall_ms"] for t in item[1])
    ):

        def median(key: str, entries: List[Dict] = entries) -> float:
            return statistics.median(t[key] for t in entries)

        print(
            f"    {text[:46]:46} {median('wall_ms'):6.1f} {median('cpu_ms'):5.2f}"
            f" {median('longest_step_ms'):5.2f} {median('steps'):5.0f} {median('actions'):5.1f}"
            f" {median('action_wall_ms'):9.1f}"
        )
    calls: Dict[str, List[float]] = collections.defaultdict(list)
    for t in turns:
        for name, ms, *_ in t.get("calls", ()):
            calls[str(name)].append(ms)
    # Each call's way: Rasa sent it -> the action server's executor started -> ended ->
    # Rasa's turn went on, matched by conversation and action (the clocks are the machine's).
    runs = {}
    if action_log.exists():
        for line in action_log.read_text().splitlines():
            entry = json.loads(line)
            if entry["kind"] == "action":
                runs[(entry["sender"], entry["name"], round(entry["started"], 1))] = entry
    legs: Dict[str, List[float]] = collections.defaultdict(list)
    for t in turns:
        for name, _ms, sender, sent, back in t.get("calls", ()):
            match = [
                e
                for key, e in runs.items()
                if key[0] == sender and key[1] == name and sent <= e["started"] <= back
            ]
            if len(match) == 1:
                run = match[0]
                legs["to the executor"].append((run["started"] - sent) * 1000)
                legs["in the executor"].append(run["wall_ms"])
                legs["back to the turn"].append((back - run["at"]) * 1000)
    for leg, values in legs.items():
        print(
            f"  call legs, {leg:17}: median {statistics.median(values):6.2f}, "
            f"p90 {percentile(values, 90):6.2f}, p99 {percentile(values, 99):6.2f} ms"
        )
    for name, values in sorted(calls.items()):
        print(
            f"  server, action-server calls of {name}: {len(values)}, wall median "
            f"{statistics.median(values):.1f}, p99 {percentile(values, 99):.1f} ms"
        )
    print("  server's slowest turns by thread CPU (ms cpu, wall, read, save, text):")
    for t in sorted(turns, key=lambda t: -t["cpu_ms"])[:10]:
        print(
            f"    {t['cpu_ms']:6.2f} {t['wall_ms']:7.1f} {t.get('read_ms') or 0:6.2f}"
            f" {t.get('save_ms') or 0:6.2f} {t['text']}"
        )


def _actions_report(log: Path, start: float, end: float) -> None:
    """The action server's probe lines between the load's start and end."""
    gcs, runs = [], collections.defaultdict(list)
    for line in log.read_text().splitlines() if log.exists() else ():
        entry = json.loads(line)
        if start <= entry["at"] <= end:
            if entry["kind"] == "gc":
                gcs.append(entry)
            else:
                runs[entry["name"]].append(entry)
    print(
        f"  action server: {len(gcs)} collections, longest "
        f"{max((g['ms'] for g in gcs), default=0.0):.1f} ms; runs (wall median, p99; cpu "
        "median; longest step median; steps):"
    )
    for name, entries in sorted(runs.items()):
        walls = [e["wall_ms"] for e in entries]
        print(
            f"    {name:34} {len(entries):5} {statistics.median(walls):6.2f}"
            f" {percentile(walls, 99):6.2f}"
            f" {statistics.median(e['cpu_ms'] for e in entries):6.2f}"
            f" {statistics.median(e['longest_step_ms'] for e in entries):6.2f}"
            f" {statistics.median(e['steps'] for e in entries):3.0f}"
        )


def _print_profile(path: Path, count: int, keep: str) -> None:
    import pstats

    for _ in range(50):
        if path.exists():
            break
        time.sleep(0.1)
    stats = pstats.Stats(str(path))
    stats.sort_stats("tottime").print_stats(count)
    stats.sort_stats("cumulative").print_stats(count)
    if keep:
        shutil.move(str(path), keep)
    else:
        path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=str(PROJECT_ROOT / "models" / "passordhjelp.tar.gz"))
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--probe", action="store_true")
    parser.add_argument(
        "--gc-thresholds",
        default="",
        help="with --probe: the Rasa server's collector thresholds instead of "
        "runtime/gc_tuning.py's (e.g. 10000,100,100)",
    )
    parser.add_argument("--profile-out", default="", help="keep the profile's stats there")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="with --probe: cProfile the Rasa server's loop during the load, print the N "
        "functions with the most own time and the N with the most cumulative time",
    )
    args = parser.parse_args()
    with open("/proc/loadavg") as loadavg:
        print(f"load average at start: {loadavg.read().split()[:3]}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="passordhjelp-tail-"))
    rasa_env: Dict[str, str] = {}
    probe_log, action_log = workdir / "probe.jsonl", workdir / "actions.jsonl"
    action_env: Dict[str, str] = {}
    if args.probe:
        site = workdir / "probe"
        site.mkdir()
        shutil.copy(PROBE, site / "sitecustomize.py")
        rasa_env = {
            "PYTHONPATH": f"{site}:{PROJECT_ROOT}",
            "PASSORDHJELP_TAIL_PROBE_LOG": str(probe_log),
            "PASSORDHJELP_TAIL_GC_THRESHOLDS": args.gc_thresholds,
        }
        action_env = {
            "PYTHONPATH": str(site),
            "PASSORDHJELP_TAIL_PROBE_LOG": str(action_log),
            "PASSORDHJELP_TAIL_PROBE_ACTIONS": "1",
        }
    stack = Stack(
        Bot(OURS, PROJECT_ROOT, model=Path(args.model).resolve()),
        workdir / "stack",
        workdir / "logs",
        enable_api=False,
        rasa_env=rasa_env,
        action_env=action_env,
    )
    (workdir / "logs").mkdir(parents=True, exist_ok=True)
    try:
        stack.start()
        warm_up(stack)
        for repeat in range(args.repeats):
            before = tree_cpu_s(stack.rasa_pid), tree_cpu_s(stack.action_pid)
            if args.profile:
                os.kill(stack.rasa_pid, signal.SIGUSR1)
            start = time.monotonic()
            records = _load(
                f"{stack.url}/webhooks/rest/webhook", args.concurrency, args.seconds, str(repeat)
            )
            end = time.monotonic()
            if args.profile:
                os.kill(stack.rasa_pid, signal.SIGUSR1)
            cpu = (
                tree_cpu_s(stack.rasa_pid) - before[0],
                tree_cpu_s(stack.action_pid) - before[1],
            )
            print(f"run {repeat + 1}, {args.concurrency} users, {args.seconds:.0f} s:")
            _report(records, end - start, cpu)
            if args.probe:
                _probe_report(probe_log, action_log, start, end)
                _actions_report(action_log, start, end)
            if args.profile:
                _print_profile(Path(f"{probe_log}.prof"), args.profile, args.profile_out)
            time.sleep(1)
    finally:
        stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    with open("/proc/loadavg") as loadavg:
        print(f"load average at end: {loadavg.read().split()[:3]}")


if __name__ == "__main__":
    main()
