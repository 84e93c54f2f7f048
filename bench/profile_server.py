"""Where a running Rasa server spends its CPU on Passordhjelp's messages: py-spy samples the
server (started as `make bench` starts the embedded shape) while the bench's conversations
are sent over REST, and the samples are summed per part of the turn.

    .venv/bin/python bench/profile_server.py [--model models/passordhjelp.tar.gz]
        [--messages 200] [--concurrency 8] [--py-spy PATH]

Needs py-spy (`pip install py-spy`; not a project dependency) and permission to
trace the server (root, or ptrace allowed). Only samples where the server runs
Python code count (py-spy leaves out idle waits), so the shares are of CPU time
and a loaded machine changes them little. The raw stacks are kept in
bench/out/profile.txt (py-spy's collapsed format) for a closer look.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import MODEL, OURS, OUT_DIR, PROJECT_ROOT, Bot, Stack, run_load, warm_up

# Parts of a turn, each with the frames that mark it (fragments of py-spy's "function
# (file:line)"). A sample counts for the first part in INNER any of whose frames it
# has (so JSON encoding inside the tracker store counts for the tracker store); a
# sample in none of them counts for the innermost frame that marks a part of OUTER.
INNER: List[Tuple[str, Sequence[str]]] = [
    ("NLU: tokenizer (spaCy, language)", ("bilingual_tokenizer.py",)),
    ("NLU: count vectors", ("count_vectors_featurizer.py", "batch_count_vectors.py")),
    ("custom actions run inside Rasa", ("in_process_actions.py",)),
    ("NLU: intent classifier", ("logistic_regression_classifier.py",)),
    ("NLU: unknown-words guard", ("unknown_words_guard.py",)),
    (
        "NLU: response selector",
        ("components/response_selector.py", "selectors/response_selector.py"),
    ),
    ("NLU: other-account extractor", ("other_account_extractor.py",)),
    ("NLU: fallback classifier", ("fallback_classifier.py",)),
    ("action-server calls", ("RemoteAction.run", "action_failures.py")),
    ("tracker store: save", ("TrackerStore.save",)),
    (
        "tracker store: read",
        ("TrackerStore.retrieve", "TrackerStore.get_or_create", "TrackerStore.create_tracker"),
    ),
    ("lock store", ("lock_store.py", "ticket_lock.py")),
    ("policies (RulePolicy, ensemble)", ("rasa/core/policies/",)),
    ("graph runner (dask) around NLU and policies", ("DaskGraphRunner",)),
    ("responses (NLG)", ("rasa/core/nlg/",)),
    ("slot extraction", ("ActionExtractSlots",)),
    ("tracker, events, domain", ("rasa/shared/core/",)),
    ("message processor, other", ("rasa/core/processor.py", "rasa/core/agent.py")),
]
OUTER: List[Tuple[str, Sequence[str]]] = [
    ("our channels (guard, rate limit, redaction)", ("channels/", "passordhjelp/", "limits/")),
    ("Rasa REST channel", ("rasa/core/channels/",)),
    ("HTTP server (Sanic)", ("sanic/",)),
    ("event loop", ("asyncio/", "uvloop")),
]
# Samples of the server's main thread only (the event loop that handles messages).
MAIN_THREAD = "serve_application"


def part_of(stack: str) -> str:
    """The part a collapsed stack (outermost;...;innermost) belongs to."""
    frames = stack.split(";")
    for part, marks in INNER:
        if any(mark in frame for frame in frames for mark in marks):
            return part
    for frame in reversed(frames):
        for part, marks in OUTER:
            if any(mark in frame for mark in marks):
                return part
    return "other"


def summarize(raw: Path) -> List[Tuple[str, int]]:
    counts: Dict[str, int] = collections.Counter()
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit() and MAIN_THREAD in stack:
            counts[part_of(stack)] += int(count)
    return sorted(counts.items(), key=lambda kv: -kv[1])


def main(argv: List[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--py-spy", default=shutil.which("py-spy"))
    parser.add_argument("--out", type=Path, default=OUT_DIR / "profile.txt")
    args = parser.parse_args(argv)
    if not args.py_spy:
        parser.error("py-spy not found: `pip install py-spy` (or pass --py-spy PATH)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="passordhjelp-profile-") as directory:
        workdir = Path(directory)
        (workdir / "logs").mkdir()
        stack = Stack(
            Bot(OURS, PROJECT_ROOT, model=args.model.resolve()),
            workdir,
            workdir / "logs",
            enable_api=False,
        )
        try:
            stack.start()
            warm_up(stack)
            spy = subprocess.Popen(
                [
                    args.py_spy,
                    "record",
                    "--pid",
                    str(stack.rasa_pid),
                    "--rate",
                    "250",
                    "--format",
                    "raw",
                    "--output",
                    str(args.out),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            try:
                load = run_load(
                    f"{stack.url}/webhooks/rest/webhook",
                    args.concurrency,
                    3600,
                    "profile",
                    args.messages,
                )
            finally:
                spy.send_signal(signal.SIGINT)
                _, errors = spy.communicate(timeout=60)
            if spy.returncode not in (0, -signal.SIGINT) and not args.out.exists():
                raise SystemExit(f"py-spy failed: {errors.decode(errors='replace')[-2000:]}")
        finally:
            stack.stop()
    parts = summarize(args.out)
    total = sum(count for _, count in parts) or 1
    print(
        f"{load['ok']} messages at {args.concurrency} users ({load['msgs_per_s']:.1f} msg/s "
        f"on this machine now); {total} CPU samples of the Rasa server (250 per s):"
    )
    for part, count in parts:
        print(f"  {count / total:6.1%}  {part}")
    print(f"raw stacks: {args.out}")


if __name__ == "__main__":
    main()
