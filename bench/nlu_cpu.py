"""CPU per parse of the trained model's NLU, per component, and an identity record of its output.

    .venv/bin/python bench/nlu_cpu.py [--model models/passordhjelp.tar.gz] [--rounds 20]
        [--record out.json] [--compare before.json]

Timing: loads the model (``Agent.load``, with the server's speed-ups of Rasa installed) and parses a fixed list of
messages ``--rounds`` times in one process: the bench's conversation texts (bench/run.py)
and 200 phrasings of data/nlu (every n-th one, so both languages and all intents); ``--bench-only``, the bench's
texts alone, in turn as its server gets them (caches kept across messages show there). Each
graph component's ``process`` is wrapped with ``time.process_time``; printed are CPU ms
per parse per component class and for the whole parse (``Agent.parse_message``), the
median over rounds (the first round, which fills caches, is left out).

Identity: ``--record FILE`` parses every phrasing of data/nlu and tests/nlu (the blind
sets excluded by name, never opened) once and writes, per text, the intent ranking
(confidences rounded to 4 decimals, and exactly) and the entities. ``--compare FILE``
parses the same texts and reports any text whose intents, confidences (beyond 1e-6) or
entities differ from FILE (``--tolerance``, 1e-6 unless given). Nothing is asserted; exit
status 1 on a difference.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Dict, List

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(PROJECT_ROOT / "bench"))
os.chdir(PROJECT_ROOT)

from run import CONVERSATIONS  # noqa: E402 (bench/ on the path first)

# Blind evaluation material (this round's and any later one): never read (BRIEF.md).
_BLIND = re.compile(r"^independent_2026-11[n-z]")
# Rasa's inline entity annotation: "[Kari](person)" -> "Kari".
_ANNOTATION = re.compile(r"\[([^\]]+?)\](?:\([^)]*\)|\{[^}]*\})")


def phrasings(folder: Path) -> List[str]:
    from passordhjelp.nlu_evaluation import load_examples

    texts: List[str] = []
    for path in sorted(folder.rglob("*.yml")):
        if _BLIND.match(path.name) or path.name == "thresholds.yml":
            continue
        texts += [_ANNOTATION.sub(r"\1", e.text) for e in load_examples(path)]
    return texts


def all_texts() -> List[str]:
    seen: Dict[str, None] = {}
    for text in phrasings(PROJECT_ROOT / "data" / "nlu") + phrasings(PROJECT_ROOT / "tests" / "nlu"):
        seen.setdefault(text, None)
    return list(seen)


def timing_texts() -> List[str]:
    data = phrasings(PROJECT_ROOT / "data" / "nlu")
    step = max(1, len(data) // 200)
    return [t for conversation in CONVERSATIONS for t in conversation] + data[::step][:200]


def wrap_components(agent: Any, spent: Dict[str, float]) -> None:
    """Wraps the function each node of the loaded graph runs (``process`` for the NLU
    components), timed under the node's name (two nodes of one class count apart)."""
    for name, node in agent.processor.graph_runner._instantiated_nodes.items():
        original = node._fn

        def timed(*args: Any, __original: Callable = original, __name: str = name,
                  **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return __original(*args, **kwargs)
            finally:
                spent[__name] += time.process_time() - start

        node._fn = timed


def output_of(parse: Dict[str, Any]) -> Dict[str, Any]:
    ranking = parse.get("intent_ranking") or []
    return {
        "intent": (parse.get("intent") or {}).get("name"),
        "ranking": [[r.get("name"), round(r.get("confidence") or 0.0, 4)] for r in ranking],
        "exact": [r.get("confidence") for r in ranking],
        "entities": [{k: e.get(k) for k in ("entity", "value", "start", "end", "role",
                                            "extractor")} for e in parse.get("entities") or []],
        "response": (parse.get("response_selector") or {}).get("ask_process", {})
        .get("response", {}).get("intent_response_key"),
    }


def differs(before: Dict[str, Any], after: Dict[str, Any], tolerance: float = 1e-6) -> bool:
    if (before["intent"], [r[0] for r in before["ranking"]], before["entities"],
            before["response"]) != (after["intent"], [r[0] for r in after["ranking"]],
                                    after["entities"], after["response"]):
        return True
    return any(
        abs((a or 0) - (b or 0)) > tolerance for a, b in zip(before["exact"], after["exact"])
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="models/passordhjelp.tar.gz")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--bench-only", action="store_true",
                        help="time only the bench's conversation texts (what its server parses)")
    parser.add_argument("--record")
    parser.add_argument("--compare")
    parser.add_argument("--tolerance", type=float, default=1e-6,
                        help="largest confidence difference --compare lets pass")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    import structlog
    from rasa.core.agent import Agent

    # Rasa logs every parse at debug level through structlog; the server runs at INFO.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    # As the server (runtime/rasa_server.py): Rasa's graph run and lookups with our speed-ups.
    from runtime import debug_logs, rasa_speedups

    rasa_speedups.install()
    debug_logs.install()

    agent = Agent.load(args.model)
    loop = asyncio.new_event_loop()

    def parse(text: str) -> Dict[str, Any]:
        return loop.run_until_complete(agent.parse_message(text))

    if args.record or args.compare:
        texts = all_texts()
        outputs = {text: output_of(parse(text)) for text in texts}
        if args.record:
            Path(args.record).write_text(json.dumps(outputs, ensure_ascii=False, indent=0))
            print(f"recorded {len(outputs)} texts to {args.record}")
        if args.compare:
            before = json.loads(Path(args.compare).read_text())
            changed = [
                t
                for t in before
                if t not in outputs or differs(before[t], outputs[t], args.tolerance)
            ]
            largest = max(
                (
                    abs((a or 0) - (b or 0))
                    for t in before
                    if t in outputs
                    for a, b in zip(before[t]["exact"], outputs[t]["exact"])
                ),
                default=0.0,
            )
            print(f"largest confidence difference: {largest:.3g}")
            print(f"compared {len(before)} texts: {len(changed)} differ")
            for text in changed[:20]:
                print(" ", text, before[text], outputs.get(text))
            if changed:
                raise SystemExit(1)
        return

    texts = timing_texts()
    if args.bench_only:
        texts = list(dict.fromkeys(texts[: sum(map(len, CONVERSATIONS))]))
    spent: Dict[str, float] = defaultdict(float)
    wrap_components(agent, spent)
    per_round: Dict[str, List[float]] = defaultdict(list)
    for number in range(args.rounds + 1):
        spent.clear()
        start = time.process_time()
        for text in texts:
            parse(text)
        total = time.process_time() - start
        if number == 0:
            continue
        per_round["(whole parse)"].append(total)
        for name, seconds in spent.items():
            per_round[name].append(seconds)
    print(f"{len(texts)} texts x {args.rounds} rounds; CPU ms per parse (median of rounds):")
    rows = sorted(per_round.items(), key=lambda item: -statistics.median(item[1]))
    for name, values in rows:
        print(f"  {name:45} {1000 * statistics.median(values) / len(texts):7.3f}")


if __name__ == "__main__":
    main()
