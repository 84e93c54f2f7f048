"""`make bench`, secret detection: recall and false redaction per set, cost per message, worst inputs.

Figures on the blind sets (tests/security/independent_2026-11*.yml, aggregates only): the
newest (round 11, 2026-11k, written blind at the start of session 8) is the measurement, never
read; the older ones have been scored and their categories worked on, so they are
regression sets; the generated corpus and
the hand-written hard cases (dev_hard_cases.yml) are what the detector was developed
against. Cost: the median time of the message guard's redaction per message over all the
sets, the slowest of a few pathological 2,000-character inputs (catastrophic backtracking
would show here), and how the time grows from 1,000 to 2,000 characters (about 2x when
linear). Run alone: ``.venv/bin/python bench/secret_detection.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT_ROOT), str(PROJECT_ROOT / "tests")]

from passordhjelp.redaction import redact  # noqa: E402
from passordhjelp.secrets.evaluation import evaluate  # noqa: E402
from security.generated_corpus import generate  # noqa: E402

SECURITY_TESTS = PROJECT_ROOT / "tests" / "security"
# Blind sets, newest first. Round 11 (2026-11k) is the measurement; the older ones are
# regression sets, their misses read (tests/security/README.md).
BLIND_SETS = ("independent_2026-11k", "independent_2026-11j", "independent_2026-11i", "independent_2026-11h", "independent_2026-11g", "independent_2026-11f", "independent_2026-11e", "independent_2026-11d", "independent_2026-11c",
              "independent_2026-11b", "independent_2026-11")
# The blind set whose misses nobody has read, judged against the targets; None while every
# set in BLIND_SETS has been read.
MEASUREMENT: Optional[str] = "independent_2026-11k"
DEV_HARD_CASES = PROJECT_ROOT / "tests" / "security" / "dev_hard_cases.yml"
TARGET_MEDIAN_MS = 2.0
TARGET_PATHOLOGICAL_MS = 50.0
TARGET_GROWTH = 3.0  # time at 2,000 over time at 1,000 characters: 2 when linear, noise aside
TARGET_RECALL, TARGET_FALSE_REDACTION = 0.98, 0.02
LENGTH = 2000


def pathological_inputs() -> Dict[str, str]:
    """Inputs that make naive patterns backtrack or a tokenizer loop, each 2,000 characters."""
    inputs = {
        "one long word": "a" * LENGTH,
        "one long number": "1" * LENGTH,
        "cue repeated": ("my password is " * 200)[:LENGTH],
        "quotes": '"' * LENGTH,
        "unclosed quotes": ('"a ' * 700)[:LENGTH],
        "key=value without end": ("Password=" + "x;" * 1000)[:LENGTH],
        # every part of a connection string that holds no secret is looked up for each token
        "settings without a secret": ("Data Source=db; " * 200)[:LENGTH],
        "semicolons": ";" * LENGTH,
        "jwt-like dots": ("eyJ" + "a." * 1000)[:LENGTH],
        "dashes": ("xoxb-" + "-" * LENGTH)[:LENGTH],
        "digit groups": ("123456-" * 300)[:LENGTH],
        # any verb in a tense looks back over particles and the sign-in for its value
        "verbs in a tense": ("hammered my sign-in over in up to " * 60)[:LENGTH],
        "private key without end": ("-----BEGIN RSA PRIVATE KEY-----" + "A" * LENGTH)[:LENGTH],
        "password-shaped words": ("Sommer2024! " * 200)[:LENGTH],
        "compound letters": ("ab" * LENGTH)[:LENGTH],
        "norwegian compound": ("passordbyttekjempekomplisert" * 80)[:LENGTH],
    }
    return inputs


def measure() -> Dict[str, Any]:
    sets = {name: yaml.safe_load((SECURITY_TESTS / f"{name}.yml").read_text(encoding="utf-8"))[
        "cases"] for name in BLIND_SETS}
    sets["generated"] = generate()
    sets["hard"] = yaml.safe_load(DEV_HARD_CASES.read_text(encoding="utf-8"))["cases"]
    redact("warm up the word lists")
    figures: Dict[str, Any] = {}
    for name, cases in sets.items():
        report = evaluate(cases)
        figures[name] = {
            "messages": len(cases),
            "recall": {lang: t.rate for lang, t in report.recall.items()},
            "false_redaction": {lang: t.rate for lang, t in report.false_redaction.items()},
            "recall_by_kind": {kind: t.rate for kind, t in report.recall_by_kind.items()},
            "lines": report.lines(),
        }
    timings: List[float] = []
    for case in [case for cases in sets.values() for case in cases]:
        started = time.perf_counter()
        redact(case["text"])
        timings.append((time.perf_counter() - started) * 1000)
    worst, growth = {}, {}
    for name, text in pathological_inputs().items():
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            redact(text)
            runs.append((time.perf_counter() - started) * 1000)
        worst[name] = max(runs)
        half = []
        for _ in range(3):
            started = time.perf_counter()
            redact(text[: LENGTH // 2])
            half.append((time.perf_counter() - started) * 1000)
        growth[name] = min(runs) / max(min(half), 0.05)
    figures["cost"] = {
        "median_ms": statistics.median(timings),
        "p95_ms": sorted(timings)[int(0.95 * (len(timings) - 1))],
        "pathological_max_ms": max(worst.values()),
        "pathological_ms": worst,
        "growth": growth,
    }
    return figures


def render(figures: Dict[str, Any]) -> str:
    lines = ["secret detection (through the message guard; tests/security/README.md)", "-" * 74]
    notes = {name: "written blind, a regression set now" for name in BLIND_SETS}
    if MEASUREMENT:
        notes[MEASUREMENT] = "written blind, never read: the measurement"
    for name in (*BLIND_SETS, "generated", "hard"):
        note = notes.get(name, "developed against: a regression check, not a measurement")
        lines.append(f"{name} set, {figures[name]['messages']} messages ({note})")
        lines += [f"  {line}" for line in figures[name]["lines"]]
    cost = figures["cost"]
    lines.append(
        f"redaction per message: median {cost['median_ms']:.3f} ms, p95 "
        f"{cost['p95_ms']:.3f} ms (target median <= {TARGET_MEDIAN_MS} ms: "
        f"{'met' if cost['median_ms'] <= TARGET_MEDIAN_MS else 'MISSED'})"
    )
    slowest = max(cost["pathological_ms"], key=cost["pathological_ms"].get)
    lines.append(
        f"pathological {LENGTH}-character inputs: slowest {cost['pathological_max_ms']:.1f} "
        f"ms ({slowest}; budget {TARGET_PATHOLOGICAL_MS:.0f} ms: "
        f"{'met' if cost['pathological_max_ms'] <= TARGET_PATHOLOGICAL_MS else 'MISSED'})"
    )
    steepest = max(cost["growth"], key=cost["growth"].get)
    lines.append(
        f"growth from {LENGTH // 2} to {LENGTH} characters: at most "
        f"{cost['growth'][steepest]:.1f}x ({steepest}; linear is 2x, budget "
        f"{TARGET_GROWTH:.0f}x: {'met' if cost['growth'][steepest] <= TARGET_GROWTH else 'MISSED'})"
    )
    if not MEASUREMENT:
        lines.append("no unread blind set: the targets are not measured by this run")
        return "\n".join(lines)
    measured = figures[MEASUREMENT]
    for language in sorted(measured["recall"]):
        met = (
            measured["recall"][language] >= TARGET_RECALL
            and measured["false_redaction"][language] <= TARGET_FALSE_REDACTION
        )
        lines.append(
            f"{MEASUREMENT} {language}: recall >= {TARGET_RECALL} and false redaction <= "
            f"{TARGET_FALSE_REDACTION}: {'met' if met else 'MISSED'}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(measure()))
